# completion-cdf.gp: the share of images done within a given time: the
# distribution (built to available in every region and account) and the
# whole run of an image (start to available). Images that failed are not
# counted.
#
# Variables: `amisim plot` sets picture, out and fmt with -e, then loads
# OUTDIR/plotdata.gp (written by `amisim run --out` / `amisim sweep --out`),
# which sets these:
#   data    the datablock: two blocks (distribution, end to end), rows: seconds fraction
#   title   the chart's title
#   tscale  seconds per unit of the time axis;  tunit  its name;  tmax  the largest time (s)
if (!exists("fmt")) fmt = 'png'
if (fmt eq 'svg') {
  set terminal svg size 800,500 dynamic noenhanced font 'Sans,11' background rgb 'white'
} else {
  set terminal pngcairo size 800,500 noenhanced font 'Sans,10'
}
set output out

set title title
set xlabel sprintf('time (%s)', tunit)
set ylabel 'share of images done'
set yrange [0:1.02]
set xrange [0:(tmax > 0 ? tmax / tscale * 1.05 : 1)]
set format y '%.0f%%'
set ytics ('0%%' 0, '25%%' 0.25, '50%%' 0.5, '75%%' 0.75, '90%%' 0.9, '100%%' 1)
set grid
set key bottom right
plot data index 0 using ($1 / tscale):2 with steps lw 2 lc rgb '#1f77b4' \
       title 'distribution (built to available)', \
     data index 1 using ($1 / tscale):2 with steps lw 2 lc rgb '#2ca02c' \
       title 'end to end (start to available)'
