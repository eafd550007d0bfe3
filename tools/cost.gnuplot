# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Each memory's bandwidth-latency curve, as the cost model uses it
# (docs/cost-model.md), from `hnuma-sim validate curves`:
#
#   hnuma-sim --machine cxl-tiered validate curves > curves.dat
#   gnuplot -e "data='curves.dat'; out='curves.png'" tools/cost.gnuplot
#
# One block per node (gnuplot's "index"): utilisation of the node's peak
# read bandwidth against the loaded read latency from its nearest
# initiator.  Where two curves cross, the faster memory has become the
# slower one.  Uses pngcairo when the build has it, else png.

if (!exists("data")) data = "curves.dat"
if (!exists("out")) out = "curves.png"

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
	set terminal pngcairo size 900,560 font "sans,10"
} else {
	set terminal png size 900,560
}
set output out
set title "Loaded read latency by utilisation"
set xlabel "utilisation of the node's peak read bandwidth"
set ylabel "latency (ns)"
set xrange [0:1]
set grid
set key top left
stats data using 2 nooutput
nblocks = STATS_blocks
plot for [i=0:nblocks-1] data index i using 2:3 with lines lw 2 title columnheader(1)
