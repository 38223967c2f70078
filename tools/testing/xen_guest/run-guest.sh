#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The real Xen guest in a test VM of its own, on the stock KVM and on ours:
#
#   run-guest.sh check
#     `make check-guest`: 50-xen_guest.sh, one boot on each, in the usual
#     2-vCPU test VM.
#   run-guest.sh boots ROUNDS TIMER_CHECK CPUS
#     `make guest-boots`: boots.sh, ROUNDS boots on each, alternating, in a
#     test VM with CPUS vCPUs (1: QEMU's timer thread and the guest's vCPUs
#     share it, the setup in which the guest's PIT check was seen to fail;
#     with 2, QEMU is still pinned to the first, and the second is left to
#     the kernel's lockup and RCU stall detectors).  TIMER_CHECK=1 keeps the
#     guest's PIT check (see xen-guest).
#
# Prints TAP; exits non-zero when anything failed.  Needs KREL, BUILD,
# OBJ, MOD_OBJ, KVM_OBJ, QEMU_ROOT (exported by the Makefile).
set -euo pipefail

mode=$1
top=$(cd "$(dirname "$0")/../../.." && pwd)
vm=$top/tools/testing/vm
guest=$top/tools/testing/xen_guest
cd "$top"
make -s --no-print-directory modules
make -s --no-print-directory kvm xen-guest
out=$OBJ/guest-$mode
mkdir -p "$out"

case $mode in
check)
	test=$guest/50-xen_guest.sh cpus=2 limit=600 args=
	;;
boots)
	rounds=$2 timer_check=$3 cpus=$4
	test=$guest/boots.sh
	# A boot takes 10-15 s; allow 200 s for each.
	limit=$((rounds * 2 * 200))
	args="xen_guest.boots=$rounds xen_guest.timer_check=$timer_check"
	;;
*)
	echo "usage: see $0" >&2
	exit 2
	;;
esac

"$vm/mkinitramfs.sh" -k "$KREL" -o "$out/initrd.cpio.gz" \
	-m ours:"$MOD_OBJ/irqbypass/irqbypass.ko" \
	-m ours:"$MOD_OBJ/xen_evtchn/xen_evtchn.ko" \
	-m rebuilt:"$KVM_OBJ/kvm.ko" -m rebuilt:"$KVM_OBJ/kvm-amd.ko" \
	-b "$QEMU_ROOT/usr/bin/qemu-system-x86_64" -b "$guest/xen-guest" \
	-d "$BUILD/xen_guest:/xen_guest" -t "$test"
"$vm/run.sh" -k "$KREL" -i "$out/initrd.cpio.gz" -o "$out" -n "guest-$mode" \
	-c "$cpus" -t "$limit" -T $((limit + 120)) -a "$args"
