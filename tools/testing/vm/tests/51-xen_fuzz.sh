# SPDX-License-Identifier: GPL-2.0
# The fuzzer (xen_fuzz.c) on the rebuilt KVM with xen_evtchn.ko: in the
# VM suite a fixed slice (seed 1, 3000 operations); for `make fuzz` and
# the debug lane, the seed, the number of operations, a time limit and a
# time budget from the kernel command line: xen_fuzz.seed=S
# xen_fuzz.ops=N xen_fuzz.limit=SECONDS xen_fuzz.budget=SECONDS (the
# fuzzer stops after the budget, having made fewer operations of the same
# seed: a slower machine makes a shorter run, not a failed one).  Any
# unexpected errno fails it here; any splat fails the run.  A fuzzer still
# running at its limit (elapsed time) has every task's stack dumped to the
# kernel log (sysrq t), then is killed: a hang shows where it is.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

arg() {
	sed -n "s/.*xen_fuzz\\.$1=\\([0-9]*\\).*/\\1/p" /proc/cmdline
}
seed=$(arg seed)
ops=$(arg ops)
limit=$(arg limit)
budget=$(arg budget)

ours_up
prog=$(command -v xen_fuzz) || fail "no xen_fuzz"
"$prog" -s "${seed:-1}" -n "${ops:-3000}" ${budget:+-t "$budget"} &
pid=$!
start=$(date +%s)
while kill -0 $pid 2>/dev/null; do
	if [ $(($(date +%s) - start)) -ge "${limit:-300}" ]; then
		echo t >/proc/sysrq-trigger
		kill -9 $pid
		fail "xen_fuzz still running after ${limit:-300}s: stacks in the kernel log"
	fi
	sleep 1
done
wait $pid || fail "xen_fuzz exited with status $?"
ours_down
exit 0
