# SPDX-License-Identifier: GPL-2.0
# The rebuilt KVM with the hook and no accelerator (none loaded, none
# loadable in the VM): Xen ioctls fail cleanly.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

kvm_up rebuilt ours
run no_accel_test -v hook_without_accelerator
kvm_down
exit 0
