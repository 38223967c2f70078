# SPDX-License-Identifier: GPL-2.0
# The fuzzer's differential mode (xen_fuzz.c, -d): each seed on the stock
# KVM (upstream 6.12's Xen) and on ours in this boot, then the two logs
# compared op by op (xen_fuzz -C): the first difference is printed with
# both lines and its class; one that is not a known class fails the test.
# Without arguments (make check's suite), seeds 1-3 of 1000 operations
# each (about 30 s of VM time on an idle machine);
# `make fuzz DIFF=1` and the debug lane give seeds, operations and
# a time limit for each seed on each KVM on the kernel command line:
# xen_fuzz.diff_seeds=A-B xen_fuzz.diff_ops=N xen_fuzz.diff_limit=SECONDS,
# and xen_fuzz.diff_stock=1 to run it in a test lane too (which otherwise
# leaves out the stock KVM's Xen, and so this test); xen_fuzz.diff_keep=
# LIST makes only the operations of LIST (xen_fuzz -k), to shrink a
# difference; xen_fuzz.diff_dump=OP prints the bytes that differ after
# operation OP (xen_fuzz -D).
#
# The stock half runs between "vmtest: stock-known-splats begin/end"
# markers in the kernel log: there, and only there, run.sh takes upstream's
# known WARN (__kvm_gpc_refresh from kvm_xen_inject_pending_events or
# kvm_xen_inject_timer_irqs, an event raised before any vcpu_info) as the
# stock KVM's, reported and not failing the run.  Any other splat fails.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

arg() {
	sed -n "s/.*xen_fuzz\\.$1=\\([0-9-]*\\).*/\\1/p" /proc/cmdline
}
seeds=$(arg diff_seeds)
ops=$(arg diff_ops)
limit=$(arg diff_limit)
keep=$(sed -n 's/.*xen_fuzz\.diff_keep=\([0-9,-]*\).*/\1/p' /proc/cmdline)
dump=$(arg diff_dump)
seeds=${seeds:-1-3}
ops=${ops:-1000}
limit=${limit:-120}
first=${seeds%-*}
last=${seeds#*-}

# xen_fuzz.diff_shrink=SEED:OP,...: instead, shrink each such difference
# (a NOT KNOWN one at op OP of SEED) to the fewest operations that still
# make one (ddmin: drop chunks of the kept operations, halving them), and
# print those operations' lines on both KVMs.
shrink_list=$(sed -n 's/.*xen_fuzz\.diff_shrink=\([0-9:,]*\).*/\1/p' /proc/cmdline)

if ! stock_xen && [ "$(arg diff_stock)" != 1 ]; then
	echo "no stock KVM with Xen to compare with: nothing to do"
	exit 0
fi
prog=$(command -v xen_fuzz) || fail "no xen_fuzz"

# fuzz NAME: every seed on the KVM loaded now, each under the time limit;
# NAME.SEED.log gets its log, NAME.SEED.err its report.
fuzz() {
	fuzz_s=$first
	while [ "$fuzz_s" -le "$last" ]; do
		"$prog" -d -s "$fuzz_s" -n "$ops" ${keep:+-k "$keep"} ${dump:+-D "$dump"} \
			>"/tmp/$1.$fuzz_s.log" \
			2>"/tmp/$1.$fuzz_s.err" &
		fuzz_pid=$!
		fuzz_t=0
		while kill -0 $fuzz_pid 2>/dev/null; do
			if [ $fuzz_t -ge "$limit" ]; then
				echo t >/proc/sysrq-trigger
				kill -9 $fuzz_pid
				fail "xen_fuzz -s $fuzz_s on the $1 KVM still running after ${limit}s: stacks in the kernel log"
			fi
			sleep 1
			fuzz_t=$((fuzz_t + 1))
		done
		wait $fuzz_pid ||
			{ cat "/tmp/$1.$fuzz_s.err"; fail "xen_fuzz -s $fuzz_s on the $1 KVM exited with status $?"; }
		fuzz_s=$((fuzz_s + 1))
	done
}

# trial SEED OPS LIST: whether the operations of LIST (space-separated)
# still make a difference that is not known.
trial() {
	trial_k=$(echo "$3" | tr ' ' ',')
	kvm_up stock >/dev/null
	echo "vmtest: stock-known-splats begin" >/dev/kmsg
	"$prog" -d -s "$1" -n "$2" -k "$trial_k" >/tmp/ts.log 2>/dev/null
	echo "vmtest: stock-known-splats end" >/dev/kmsg
	kvm_down >/dev/null
	ours_up >/dev/null
	"$prog" -d -s "$1" -n "$2" -k "$trial_k" >/tmp/to.log 2>/dev/null
	"$prog" -C /tmp/ts.log /tmp/to.log >/tmp/tc.log
	trial_rc=$?
	ours_down >/dev/null
	[ $trial_rc = 1 ]
}

# shrink SEED OP
shrink() {
	shrink_ops=$((($2 + 1)))
	shrink_keep=$(seq 0 "$2" | tr '\n' ' ')
	trial "$1" $shrink_ops "$shrink_keep" ||
		{ echo "seed $1 op $2: no difference to shrink"; return; }
	shrink_n=$(echo "$shrink_keep" | wc -w)
	shrink_chunk=$((shrink_n / 2))
	while [ $shrink_chunk -ge 1 ]; do
		shrink_i=0 shrink_changed=0
		while [ $shrink_i -lt "$(echo "$shrink_keep" | wc -w)" ]; do
			# The candidate: the kept list less chunk i, op OP kept.
			shrink_cand=$(echo "$shrink_keep" | tr ' ' '\n' | grep . |
				awk -v a=$shrink_i -v n=$shrink_chunk -v last="$2" \
				'NR - 1 < a || NR - 1 >= a + n || $1 == last' | tr '\n' ' ')
			if [ "$(echo "$shrink_cand" | wc -w)" -lt "$(echo "$shrink_keep" | wc -w)" ] &&
			   trial "$1" $shrink_ops "$shrink_cand"; then
				shrink_keep=$shrink_cand shrink_changed=1
			else
				shrink_i=$((shrink_i + shrink_chunk))
			fi
		done
		[ $shrink_changed = 1 ] || shrink_chunk=$((shrink_chunk / 2))
	done
	trial "$1" $shrink_ops "$shrink_keep"
	echo "seed $1 op $2 shrinks to ops: $shrink_keep"
	echo "stock:"; sed 's/^/  /' /tmp/ts.log
	echo "ours:"; sed 's/^/  /' /tmp/to.log
	sed 's/^/  /' /tmp/tc.log
}

if [ -n "$shrink_list" ]; then
	for sp in $(echo "$shrink_list" | tr ',' ' '); do
		shrink "${sp%%:*}" "${sp#*:}"
	done
	exit 0
fi

kvm_up stock
echo "vmtest: stock-known-splats begin" >/dev/kmsg
fuzz stock
echo "vmtest: stock-known-splats end" >/dev/kmsg
kvm_down

# The comparison too runs with a KVM loaded: the KVM selftest library
# that xen_fuzz links wants one.
ours_up
fuzz ours
failed=0
s=$first
while [ "$s" -le "$last" ]; do
	echo "seed $s, $ops operations:"
	"$prog" -C "/tmp/stock.$s.log" "/tmp/ours.$s.log" || failed=1
	s=$((s + 1))
done
ours_down
# xen_fuzz.diff_dump=OP: the pages' bytes after op OP, where they differ.
if [ -n "$dump" ]; then
	for s in $(seq "$first" "$last"); do
		grep '^dump' "/tmp/stock.$s.log" >/tmp/ds
		grep '^dump' "/tmp/ours.$s.log" >/tmp/do
		echo "seed $s, op $dump: the lines of the pages that differ, stock then ours:"
		diff /tmp/ds /tmp/do | grep '^[<>]'
	done
fi

# What the seeds reached, summed: each hypercall in the kernel or at the
# VMM, on each KVM, and ours' xen_evtchn_stats.
for k in stock ours; do
	echo "hypercalls on the $k KVM, seeds $seeds:"
	cat /tmp/$k.*.err | awk '
	/^xen_fuzz: hypercall / {
		sub(/^xen_fuzz: hypercall /, "")
		name = $0; sub(/: [0-9]+ in the kernel.*/, "", name)
		n = split($0, w, " ")
		kern[name] += w[n - 7]; vmm[name] += w[n - 3]
		if (!(name in seen)) { seen[name] = 1; order[++nr] = name }
	}
	/^xen_fuzz: xen_evtchn_stats / { st[$3] += $4; if (!($3 in sseen)) { sseen[$3] = 1; sorder[++snr] = $3 } }
	END {
		for (i = 1; i <= nr; i++)
			printf "  %-30s %6d in the kernel, %6d to the VMM\n", order[i], kern[order[i]], vmm[order[i]]
		for (i = 1; i <= snr; i++)
			printf "  xen_evtchn_stats %-17s %6d\n", sorder[i], st[sorder[i]]
	}'
done
[ $failed = 0 ] || fail "a difference from the stock KVM that is not known"
exit 0
