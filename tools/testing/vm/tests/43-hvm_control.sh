# SPDX-License-Identifier: GPL-2.0
# xen_evtchn.ko's control plane: configuration, attributes and their bad
# input, the wallclock, the hypercall page and hypercalls.
. /lib/vmtest.sh

kvm_up rebuilt ours
load ours xen_evtchn
run hvm_control_test
unload xen_evtchn
kvm_down
exit 0
