#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A run of 10^11 accesses is refused without --allow-huge; with it, SIGINT
# (what Ctrl-C sends) stops it cleanly: exit status 130, the partial report
# on stdout ending "interrupted at N of M accesses", the progress line with
# its ETA on stderr (--progress, stderr not being a terminal here).
#   run_interrupt.sh HNUMA_SIM LONG_SCENARIO
set -u
sim=$1 scenario=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$sim" run --scenario "$scenario" >/dev/null 2>&1
[ $? -eq 1 ] || { echo "a 10^11-access run without --allow-huge was not refused" >&2; exit 1; }
"$sim" --scale 16G run --scenario "$scenario" --allow-huge --progress >"$tmp/out" 2>"$tmp/err" &
pid=$!
# wait for the first progress line: the run (and its handler) has started
i=0
while ! grep -q 'accesses' "$tmp/err" 2>/dev/null && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -INT $pid
wait $pid
status=$?
if [ $status -ne 130 ]; then
	echo "exit status $status after SIGINT, expected 130" >&2
	cat "$tmp/err" >&2
	exit 1
fi
if ! tail -n 1 "$tmp/out" | grep -qE '^interrupted at [1-9][0-9]* of 100000000000 accesses$'; then
	echo "the partial report does not end with 'interrupted at N of M accesses':" >&2
	tail -n 5 "$tmp/out" >&2
	exit 1
fi
if ! grep -qE 'run [0-9]+/100000000000 accesses \( *[0-9]+%\), [0-9.]+ M/s, ETA [0-9:]+' "$tmp/err"; then
	echo "no progress line with done/total and ETA on stderr:" >&2
	cat "$tmp/err" >&2
	exit 1
fi
exit 0
