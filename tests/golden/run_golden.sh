#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Compare a command's stdout with a golden file, byte for byte.
#   run_golden.sh EXPECTED PROGRAM [ARGS...]
# With HNUMA_UPDATE_GOLDEN=1 the golden file is rewritten instead; review
# the diff (git diff tests/golden) before committing it.
set -u
expected=$1
shift
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
"$@" >"$actual"
status=$?
if [ $status -ne 0 ]; then
	echo "command failed with status $status: $*" >&2
	exit 1
fi
if [ "${HNUMA_UPDATE_GOLDEN:-0}" = 1 ]; then
	cp "$actual" "$expected"
	echo "updated $expected"
	exit 0
fi
if ! cmp -s "$expected" "$actual"; then
	echo "output differs from $expected:" >&2
	diff -u "$expected" "$actual" | head -60 >&2
	exit 1
fi
exit 0
