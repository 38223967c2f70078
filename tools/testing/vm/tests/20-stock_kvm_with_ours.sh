# SPDX-License-Identifier: GPL-2.0
# The stock Debian KVM modules, linked against our irqbypass.ko, run a
# guest with xen_evtchn.ko loaded next to them, and all of it unloads.
. /lib/vmtest.sh

kvm_up stock ours
load ours xen_evtchn
run kvm_smoke_test
unload xen_evtchn
kvm_down
exit 0
