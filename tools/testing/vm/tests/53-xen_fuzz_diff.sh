# SPDX-License-Identifier: GPL-2.0
# The fuzzer's differential mode (xen_fuzz.c, -d): each seed on the stock
# KVM (upstream 6.12's Xen) and on ours in this boot, then the two logs
# compared op by op (xen_fuzz -C): the first difference is printed with
# both lines and its class; one that is not a known class fails the test.
# In the VM suite a short slice (seeds 1-3, 1000 operations each, about
# 70 s); `make fuzz DIFF=1` and the debug lane give seeds, operations and
# a time limit for each seed on each KVM on the kernel command line:
# xen_fuzz.diff_seeds=A-B xen_fuzz.diff_ops=N xen_fuzz.diff_limit=SECONDS,
# and xen_fuzz.diff_stock=1 to run it in a test lane too (which otherwise
# leaves out the stock KVM's Xen, and so this test).
#
# The stock half runs between "vmtest: stock-known-splats begin/end"
# markers in the kernel log: there, and only there, run.sh takes upstream's
# known WARN (__kvm_gpc_refresh from kvm_xen_inject_pending_events or
# kvm_xen_inject_timer_irqs, an event raised before any vcpu_info) as the
# stock KVM's, reported and not failing the run.  Any other splat fails.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

arg() {
	sed -n "s/.*xen_fuzz\\.$1=\\([0-9-]*\\).*/\\1/p" /proc/cmdline
}
seeds=$(arg diff_seeds)
ops=$(arg diff_ops)
limit=$(arg diff_limit)
seeds=${seeds:-1-3}
ops=${ops:-1000}
limit=${limit:-120}
first=${seeds%-*}
last=${seeds#*-}

if ! stock_xen && [ "$(arg diff_stock)" != 1 ]; then
	echo "no stock KVM with Xen to compare with: nothing to do"
	exit 0
fi
prog=$(command -v xen_fuzz) || fail "no xen_fuzz"

# fuzz NAME: every seed on the KVM loaded now, each under the time limit;
# NAME.SEED.log gets its log, NAME.SEED.err its report.
fuzz() {
	fuzz_s=$first
	while [ "$fuzz_s" -le "$last" ]; do
		"$prog" -d -s "$fuzz_s" -n "$ops" >"/tmp/$1.$fuzz_s.log" \
			2>"/tmp/$1.$fuzz_s.err" &
		fuzz_pid=$!
		fuzz_t=0
		while kill -0 $fuzz_pid 2>/dev/null; do
			if [ $fuzz_t -ge "$limit" ]; then
				echo t >/proc/sysrq-trigger
				kill -9 $fuzz_pid
				fail "xen_fuzz -s $fuzz_s on the $1 KVM still running after ${limit}s: stacks in the kernel log"
			fi
			sleep 1
			fuzz_t=$((fuzz_t + 1))
		done
		wait $fuzz_pid ||
			{ cat "/tmp/$1.$fuzz_s.err"; fail "xen_fuzz -s $fuzz_s on the $1 KVM exited with status $?"; }
		fuzz_s=$((fuzz_s + 1))
	done
}

kvm_up stock
echo "vmtest: stock-known-splats begin" >/dev/kmsg
fuzz stock
echo "vmtest: stock-known-splats end" >/dev/kmsg
kvm_down

# The comparison too runs with a KVM loaded: the KVM selftest library
# that xen_fuzz links wants one.
ours_up
fuzz ours
failed=0
s=$first
while [ "$s" -le "$last" ]; do
	echo "seed $s, $ops operations:"
	"$prog" -C "/tmp/stock.$s.log" "/tmp/ours.$s.log" || failed=1
	s=$((s + 1))
done
ours_down
echo "ours, seed $last:"
sed 's/^xen_fuzz: /  /' "/tmp/ours.$last.err"
[ $failed = 0 ] || fail "a difference from the stock KVM that is not known"
exit 0
