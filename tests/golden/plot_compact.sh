#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/compact-plot draws a PNG from hnuma-sim's compact output; skipped
# (77) without gnuplot.  Usage: plot_compact.sh SRC HNUMA_SIM
set -eu
src=$1
sim=$2
command -v gnuplot >/dev/null || { echo "gnuplot is not installed: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
HNUMA_SIM=$sim "$src/tools/compact-plot" "$tmp/c.png" --scale 8G --churn 5000
# eleven orders of before/after counts, and a PNG
[ "$(wc -l <"$tmp/c.png.dat")" -eq 11 ] || { echo "expected 11 orders in the data"; cat "$tmp/c.png.dat"; exit 1; }
head -c 8 "$tmp/c.png" | od -An -c | grep -q 'P   N   G' || { echo "not a PNG"; exit 1; }
echo "compact-plot: $(wc -c <"$tmp/c.png") bytes of PNG"
