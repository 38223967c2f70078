#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench [ROUNDS=5] [BENCH_BOOTS=3]`: xen_bench.c on the stock KVM
# (upstream's in-kernel Xen) and on ours, alternately, ROUNDS times in each
# of BOOTS boots of a test VM, then a table per path over all of them
# (tools/testing/bench-table.awk): median, min and max on each, the ratio
# of the medians, ours over stock, and the range of the boots' ratios.
# Guest paths in TSC cycles per operation, host paths in ns.  Then, in one
# more VM, IRQ bypass pairs through KVM's irqfds with the stock
# irqbypass.ko and with ours (tools/testing/vm/bench/20-irqbypass_kvm.sh).
# Between the two, one boot in QEMU's instruction-count mode makes a
# second table, of the instructions each path executes.
# Exits non-zero when a run failed.
# Needs what one-test.sh needs (exported by the Makefile).
#
# usage: bench.sh ROUNDS BOOTS
set -euo pipefail

rounds=$1 boots=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
vm=$top/tools/testing/vm
tap=$OBJ/bench.tap
raw=$OBJ/bench.raw
rc=0
: >"$tap"
: >"$raw"
# Each boot's code lands at its own addresses: under TCG, where a path's
# code falls on pages changes its cost, so a boot is one sample of that.
for boot in $(seq "$boots"); do
	"$vm/one-test.sh" "bench-$boot" "$vm/bench/10-xen_bench.sh" \
		xen_evtchn/xen_bench 1200 1400 "vmtest.bench_rounds=$rounds" \
		>"$tap.boot" || rc=$?
	cat "$tap.boot" >>"$tap"
	# The VM's serial line ends its lines with CR LF.
	tr -d '\r' <"$tap.boot" |
		sed -n "s/^# bench-raw: \\(.*\\)/\\1 $boot/p" >>"$raw"
done
rm -f "$tap.boot"
# One more boot, in QEMU's instruction-count mode (run.sh, VM_ICOUNT): its
# figures count the instructions a path executes, with none of TCG's
# translation costs, and repeat to within a few dozen (about 40 s).
VM_ICOUNT=1 "$vm/one-test.sh" bench-icount "$vm/bench/10-xen_bench.sh" \
	xen_evtchn/xen_bench 1200 1400 "vmtest.bench_rounds=$rounds" \
	>"$tap.icount" || rc=$?
cat "$tap.icount" >>"$tap"
tr -d '\r' <"$tap.icount" |
	sed -n 's/^# bench-raw: \([^ ]* [^ ]* [^ ]*\) .*/\1 insns 1/p' >"$raw.icount"
rm -f "$tap.icount"
# IRQ bypass pairs through KVM, in a VM of its own (about 7 minutes).
"$vm/one-test.sh" bench-irqbypass "$vm/bench/20-irqbypass_kvm.sh" \
	irqbypass/irqbypass_kvm_bench 900 1000 "" \
	test_irq_posting bench_irqbypass_kvm >"$tap.pairs" || rc=$?
cat "$tap.pairs" >>"$tap"
grep -v '^# *bench\(-raw\)\{0,1\}:\|^#   ' "$tap" || true
awk -v rounds="$rounds" -v boots="$boots" \
	-f "$top/tools/testing/bench-table.awk" "$raw" | sed 's/^bench: //' ||
	rc=1
echo
echo "Instructions executed (one boot in QEMU's instruction-count mode):"
awk -v rounds="$rounds" -v boots=1 \
	-f "$top/tools/testing/bench-table.awk" "$raw.icount" |
	sed 's/^bench: //' || rc=1
echo
sed -n 's/^# bench: //p' "$tap.pairs"
rm -f "$tap.pairs"
exit $rc
