#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Everything `make check` runs, after `make deps`: lint, the builds, and for
# each kernel series given (6.12, 6.1, 6.12-deb13) its own builds and the tests in the
# VM booting that kernel (tools/testing/check-kernel.sh), then the VM
# runner's own tests.  Each step prints TAP result lines ("ok - ..." /
# "not ok - ...", details as "# " lines); those of a kernel other than
# 6.12 name it ("ok - vm-6.1: ...", "ok - build-6.12-deb13: ...").  The last line
# counts them all: "N passed, N failed".  Exits non-zero when any failed.
# Needs what the Makefile exports (KREL, TEST_MOD_OBJ, BUILD, ...: the
# runner's tests run on the kernel of KVER).
#
# usage: check.sh KVER...
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

# shellcheck source=tools/testing/build-step.sh
. "$top/tools/testing/build-step.sh"

make -s --no-print-directory lint KVER=6.12 2>&1 | report

# The deps never install a kernel image (the tests' kernels are extracted
# into build/kernels): the guard that every apt-get install goes through
# refuses a plan that would (tried with a kernel metapackage not
# installed here).
for img in linux-image-rt-amd64 linux-image-cloud-amd64 linux-image-amd64; do
	dpkg-query -W -f='${db:Status-Abbrev}' "$img" 2>/dev/null | grep -q '^ii' ||
		break
done
if out=$(APT_INSTALL_DRY=1 tools/build/apt-install.sh "$img" 2>&1); then
	echo "not ok - deps: apt-install.sh refuses to install a kernel image"
	sed 's/^/# /' <<<"$out"
else
	echo "ok - deps: apt-install.sh refuses to install a kernel image"
fi | report

built=1
build "selftests" make -s --no-print-directory selftests | report || built=0
build "QEMU >= 8 and the Xen guest" make -s --no-print-directory xen-guest |
	report || built=0

# Userspace unit tests of the module's delivery and port table (ASan,
# UBSan): each TAP line is a result; a sanitizer report fails the step.
if build "unit tests (ASan, UBSan)" make -s --no-print-directory unit |
   report; then
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

# Each kernel: its TAP names get "-KVER" after their first word, except
# 6.12's, which keep the names they had before there was a second kernel.
for k in "$@"; do
	if [ $built = 0 ]; then
		echo "not ok - vm: not run on $k, the build failed" | report
		continue
	fi
	tag=
	[ "$k" = 6.12 ] || tag=-$k
	make -s --no-print-directory check-kernel KVER="$k" 2>&1 |
		sed "s/^\\(\\(not \\)\\{0,1\\}ok - [^:]*\\):/\\1$tag:/" | report
done

if [ $built = 1 ] && [ -f "$TEST_MOD_OBJ/test_splat.ko" ]; then
	# The runner's own tests: a WARN, a failing, a skipped and a hung
	# test must each fail the run, and so must a VM that overruns; a
	# hung test's children die with it.
	# shellcheck disable=SC2046 # option lists, split on purpose
	"$vm/mkinitramfs.sh" -k "$KREL" -o "$work/selftest.cpio.gz" \
		-m test:"$TEST_MOD_OBJ/test_splat.ko" \
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
	expect '^# +\[<0>\] [a-z_]*nanosleep' "a hung test's report has its processes' kernel stacks"
	expect '^ok - selftest: after_hang' "a hung test's children are killed with it"

	# Stopped while it boots (its hang test would keep it for 300 s),
	# with each CPU's registers recorded however far the boot got: run.sh
	# waits for the monitor's answer for every CPU, and a CPU not yet in
	# long mode (the second one is parked in the firmware until the
	# kernel's SMP bring-up, about 1 s into its boot) has its EIP instead.
	"$vm/run.sh" -k "$KREL" -i "$work/selftest.cpio.gz" \
		-o "$work/overrun" -n overrun -T 3 >"$work/overrun.tap"
	rc=$?
	if [ $rc -ne 0 ] && grep -q '^not ok - overrun: the VM ran all its tests # killed' "$work/overrun.tap"; then
		echo "ok - runner: a VM that overruns its time limit fails the run"
	else
		echo "not ok - runner: a VM that overruns its time limit fails the run"
		sed 's/^/# /' "$work/overrun.tap"
	fi | report
	if [ "$(grep -Ec '^# vcpus: [RE]IP=' "$work/overrun.tap")" -eq 2 ]; then
		echo "ok - runner: an overrun VM's report has each CPU's RIP"
	else
		echo "not ok - runner: an overrun VM's report has each CPU's RIP"
		sed 's/^/# /' "$work/overrun.tap"
	fi | report
else
	echo "not ok - runner: not run, the build failed" | report
fi

passed=$(grep -c '^ok ' "$tap")
failed=$(grep -c '^not ok ' "$tap")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
