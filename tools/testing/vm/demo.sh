#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make run`: build the modules, the rebuilt KVM, QEMU 10 and the Xen
# guest, boot the VM, and run the guest on the accelerator while showing
# both sides (tools/testing/vm/demo/).  Needs KREL, BUILD, OBJ,
# MOD_OBJ, KVM_OBJ, QEMU_ROOT (exported by the Makefile).
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
vm=$top/tools/testing/vm
cd "$top"
make -s --no-print-directory modules
make -s --no-print-directory kvm xen-guest
mkdir -p "$OBJ/run"
# shellcheck disable=SC2046 # option lists, split on purpose
"$vm/mkinitramfs.sh" -k "$KREL" -o "$OBJ/run/run.cpio.gz" \
	-m ours:"$MOD_OBJ/irqbypass/irqbypass.ko" \
	-m ours:"$MOD_OBJ/xen_evtchn/xen_evtchn.ko" \
	-m rebuilt:"$KVM_OBJ/kvm.ko" -m rebuilt:"$KVM_OBJ/kvm-amd.ko" \
	-b "$QEMU_ROOT/usr/bin/qemu-system-x86_64" \
	-b "$top/tools/testing/xen_guest/xen-guest" \
	-d "$BUILD/xen_guest:/xen_guest" \
	$(for t in "$vm"/demo/*.sh; do echo "-t $t"; done)
"$vm/run.sh" -k "$KREL" -i "$OBJ/run/run.cpio.gz" -o "$OBJ/run" -n run \
	-t 500 -T 600 | sed 's/^# //'
