// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's hypercall ABI where it is easy to get subtly wrong, run on
 * the stock KVM and on ours with the same expectations: Xen takes the
 * sched_op command and the vcpu_op command and vCPU id as ints, so a
 * 64-bit guest's garbage in the upper half of those registers changes
 * nothing; SCHEDOP_yield and the single-shot timer ops are still handled
 * in the kernel (an exit to the VMM fails the test).
 */

#include <stdint.h>

#include "xen_test.h"
#include "../harness.h"

#define TIMER_PORT			13
#define HIGH				BIT_ULL(32)

FIXTURE(xen) {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	uint8_t *region;
};

/*
 * The guest makes the hypercall the host wrote at DATA_GPA: { number,
 * RDI, RSI, RDX }, through the hypercall page, and reports its result.
 */
static void guest_hcall(void)
{
	uint64_t *req = (void *)DATA_GPA;
	unsigned long ret;

	wrmsr(XEN_HYPERCALL_MSR, HCALL_GPA);
	for (;;) {
		unsigned long entry, a0, a1, a2;

		GUEST_SYNC(0);	/* the host sets up the request */
		entry = HCALL_GPA + READ_ONCE(req[0]) * HCALL_ENTRY_SIZE;
		a0 = READ_ONCE(req[1]);
		a1 = READ_ONCE(req[2]);
		a2 = READ_ONCE(req[3]);
		asm volatile("call *%[entry]"
			     : "=a"(ret), "+D"(a0), "+S"(a1), "+d"(a2)
			     : [entry] "r"(entry)
			     : "memory", "cc", "r10", "r8", "r9");
		GUEST_SYNC(ret);
	}
}

/* Run @vcpu to its next GUEST_SYNC; an exit of any other kind fails. */
static uint64_t to_sync(struct __test_metadata *_metadata,
			struct kvm_vcpu *vcpu)
{
	struct ucall uc;

	vcpu_run(vcpu);
	EXPECT_EQ(KVM_EXIT_IO, vcpu->run->exit_reason);
	EXPECT_EQ(UCALL_SYNC, get_ucall(vcpu, &uc));
	return uc.args[1];
}

FIXTURE_SETUP(xen)
{
	struct kvm_xen_vcpu_attr a = {
		.type = KVM_XEN_VCPU_ATTR_TYPE_TIMER,
		.u.timer = { .port = TIMER_PORT, .priority = PRIO },
	};

	self->vm = xen_vm_create_ready(&self->vcpu, guest_hcall,
				       &self->region, true);
	ASSERT_EQ(0, vcpu_set(self->vcpu, &a));
	to_sync(_metadata, self->vcpu);
}

FIXTURE_TEARDOWN(xen)
{
	kvm_vm_free(self->vm);
}

/* One hypercall by the guest; its result. */
static int64_t hcall_on(struct __test_metadata *_metadata,
			struct kvm_vcpu *vcpu, uint8_t *region, uint64_t nr,
			uint64_t a0, uint64_t a1, uint64_t a2)
{
	uint64_t *req = (void *)(region + 3 * PAGE_SIZE);
	int64_t ret;

	req[0] = nr;
	req[1] = a0;
	req[2] = a1;
	req[3] = a2;
	ret = to_sync(_metadata, vcpu);
	to_sync(_metadata, vcpu);	/* back to the next request */
	return ret;
}

static uint64_t timer_deadline(struct __test_metadata *_metadata,
			       struct kvm_vcpu *vcpu)
{
	struct kvm_xen_vcpu_attr a = { .type = KVM_XEN_VCPU_ATTR_TYPE_TIMER };

	EXPECT_EQ(0, vcpu_get(vcpu, &a));
	return a.u.timer.expires_ns;
}

static uint64_t kvmclock_now(struct kvm_vm *vm)
{
	struct kvm_clock_data clock = {};

	vm_ioctl(vm, KVM_GET_CLOCK, &clock);
	return clock.clock;
}

TEST_F(xen, sched_op_command_is_an_int)
{
	struct kvm_vcpu *v = self->vcpu;
	uint8_t *r = self->region;

	EXPECT_EQ(0, hcall_on(_metadata, v, r, HC_SCHED_OP,
			      SCHEDOP_yield | HIGH, 0, 0));
	EXPECT_EQ(0, hcall_on(_metadata, v, r, HC_SCHED_OP,
			      SCHEDOP_yield | 0xdead0000ull << 32, 0, 0));
}

TEST_F(xen, vcpu_op_command_and_vcpu_are_ints)
{
	uint64_t *oneshot = (void *)(self->region + 3 * PAGE_SIZE + 0x100);
	uint64_t later = kvmclock_now(self->vm) + 100ull * 1000 * 1000 * 1000;
	struct kvm_vcpu *v = self->vcpu;
	uint8_t *r = self->region;

	oneshot[0] = later;
	oneshot[1] = 0;
	EXPECT_EQ(0, hcall_on(_metadata, v, r, HC_VCPU_OP,
			      VCPUOP_set_singleshot_timer | HIGH, 0 | HIGH,
			      DATA_GPA + 0x100));
	EXPECT_EQ(later, timer_deadline(_metadata, v));
	EXPECT_EQ(0, hcall_on(_metadata, v, r, HC_VCPU_OP,
			      VCPUOP_stop_singleshot_timer, 0 | HIGH, 0));
	EXPECT_EQ(0, timer_deadline(_metadata, v));

	/* The low half still names another vCPU: refused, in the kernel. */
	EXPECT_EQ(-EINVAL, hcall_on(_metadata, v, r, HC_VCPU_OP,
				    VCPUOP_stop_singleshot_timer | HIGH,
				    1 | HIGH, 0));
}

TEST_HARNESS_MAIN
