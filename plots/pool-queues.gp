# pool-queues.gp: busy slots (with each pool's limit, dashed) and copies
# waiting for a slot over time, for the most congested pools: two panels
# sharing the time axis, one colour per pool.
#
# Variables (gnuplot -e), set by `amisim plot`:
#   data    the data file: one block per pool (blocks apart by two blank
#           lines), rows: t_s busy queued limit
#   out     the picture to write;  fmt  'png' or 'svg'
#   title   the chart's title;  pools  quoted pool labels;  npools
#   busymax, queuedmax  the largest busy (or limit) and queued values, >= 1
#   tscale  seconds per unit of the time axis;  tunit  its name
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
plot for [i=0:npools-1] data index i using ($1 / tscale):2 with steps lw 1.5 lc i + 1 \
       title word(pools, i + 1), \
     for [i=0:npools-1] data index i using ($1 / tscale):4 with steps dt 2 lc i + 1 notitle
set ylabel 'copies waiting'
set yrange [0:queuedmax * 1.08]
set xlabel sprintf('simulated time (%s)', tunit)
set format x '%g'
set key off
plot for [i=0:npools-1] data index i using ($1 / tscale):3 with steps lw 1.5 lc i + 1 notitle
unset multiplot
