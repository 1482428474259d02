# launches.gp: the consumers' launches (the scenario's launches:) by
# outcome: launched, or failed because the AMI in use was disabled or
# deregistered, no AMI of the pipeline was usable there yet, or its key
# did not let the consumer.
#
# Variables: `amisim plot` sets picture, out and fmt with -e, then loads
# OUTDIR/plotdata.gp (written by `amisim run --out`), which sets these:
#   data    the datablock: position "outcome" count (means over replications)
#   title   the chart's title
if (!exists("fmt")) fmt = 'png'
if (fmt eq 'svg') {
  set terminal svg size 800,500 dynamic noenhanced font 'Sans,11' background rgb 'white'
} else {
  set terminal pngcairo size 800,500 noenhanced font 'Sans,10'
}
set output out

set title title
set ylabel 'launches'
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0
set xrange [-0.6:4.6]
set xtics scale 0
set grid ytics
set style fill solid 0.85 noborder
set boxwidth 0.7
color(i) = i == 0 ? 0x2ca02c : 0xd62728
plot data using 1:3:(color($1)):xticlabels(2) with boxes lc rgb variable notitle, \
     data using 1:3:(sprintf('%.10g', $3)) with labels offset 0,0.7 notitle
