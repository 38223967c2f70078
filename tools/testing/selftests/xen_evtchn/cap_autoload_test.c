// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_CAP_XEN_HVM on the rebuilt kvm.ko when no Xen accelerator is loaded
 * but the kernel's modprobe can load one: the query itself loads it, as a
 * VM's first Xen ioctl does, and reports Xen, since a VMM asks for the
 * capability before its first Xen ioctl (QEMU does).  Run with
 * xen_evtchn.ko not loaded; the VM test makes the kernel's modprobe able
 * to load it by its alias.  (Where it cannot be loaded, the capability is
 * 0: no_accel_test.)
 */

#include <unistd.h>

#include "xen_test.h"
#include "../harness.h"

/* What KVM_CAP_XEN_HVM reports on every supported kernel. */
#define CAPS_ALWAYS	(KVM_XEN_HVM_CONFIG_HYPERCALL_MSR |	\
			 KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL |	\
			 KVM_XEN_HVM_CONFIG_SHARED_INFO |	\
			 KVM_XEN_HVM_CONFIG_EVTCHN_2LEVEL |	\
			 KVM_XEN_HVM_CONFIG_EVTCHN_SEND)

static bool accelerator_loaded(void)
{
	return !access("/sys/module/xen_evtchn", F_OK);
}

TEST(capability_loads_accelerator)
{
	struct kvm_xen_hvm_config cfg = { .msr = XEN_HYPERCALL_MSR };
	struct kvm_vm *vm;
	unsigned int caps;

	ASSERT_FALSE(accelerator_loaded()) {
		TH_LOG("xen_evtchn is loaded already: nothing to test");
	}

	caps = kvm_check_cap(KVM_CAP_XEN_HVM);
	EXPECT_TRUE(accelerator_loaded()) {
		TH_LOG("the capability query did not load xen_evtchn");
	}
	EXPECT_EQ(CAPS_ALWAYS, caps & CAPS_ALWAYS) {
		TH_LOG("KVM_CAP_XEN_HVM is %#x", caps);
	}

	/* The VM's answer is the same, and Xen then works. */
	vm = vm_create_barebones();
	EXPECT_EQ(caps, vm_check_cap(vm, KVM_CAP_XEN_HVM));
	EXPECT_EQ(0, __vm_ioctl(vm, KVM_XEN_HVM_CONFIG, &cfg));
	kvm_vm_free(vm);
}

TEST_HARNESS_MAIN
