#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Everything `make check` runs, after `make deps`: lint, the builds, the
# tests in the VM (among them a real Xen guest under QEMU), and the VM
# runner's own tests.  Each step prints TAP
# result lines ("ok - ..." / "not ok - ...", details as "# " lines); the
# last line counts them: "N passed, N failed".  Exits non-zero when any
# failed.  Needs KREL, VM_KDIR, BUILD, SRC, TEST_MOD_DIR, QEMU_ROOT
# (exported by the Makefile).
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
vm=$top/tools/testing/vm
work=$BUILD/check
mkdir -p "$work"
tap=$work/results.tap
: >"$tap"

# report: copy TAP lines from stdin to the terminal and the results file.
report() {
	tee -a "$tap"
}

# build NAME COMMAND...: run a build step quietly, report it.
build() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		echo "ok - build: $name" | report
	else
		{ echo "not ok - build: $name"; tail -n 40 <<<"$out" | sed 's/^/# /'; } | report
		return 1
	fi
}

make -s --no-print-directory lint 2>&1 | report

built=1
build "irqbypass.ko, xen_evtchn.ko" make -s --no-print-directory modules KDIR="$VM_KDIR" || built=0
build "rebuilt kvm.ko, kvm-amd.ko, kvm-intel.ko" make -s --no-print-directory kvm || built=0
build "selftests" make -s --no-print-directory selftests || built=0
build "test-only VM modules" make -s --no-print-directory test-modules || built=0
build "QEMU >= 8 and the Xen guest" make -s --no-print-directory xen-guest || built=0

# DKMS builds and installs the tree, into private trees of its own.
[ $built -eq 0 ] || tools/testing/dkms-check.sh "$BUILD/dkms" | report

# Userspace unit tests of the module's delivery and port table (ASan,
# UBSan): each TAP line is a result; a sanitizer report fails the step.
if build "unit tests (ASan, UBSan)" make -s --no-print-directory unit; then
	out=$("$BUILD/unit/evtchn_unit_test" 2>&1)
	rc=$?
	{
		sed -n 's/^\(not \)\{0,1\}ok [0-9]* /&/p' <<<"$out" |
			sed 's/^\(\(not \)\{0,1\}ok\) [0-9]* /\1 - unit: /'
		if [ $rc -ne 0 ] && ! grep -q '^not ok' <<<"$out"; then
			echo "not ok - unit: exit status $rc (sanitizer report?)"
		fi
		grep -v '^\(not \)\{0,1\}ok ' <<<"$out" | sed 's/^/# /'
	} | report
fi

if [ $built = 1 ]; then
	tools/testing/selftests/irqbypass/modversions_test.sh Module.symvers \
		"$VM_KDIR" "/lib/modules/$KREL" | report

	tools/testing/vm/suite.sh -k "$KREL" -o "$work/main" -n vm -O "$top" \
		-R "$BUILD/kvm/arch/x86/kvm" -T "$TEST_MOD_DIR" | report

	# The runner's own tests: a WARN, a failing, a skipped and a hung
	# test must each fail the run, and so must a VM that overruns.
	# shellcheck disable=SC2046 # option lists, split on purpose
	"$vm/mkinitramfs.sh" -k "$KREL" -o "$work/selftest.cpio.gz" \
		-m test:"$TEST_MOD_DIR/test_splat.ko" \
		$(for t in "$vm"/selftest/*.sh; do echo "-t $t"; done)
	"$vm/run.sh" -k "$KREL" -i "$work/selftest.cpio.gz" \
		-o "$work/selftest" -n selftest -T 300 -t 5 >"$work/selftest.tap"
	rc=$?
	expect() {
		if grep -Eq "$1" "$work/selftest.tap" && [ $rc -ne 0 ]; then
			echo "ok - runner: $2"
		else
			echo "not ok - runner: $2"
			sed 's/^/# /' "$work/selftest.tap"
		fi | report
	}
	expect '^not ok - selftest: kernel log free of splats' "a kernel WARN fails the run"
	expect '^ok - selftest: warn' "the WARN is caught in the log, not by the test"
	expect '^not ok - selftest: fail # exit status 1' "a failing test fails the run"
	expect '^not ok - selftest: skip # skipped' "a skipped test counts as a failure"
	expect '^not ok - selftest: hang # killed' "a hung test is killed at its time limit"

	"$vm/run.sh" -k "$KREL" -i "$work/selftest.cpio.gz" \
		-o "$work/overrun" -n overrun -T 1 >"$work/overrun.tap"
	rc=$?
	if [ $rc -ne 0 ] && grep -q '^not ok - overrun: the VM ran all its tests # killed' "$work/overrun.tap"; then
		echo "ok - runner: a VM that overruns its time limit fails the run"
	else
		echo "not ok - runner: a VM that overruns its time limit fails the run"
		sed 's/^/# /' "$work/overrun.tap"
	fi | report
else
	echo "not ok - vm: not run, the build failed" | report
fi

passed=$(grep -c '^ok ' "$tap")
failed=$(grep -c '^not ok ' "$tap")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
