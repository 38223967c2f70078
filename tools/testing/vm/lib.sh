# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Helpers for the test scripts that run inside the VM (sourced as
# /lib/vmtest.sh).  Each helper prints what it does; any failure exits the
# test script with a non-zero status.  POSIX sh has no local variables: a
# helper's own are prefixed with its name, so that they cannot clobber a
# caller's.

# shellcheck source=tools/testing/shinfo-retry.sh
. /lib/shinfo-retry.sh

fail() {
	echo "FAIL: $*"
	exit 1
}

# load DIR NAME [PARAMS...]: insmod /modules/DIR/NAME.ko
load() {
	load_ko=$1/$2.ko
	shift 2
	echo "insmod $load_ko $*"
	insmod "/modules/$load_ko" "$@" || fail "loading $load_ko"
}

# unload NAME...: rmmod each, in the order given
unload() {
	for unload_m in "$@"; do
		echo "rmmod $unload_m"
		rmmod "$unload_m" || fail "unloading $unload_m"
	done
}

# proc_state PID: its state letter (Z once it has ended), "gone" once
# reaped.
proc_state() {
	proc_state_v=$(cat "/proc/$1/stat" 2>/dev/null) || { echo gone; return; }
	proc_state_v=${proc_state_v##*) }
	echo "${proc_state_v%% *}"
}

loaded() {
	[ -d "/sys/module/$1" ] && [ "$(cat "/sys/module/$1/initstate" 2>/dev/null)" = live ]
}

# kvm_up KVMDIR [BYPASSDIR]: load an irqbypass manager and KVM for AMD
# (the VM's CPU is QEMU's emulated AMD with SVM).  KVMDIR is stock or
# rebuilt; BYPASSDIR (default stock) says whose irqbypass.ko to load.
# KVM_AMD_PARAMS, if set, are kvm-amd's module parameters.
kvm_up() {
	# On PREEMPT_RT, kvm.ko wants a constant TSC, which QEMU's TCG CPU
	# does not claim (tools/testing/vm/modules/test_constant_tsc.c).
	case $(uname -v) in
	*PREEMPT_RT*) loaded test_constant_tsc || load test test_constant_tsc ;;
	esac
	# kvm-amd needs ccp where the kernel has it (SEV).
	[ ! -e /modules/stock/ccp.ko ] || loaded ccp || load stock ccp
	load "${2:-stock}" irqbypass
	load "$1" kvm
	# shellcheck disable=SC2086
	load "$1" kvm-amd $KVM_AMD_PARAMS
	[ -c /dev/kvm ] || fail "/dev/kvm is missing after loading KVM"
}

kvm_down() {
	unload kvm_amd kvm irqbypass
}

# ours_up / ours_down: the rebuilt KVM on our irqbypass.ko, with
# xen_evtchn.ko attached; and all of it unloaded again.
ours_up() {
	kvm_up rebuilt ours
	load ours xen_evtchn
}

ours_down() {
	unload xen_evtchn
	kvm_down
}

# run_on_ours PROGRAM [ARGS...]: run a test program between ours_up and
# ours_down.
run_on_ours() {
	ours_up
	run "$@"
	ours_down
}

# stock_xen: true unless the stock KVM's Xen is not to be tested
# (vmtest.stock_xen=0 on the kernel command line): in a test lane, which
# tests our Xen code alone (upstream's 6.12 Xen code in the stock KVM has
# bugs that a lane's checkers report, Documentation/testing.rst), and on
# 6.1, whose stock KVM has no Xen.
stock_xen() {
	! grep -q 'vmtest\.stock_xen=0' /proc/cmdline
}

# in_lane: true in a test lane (vmtest.lane=1 on the kernel command line,
# suite.sh -L): a kernel with lockdep, KASAN and the other checkers.
in_lane() {
	grep -q 'vmtest\.lane=1' /proc/cmdline
}

# run_to FILE PROGRAM [ARGS...]: run a test program, its output shown
# and kept in FILE (for a test that compares two runs), and fail if it
# fails.  A skip is passed up (exit status 4) so that it is reported: a
# kselftest's own (exit status 4), or any of a kselftest_harness
# program's tests skipped, which the harness itself counts as passed
# ("# Totals: ... skip:N").
run_to() {
	run_to_file=$1
	shift
	run_to_prog=$(command -v "$1") || fail "no test program $1"
	shift
	echo "run $run_to_prog $*"
	# By full path: KVM selftests open their own ELF file by argv[0].
	{ "$run_to_prog" "$@"; echo $? >/tmp/run.rc; } 2>&1 | tee "$run_to_file"
	run_to_rc=$(cat /tmp/run.rc)
	[ "$run_to_rc" -eq 4 ] && { echo "$run_to_prog skipped"; exit 4; }
	grep -q '^# Totals: .* skip:[1-9]' "$run_to_file" &&
		{ echo "$run_to_prog skipped some of its tests"; exit 4; }
	[ "$run_to_rc" -eq 0 ] || fail "$run_to_prog exited with status $run_to_rc"
}

# run_shinfo_test stock|ours: upstream's xen_shinfo_test -v, unmodified,
# on the KVM already loaded (stock: Debian's own), under a time limit of
# its own, recognising the ways it fails that are not defects of the KVM
# it runs on (it is upstream's test, and cannot be changed here):
#  - a preempted vCPU thread at "RUNSTATE_DATA", and an upcall that comes
#    twice (shinfo_retry_reason, /lib/shinfo-retry.sh): one more run; a
#    second failure fails the test.
#  - in "shinfo lock corruption (SCHEDOP_poll)", the stock KVM drops a
#    timer event that fires while shared_info is invalid (ours keeps it
#    waiting, Documentation/xen_evtchn.rst); the guest, which has not seen
#    it, polls again, and a poll made while the test's thread has
#    shared_info at GFN 0 (its "SHARED_INFO hva=0" is of that type, a GFN)
#    blocks with nothing left to wake it.  On the stock KVM, a run still
#    going after the limit in that stage with its vCPU thread halted in a
#    Xen hypercall (SCHEDOP_poll) is reported as this defect of the stock
#    KVM and passes; any other hang, and any hang on ours, fails.
# A run takes 6 to 10 s in an idle test VM, 32 s measured on a loaded host.
run_shinfo_test() {
	shinfo_kvm=$1
	shinfo_prog=$(command -v xen_shinfo_test) || fail "no xen_shinfo_test"
	for shinfo_try in 1 2; do
		echo "run $shinfo_prog -v"
		"$shinfo_prog" -v >/tmp/shinfo.out 2>&1 &
		shinfo_pid=$!
		shinfo_waited=0
		while kill -0 "$shinfo_pid" 2>/dev/null &&
		      [ "$(proc_state "$shinfo_pid")" != Z ]; do
			[ $shinfo_waited -ge 300 ] && break
			sleep 1
			shinfo_waited=$((shinfo_waited + 1))
		done
		if [ $shinfo_waited -ge 300 ]; then
			shinfo_hung "$shinfo_kvm"
			return
		fi
		wait "$shinfo_pid"
		shinfo_rc=$?
		cat /tmp/shinfo.out
		[ $shinfo_rc -eq 0 ] && return 0
		[ $shinfo_rc -eq 4 ] && { echo "$shinfo_prog skipped"; exit 4; }
		if [ $shinfo_try = 1 ] &&
		   shinfo_why=$(shinfo_retry_reason /tmp/shinfo.out); then
			echo "$shinfo_why; once more"
			continue
		fi
		fail "$shinfo_prog exited with status $shinfo_rc"
	done
}

# shinfo_hung stock|ours: the end of run_shinfo_test when its run is still
# going after the limit.
shinfo_hung() {
	cat /tmp/shinfo.out
	echo "still running after 300 s; its threads:"
	for shinfo_t in /proc/"$shinfo_pid"/task/*; do
		echo "thread ${shinfo_t##*/}:"
		cat "$shinfo_t/stack"
	done | tee /tmp/shinfo.stacks
	shinfo_stage=$(grep '^Testing ' /tmp/shinfo.out | tail -n 1)
	kill -KILL "$shinfo_pid"
	wait "$shinfo_pid"
	# The vCPU thread: halted by a Xen hypercall (SCHEDOP_poll).
	if [ "$1" = stock ] &&
	   [ "$shinfo_stage" = "Testing shinfo lock corruption (SCHEDOP_poll)" ] &&
	   awk '/^thread / { h = 0; x = 0 }
		/kvm_vcpu_halt/ { h = 1 }
		/kvm_xen_hypercall/ { x = 1 }
		h && x { found = 1 }
		END { exit !found }' /tmp/shinfo.stacks; then
		echo "stock KVM: its timer event dropped while shared_info was invalid," \
		     "upstream's test polls with nothing left to wake it (see above)"
		return 0
	fi
	fail "xen_shinfo_test hung"
}

# run PROGRAM [ARGS...]: as run_to, the output not kept.
run() {
	run_to /tmp/run.out "$@"
}

# Unload whatever a test left loaded, so that one failing test does not
# make the next ones fail too.  Called by /init after each test.
cleanup_modules() {
	for cleanup_m in test_splat test_slow_refresh test_irqbypass bench_irqbypass bench_irqbypass_kvm xen_evtchn vfio_pci vfio_pci_core vfio_iommu_type1 \
		 vfio_virqfd vfio kvm_amd kvm_intel kvm irqbypass test_irq_posting; do
		loaded "$cleanup_m" && rmmod "$cleanup_m"
	done
	return 0
}
