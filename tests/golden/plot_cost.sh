#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/cost.gnuplot draws each memory's curve from `hnuma-sim validate
# curves`; skipped (77) without gnuplot.  Usage: plot_cost.sh SRC HNUMA_SIM
set -eu
src=$1
sim=$2
command -v gnuplot >/dev/null || { echo "gnuplot is not installed: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$sim" --machine cxl-tiered validate curves >"$tmp/c.dat"
# four nodes with memory, 101 points each, each block headed by its name
[ "$(grep -c '^node[0-9]' "$tmp/c.dat")" -eq 4 ] || { echo "expected 4 curves"; cat "$tmp/c.dat"; exit 1; }
[ "$(grep -c '^[0-9]' "$tmp/c.dat")" -eq 404 ] || { echo "expected 404 points"; exit 1; }
gnuplot -e "data='$tmp/c.dat'; out='$tmp/c.png'" "$src/tools/cost.gnuplot" 2>"$tmp/err"
if [ -s "$tmp/err" ]; then echo "gnuplot complained:"; cat "$tmp/err"; exit 1; fi
head -c 8 "$tmp/c.png" | od -An -c | grep -q 'P   N   G' || { echo "not a PNG"; exit 1; }
echo "cost.gnuplot: $(wc -c <"$tmp/c.png") bytes of PNG"
