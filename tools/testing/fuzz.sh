#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make fuzz [SEED=S] [OPS=N]`: the fuzzer (xen_fuzz.c) alone, in a test
# VM of its own, on the rebuilt KVM with xen_evtchn.ko.  The same seed
# replays the same operations.  Prints TAP; exits non-zero when the fuzzer
# failed or the kernel log shows a splat.  Needs KREL, VM_KDIR, BUILD
# (exported by the Makefile).
#
# usage: fuzz.sh SEED OPS
set -euo pipefail

seed=$1 ops=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
vm=$top/tools/testing/vm
cd "$top"
make -s --no-print-directory modules KDIR="$VM_KDIR"
make -s --no-print-directory kvm selftests
kvm=$BUILD/kvm/arch/x86/kvm
out=$BUILD/fuzz
mkdir -p "$out"
"$vm/mkinitramfs.sh" -k "$KREL" -o "$out/initrd.cpio.gz" \
	-m ours:irqbypass/irqbypass.ko -m ours:xen_evtchn/xen_evtchn.ko \
	-m rebuilt:"$kvm/kvm.ko" -m rebuilt:"$kvm/kvm-amd.ko" \
	-b "$BUILD/selftests/xen_evtchn/xen_fuzz" -t "$vm/tests/51-xen_fuzz.sh"
"$vm/run.sh" -k "$KREL" -i "$out/initrd.cpio.gz" -o "$out" -n fuzz \
	-t 3000 -T 3200 -a "xen_fuzz.seed=$seed xen_fuzz.ops=$ops xen_fuzz.limit=2900"
