# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Lookup time against the number of attribute nodes, one curve per
# strategy, one panel per request kind, from bench_mattr's CSV:
#
#   bench_mattr --csv mattr.csv
#   gnuplot -e "csv='mattr.csv'; out='mattr.png'" bench/mattr.gnuplot
#
# Both axes are logarithmic: O(1) is flat, O(log n) bends towards flat, O(n)
# is a straight line of slope 1.  The dashed lines are the goals (50 ns
# uncached, 10 ns cached).  Uses pngcairo when the build has it, else png.

if (!exists("csv")) csv = "mattr.csv"
if (!exists("out")) out = "mattr.png"

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
	set terminal pngcairo size 1400,560 font "sans,10"
} else {
	set terminal png size 1400,560
}
set output out

set datafile separator ","
set key top left box opaque
set logscale xy
set xrange [0.8:1400]
set xtics ("1" 1, "4" 4, "16" 16, "64" 64, "256" 256, "1024" 1024)
set xlabel "attribute nodes in the zone"
set ylabel "ns per lookup (median)"
set grid xtics ytics mytics

strategies = "slides slides-tree weighted lexicographic linear"
colors = "#9400d3 #009e73 #56b4e9 #e69f00 #000000"
# columns: 1 nodes, 2 kind, 3 strategy, 4 median_ns
pick(kind, s) = (strcol(2) eq kind && strcol(3) eq s) ? $4 : NaN

set multiplot layout 1,2 title "bench/mattr: attribute match lookup time"
do for [kind in "single multi"] {
	set title sprintf("%s-property requests", kind)
	plot for [i = 1:words(strategies)] csv using 1:(pick(kind, word(strategies, i))) \
		skip 1 smooth unique with linespoints lw 2 pt 7 lc rgb word(colors, i) \
		title word(strategies, i), \
	     50 with lines dt 2 lc rgb "gray40" title "50 ns", \
	     10 with lines dt 3 lc rgb "gray60" title "10 ns"
}
unset multiplot
