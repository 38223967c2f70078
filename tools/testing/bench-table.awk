# SPDX-License-Identifier: GPL-2.0
#
# make bench's table (tools/testing/bench.sh), from the xen_bench results
# of every boot: input lines "KVM PATH VALUE UNIT BOOT", KVM being stock,
# ours or traced (ours with the tracepoints on, one round per boot).
# Per path: the median, min and max over all rounds of all boots on each
# KVM, the ratio of the medians (ours over stock), and the lowest and
# highest ratio of one boot's medians.  Then, per scale series (the paths
# NAME_N for several N), its largest N's median over its smallest N's on
# each KVM, with a warning (not a failure) above 1.5; then the traced
# rounds against ours' median.  Exits 1 if a path lacks rounds*boots
# results on either KVM.
#
# usage: awk -v rounds=R -v boots=B -f bench-table.awk RESULTS

function sorted_median(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return a[int((n + 1) / 2)]
}

# The median of KVM's results for PATH, in BOOT (0: all boots); also sets
# lo and hi to their min and max.
function median(kvm, path, boot,   i, n, a) {
	n = 0
	for (i = 1; i <= cnt[kvm, path]; i++)
		if (!boot || vboot[kvm, path, i] == boot)
			a[++n] = val[kvm, path, i]
	if (!n)
		return 0
	m = sorted_median(a, n)
	lo = a[1]; hi = a[n]
	return m
}

{
	cnt[$1, $2]++
	val[$1, $2, cnt[$1, $2]] = $3
	vboot[$1, $2, cnt[$1, $2]] = $5
	unit[$2] = $4
	if ($1 != "traced" && !($2 in seen)) { seen[$2] = 1; order[++paths] = $2 }
}

END {
	printf "bench: %-20s %-6s %26s %26s %6s %11s\n",
	       "path (" boots "x" rounds ")", "unit", "stock: median min max",
	       "ours: median min max", "ratio", "boots"
	for (i = 1; i <= paths; i++) {
		p = order[i]
		if (cnt["stock", p] != rounds * boots ||
		    cnt["ours", p] != rounds * boots) {
			print "bench: missing rounds for " p
			bad = 1
			continue
		}
		s = median("stock", p, 0); slo = lo; shi = hi
		o = median("ours", p, 0); olo = lo; ohi = hi
		med[p] = o
		rlo = rhi = 0
		for (b = 1; b <= boots; b++) {
			r = median("ours", p, b) / median("stock", p, b)
			if (!rlo || r < rlo) rlo = r
			if (r > rhi) rhi = r
		}
		printf "bench: %-20s %-6s %8d %8d %8d %8d %8d %8d %6.2f %5.2f-%4.2f\n",
		       p, unit[p], s, slo, shi, o, olo, ohi, o / s, rlo, rhi
		sm[p] = s
		if (match(p, /_[0-9]+$/)) {
			series = substr(p, 1, RSTART - 1)
			n = substr(p, RSTART + 1) + 0
			if (!(series in first) || n < nfirst[series]) {
				first[series] = p; nfirst[series] = n
			}
			if (!(series in last) || n > nlast[series]) {
				last[series] = p; nlast[series] = n
			}
		}
	}
	for (series in first) {
		if (first[series] == last[series] || bad)
			continue
		s = sm[last[series]] / sm[first[series]]
		o = med[last[series]] / med[first[series]]
		printf "bench: scale %s: %s over %s: stock %.2f, ours %.2f\n",
		       series, last[series], first[series], s, o
		if (s > 1.5)
			printf "bench: scale warning: stock %s grows %.2f times\n",
			       series, s
		if (o > 1.5)
			printf "bench: scale warning: ours %s grows %.2f times\n",
			       series, o
	}
	for (i = 1; i <= paths && !bad; i++) {
		p = order[i]
		t = median("traced", p, 0)
		printf "bench: traced %-20s ours %9d, tracepoints on %9d: %.2f\n",
		       p, med[p], t, t / med[p]
	}
	exit bad
}
