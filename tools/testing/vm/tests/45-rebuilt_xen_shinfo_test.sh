# SPDX-License-Identifier: GPL-2.0
# Upstream's xen_shinfo_test, unmodified, against the rebuilt KVM with the
# hook and xen_evtchn.ko: every stage (runstate, steal time, event
# channels, timers, polling, the races).
. /lib/vmtest.sh

kvm_up rebuilt ours
load ours xen_evtchn
run xen_shinfo_test -v
unload xen_evtchn
kvm_down
exit 0
