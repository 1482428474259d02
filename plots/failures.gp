# failures.gp: failed builds, tests, copies, shares and launch template
# updates by cause, most frequent first.
#
# Variables: `amisim plot` sets picture, out and fmt with -e, then loads
# OUTDIR/plotdata.gp (written by `amisim run --out` / `amisim sweep --out`),
# which sets these:
#   data    the datablock: position "cause" count (means over replications)
#   title   the chart's title;  ncauses  how many bars
if (!exists("fmt")) fmt = 'png'
if (fmt eq 'svg') {
  set terminal svg size 800,500 dynamic noenhanced font 'Sans,11' background rgb 'white'
} else {
  set terminal pngcairo size 800,500 noenhanced font 'Sans,10'
}
set output out

set title title
set ylabel 'count'
set yrange [0:*]
stats data using 3 nooutput
if (STATS_max <= 10) { set ytics 1 }
set offsets 0, 0, graph 0.1, 0
set xrange [-0.6:ncauses - 0.4]
set xtics rotate by -30 scale 0
set grid ytics
set style fill solid 0.85 noborder
set boxwidth 0.7
plot data using 1:3:xticlabels(2) with boxes lc rgb '#d62728' notitle, \
     data using 1:3:(sprintf('%.0f', $3)) with labels offset 0,0.7 notitle
