# lifecycle.gp: what lifecycle policies did over time: AMIs (or, in a run
# whose policies acted on images only, images) deprecated, disabled and
# deregistered (deleted), cumulative counts of the actions that succeeded.
#
# Variables: `amisim plot` sets picture, out and fmt with -e, then loads
# OUTDIR/plotdata.gp (written by `amisim run --out`), which sets these:
#   data    the datablock: t (epoch s) deprecated disabled deleted (cumulative)
#   title   the chart's title;  what  'AMIs' or 'images';  gone  'deregistered' or 'deleted'
#   ymax    the largest count (>= 1)
#   xlo, xhi  the window shown (seconds since the Unix epoch, UTC);  xfmt  the
#           ticks' time format;  xlabel  the time axis's label (the date(s))
if (!exists("fmt")) fmt = 'png'
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
set ylabel sprintf('%s (cumulative)', what)
set yrange [0:ymax * 1.08]
set grid
set key top left
plot data using 1:2 with steps lw 2 lc rgb '#ff7f0e' title 'deprecated', \
     data using 1:3 with steps lw 2 lc rgb '#9467bd' title 'disabled', \
     data using 1:4 with steps lw 2 lc rgb '#d62728' title gone
