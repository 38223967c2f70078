#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench [ROUNDS=5]`: xen_bench.c on the stock KVM (upstream's
# in-kernel Xen) and on ours, alternately, ROUNDS times in one boot of a
# test VM, then a table per path: median, min and max on each, and the
# ratio of the medians, ours over stock.  Guest paths in TSC cycles per
# operation, host paths in ns.  Then, in a second VM, IRQ bypass pairs
# through KVM's irqfds with the stock irqbypass.ko and with ours
# (tools/testing/vm/bench/20-irqbypass_kvm.sh).  Exits non-zero when a
# run failed.
# Needs what one-test.sh needs (exported by the Makefile).
#
# usage: bench.sh ROUNDS
set -euo pipefail

rounds=$1
vm=$(cd "$(dirname "$0")/vm" && pwd)
tap=$OBJ/bench.tap
rc=0
"$vm/one-test.sh" bench "$vm/bench/10-xen_bench.sh" xen_evtchn/xen_bench \
	1200 1400 "vmtest.bench_rounds=$rounds" >"$tap" || rc=$?
# IRQ bypass pairs through KVM, in a VM of its own (about 7 minutes).
"$vm/one-test.sh" bench-irqbypass "$vm/bench/20-irqbypass_kvm.sh" \
	irqbypass/irqbypass_kvm_bench 900 1000 "" \
	test_irq_posting bench_irqbypass_kvm >>"$tap" || rc=$?
grep -v '^# *bench:\|^#   ' "$tap" || true
sed -n 's/^# bench: //p' "$tap"
exit $rc
