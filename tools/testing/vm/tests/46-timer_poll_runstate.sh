# SPDX-License-Identifier: GPL-2.0
# xen_evtchn.ko's timer VIRQ, SCHEDOP_poll and runstate, with bad input.
. /lib/vmtest.sh

kvm_up rebuilt ours
load ours xen_evtchn
run timer_poll_runstate_test
unload xen_evtchn
kvm_down
exit 0
