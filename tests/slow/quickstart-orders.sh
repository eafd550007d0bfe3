#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The README's two commands in either order, on clean clones of the
# repository (its committed HEAD): `run` then `test` must count the same
# tests as `test` alone, and `test` again after `run` the same once more.
#   quickstart-orders.sh SOURCE_DIR
# Slow (three whole test runs): in the 'slow' suite, which CI skips.
set -eu
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

clone() { git clone -q --no-hardlinks "$src" "$tmp/$1" && echo "$tmp/$1"; }
# the closing "N passed, N failed" line of a `quickstart test`
counts() { tail -n 1 "$1" | grep -E '^[0-9]+ passed, [0-9]+ failed$'; }

a=$(clone run-then-test)
(cd "$a" && tools/quickstart run >"$tmp/a-run.log" 2>&1 && tools/quickstart test >"$tmp/a-test.log" 2>&1) ||
	{ echo "run then test failed:"; tail -n 30 "$tmp/a-run.log" "$tmp/a-test.log"; exit 1; }
b=$(clone test-run-test)
(cd "$b" && tools/quickstart test >"$tmp/b-test.log" 2>&1 &&
	tools/quickstart run >"$tmp/b-run.log" 2>&1 &&
	tools/quickstart test >"$tmp/b-test2.log" 2>&1) ||
	{ echo "test, run, test failed:"; tail -n 30 "$tmp"/b-*.log; exit 1; }

ca=$(counts "$tmp/a-test.log") || { echo "no closing counts line after run, test"; exit 1; }
cb=$(counts "$tmp/b-test.log") || { echo "no closing counts line after test"; exit 1; }
cb2=$(counts "$tmp/b-test2.log") || { echo "no closing counts line after test, run, test"; exit 1; }
echo "run, test:        $ca"
echo "test:             $cb"
echo "test, run, test:  $cb2"
case $cb in
0\ passed*) echo "no test passed"; exit 1 ;;
esac
[ "$ca" = "$cb" ] && [ "$cb" = "$cb2" ] || { echo "the counts differ"; exit 1; }
# every build ran its tests: one summary line per build, none with 0 run
if grep -E '^quickstart: .*: 0 passed, 0 failed' "$tmp/a-test.log" "$tmp/b-test.log"; then
	echo "a build ran no test"
	exit 1
fi
