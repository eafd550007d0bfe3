#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Run a command and check its exit status; a usage error (2) must say what is
# wrong in one line and then point at --help, never print the whole help.
#   run_status.sh EXPECTED_STATUS PROGRAM [ARGS...]
set -u
want=$1
shift
err=$(mktemp)
trap 'rm -f "$err"' EXIT
"$@" >/dev/null 2>"$err"
status=$?
if [ "$status" -ne "$want" ]; then
	echo "exit status $status, expected $want: $*" >&2
	cat "$err" >&2
	exit 1
fi
if [ "$want" -eq 2 ]; then
	lines=$(wc -l <"$err")
	if [ "$lines" -gt 2 ] || [ "$(tail -n 1 "$err")" != "try 'hnuma-sim --help'" ] ||
	   grep -q '^Usage:' "$err"; then
		echo "a usage error must be one line and the hint, not $lines lines: $*" >&2
		cat "$err" >&2
		exit 1
	fi
fi
exit 0
