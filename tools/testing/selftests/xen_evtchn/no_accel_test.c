// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rebuilt kvm.ko with the hook, and no Xen accelerator loaded (nor
 * loadable): every Xen ioctl fails with ENOTTY, as on a KVM without Xen
 * support, and a Xen event channel routing entry with EINVAL, though
 * KVM_CAP_XEN_HVM is still reported (the capability says what the rebuilt
 * kvm.ko can do once xen_evtchn.ko loads).  Run with xen_evtchn.ko not
 * loaded.
 */

#include <errno.h>

#include "kvm_util.h"
#include "processor.h"
#include "kselftest_harness.h"

TEST(xen_ioctls_enotty)
{
	struct kvm_xen_hvm_config cfg = { .msr = 0x40000000 };
	struct kvm_xen_hvm_attr ha = { .type = KVM_XEN_ATTR_TYPE_LONG_MODE };
	struct kvm_xen_vcpu_attr va = { .type = KVM_XEN_VCPU_ATTR_TYPE_VCPU_ID };
	struct kvm_irq_routing_xen_evtchn send = { .port = 1,
		.priority = KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL };
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;

	vm = vm_create_with_one_vcpu(&vcpu, NULL);

	EXPECT_TRUE(kvm_check_cap(KVM_CAP_XEN_HVM) &
		    KVM_XEN_HVM_CONFIG_HYPERCALL_MSR);
	EXPECT_EQ(-1, __vm_ioctl(vm, KVM_XEN_HVM_CONFIG, &cfg));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, __vm_ioctl(vm, KVM_XEN_HVM_SET_ATTR, &ha));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, __vm_ioctl(vm, KVM_XEN_HVM_GET_ATTR, &ha));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, __vm_ioctl(vm, KVM_XEN_HVM_EVTCHN_SEND, &send));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, __vcpu_ioctl(vcpu, KVM_XEN_VCPU_SET_ATTR, &va));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, __vcpu_ioctl(vcpu, KVM_XEN_VCPU_GET_ATTR, &va));
	EXPECT_EQ(ENOTTY, errno);

	kvm_vm_free(vm);
}

TEST(xen_routing_entry_einval)
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
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;

	vm = vm_create_with_one_vcpu(&vcpu, NULL);
	EXPECT_EQ(-1, __vm_ioctl(vm, KVM_SET_GSI_ROUTING, &routes.info));
	EXPECT_EQ(EINVAL, errno);
	kvm_vm_free(vm);
}

TEST_HARNESS_MAIN
