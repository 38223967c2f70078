# SPDX-License-Identifier: GPL-2.0
# xen_evtchn.ko's 2-level event channel delivery, routes, port table and
# EVTCHNOP_send, in both guest ABIs.
. /lib/vmtest.sh

kvm_up rebuilt ours
load ours xen_evtchn
run evtchn_test
unload xen_evtchn
kvm_down
exit 0
