#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make guest-boots`: the real Xen guest's boot, ROUNDS times on the stock
# KVM and ROUNDS times on ours, alternating, with QEMU pinned to one CPU of
# the test VM (QEMU's timer thread and the guest's vCPUs share it, the
# setup in which the guest's PIT check was seen to fail; boots.sh).  Prints each boot's result
# and the failure count of each KVM; fails if any boot failed.
# Needs KREL, VM_KDIR, BUILD, QEMU_ROOT (exported by the Makefile).
#
# usage: guest-boots.sh ROUNDS TIMER_CHECK   (TIMER_CHECK=1 keeps the
#        guest's PIT check, see xen-guest)
set -euo pipefail

rounds=$1 timer_check=$2
top=$(cd "$(dirname "$0")/../../.." && pwd)
vm=$top/tools/testing/vm
guest=$top/tools/testing/xen_guest
cd "$top"
make -s --no-print-directory modules KDIR="$VM_KDIR"
make -s --no-print-directory kvm xen-guest
kvm=$BUILD/kvm/arch/x86/kvm
out=$BUILD/guest-boots
mkdir -p "$out"
"$vm/mkinitramfs.sh" -k "$KREL" -o "$out/boots.cpio.gz" \
	-m ours:irqbypass/irqbypass.ko -m ours:xen_evtchn/xen_evtchn.ko \
	-m rebuilt:"$kvm/kvm.ko" -m rebuilt:"$kvm/kvm-amd.ko" \
	-b "$QEMU_ROOT/usr/bin/qemu-system-x86_64" -b "$guest/xen-guest" \
	-d "$BUILD/xen_guest:/xen_guest" -t "$guest/boots.sh"
# A boot takes 10-15 s; allow 200 s for each.
limit=$((rounds * 2 * 200))
"$vm/run.sh" -k "$KREL" -i "$out/boots.cpio.gz" -o "$out" -n guest-boots \
	-t "$limit" -T $((limit + 120)) \
	-a "xen_guest.boots=$rounds xen_guest.timer_check=$timer_check"
