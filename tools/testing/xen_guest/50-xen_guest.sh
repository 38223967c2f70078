# SPDX-License-Identifier: GPL-2.0
# A real VMM and a real guest: QEMU (>= 8, -accel kvm,xen-version=...)
# boots Debian's kernel as a 2-vCPU Xen HVM guest, first on the stock KVM
# (upstream's Xen support, the calibration), then on the rebuilt KVM with
# xen_evtchn.ko.  The guest checks that it sees Xen (HVM, callback
# vector, 2-level event channels, the xen clocksource) and that its timer
# VIRQs and reschedule IPIs count up on every vCPU under a short workload
# (tools/testing/xen_guest/guest-init), then powers off.  The limit is
# generous: under a lane's RT kernel with lockdep and KASAN a boot takes
# minutes.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

if stock_xen; then
	kvm_up stock
	xen-guest 400 || fail "the Xen guest failed on the stock KVM"
	kvm_down
fi

kvm_up rebuilt ours
load ours xen_evtchn
xen-guest 400 || fail "the Xen guest failed on the rebuilt KVM with xen_evtchn.ko"
unload xen_evtchn
kvm_down
exit 0
