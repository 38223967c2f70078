# SPDX-License-Identifier: GPL-2.0
# The kvm.ko (with the hook) and kvm-amd.ko rebuilt from the linux-source
# package load into the stock kernel on our irqbypass.ko, run a guest with
# xen_evtchn.ko attached, and all of it unloads.
. /lib/vmtest.sh

kvm_up rebuilt ours
load ours xen_evtchn
dmesg | grep -q 'xen_evtchn: registered with KVM' || fail "xen_evtchn did not register"
run kvm_smoke_test
unload xen_evtchn
kvm_down
exit 0
