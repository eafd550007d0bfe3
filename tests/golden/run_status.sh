#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Run a command and check its exit status and that it printed usage text.
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
if [ "$want" -eq 2 ] && ! grep -q '^Usage:' "$err"; then
	echo "no usage text on stderr for: $*" >&2
	exit 1
fi
exit 0
