#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make run`: build the modules and the rebuilt KVM, boot the VM, and show
# xen_evtchn.ko loaded next to KVM (lsmod and kernel log), then unload.
# Needs KREL, VM_KDIR, BUILD (exported by the Makefile).
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
vm=$top/tools/testing/vm
cd "$top"
make -s --no-print-directory modules KDIR="$VM_KDIR"
make -s --no-print-directory kvm
kvm=$BUILD/kvm/arch/x86/kvm
mkdir -p "$BUILD/run"
# shellcheck disable=SC2046 # option lists, split on purpose
"$vm/mkinitramfs.sh" -k "$KREL" -o "$BUILD/run/run.cpio.gz" \
	-m ours:irqbypass/irqbypass.ko -m ours:xen_evtchn/xen_evtchn.ko \
	-m rebuilt:"$kvm/kvm.ko" -m rebuilt:"$kvm/kvm-amd.ko" \
	$(for t in "$vm"/demo/*.sh; do echo "-t $t"; done)
"$vm/run.sh" -k "$KREL" -i "$BUILD/run/run.cpio.gz" -o "$BUILD/run" -n run \
	-T 300 | sed 's/^# //'
