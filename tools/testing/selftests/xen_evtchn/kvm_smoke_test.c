// SPDX-License-Identifier: GPL-2.0-only
/*
 * Smoke test of whatever KVM is loaded in the test VM (stock or rebuilt):
 * a guest runs to completion, and the Xen HVM capability is reported.  It
 * also proves that the project's selftests build against the KVM selftest
 * library of the linux-source package.
 */

#include "kvm_util.h"
#include "processor.h"
#include "../harness.h"
#include "kvm_test_harness.h"

static void guest_done(void)
{
	GUEST_DONE();
}

KVM_ONE_VCPU_TEST_SUITE(smoke);

KVM_ONE_VCPU_TEST(smoke, guest_runs_to_done, guest_done)
{
	struct ucall uc;

	vcpu_run(vcpu);
	TEST_ASSERT_EQ(vcpu->run->exit_reason, KVM_EXIT_IO);
	TEST_ASSERT_EQ(get_ucall(vcpu, &uc), UCALL_DONE);
}

TEST(xen_hvm_capability_reported)
{
	int caps = kvm_check_cap(KVM_CAP_XEN_HVM);

	ASSERT_NE(caps & KVM_XEN_HVM_CONFIG_HYPERCALL_MSR, 0);
	ASSERT_NE(caps & KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL, 0);
	ASSERT_NE(caps & KVM_XEN_HVM_CONFIG_SHARED_INFO, 0);
}

TEST_HARNESS_MAIN
