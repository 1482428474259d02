# pool-queues.gp: busy slots (with each pool's limit, dashed) and copies
# waiting for a slot over time, for the most congested pools: two panels
# sharing the time axis, one colour per pool. The run picks the window: the
# UTC day with the longest queues, zoomed to where slots are busy.
#
# Variables: `amisim plot` sets picture, out and fmt with -e, then loads
# OUTDIR/plotdata.gp (written by `amisim run --out` / `amisim sweep --out`),
# which sets these:
#   data    the datablock: one block per pool (blocks apart by two blank
#           lines), rows: t (epoch s) busy queued limit
#   title   the chart's title;  pools  quoted pool labels;  npools
#   busymax, queuedmax  the largest busy (or limit) and queued values, >= 1
#   xlo, xhi  the window shown (seconds since the Unix epoch, UTC);  xfmt  the
#           ticks' time format;  xlabel  the time axis's label (the date(s))
if (!exists("fmt")) fmt = 'png'
if (fmt eq 'svg') {
  set terminal svg size 960,600 dynamic noenhanced font 'Sans,11' background rgb 'white'
} else {
  set terminal pngcairo size 960,600 noenhanced font 'Sans,10'
}
set output out

set multiplot layout 2,1 title title
set grid
set key top right
set yrange [0:busymax * 1.08]
set ylabel 'busy slots'
set format x ''
set lmargin 10
set xtics time
set xrange [xlo:xhi]
plot for [i=0:npools-1] data index i using 1:2 with steps lw 1.5 lc i + 1 \
       title word(pools, i + 1), \
     for [i=0:npools-1] data index i using 1:4 with steps dt 2 lc i + 1 notitle
set ylabel 'copies waiting'
set yrange [0:queuedmax * 1.08]
set xlabel xlabel
set format x xfmt timedate
set key off
plot for [i=0:npools-1] data index i using 1:3 with steps lw 1.5 lc i + 1 notitle
unset multiplot
