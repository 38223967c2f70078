#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the test VM and judge the run.
#
# usage: run.sh -k KREL -i INITRAMFS -o OUTDIR [-n NAME] [-T VM_SECONDS]
#               [-t TEST_SECONDS] [-c CPUS] [-a KERNEL_ARGS] [-K IMAGE]
#
# Boots IMAGE (default /boot/vmlinuz-KREL) under QEMU's TCG with an emulated AMD CPU that
# has SVM (so KVM runs inside it), CPUS vCPUs (default two), a q35 machine
# with an emulated AMD IOMMU (so that vfio-pci can take a device, and
# interrupt posting is on offer) and QEMU's "edu" PCI device (a device with
# MSI to give to vfio-pci), with KERNEL_ARGS added to the kernel command
# line (for the tests to read; and vmtest.stock_xen=0 when STOCK_XEN=0 is
# in the environment, as the Makefile exports it for 6.1: the stock KVM
# has no Xen).  The kernel log goes to
# OUTDIR/console.log, the tests' TAP to OUTDIR/tap.log.  Prints the tests'
# TAP lines, then one more result: whether the kernel log is free of
# splats.  Exits non-zero when a test failed or was skipped, when the VM did
# not finish all tests in VM_SECONDS (default 600), or when the kernel log
# shows a WARN, BUG, Oops, KASAN, UBSAN, lockdep or kmemleak report.
set -uo pipefail

krel= initrd= out= name=vm vm_timeout=600 test_timeout=300 cpus=2 args= image=
while getopts k:i:o:n:T:t:c:a:K: opt; do
	case $opt in
	k) krel=$OPTARG ;;
	i) initrd=$OPTARG ;;
	o) out=$OPTARG ;;
	n) name=$OPTARG ;;
	T) vm_timeout=$OPTARG ;;
	t) test_timeout=$OPTARG ;;
	c) cpus=$OPTARG ;;
	a) args=$OPTARG ;;
	K) image=$OPTARG ;;
	*) exit 2 ;;
	esac
done
[ -n "$krel" ] && [ -n "$initrd" ] && [ -n "$out" ] ||
	{ echo "usage: see $0" >&2; exit 2; }
[ "${STOCK_XEN:-1}" = 1 ] || args="$args vmtest.stock_xen=0"

: "${image:=/boot/vmlinuz-$krel}"
mkdir -p "$out"
: >"$out/console.log"
: >"$out/tap.log"

timeout -k 10 "$vm_timeout" qemu-system-x86_64 \
	-accel tcg,thread=single -cpu max -smp "$cpus" -m 2048 -machine q35 \
	-nodefaults -display none -no-reboot \
	-device amd-iommu,intremap=on -device edu \
	-kernel "$image" -initrd "$initrd" \
	-append "console=ttyS0 loglevel=7 panic=-1 vmtest.timeout=$test_timeout $args" \
	-serial "file:$out/console.log" -serial "file:$out/tap.log" \
	>"$out/qemu.log" 2>&1
qemu_rc=$?

failed=0
grep -E '^(not )?ok |^#|^1\.\.' "$out/tap.log" | sed "s/^\\(\\(not \\)\\?ok\\) [0-9]* - /\\1 - $name: /"
grep -q '^not ok ' "$out/tap.log" && failed=1

if ! grep -q '^vmtest: all tests ran' "$out/tap.log"; then
	failed=1
	if [ $qemu_rc -eq 124 ] || [ $qemu_rc -eq 137 ]; then
		why="killed after ${vm_timeout}s"
	else
		why="QEMU exit status $qemu_rc"
	fi
	echo "not ok - $name: the VM ran all its tests # $why"
	sed 's/^/# qemu: /' "$out/qemu.log"
	tail -n 30 "$out/console.log" | sed 's/^/# console: /'
fi

# A splat anywhere in the kernel log fails the run, whatever the tests said.
splat='(------------\[ cut here \]|WARNING:|BUG:|Oops|general protection fault|KASAN|UBSAN|Kernel panic|possible circular locking|possible recursive locking|INFO: trying to register non-static key|Call Trace:|unreferenced object)'
if grep -Eq "$splat" "$out/console.log"; then
	failed=1
	echo "not ok - $name: kernel log free of splats"
	grep -E -B3 -A25 "$splat" "$out/console.log" | head -n 80 | sed 's/^/# console: /'
	grep -E 'vmtest: (begin|end)' "$out/console.log" | sed 's/^/# console: /'
else
	echo "ok - $name: kernel log free of splats"
fi

exit $failed
