# SPDX-License-Identifier: GPL-2.0
# make bench, in the VM: xen_bench on the stock KVM (upstream's in-kernel
# Xen) and on ours, alternately, ROUNDS times (vmtest.bench_rounds=, 5 by
# default), then one more round on ours with the tracepoints on; prints
# every result as a "bench-raw: KVM PATH VALUE UNIT" line (KVM: stock,
# ours or traced).  tools/testing/bench.sh boots this BENCH_BOOTS times
# and makes the table of all of them.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

rounds=$(sed -n 's/.*vmtest\.bench_rounds=\([0-9]*\).*/\1/p' /proc/cmdline)
: "${rounds:=5}"
: >/tmp/bench.all
r=0
while [ $r -lt "$rounds" ]; do
	r=$((r + 1))
	kvm_up stock
	run_to /tmp/b.out xen_bench
	kvm_down
	sed -n "s/^bench: /stock /p" /tmp/b.out >>/tmp/bench.all
	ours_up
	run_to /tmp/b.out xen_bench
	ours_down
	sed -n "s/^bench: /ours /p" /tmp/b.out >>/tmp/bench.all
done

# One more round on ours with every xen_evtchn tracepoint enabled: what
# they cost when on (off, they are in every round above).
tr=/sys/kernel/tracing
[ -e $tr/trace ] || mount -t tracefs nodev $tr || fail "no tracefs"
ours_up
echo 1 >$tr/events/xen_evtchn/enable
run_to /tmp/b.out xen_bench
echo 0 >$tr/events/xen_evtchn/enable
[ "$(grep -c xen_evtchn_deliver $tr/trace)" -gt 0 ] || fail "no events traced"
: >$tr/trace
ours_down
sed -n "s/^bench: /traced /p" /tmp/b.out >/tmp/bench.traced

# Every result, "KVM PATH VALUE UNIT", for the table that bench.sh makes
# of all boots (tools/testing/bench-table.awk).
sed 's/^/bench-raw: /' /tmp/bench.all /tmp/bench.traced
