# SPDX-License-Identifier: GPL-2.0
# make bench, in the VM: xen_bench on the stock KVM (upstream's in-kernel
# Xen) and on ours, alternately, ROUNDS times (vmtest.bench_rounds=, 5 by
# default), then per path the median, min and max on each and the ratio
# of the medians, ours over stock.  For each scale series (the paths
# NAME_N for several N) a line with its largest N's median over its
# smallest N's on each KVM, and a warning (not a failure) where that is
# above 1.5.
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
sed -n "s/^bench: /traced /p" /tmp/b.out >>/tmp/bench.traced

# "KVM PATH VALUE UNIT" lines to one row per path.
sort -k2,2 -k1,1 -k3,3n /tmp/bench.all | awk -v rounds="$rounds" '
function median(kvm, path) {
	return val[kvm, path, int((cnt[kvm, path] + 1) / 2)]
}
function stats(kvm, path,   n) {
	n = cnt[kvm, path]
	return sprintf("%9d %9d %9d", median(kvm, path), val[kvm, path, 1],
		       val[kvm, path, n])
}
{
	cnt[$1, $2]++
	val[$1, $2, cnt[$1, $2]] = $3
	unit[$2] = $4
	if (!($2 in seen)) { seen[$2] = 1; order[++paths] = $2 }
}
END {
	printf "bench: %-20s %-6s %29s %29s %6s\n", "path (" rounds " rounds)", "unit",
	       "stock: median min max", "ours: median min max", "ratio"
	for (i = 1; i <= paths; i++) {
		p = order[i]
		if (cnt["stock", p] != rounds || cnt["ours", p] != rounds) {
			print "bench: missing rounds for " p
			bad = 1
			continue
		}
		s = val["stock", p, int((rounds + 1) / 2)]
		o = val["ours", p, int((rounds + 1) / 2)]
		printf "bench: %-20s %-6s %29s %29s %6.2f\n", p, unit[p],
		       stats("stock", p), stats("ours", p), o / s
		if (match(p, /_[0-9]+$/)) {
			series = substr(p, 1, RSTART - 1)
			n = substr(p, RSTART + 1) + 0
			if (!(series in lo) || n < lo[series])
				lo[series] = n
			if (!(series in hi) || n > hi[series])
				hi[series] = n
		}
	}
	for (series in lo) {
		if (lo[series] == hi[series])
			continue
		first = series "_" lo[series]
		last = series "_" hi[series]
		s = median("stock", last) / median("stock", first)
		o = median("ours", last) / median("ours", first)
		printf "bench: scale %s: %s over %s: stock %.2f, ours %.2f\n",
		       series, last, first, s, o
		if (s > 1.5)
			printf "bench: scale warning: stock %s grows %.2f times\n",
			       series, s
		if (o > 1.5)
			printf "bench: scale warning: ours %s grows %.2f times\n",
			       series, o
	}
	exit bad
}' || fail "incomplete results"

# The traced round against ours' median, per path.
sort -k2,2 -k1,1 -k3,3n /tmp/bench.all /tmp/bench.traced | awk '
$1 != "stock" { cnt[$1, $2]++; val[$1, $2, cnt[$1, $2]] = $3 }
$1 == "traced" { order[++n] = $2 }
END {
	for (i = 1; i <= n; i++) {
		p = order[i]
		o = val["ours", p, int((cnt["ours", p] + 1) / 2)]
		printf "bench: traced %-20s ours %9d, tracepoints on %9d: %.2f\n",
		       p, o, val["traced", p, 1], val["traced", p, 1] / o
	}
}'
exit 0
