# sweep.gp: measures of a sweep over its first axis, one panel per measure,
# means with 95% interval bars (none with one replication), one curve per
# combination of the other axes' values.
#
# Variables (gnuplot -e), set by `amisim plot`:
#   data    the data file: one block per curve, its first line the curve's
#           name; rows: position value "label" then mean low high per measure
#   out     the picture to write;  fmt  'png' or 'svg'
#   title   the chart's title;  xname  the first axis;  xlog  1: x is the value,
#           on a log axis; 0: x is the position
#   nm  how many measures;  mtitles  their quoted names;  ngroups  how many curves
#   tscales, tunits  per measure: seconds per unit of its y axis and the unit's name
#   ylows, yhighs    per measure: its y range in seconds
if (!exists("fmt")) fmt = 'png'
if (fmt eq 'svg') {
  set terminal svg size 1200,450 dynamic noenhanced font 'Sans,11' background rgb 'white'
} else {
  set terminal pngcairo size 1200,450 noenhanced font 'Sans,10'
}
set output out

set multiplot layout 1,nm title title
set grid
set key top left
set xlabel xname
set autoscale xfix
set offsets graph 0.08, graph 0.08, 0, 0
if (xlog) { set logscale x }
xcol = xlog ? 2 : 1
do for [m=1:nm] {
  set title word(mtitles, m)
  ts = word(tscales, m) + 0.0
  set ylabel sprintf('time (%s)', word(tunits, m))
  set yrange [(word(ylows, m) + 0.0) / ts:(word(yhighs, m) + 0.0) / ts]
  if (ngroups == 1) {
    plot data index 0 using (column(xcol)):(column(3 * m + 1) / ts) \
           :(column(3 * m + 2) / ts):(column(3 * m + 3) / ts):xticlabels(3) \
           with yerrorlines lw 1.5 pt 7 ps 0.6 lc 1 notitle
  } else {
    plot for [g=0:ngroups-1] data index g using (column(xcol)):(column(3 * m + 1) / ts) \
           :(column(3 * m + 2) / ts):(column(3 * m + 3) / ts):xticlabels(3) \
           with yerrorlines lw 1.5 pt 7 ps 0.6 lc g + 1 title columnheader(1)
  }
}
unset multiplot
