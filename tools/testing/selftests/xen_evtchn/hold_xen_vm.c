// SPDX-License-Identifier: GPL-2.0-only
/*
 * A VMM that binds one VM to the Xen accelerator (its first Xen ioctl,
 * KVM_XEN_HVM_CONFIG), says "bound" on stdout, and holds it until it is
 * killed: for the install test, which checks that the ioctl loads
 * xen_evtchn.ko and that the module cannot be unloaded while the VM lives.
 */

#include <stdio.h>
#include <unistd.h>

#include "xen_test.h"

int main(void)
{
	struct kvm_xen_hvm_config cfg = { .msr = XEN_HYPERCALL_MSR };
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;

	vm = vm_create_with_one_vcpu(&vcpu, NULL);
	vm_ioctl(vm, KVM_XEN_HVM_CONFIG, &cfg);
	printf("bound\n");
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}
