#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the test VM and judge the run.
#
# usage: run.sh -k KREL -i INITRAMFS -o OUTDIR [-n NAME] [-T VM_SECONDS]
#               [-t TEST_SECONDS] [-c CPUS] [-a KERNEL_ARGS] [-K IMAGE]
#
# Boots IMAGE (default VM_ROOT/boot/vmlinuz-KREL, VM_ROOT from the
# environment: where tools/build/vm-kernel.sh extracted the kernel) under QEMU's TCG with an emulated AMD CPU that
# has SVM (so KVM runs inside it), CPUS vCPUs (default two), a q35 machine
# with an emulated AMD IOMMU (so that vfio-pci can take a device, and
# interrupt posting is on offer) and QEMU's "edu" PCI device (a device with
# MSI to give to vfio-pci), with KERNEL_ARGS added to the kernel command
# line (for the tests to read; and vmtest.stock_xen=0 when STOCK_XEN=0 is
# in the environment, as the Makefile exports it for 6.1: the stock KVM
# has no Xen).  With VM_ICOUNT=1 in the environment, QEMU runs in its
# instruction-count mode: the VM's clocks advance one nanosecond per
# instruction executed, so that its timings count instructions.  The kernel log goes to
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

: "${image:=${VM_ROOT:?}/boot/vmlinuz-$krel}"
mkdir -p "$out"
: >"$out/console.log"
: >"$out/tap.log"

# QEMU's monitor, on a pair of pipes, is asked only when the VM overruns:
# where each vCPU is then goes into the report (a hang with no splat, such
# as a vCPU stuck inside TCG, shows nothing else).
mon=$out/monitor
rm -f "$mon.in" "$mon.out" "$out/vcpus.log"
mkfifo "$mon.in" "$mon.out"
icount=()
[ "${VM_ICOUNT:-0}" = 0 ] || icount=(-icount "shift=0,sleep=off")
qemu-system-x86_64 \
	-accel tcg,thread=single "${icount[@]}" -cpu max -smp "$cpus" -m 2048 -machine q35 \
	-nodefaults -display none -no-reboot \
	-device amd-iommu,intremap=on -device edu \
	-kernel "$image" -initrd "$initrd" \
	-append "console=ttyS0 loglevel=7 panic=-1 vmtest.timeout=$test_timeout $args" \
	-serial "file:$out/console.log" -serial "file:$out/tap.log" \
	-monitor "pipe:$mon" >"$out/qemu.log" 2>&1 &
qemu_pid=$!

# After VM_SECONDS: record the vCPUs' registers, then stop QEMU.  The
# monitor's answer is waited for, not a fixed time: QEMU is stopped once
# the instruction pointer of every vCPU has come (RIP=, or EIP= for a vCPU
# not in long mode, such as one still parked in the firmware while the
# kernel boots), or when QEMU has exited, or after mon_seconds.  The FIFOs
# are opened read-write, which never blocks: if QEMU has not opened its
# ends yet, or its monitor is not up yet, the commands wait in the pipe
# until it reads them.
mon_seconds=60
watchdog() {
	local nap= line= part= ips=0 deadline
	trap 'kill $nap; exit 0' TERM
	sleep "$vm_timeout" &
	nap=$!
	wait $nap
	nap=
	: >"$out/vcpus.log"
	exec 3<>"$mon.out" 4<>"$mon.in"
	printf 'info cpus\ninfo registers -a\n' >&4
	deadline=$((SECONDS + mon_seconds))
	while [ $ips -lt "$cpus" ]; do
		# A line, or after a second what there is of one: kept, and
		# the rest comes with the next read.
		if IFS= read -r -t 1 part <&3; then
			line=$line$part
			printf '%s\n' "$line" >>"$out/vcpus.log"
			case $line in
			RIP=* | EIP=*) ips=$((ips + 1)) ;;
			esac
			line=
		else
			line=$line$part
			if ! kill -0 $qemu_pid || [ $SECONDS -ge $deadline ]; then
				echo "run.sh: QEMU's monitor gave $ips of $cpus vCPUs' registers" >>"$out/vcpus.log"
				break
			fi
		fi
	done
	kill $qemu_pid
	sleep 10 &
	nap=$!
	wait $nap
	kill -9 $qemu_pid
}
watchdog 2>/dev/null &
watchdog_pid=$!
wait $qemu_pid
qemu_rc=$?
kill $watchdog_pid 2>/dev/null
wait $watchdog_pid
rm -f "$mon.in" "$mon.out"

# Each vCPU's instruction pointer line from vcpus.log, with the kernel
# symbol a RIP falls in when the image's System.map is at hand, moved by
# the KASLR offset that the VM's /init logged (a RIP in a module, in a
# nested guest or in user space names no symbol of the map; an EIP, of a
# vCPU not in long mode, is in the firmware or the kernel's early boot).
where_vcpus() {
	local map line rip sym text base slide=0
	case $image in
	*/arch/x86/boot/bzImage) map=${image%/arch/x86/boot/bzImage}/System.map ;;
	*/vmlinuz-"$krel") map=${image%/vmlinuz-"$krel"}/System.map-$krel ;;
	esac
	[ -r "$map" ] || map=
	if [ -n "$map" ]; then
		text=$(sed -n 's/^\([0-9a-f]*\) T _text$/\1/p' "$map")
		base=$(tr -d '\r' <"$out/console.log" |
			sed -n 's/.*vmtest: kernel _text at \([0-9a-f]*\)$/\1/p')
		[ -z "$text" ] || [ -z "$base" ] || slide=$((0x$base - 0x$text))
	fi
	grep -E '^(CPU#|[RE]IP=|run\.sh: )' "$out/vcpus.log" | tr -d '\r' |
	while read -r line; do
		rip=$(sed -n 's/^RIP=\([0-9a-f]*\).*/\1/p' <<<"$line")
		sym=
		if [ -n "$rip" ] && [ -n "$map" ]; then
			rip=$(printf '%016x' $((0x$rip - slide)))
			sym=$( (cat "$map"; echo "$rip = RIP") | LC_ALL=C sort |
				grep -B1 ' = RIP$' | grep -v ' = RIP$' | cut -d' ' -f3)
		fi
		echo "$line${sym:+ ($sym)}"
	done
}

failed=0
grep -E '^(not )?ok |^#|^1\.\.' "$out/tap.log" | sed "s/^\\(\\(not \\)\\?ok\\) [0-9]* - /\\1 - $name: /"
grep -q '^not ok ' "$out/tap.log" && failed=1

if ! grep -q '^vmtest: all tests ran' "$out/tap.log"; then
	failed=1
	if [ -e "$out/vcpus.log" ]; then
		why="killed after ${vm_timeout}s"
	else
		why="QEMU exit status $qemu_rc"
	fi
	echo "not ok - $name: the VM ran all its tests # $why"
	sed 's/^/# qemu: /' "$out/qemu.log"
	tail -n 30 "$out/console.log" | sed 's/^/# console: /'
	[ ! -e "$out/vcpus.log" ] || where_vcpus | sed 's/^/# vcpus: /'
fi

# The stock KVM's one known WARN, upstream 6.12's bug (a pfn cache
# refreshed with no address: an event raised before any vcpu_info), is
# the stock KVM's, not ours: inside the "vmtest: stock-known-splats"
# markers, which only a test's stock half sets, a WARN report from
# cut-here to end-trace that is exactly that one (WARNING at
# virt/kvm/pfncache.c in __kvm_gpc_refresh, from
# kvm_xen_inject_pending_events or kvm_xen_inject_timer_irqs, and no
# other report in it) is reported and left out of the judged log.
# Anything else there, or that WARN anywhere else, still fails the run.
known_stock_splats() {
	awk -v known="$out/stock-known-splats.log" '
	/vmtest: stock-known-splats begin/ { stock = 1 }
	/vmtest: stock-known-splats end/ { stock = 0 }
	stock && !inwarn && /------------\[ cut here \]------------/ {
		inwarn = 1; n = 0; ok = 1; seen = 0; from = 0; warn = ""
	}
	inwarn {
		block[++n] = $0
		if ($0 ~ /WARNING: CPU: [0-9]+ PID: [0-9]+ at [^ ]*virt\/kvm\/pfncache\.c:[0-9]+ __kvm_gpc_refresh\+/)
			{ seen++; warn = $0 }
		else if ($0 ~ /WARNING:|BUG:|Oops|KASAN|UBSAN|general protection|Kernel panic|possible (circular|recursive) locking/)
			ok = 0
		if ($0 ~ /\] +kvm_xen_inject_(pending_events|timer_irqs)\+/ && !from)
			from = $0
		if ($0 ~ /---\[ end trace [0-9a-f]+ \]---/) {
			inwarn = 0
			if (ok && seen == 1 && from) {
				print warn > known
				print "  from" from > known
			} else {
				for (i = 1; i <= n; i++)
					print block[i]
			}
		}
		next
	}
	{ print }
	END { for (i = 1; inwarn && i <= n; i++) print block[i] }
	' "$out/console.log"
}
rm -f "$out/stock-known-splats.log"
known_stock_splats >"$out/console.judged"
if [ -s "$out/stock-known-splats.log" ]; then
	echo "# the stock KVM's known WARN (upstream's bug, not ours):"
	sed 's/^/#   /' "$out/stock-known-splats.log"
fi

# A splat anywhere else in the kernel log fails the run, whatever the
# tests said.
splat='(------------\[ cut here \]|WARNING:|BUG:|Oops|general protection fault|KASAN|UBSAN|Kernel panic|possible circular locking|possible recursive locking|INFO: trying to register non-static key|Call Trace:|unreferenced object)'
if grep -Eq "$splat" "$out/console.judged"; then
	failed=1
	echo "not ok - $name: kernel log free of splats"
	grep -E -B3 -A25 "$splat" "$out/console.judged" | head -n 80 | sed 's/^/# console: /'
	grep -E 'vmtest: (begin|end)' "$out/console.log" | sed 's/^/# console: /'
else
	echo "ok - $name: kernel log free of splats"
fi

exit $failed
