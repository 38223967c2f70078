#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One test script in a test VM of its own, on the rebuilt KVM with our
# modules: builds them and the selftests, packs the test with one of the
# selftest programs, boots, and prints run.sh's TAP (its exit status too).
# Needs KREL, BUILD, OBJ, MOD_OBJ, KVM_OBJ, VM_PRELOAD (exported by the
# Makefile).  EXTRA_PROGRAMS, if set, names more programs (absolute paths,
# space-separated) to put in the VM's /tests/bin.
#
# usage: one-test.sh NAME TEST.sh PROGRAM TEST_SECONDS VM_SECONDS ARGS [TESTMOD]...
#   PROGRAM  a program of the project's selftests, by its path in their
#            build directory (xen_evtchn/xen_fuzz, irqbypass/...)
#   ARGS     kernel command line arguments for the test
#   TESTMOD  a test-only module the test loads (test_irq_posting, ...)
set -euo pipefail

name=$1 test=$2 prog=$3 test_limit=$4 vm_limit=$5 args=$6
shift 6
top=$(cd "$(dirname "$0")/../../.." && pwd)
vm=$top/tools/testing/vm
cd "$top"
make -s --no-print-directory modules
make -s --no-print-directory kvm selftests
[ $# -eq 0 ] || make -s --no-print-directory test-modules
testmods=()
for m in "$@"; do
	testmods+=(-m "test:$TEST_MOD_OBJ/$m.ko")
done
for p in ${EXTRA_PROGRAMS:-}; do
	testmods+=(-b "$p")
done
out=$OBJ/$name
mkdir -p "$out"
"$vm/mkinitramfs.sh" -k "$KREL" -o "$out/initrd.cpio.gz" \
	-m ours:"$MOD_OBJ/irqbypass/irqbypass.ko" \
	-m ours:"$MOD_OBJ/xen_evtchn/xen_evtchn.ko" ${VM_PRELOAD:+-p "$VM_PRELOAD"} \
	-m rebuilt:"$KVM_OBJ/kvm.ko" -m rebuilt:"$KVM_OBJ/kvm-amd.ko" \
	"${testmods[@]}" -b "$BUILD/selftests/$prog" -t "$test"
exec "$vm/run.sh" -k "$KREL" -i "$out/initrd.cpio.gz" -o "$out" -n "$name" \
	-t "$test_limit" -T "$vm_limit" -a "$args"
