#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Instructions per order-0 alloc+free pair, counted by callgrind: the
# difference between a run of 300 000 pairs and one of 100 000, divided by
# 200 000, so that the boot cancels out.
#
#   bench/pair-instructions.sh [BUILD_DIR]      (default build/release)
#
# bench_pair links the shared library, like bench_alloc; see bench/pair.c.
set -eu
build=${1:-build/release}
pair=$build/bench/bench_pair
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }
[ -x "$pair" ] || { echo "no $pair: build it first (ninja -C $build)" >&2; exit 1; }

count() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$pair" "$1" "$2" 2>&1 |
		awk '/refs:/ { gsub(",", "", $4); print $4 }'
}

# jemalloc's baseline needs surplus static TLS for its fast path (bench/pair.c)
GLIBC_TUNABLES=glibc.rtld.optional_static_tls=65536
export GLIBC_TUNABLES
for mode in pcp nopcp jemalloc; do
	a=$(count $mode 100000) && b=$(count $mode 300000) && [ -n "$a" ] && [ -n "$b" ] ||
		{ echo "$mode: failed (for jemalloc: is libjemalloc2 installed?)"; continue; }
	echo "$mode: $(( (b - a) / 200000 )) instructions per pair"
done
