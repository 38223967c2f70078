# SPDX-License-Identifier: GPL-2.0
# A restored guest sees every pending event, in every order of
# SHARED_INFO, VCPU_INFO and sender setup (route, IPI port, timer), in both
# ABIs; a vcpu_info whose selector straddles a cache line gets events.
. /lib/vmtest.sh

kvm_up rebuilt ours
load ours xen_evtchn
run restore_order_test
unload xen_evtchn
kvm_down
exit 0
