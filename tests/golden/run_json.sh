#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# `hnuma-sim run --json -` writes the JSON and nothing else on stdout, so
# that `| jq .seed` prints the seed.
#   run_json.sh HNUMA_SIM [JQ]
set -u
sim=$1 jq=${2:-}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$sim" --seed 7 --scale 16G run --accesses 1000 --wss 1M --json - >"$out" || exit 1
if [ "$(wc -l <"$out")" -ne 1 ] || [ "$(head -c 13 "$out")" != '{"scenario":"' ]; then
	echo "stdout is not one JSON object:" >&2
	head -5 "$out" >&2
	exit 1
fi
if [ -n "$jq" ]; then
	seed=$("$jq" .seed <"$out") || exit 1
	[ "$seed" = 7 ] || { echo "jq .seed gave '$seed', expected 7" >&2; exit 1; }
fi
exit 0
