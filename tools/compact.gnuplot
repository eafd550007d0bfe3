# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Free blocks per order, before and after compaction, summed over the zones
# hnuma-sim's `compact` shows (tools/compact-plot writes the data):
#
#   tools/compact-plot out.png --scale 16G --churn 20000
#
# or by hand, from a file of "order before after" lines:
#
#   gnuplot -e "data='free.dat'; out='compact.png'" tools/compact.gnuplot
#
# The y axis is logarithmic: compaction turns many small blocks into a few
# large ones, so the low orders fall and the highest rises.  Uses pngcairo
# when the build has it, else png.

if (!exists("data")) data = "free.dat"
if (!exists("out")) out = "compact.png"
if (!exists("title")) title = "hnuma-sim compact"

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
	set terminal pngcairo size 900,500 font "sans,10"
} else {
	set terminal png size 900,500
}
set output out

set title title
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [0.8:*]
set xlabel "order"
set ylabel "free blocks (all zones)"
set key top left box opaque
set grid ytics

plot data using 2:xtic(1) title "before", \
     ""   using 3         title "after"
