# SPDX-License-Identifier: GPL-2.0
# make bench, in the VM: IRQ bypass pairs through the real KVM consumer
# (irqbypass_kvm_bench: N KVM irqfds, then a producer for each, which the
# manager pairs with KVM's consumer, then all of it removed again), for N
# = 1000, 10000, 50000, on the stock irqbypass.ko and on ours under the
# stock kvm.ko, with interrupt posting claimed as in test 13.  Prints per
# step and N the cost per pair on each and the ratio, ours over stock,
# and per step the cost per pair at 50000 over that at 1000, with a
# warning (not a failure) where ours grows more than 3 times in a step
# that is the manager's alone (pair, unpair: the irqfd steps include
# KVM's own walks of its irqfds, which grow on either).
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

sizes="1000 10000 50000"

measure() {
	load test test_irq_posting
	KVM_AMD_PARAMS="avic=1 force_avic=1" kvm_up stock "$1"
	load test bench_irqbypass_kvm
	# shellcheck disable=SC2086 # the sizes, one argument each
	run_to "/tmp/pairs.out" irqbypass_kvm_bench $sizes
	unload bench_irqbypass_kvm
	kvm_down
	unload test_irq_posting
	sed -n "s/^irqbypass_kvm: /$1 /p" /tmp/pairs.out >>/tmp/pairs.all
}

: >/tmp/pairs.all
measure stock
measure ours

# "KVM pairs N step NS step NS ..." lines to "bench: step N stock ours
# ratio" rows, then the growth of each step's cost on each.
awk -v sizes="$sizes" '
{
	for (i = 4; i < NF; i += 2)
		ns[$1, $3, $i] = $(i + 1)
	steps = ""
	for (i = 4; i < NF; i += 2)
		steps = steps " " $i
}
END {
	n = split(sizes, size, " ")
	m = split(steps, step, " ")
	printf "bench: irqbypass pairs through KVM, ns per pair\n"
	printf "bench: %-14s %6s %10s %10s %7s\n", "step", "pairs",
	       "stock", "ours", "ratio"
	for (j = 1; j <= m; j++)
		for (i = 1; i <= n; i++) {
			s = ns["stock", size[i], step[j]]
			o = ns["ours", size[i], step[j]]
			printf "bench: %-14s %6d %10d %10d %7.2f\n", step[j],
			       size[i], s, o, s ? o / s : 0
		}
	for (j = 1; j <= m; j++) {
		gs = ns["stock", size[n], step[j]] / ns["stock", size[1], step[j]]
		go = ns["ours", size[n], step[j]] / ns["ours", size[1], step[j]]
		note = ""
		if (step[j] !~ /pair/)
			note = " (KVM walks its irqfds too)"
		else if (go > 3)
			note = "  WARNING: ours grows with the number of pairs"
		printf "bench: scale %s: per pair at %d / at %d: stock %.2f, ours %.2f%s\n",
		       step[j], size[n], size[1], gs, go, note
	}
}' /tmp/pairs.all
[ "$(wc -l </tmp/pairs.all)" -eq 6 ] || fail "missing timings"
exit 0
