# SPDX-License-Identifier: GPL-2.0
# Upstream's xen_vmcall_test, unmodified, against the rebuilt KVM with the
# hook and xen_evtchn.ko.
. /lib/vmtest.sh

kvm_up rebuilt ours
load ours xen_evtchn
run xen_vmcall_test
unload xen_evtchn
kvm_down
exit 0
