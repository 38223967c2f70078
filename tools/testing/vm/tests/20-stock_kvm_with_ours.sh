# SPDX-License-Identifier: GPL-2.0
# The stock Debian KVM modules run a guest with xen_evtchn.ko loaded next
# to them, and everything unloads cleanly.
. /lib/vmtest.sh

kvm_up stock
load ours xen_evtchn
run kvm_smoke_test
unload xen_evtchn
kvm_down
exit 0
