# SPDX-License-Identifier: GPL-2.0
# Register then unregister n pairs, n = 1000, 10000, 50000, with the stock
# irqbypass.ko and with ours, in this one boot; print both and the ratio.
# Ours must grow linearly: its cost per pair at the most pairs may be at
# most 3 times its cost per pair at 1000.  In a test lane, n = 1000, 2000,
# 5000: under its checkers the stock module's quadratic 50000 took over
# ten minutes of the lane's time limit.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

pairs=1000,10000,50000
if in_lane; then
	pairs=1000,2000,5000
fi

bench() {
	load "$1" irqbypass
	dmesg -c >/dev/null
	insmod /modules/test/bench_irqbypass.ko pairs=$pairs ||
		fail "bench_irqbypass on $1"
	dmesg | sed -n 's/.*bench_irqbypass: pairs \([0-9]*\) .* total_us \([0-9]*\).*/\1 \2/p' >"/tmp/bench.$1"
	cat "/tmp/bench.$1" | sed "s/^/$1: pairs, total us: /"
	unload bench_irqbypass irqbypass
	[ "$(wc -l <"/tmp/bench.$1")" -eq 3 ] || fail "no timings from $1"
}

bench stock
bench ours

echo "pairs   stock_us    ours_us  ours/stock"
paste /tmp/bench.stock /tmp/bench.ours | while read -r n s _ o; do
	printf '%-7s %9s %10s  %s\n' "$n" "$s" "$o" \
		"$(awk "BEGIN { printf \"%.3f\", $o / $s }")"
done

awk '{ n[NR] = $1; per[NR] = $2 / $1 } END {
	r = per[3] / per[1]
	printf "ours: cost per pair at %s pairs / at 1000 pairs = %.2f\n", n[3], r
	exit !(r <= 3)
}' /tmp/bench.ours || fail "ours does not grow linearly"
exit 0
