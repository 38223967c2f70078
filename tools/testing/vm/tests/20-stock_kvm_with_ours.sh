# SPDX-License-Identifier: GPL-2.0
# The stock Debian KVM modules, linked against our irqbypass.ko, run a
# guest; xen_evtchn.ko refuses to load against them (they lack the hook),
# cleanly; all of it unloads.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

kvm_up stock ours
insmod /modules/ours/xen_evtchn.ko 2>/dev/null && fail "xen_evtchn loaded on the stock KVM"
run kvm_smoke_test
kvm_down
exit 0
