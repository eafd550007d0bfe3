#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Run a command with a given standard input; check its exit status and that
# one line of its stderr (or of its stdout, with EXPECTED "stdout:LINE") is
# exactly EXPECTED.  @SRC@ in EXPECTED or ARGS stands for the source tree;
# @TMP@ for a scratch directory the command may write to.
#   run_message.sh STATUS EXPECTED STDIN|'' PROGRAM [ARGS...]
set -u
want=$1 expected=$2 input=${3:-/dev/null}
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$(cd "$(dirname "$0")/../.." && pwd)
expected=$(printf '%s' "$expected" | sed "s|@SRC@|$src|g; s|@TMP@|$tmp|g")
input=$(printf '%s' "$input" | sed "s|@SRC@|$src|g")
n=0
for a in "$@"; do
	a=$(printf '%s' "$a" | sed "s|@SRC@|$src|g; s|@TMP@|$tmp|g")
	if [ $n -eq 0 ]; then set --; fi
	set -- "$@" "$a"
	n=$((n + 1))
done
"$@" <"$input" >"$tmp/out" 2>"$tmp/err"
status=$?
stream=$tmp/err
case $expected in
stdout:*) stream=$tmp/out expected=${expected#stdout:} ;;
esac
if [ "$status" -ne "$want" ] || ! grep -qxF -- "$expected" "$stream"; then
	echo "exit status $status (expected $want): $*" >&2
	echo "expected the line: $expected" >&2
	echo "--- stderr:" >&2
	head -20 "$tmp/err" >&2
	echo "--- stdout:" >&2
	head -5 "$tmp/out" >&2
	exit 1
fi
exit 0
