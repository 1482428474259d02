# sweep.gp: measures of a sweep over its first axis, one panel per measure,
# then the failures, means with 95% interval bars (none with one
# replication), one curve per combination of the other axes' values. The
# failures panel sits beside the measures: a point whose times look better
# because its failed images left the sample shows it there.
#
# Variables: `amisim plot` sets picture, out and fmt with -e, then loads
# OUTDIR/plotdata.gp (written by `amisim sweep --out`), which sets these:
#   data    the datablock: one block per curve, its first line the curve's
#           name; rows: position value "label" then mean low high per
#           measure, then per failure count (images, copies, launches failed)
#   title   the chart's title;  xname  the first axis;  xlog  1: x is the value,
#           on a log axis; 0: x is the position
#   nm  how many measures;  mtitles  their quoted names;  ngroups  how many curves
#   tscales, tunits  per measure: seconds per unit of its y axis and the unit's name
#   ylows, yhighs    per measure: its y range in seconds
#   yclocks  per measure, quoted: "0" a duration, else a moment in clock time
#            (UTC, seconds since the Unix epoch) and its ticks' time format
#   nf  failure counts drawn (2: images and copies; 3: and launches);  fmax  their y top
if (!exists("fmt")) fmt = 'png'
if (fmt eq 'svg') {
  set terminal svg size 1500,450 dynamic noenhanced font 'Sans,11' background rgb 'white'
} else {
  set terminal pngcairo size 1500,450 noenhanced font 'Sans,10'
}
set output out

set multiplot layout 1,nm + 1 title title
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
  if (word(yclocks, m) eq '0') {
    set ytics numeric
    set format y '% h'
    set ylabel sprintf('time (%s)', word(tunits, m))
  } else {
    set ytics time
    set format y word(yclocks, m) timedate
    set ylabel 'clock (UTC)'
  }
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
# failures: solid images, dashed copies, dotted launches; colour by curve
set title 'failed per run (mean)'
set ylabel 'failed'
set ytics numeric
set format y '% h'
set yrange [0:fmax]
fname(f) = f == 1 ? 'images' : f == 2 ? 'copies' : 'launches'
if (ngroups == 1) {
  plot for [f=1:nf] data index 0 using (column(xcol)):(column(3 * (nm + f) + 1)) \
         :(column(3 * (nm + f) + 2)):(column(3 * (nm + f) + 3)):xticlabels(3) \
         with yerrorlines lw 1.5 pt 7 ps 0.6 lc rgb '#d62728' dt f title fname(f)
} else {
  plot for [g=0:ngroups-1] for [f=1:nf] data index g using (column(xcol)) \
         :(column(3 * (nm + f) + 1)):(column(3 * (nm + f) + 2)):(column(3 * (nm + f) + 3)) \
         :xticlabels(3) with yerrorlines lw 1.5 pt 7 ps 0.6 lc g + 1 dt f \
         title (f == 1 ? columnhead(1) . ': ' : '') . fname(f)
}
unset multiplot
