// SPDX-License-Identifier: GPL-2.0-only
/*
 * A KVM on which Xen ioctls must fail cleanly, in two variants (run one
 * with -v VARIANT):
 *
 * kvm_without_xen: a stock KVM built without CONFIG_KVM_XEN (Debian's 6.1),
 * the calibration: KVM_CAP_XEN_HVM is 0, the VM ioctls fail with ENOTTY,
 * the vCPU ones with EINVAL (what x86 KVM answers to ioctls it does not
 * know), the routing entry with EINVAL.
 *
 * hook_without_accelerator: the rebuilt kvm.ko with the hook, and no Xen
 * accelerator loaded nor loadable: exactly as the above, KVM_CAP_XEN_HVM
 * included (a VMM must not be told of Xen support that cannot work).  Run
 * with xen_evtchn.ko not loaded and the kernel's modprobe unable to load
 * it.  (Where it can be loaded, the capability query loads it:
 * cap_autoload_test.)
 */

#include <errno.h>

#include "kvm_util.h"
#include "processor.h"
#include "../harness.h"

FIXTURE(no_xen) {
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
};

FIXTURE_VARIANT(no_xen) {
	const char *kvm;
};

FIXTURE_VARIANT_ADD(no_xen, hook_without_accelerator) {
	.kvm = "the rebuilt KVM without an accelerator",
};

FIXTURE_VARIANT_ADD(no_xen, kvm_without_xen) {
	.kvm = "a KVM built without Xen",
};

FIXTURE_SETUP(no_xen)
{
	self->vm = vm_create_with_one_vcpu(&self->vcpu, NULL);
}

FIXTURE_TEARDOWN(no_xen)
{
	kvm_vm_free(self->vm);
}

/* Neither /dev/kvm nor the VM reports Xen. */
TEST_F(no_xen, capability)
{
	int caps = kvm_check_cap(KVM_CAP_XEN_HVM);

	EXPECT_EQ(0, caps) {
		TH_LOG("%s reports KVM_CAP_XEN_HVM %#x", variant->kvm, caps);
	}
	caps = vm_check_cap(self->vm, KVM_CAP_XEN_HVM);
	EXPECT_EQ(0, caps) {
		TH_LOG("%s reports KVM_CAP_XEN_HVM %#x on the VM", variant->kvm,
		       caps);
	}
}

TEST_F(no_xen, xen_ioctls_fail)
{
	struct kvm_xen_hvm_config cfg = { .msr = 0x40000000 };
	struct kvm_xen_hvm_attr ha = { .type = KVM_XEN_ATTR_TYPE_LONG_MODE };
	struct kvm_xen_vcpu_attr va = { .type = KVM_XEN_VCPU_ATTR_TYPE_VCPU_ID };
	struct kvm_irq_routing_xen_evtchn send = { .port = 1,
		.priority = KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL };

	EXPECT_EQ(-1, __vm_ioctl(self->vm, KVM_XEN_HVM_CONFIG, &cfg));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, __vm_ioctl(self->vm, KVM_XEN_HVM_SET_ATTR, &ha));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, __vm_ioctl(self->vm, KVM_XEN_HVM_GET_ATTR, &ha));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, __vm_ioctl(self->vm, KVM_XEN_HVM_EVTCHN_SEND, &send));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, __vcpu_ioctl(self->vcpu, KVM_XEN_VCPU_SET_ATTR, &va));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, __vcpu_ioctl(self->vcpu, KVM_XEN_VCPU_GET_ATTR, &va));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(no_xen, xen_routing_entry_einval)
{
	struct {
		struct kvm_irq_routing info;
		struct kvm_irq_routing_entry entry;
	} routes = {
		.info.nr = 1,
		.entry = {
			.gsi = 32,
			.type = KVM_IRQ_ROUTING_XEN_EVTCHN,
			.u.xen_evtchn = {
				.port = 1,
				.priority = KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL,
			},
		},
	};

	EXPECT_EQ(-1, __vm_ioctl(self->vm, KVM_SET_GSI_ROUTING, &routes.info));
	EXPECT_EQ(EINVAL, errno);
}

TEST_HARNESS_MAIN
