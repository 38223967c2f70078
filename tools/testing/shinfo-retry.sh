# SPDX-License-Identifier: GPL-2.0
# Which failures of upstream's xen_shinfo_test are run once more, and why:
# sourced (POSIX sh: busybox's in the test VM, bash on check-host's booted
# Debian system) by tools/testing/vm/lib.sh (run_shinfo_test) and
# tools/testing/host/boot-check.sh.
#
# shinfo_retry_reason OUT: prints why the failed run whose output is in
# the file OUT may be run once more, and succeeds; fails for any other
# failure.  Two failures are not defects of the KVM under test:
#  - at RUNSTATE_DATA the guest finds its runnable time not the 0 the VMM
#    just set: the vCPU thread was preempted in KVM_RUN in between (either
#    KVM moves a preempted vCPU to runnable).  Outside KVM_RUN a
#    preemption changes no runstate (ours on every kernel, the stock
#    6.12), so no other runstate failure is retried.
#  - "Unexpected event channel IRQ": in a VM running KVM under QEMU's TCG,
#    one upcall in a few hundred to a few thousand comes a second time
#    right after its handler returned, on either KVM (xen_bench counts
#    them: "upcall(s) found no event"); upstream's test takes each as an
#    event.
# shellcheck shell=sh
shinfo_retry_reason() {
	if [ "$(grep '^Testing ' "$1" | tail -n 1)" = "Testing RUNSTATE_DATA" ] &&
	   grep -q '^ *rs->time\[RUNSTATE_runnable\] == 0$' "$1"; then
		echo "the vCPU thread was preempted between a runstate set and its check"
	elif grep -q '^ *Unexpected event channel IRQ$' "$1"; then
		echo "an upcall came a second time right after its handler (KVM under TCG, either KVM)"
	else
		return 1
	fi
}
