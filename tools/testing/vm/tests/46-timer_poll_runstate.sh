# SPDX-License-Identifier: GPL-2.0
# xen_evtchn.ko's timer VIRQ, SCHEDOP_poll and runstate, with bad input;
# and the Xen timer is a soft hrtimer: every hrtimer_start of the hook's
# timer function that the tests cause says so (mode ABS|SOFT).
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

ours_up

tr=/sys/kernel/tracing
[ -e $tr/trace ] || mount -t tracefs nodev $tr || fail "no tracefs"
echo > $tr/trace
echo 1 > $tr/events/timer/hrtimer_start/enable || fail "no hrtimer_start event"
run timer_poll_runstate_test
echo 0 > $tr/events/timer/hrtimer_start/enable
starts=$(grep -c 'function=xen_timer_trampoline' $tr/trace)
hard=$(grep 'function=xen_timer_trampoline' $tr/trace | grep -vc 'mode=ABS|SOFT')
echo "Xen timer starts: $starts, not soft: $hard"
[ "$starts" -gt 0 ] || fail "no start of the Xen timer traced"
[ "$hard" -eq 0 ] || fail "the Xen timer was started as a hard hrtimer"

ours_down
exit 0
