# SPDX-License-Identifier: GPL-2.0
# The stock Debian KVM modules, linked against our irqbypass.ko, run a
# guest; xen_evtchn.ko refuses to load against them (they lack the hook),
# cleanly; all of it unloads.  Where the stock KVM's Xen is not tested
# (6.1 has none), the smoke test leaves out its Xen capability check.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

kvm_up stock ours
insmod /modules/ours/xen_evtchn.ko 2>/dev/null && fail "xen_evtchn loaded on the stock KVM"
if stock_xen; then
	run kvm_smoke_test
else
	run kvm_smoke_test -T xen_hvm_capability_reported
fi
kvm_down
exit 0
