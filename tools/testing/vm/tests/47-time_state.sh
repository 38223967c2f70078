# SPDX-License-Identifier: GPL-2.0
# The guest-visible time state (pvclock in vcpu_info and vcpu_time_info,
# the Xen CPUID time leaf, the wallclock, the master clock), checked on the
# stock KVM and on ours in the same boot: each run must pass, and the two
# must report the same state.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

# time_state NAME: run the test on the KVM loaded now; NAME.state gets
# its "state:" lines.
time_state() {
	run_to "/tmp/$1.out" time_state_test
	grep '^state:' "/tmp/$1.out" >"/tmp/$1.state"
	[ -s "/tmp/$1.state" ] || fail "no state reported on the $1 KVM"
}

ours_up
time_state ours
ours_down
stock_xen || { echo "a test lane: no comparison with the stock KVM"; exit 0; }

kvm_up stock
time_state stock
kvm_down
diff -u /tmp/stock.state /tmp/ours.state || fail "the time state differs"
exit 0
