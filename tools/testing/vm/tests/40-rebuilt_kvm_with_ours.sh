# SPDX-License-Identifier: GPL-2.0
# The kvm.ko (with the hook) and kvm-amd.ko rebuilt from the linux-source
# package load into the stock kernel on our irqbypass.ko, run a guest with
# xen_evtchn.ko attached, and all of it unloads.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

ours_up
dmesg | grep -q 'xen_evtchn: registered with KVM' || fail "xen_evtchn did not register"
run kvm_smoke_test
# The hook's registration refuses incomplete ops and a second accelerator.
load test test_accel_contract
unload test_accel_contract
ours_down
exit 0
