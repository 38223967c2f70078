# SPDX-License-Identifier: GPL-2.0
# Our two modules load and unload on their own, and say so in the log.
. /lib/vmtest.sh

load ours irqbypass
load ours xen_evtchn
loaded irqbypass || fail "irqbypass is not live"
loaded xen_evtchn || fail "xen_evtchn is not live"
dmesg | grep -q 'xen_evtchn: loaded' || fail "xen_evtchn did not log its load"
unload xen_evtchn irqbypass
loaded xen_evtchn && fail "xen_evtchn is still loaded"
loaded irqbypass && fail "irqbypass is still loaded"
exit 0
