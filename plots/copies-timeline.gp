# copies-timeline.gp: a Gantt chart of copies, one bar per copy from the
# moment it got a slot to its end, grouped by destination pool (account and
# region). Concurrent copies of a pool stack in lanes, so a band's height
# shows its busy slots. Blue: got a slot at once; orange: waited for one;
# red: failed. The run picks the window: the UTC day with the most copies
# started, zoomed to its copies; times are clock times (UTC).
#
# Variables: `amisim plot` sets picture, out and fmt with -e, then loads
# OUTDIR/plotdata.gp (written by `amisim run --out` / `amisim sweep --out`),
# which sets these:
#   data    the datablock: start (epoch s) duration_s y half_height kind(0,1,2)
#   title   the chart's title;  pools  quoted pool labels, busiest first;  npools
#   xlo, xhi  the window shown (seconds since the Unix epoch, UTC);  xfmt  the
#           ticks' time format;  xlabel  the time axis's label (the date(s))
if (!exists("fmt")) fmt = 'png'
if (fmt eq 'svg') {
  set terminal svg size 960,560 dynamic noenhanced font 'Sans,11' background rgb 'white'
} else {
  set terminal pngcairo size 960,560 noenhanced font 'Sans,10'
}
set output out

set title title
set xlabel xlabel
set xtics time
set format x xfmt timedate
set xrange [xlo:xhi]
set yrange [0:npools]
set ytics scale 0 ()
do for [i=1:npools] { set ytics add (word(pools, i) npools - i + 0.5) }
set grid xtics
set key outside bottom center horizontal
set bmargin 5.5
set style fill solid 1.0 noborder
color(k) = k == 0 ? 0x1f77b4 : k == 1 ? 0xff7f0e : 0xd62728

plot data using ($1 + $2 / 2):3:($2 / 2):4:(color($5)) \
       with boxxyerror lc rgb variable notitle, \
     NaN with boxes lc rgb '#1f77b4' title 'got a slot at once', \
     NaN with boxes lc rgb '#ff7f0e' title 'waited for a slot', \
     NaN with boxes lc rgb '#d62728' title 'failed'
