# SPDX-License-Identifier: GPL-2.0
# Calibration on a kernel whose stock KVM has no Xen (Debian's 6.1, in
# place of upstream's tests 30 and 31 there): KVM_CAP_XEN_HVM is 0, the VM
# Xen ioctls fail with ENOTTY and the vCPU ones with EINVAL (x86 KVM's
# answers to ioctls it does not know), a Xen event channel route with
# EINVAL.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

kvm_up stock
run no_accel_test -v kvm_without_xen
kvm_down
exit 0
