#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make run`: build the modules, the rebuilt KVM, QEMU 10 and the Xen
# guest, boot the VM, and run the guest on the accelerator while showing
# both sides (tools/testing/vm/demo/).  Needs KREL, VM_KDIR, BUILD,
# QEMU_ROOT (exported by the Makefile).
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
vm=$top/tools/testing/vm
cd "$top"
make -s --no-print-directory modules KDIR="$VM_KDIR"
make -s --no-print-directory kvm xen-guest
kvm=$BUILD/kvm/arch/x86/kvm
mkdir -p "$BUILD/run"
# shellcheck disable=SC2046 # option lists, split on purpose
"$vm/mkinitramfs.sh" -k "$KREL" -o "$BUILD/run/run.cpio.gz" \
	-m ours:irqbypass/irqbypass.ko -m ours:xen_evtchn/xen_evtchn.ko \
	-m rebuilt:"$kvm/kvm.ko" -m rebuilt:"$kvm/kvm-amd.ko" \
	-b "$QEMU_ROOT/usr/bin/qemu-system-x86_64" \
	-b "$top/tools/testing/xen_guest/xen-guest" \
	-d "$BUILD/xen_guest:/xen_guest" \
	$(for t in "$vm"/demo/*.sh; do echo "-t $t"; done)
"$vm/run.sh" -k "$KREL" -i "$BUILD/run/run.cpio.gz" -o "$BUILD/run" -n run \
	-t 500 -T 600 | sed 's/^# //'
