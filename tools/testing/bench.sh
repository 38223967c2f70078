#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench [ROUNDS=5]`: xen_bench.c on the stock KVM (upstream's
# in-kernel Xen) and on ours, alternately, ROUNDS times in one boot of a
# test VM, then a table per path: median, min and max on each, and the
# ratio of the medians, ours over stock.  Guest paths in TSC cycles per
# operation, host paths in ns.  Exits non-zero when the run failed.
# Needs KREL, VM_KDIR, BUILD, TEST_MOD_DIR (exported by the Makefile).
#
# usage: bench.sh ROUNDS
set -euo pipefail

rounds=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
vm=$top/tools/testing/vm
cd "$top"
make -s --no-print-directory modules KDIR="$VM_KDIR"
make -s --no-print-directory kvm selftests
kvm=$BUILD/kvm/arch/x86/kvm
out=$BUILD/bench
mkdir -p "$out"
"$vm/mkinitramfs.sh" -k "$KREL" -o "$out/initrd.cpio.gz" \
	-m ours:irqbypass/irqbypass.ko -m ours:xen_evtchn/xen_evtchn.ko \
	-m rebuilt:"$kvm/kvm.ko" -m rebuilt:"$kvm/kvm-amd.ko" \
	-b "$BUILD/selftests/xen_evtchn/xen_bench" -t "$vm/bench/10-xen_bench.sh"
rc=0
"$vm/run.sh" -k "$KREL" -i "$out/initrd.cpio.gz" -o "$out" -n bench \
	-t 1200 -T 1400 -a "vmtest.bench_rounds=$rounds" >"$out/tap" || rc=$?
grep -v '^# *bench:\|^#   ' "$out/tap" || true
sed -n 's/^# bench: //p' "$out/tap"
exit $rc
