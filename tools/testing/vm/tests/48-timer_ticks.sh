# SPDX-License-Identifier: GPL-2.0
# A VMM's userspace timer against a vCPU spinning on its TSC, both on one
# CPU (timer_ticks_test.c), on the stock KVM and on ours in the same boot:
# the mechanism of a Linux guest's early PIT check under QEMU's split
# irqchip.  Each run must deliver ticks; ours must deliver at least half as
# many as the stock KVM (a vCPU that hogs the CPU, re-entering for nothing,
# would starve the timer thread).
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

# ticks NAME: run the test on the KVM loaded now; NAME.ticks gets the
# number of ticks the guest saw.
ticks() {
	run_to "/tmp/$1.out" timer_ticks_test
	sed -n 's/^ticks: .* \([0-9]*\) ticks in all$/\1/p' "/tmp/$1.out" >"/tmp/$1.ticks"
	[ -s "/tmp/$1.ticks" ] || fail "no tick count on the $1 KVM"
}

ours_up
ticks ours
ours_down
stock_xen || { echo "a test lane: no comparison with the stock KVM"; exit 0; }

kvm_up stock
ticks stock
kvm_down

stock=$(cat /tmp/stock.ticks) ours=$(cat /tmp/ours.ticks)
echo "ticks: stock $stock, ours $ours"
[ $((ours * 2)) -ge "$stock" ] || fail "ours delivered fewer than half the stock KVM's ticks"
exit 0
