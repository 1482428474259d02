# storage.gp: snapshot storage over time, summed over every account and
# region, and, when the run compared (simulation.lifecycle.compare: true),
# the same run without lifecycle policies.
#
# Variables: `amisim plot` sets picture, out and fmt with -e, then loads
# OUTDIR/plotdata.gp (written by `amisim run --out` / `amisim sweep --out`),
# which sets these:
#   data    the datablock: t (epoch s) gib (with lifecycle)
#   base    the datablock without lifecycle, or '' when the run did not compare
#   title   the chart's title;  gscale  GiB per unit (1 or 1024);  gunit  its name
#   xlo, xhi  the window shown (seconds since the Unix epoch, UTC);  xfmt  the
#           ticks' time format;  xlabel  the time axis's label (the date(s))
if (!exists("fmt")) fmt = 'png'
if (!exists("base")) base = ''
if (fmt eq 'svg') {
  set terminal svg size 800,500 dynamic noenhanced font 'Sans,11' background rgb 'white'
} else {
  set terminal pngcairo size 800,500 noenhanced font 'Sans,10'
}
set output out

set title title
set xlabel xlabel
set xtics time
set format x xfmt timedate
set xrange [xlo:xhi]
set ylabel sprintf('snapshots (%s)', gunit)
set yrange [0:*]
set grid
set key top left
if (base eq '') {
  plot data using 1:($2 / gscale) with steps lw 2 lc rgb '#1f77b4' notitle
} else {
  plot base using 1:($2 / gscale) with steps lw 2 lc rgb '#7f7f7f' dt 2 \
         title 'without lifecycle', \
       data using 1:($2 / gscale) with steps lw 2 lc rgb '#1f77b4' \
         title 'with lifecycle'
}
