#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-debug` and `make check-rt`: the main VM suite on a kernel
# built from linux-source-6.12 (tools/testing/debug/build-kernel.sh, cached
# in build/LANE) with lockdep, KASAN, UBSAN, kmemleak and the other
# checkers of tools/testing/debug/debug.config, and for the rt lane
# PREEMPT_RT as well.  Any report fails the lane; so must the lane's own
# test, a module with a planted sleep in atomic context and one with a
# planted out-of-bounds read, each of which must be reported.  Prints TAP
# and ends with "N passed, N failed".  Needs SRC, BUILD, QEMU_ROOT
# (exported by the Makefile).
#
# usage: check-lane.sh debug|rt
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
name=$1
frags=(tools/testing/debug/vm.config tools/testing/debug/debug.config)
# The debug lane runs the fuzzer for 10^5 operations or 600 s, whichever
# comes first (10^5 can take over 1200 s in a loaded VM; its limit,
# 1100 s, is left to tell a hang),
# and its differential mode, stock KVM against ours, over 4 seeds of 2000
# operations (tests/53-xen_fuzz_diff.sh; the lanes otherwise leave out
# the stock KVM's Xen): upstream's code under the lane's checkers too,
# with only its known __kvm_gpc_refresh WARN taken as the stock KVM's.
fuzz=
case $name in
debug) fuzz="xen_fuzz.seed=20261124 xen_fuzz.ops=100000 xen_fuzz.limit=1100"
       fuzz+=" xen_fuzz.budget=600"
       fuzz+=" xen_fuzz.diff_seeds=101-104 xen_fuzz.diff_ops=2000"
       fuzz+=" xen_fuzz.diff_limit=280 xen_fuzz.diff_stock=1" ;;
rt) frags+=(tools/testing/debug/rt.config) ;;
*) echo "usage: $0 debug|rt" >&2; exit 2 ;;
esac
dbg=$BUILD/$name
tap=$dbg/results.tap
mkdir -p "$dbg"
: >"$tap"
report() {
	tee -a "$tap"
}

lane() {
	local krel out
	# The two lanes share these builds: one lane builds them at a time.
	if ! out=$(flock "$BUILD/.selftests.lock" \
			make -s --no-print-directory selftests xen-guest 2>&1); then
		echo "not ok - $name: build selftests and the Xen guest"
		tail -n 40 <<<"$out" | sed 's/^/# /'
		return
	fi
	if ! krel=$(tools/testing/debug/build-kernel.sh "$dbg" "${frags[@]}" \
			2>"$dbg/kernel.log"); then
		echo "not ok - $name: build the $name kernel"
		tail -n 40 "$dbg/kernel.log" | sed 's/^/# /'
		return
	fi
	echo "ok - $name: build the $name kernel ($krel)"
	tools/testing/lane.sh "$name" "$krel" \
		"$dbg/obj/arch/x86/boot/bzImage" "$dbg/obj" \
		"$dbg/mods" "$fuzz"

	# The lane's own test: both planted bugs must be reported.
	# shellcheck disable=SC2046 # option lists, split on purpose
	tools/testing/vm/mkinitramfs.sh -k "$krel" -M "$dbg/mods" \
		-o "$dbg/planted.cpio.gz" \
		-m test:"$dbg/testmods/test_planted_bugs.ko" \
		$(for t in tools/testing/vm/lane-selftest/*.sh; do echo "-t $t"; done)
	tools/testing/vm/run.sh -k "$krel" -K "$dbg/obj/arch/x86/boot/bzImage" \
		-i "$dbg/planted.cpio.gz" -o "$dbg/planted" -n planted -T 300 \
		>"$dbg/planted.tap"
	for want in "BUG: sleeping function called from invalid context" \
		    "BUG: KASAN: slab-out-of-bounds"; do
		if grep -q "$want" "$dbg/planted/console.log"; then
			echo "ok - $name: a planted bug is reported: $want"
		else
			echo "not ok - $name: a planted bug is reported: $want"
			tail -n 30 "$dbg/planted/console.log" | sed 's/^/# /'
		fi
	done
	if grep -q '^not ok - planted: kernel log free of splats' "$dbg/planted.tap"; then
		echo "ok - $name: the planted bugs fail a run"
	else
		echo "not ok - $name: the planted bugs fail a run"
	fi
}

lane | report
passed=$(grep -c '^ok ' "$tap")
failed=$(grep -c '^not ok ' "$tap")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
