# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Boot the Xen guest again and again, alternating the stock KVM and ours
# (stock first in odd rounds, ours first in even ones), and count the
# failures of each.  Run by `make guest-boots` in a test VM of its own;
# the kernel command line gives xen_guest.boots=N (rounds, default 20) and
# xen_guest.timer_check=1 (keep the guest's PIT check, see xen-guest).
# QEMU and all its threads run on CPU 0, so that the guest's vCPUs and
# QEMU's timer share one CPU; in a test VM with two, the second is left to
# the kernel's lockup and RCU stall detectors, which report a CPU 0 that
# stops taking interrupts.
# Each result also goes to the kernel log, so that a VM that hangs still
# shows the boots before.  Fails if any boot failed.
. /lib/vmtest.sh

arg() {
	sed -n "s/.*xen_guest\\.$1=\\([0-9]*\\).*/\\1/p" /proc/cmdline
}
rounds=$(arg boots)
rounds=${rounds:-20}
XEN_GUEST_TIMER_CHECK=$(arg timer_check)
export XEN_GUEST_TIMER_CHECK
failed_stock=0 failed_ours=0

# boot STACK ROUND: load STACK's KVM, boot the guest once, unload.
boot() {
	if [ "$1" = stock ]; then
		kvm_up stock >/dev/null
	else
		kvm_up rebuilt ours >/dev/null
		load ours xen_evtchn >/dev/null
	fi
	taskset -c 0 xen-guest 180 >/tmp/boot.log 2>&1 ||
		eval "failed_$1=\$((failed_$1 + 1))"
	echo "round $2, $1: $(tail -n 1 /tmp/boot.log)" | tee /dev/kmsg
	loaded xen_evtchn && unload xen_evtchn >/dev/null
	kvm_down >/dev/null
}

r=1
while [ $r -le "$rounds" ]; do
	if [ $((r % 2)) = 1 ]; then
		boot stock $r
		boot ours $r
	else
		boot ours $r
		boot stock $r
	fi
	r=$((r + 1))
done
echo "stock: $failed_stock of $rounds boots failed"
echo "ours: $failed_ours of $rounds boots failed"
[ $failed_stock = 0 ] && [ $failed_ours = 0 ]
