# SPDX-License-Identifier: GPL-2.0
# The fuzzer (xen_fuzz.c) on the rebuilt KVM with xen_evtchn.ko: in the
# VM suite a fixed slice (seed 1, 3000 operations); for `make fuzz`, the
# seed, the number of operations and a time limit from the kernel command
# line: xen_fuzz.seed=S xen_fuzz.ops=N xen_fuzz.limit=SECONDS.  Any unexpected errno fails it here; any splat
# fails the run.  A fuzzer still running at its limit has every task's
# stack dumped to the kernel log (sysrq t), then is killed: a hang shows
# where it is.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

arg() {
	sed -n "s/.*xen_fuzz\\.$1=\\([0-9]*\\).*/\\1/p" /proc/cmdline
}
seed=$(arg seed)
ops=$(arg ops)
limit=$(arg limit)

ours_up
prog=$(command -v xen_fuzz) || fail "no xen_fuzz"
"$prog" -s "${seed:-1}" -n "${ops:-3000}" &
pid=$!
t=0
while kill -0 $pid 2>/dev/null; do
	if [ $t -ge "${limit:-300}" ]; then
		echo t >/proc/sysrq-trigger
		kill -9 $pid
		fail "xen_fuzz still running after ${limit:-300}s: stacks in the kernel log"
	fi
	sleep 1
	t=$((t + 1))
done
wait $pid || fail "xen_fuzz exited with status $?"
ours_down
exit 0
