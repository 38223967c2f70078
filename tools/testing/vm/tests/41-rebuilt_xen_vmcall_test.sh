# SPDX-License-Identifier: GPL-2.0
# Upstream's xen_vmcall_test, unmodified, against the rebuilt KVM.
. /lib/vmtest.sh

kvm_up rebuilt
run xen_vmcall_test
kvm_down
exit 0
