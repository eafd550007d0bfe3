#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every built-in machine's `export qemu` arguments start Debian's QEMU:
#   qemu-system-x86_64 -machine q35 -accel tcg -S -display none -nodefaults
#                      -monitor none ARGS...
# stopped at once through QMP ("quit" once it answers, so a start that
# fails shows as an error and a non-zero status).  The machines are scaled
# to 8 GiB; with -S the guest never touches its RAM.  Skips (77) without
# qemu-system-x86_64.  TCG cannot run more than 255 vCPUs (QEMU wants
# KVM's x2APIC for that), so a machine with more is started under KVM
# when /dev/kvm is there, and otherwise reported and left out.
#   run_qemu.sh HNUMA_SIM
set -u
sim=$1
qemu=$(command -v qemu-system-x86_64) || { echo "qemu-system-x86_64 is not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0 started=0
for m in $("$sim" machines | awk '{print $1}'); do
	if ! "$sim" --machine "$m" --scale 8G export qemu >"$tmp/args"; then
		echo "$m: export failed"
		status=1
		continue
	fi
	accel=tcg
	cpus=$(awk 'prev == "-smp" { print $1 } { prev = $1 }' "$tmp/args")
	if [ "${cpus:-1}" -gt 255 ]; then
		if [ -w /dev/kvm ]; then
			accel=kvm
		else
			echo "$m: $cpus CPUs need KVM (TCG stops at 255); no /dev/kvm here, not started"
			continue
		fi
	fi
	# one argument per line: read them as the exporter wrote them
	set --
	while IFS= read -r a; do set -- "$@" "$a"; done <"$tmp/args"
	printf '{"execute":"qmp_capabilities"}\n{"execute":"quit"}\n' |
		timeout 60 "$qemu" -machine q35 -accel "$accel" -S -display none -nodefaults \
			-monitor none -qmp stdio "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ] || ! grep -q '"return"' "$tmp/out"; then
		echo "$m: QEMU refused the export (status $rc):"
		cat "$tmp/err"
		status=1
	else
		echo "$m: started with $(wc -l <"$tmp/args") argument words ($accel)"
		started=$((started + 1))
	fi
done
[ $started -gt 0 ] || { echo "no machine started"; exit 1; }
exit $status
