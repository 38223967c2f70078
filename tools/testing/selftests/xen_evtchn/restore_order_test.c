// SPDX-License-Identifier: GPL-2.0-only
/*
 * A restored guest sees every pending event, whatever order the VMM sets
 * things up in.  shared_info comes back from the saved guest memory with a
 * port pending and unmasked, but the selector bit that went with it lived
 * in a shadow that was not saved.  The VMM then sets SHARED_INFO,
 * VCPU_INFO and the port's sender (a KVM_IRQ_ROUTING_XEN_EVTCHN route, an
 * IPI port of the port table, or the vCPU's timer VIRQ) in one of the six
 * orders; when the vCPU next enters the guest, the guest must find the
 * port's selector bit and evtchn_upcall_pending set in its vcpu_info.  In
 * both guest ABIs.  Once the guest took the upcall, moving shared_info
 * raises nothing again.  A timer restored, its deadline past, before the
 * ABI that makes its port valid fires once the ABI is set.  Also: a
 * vcpu_info at an offset where the 64-bit selector straddles a cache
 * line (+52) still receives events.
 */

#include <stdint.h>
#include <string.h>

#include "xen_test.h"
#include "../harness.h"

/* In word 1 of the 64-bit ABI, word 3 of the 32-bit one. */
#define PORT		100
#define ROUTE_GSI	32

enum sender { ROUTE, IPI_PORT, TIMER };
enum step { SHINFO, VCPU_INFO, SENDER };

/* The guest reports its vcpu_info as it finds it on entry. */
static void guest_report(bool long_mode, uint64_t vcpu_info)
{
	uint8_t *vi = (uint8_t *)vcpu_info;
	uint64_t sel;

	for (;;) {
		if (long_mode)
			sel = READ_ONCE(*(uint64_t *)(vi + 8));
		else
			sel = READ_ONCE(*(uint32_t *)(vi + 4));
		GUEST_SYNC2(READ_ONCE(vi[0]), sel);
	}
}

FIXTURE(restore) {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	uint8_t *region;
};

FIXTURE_VARIANT(restore) {
	bool long_mode;
	enum sender sender;
};

FIXTURE_VARIANT_ADD(restore, route_abi64) { .long_mode = true, .sender = ROUTE };
FIXTURE_VARIANT_ADD(restore, route_abi32) { .long_mode = false, .sender = ROUTE };
FIXTURE_VARIANT_ADD(restore, ipi_abi64) { .long_mode = true, .sender = IPI_PORT };
FIXTURE_VARIANT_ADD(restore, ipi_abi32) { .long_mode = false, .sender = IPI_PORT };
FIXTURE_VARIANT_ADD(restore, timer_abi64) { .long_mode = true, .sender = TIMER };
FIXTURE_VARIANT_ADD(restore, timer_abi32) { .long_mode = false, .sender = TIMER };

FIXTURE_SETUP(restore)
{
	self->vm = xen_vm_create_bare(&self->vcpu, guest_report, &self->region,
				      variant->long_mode);
	vcpu_args_set(self->vcpu, 2, variant->long_mode, VCPU_INFO_GPA);
	/* The saved guest memory: PORT pending, unmasked, no selector. */
	self->region[PENDING_OFF + PORT / 8] |= 1 << (PORT % 8);
}

FIXTURE_TEARDOWN(restore)
{
	kvm_vm_free(self->vm);
}

static int set_sender(struct kvm_vm *vm, struct kvm_vcpu *vcpu,
		      enum sender sender)
{
	struct kvm_xen_hvm_attr port = {
		.type = KVM_XEN_ATTR_TYPE_EVTCHN,
		.u.evtchn = {
			.send_port = PORT,
			.type = EVTCHNSTAT_ipi,
			.deliver.port = { .port = PORT, .priority = PRIO },
		},
	};
	struct kvm_xen_vcpu_attr timer = {
		.type = KVM_XEN_VCPU_ATTR_TYPE_TIMER,
		.u.timer = { .port = PORT, .priority = PRIO },
	};

	switch (sender) {
	case ROUTE:
		return xen_route(vm, ROUTE_GSI, PORT, 0, PRIO);
	case IPI_PORT:
		return hvm_set(vm, &port);
	case TIMER:
		return vcpu_set(vcpu, &timer);
	}
	return -EINVAL;
}

static void restore_in_order(struct __test_metadata *_metadata,
			     struct kvm_vm *vm, struct kvm_vcpu *vcpu,
			     bool long_mode, enum sender sender,
			     const enum step order[3])
{
	unsigned int word = PORT / (long_mode ? 64 : 32);
	struct ucall uc;
	int i;

	for (i = 0; i < 3; i++) {
		switch (order[i]) {
		case SHINFO:
			hvm_set_value(vm, KVM_XEN_ATTR_TYPE_SHARED_INFO,
				      SHINFO_GPA / PAGE_SIZE);
			break;
		case VCPU_INFO:
			vcpu_info_at(vcpu, VCPU_INFO_GPA);
			break;
		case SENDER:
			ASSERT_EQ(0, set_sender(vm, vcpu, sender));
			break;
		}
	}

	vcpu_run(vcpu);
	TEST_ASSERT_KVM_EXIT_REASON(vcpu, KVM_EXIT_IO);
	ASSERT_EQ(UCALL_SYNC, get_ucall(vcpu, &uc));
	EXPECT_EQ(1, uc.args[0]) TH_LOG("evtchn_upcall_pending");
	EXPECT_EQ(1ull << word, uc.args[1]) TH_LOG("evtchn_pending_sel");
}

TEST_F(restore, shinfo_vcpu_info_sender)
{
	const enum step order[] = { SHINFO, VCPU_INFO, SENDER };

	restore_in_order(_metadata, self->vm, self->vcpu, variant->long_mode,
			 variant->sender, order);
}

TEST_F(restore, shinfo_sender_vcpu_info)
{
	const enum step order[] = { SHINFO, SENDER, VCPU_INFO };

	restore_in_order(_metadata, self->vm, self->vcpu, variant->long_mode,
			 variant->sender, order);
}

TEST_F(restore, vcpu_info_shinfo_sender)
{
	const enum step order[] = { VCPU_INFO, SHINFO, SENDER };

	restore_in_order(_metadata, self->vm, self->vcpu, variant->long_mode,
			 variant->sender, order);
}

TEST_F(restore, vcpu_info_sender_shinfo)
{
	const enum step order[] = { VCPU_INFO, SENDER, SHINFO };

	restore_in_order(_metadata, self->vm, self->vcpu, variant->long_mode,
			 variant->sender, order);
}

TEST_F(restore, sender_shinfo_vcpu_info)
{
	const enum step order[] = { SENDER, SHINFO, VCPU_INFO };

	restore_in_order(_metadata, self->vm, self->vcpu, variant->long_mode,
			 variant->sender, order);
}

TEST_F(restore, sender_vcpu_info_shinfo)
{
	const enum step order[] = { SENDER, VCPU_INFO, SHINFO };

	restore_in_order(_metadata, self->vm, self->vcpu, variant->long_mode,
			 variant->sender, order);
}

/*
 * Once the guest has taken the upcall (selector and evtchn_upcall_pending
 * cleared, the port still pending: it has not handled it yet), moving
 * shared_info away and back raises nothing again, whether the sender's
 * check was made at once or owed to shared_info.
 */
TEST_F(restore, no_second_upcall_when_shared_info_moves)
{
	uint8_t *vi = self->region + (VCPU_INFO_GPA - REGION_GPA);
	const enum step owed[] = { SENDER, VCPU_INFO, SHINFO };
	struct ucall uc;
	int i;

	restore_in_order(_metadata, self->vm, self->vcpu, variant->long_mode,
			 variant->sender, owed);
	memset(vi, 0, 16);	/* the guest took it */
	for (i = 0; i < 4; i++) {
		hvm_set_value(self->vm, KVM_XEN_ATTR_TYPE_SHARED_INFO,
			      KVM_XEN_INVALID_GFN);
		hvm_set_value(self->vm, KVM_XEN_ATTR_TYPE_SHARED_INFO,
			      SHINFO_GPA / PAGE_SIZE);
	}
	vcpu_run(self->vcpu);
	ASSERT_EQ(UCALL_SYNC, get_ucall(self->vcpu, &uc));
	EXPECT_EQ(0, uc.args[0]) TH_LOG("evtchn_upcall_pending");
	EXPECT_EQ(0, uc.args[1]) TH_LOG("evtchn_pending_sel");
}

/*
 * The timer restored before the ABI: SHARED_INFO, VCPU_INFO, then TIMER on
 * port 2000 with its deadline already past, while the VM is still in the
 * 32-bit ABI (port 2000 past its limit of 1024), and only then
 * LONG_MODE=1.  The event fired with nowhere to go: it must wait (a TIMER
 * get still reads its deadline) and arrive once the ABI is 64-bit.
 */
/*
 * A VM in the 32-bit ABI with shared_info and vcpu_info set, whose guest
 * reports its 64-bit vcpu_info: the setup of the tests below.
 */
static struct kvm_vm *vm_before_long_mode(struct kvm_vcpu **vcpu,
					  uint8_t **region)
{
	struct kvm_vm *vm = xen_vm_create_bare(vcpu, guest_report, region,
					       false);

	vcpu_args_set(*vcpu, 2, true, VCPU_INFO_GPA);
	hvm_set_value(vm, KVM_XEN_ATTR_TYPE_SHARED_INFO, SHINFO_GPA / PAGE_SIZE);
	vcpu_info_at(*vcpu, VCPU_INFO_GPA);
	return vm;
}

/* LONG_MODE=1, then the guest must find @port's selector and upcall. */
static void long_mode_then_upcall(struct __test_metadata *_metadata,
				  struct kvm_vm *vm, struct kvm_vcpu *vcpu,
				  unsigned int port)
{
	struct ucall uc;

	hvm_set_value(vm, KVM_XEN_ATTR_TYPE_LONG_MODE, 1);
	vcpu_run(vcpu);
	TEST_ASSERT_KVM_EXIT_REASON(vcpu, KVM_EXIT_IO);
	ASSERT_EQ(UCALL_SYNC, get_ucall(vcpu, &uc));
	EXPECT_EQ(1, uc.args[0]) TH_LOG("evtchn_upcall_pending");
	EXPECT_EQ(1ull << (port / 64), uc.args[1]) TH_LOG("evtchn_pending_sel");
}

TEST(timer_restored_before_long_mode)
{
	const unsigned int port = 2000;
	struct kvm_xen_vcpu_attr timer = {
		.type = KVM_XEN_VCPU_ATTR_TYPE_TIMER,
		.u.timer = { .port = port, .priority = PRIO, .expires_ns = 1 },
	};
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint8_t *region;

	vm = vm_before_long_mode(&vcpu, &region);
	ASSERT_EQ(0, vcpu_set(vcpu, &timer));

	timer.u.timer.expires_ns = 0;
	ASSERT_EQ(0, vcpu_get(vcpu, &timer));
	EXPECT_EQ(1, timer.u.timer.expires_ns) TH_LOG("the event was dropped");

	long_mode_then_upcall(_metadata, vm, vcpu, port);
	EXPECT_TRUE(region[PENDING_OFF + port / 8] & 1 << (port % 8));
	ASSERT_EQ(0, vcpu_get(vcpu, &timer));
	EXPECT_EQ(0, timer.u.timer.expires_ns);
	kvm_vm_free(vm);
}

/*
 * Deliberate difference: an owed check is also made when the ABI's width
 * changes.  A route to port 2000 restored while the VM is still in the
 * 32-bit ABI (past its limit: the check is owed), the port pending in the
 * saved shared_info; LONG_MODE=1 makes the check, and the guest finds the
 * selector bit.  Upstream makes no such check at all.
 */
TEST(route_restored_before_long_mode)
{
	const unsigned int port = 2000;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint8_t *region;

	vm = vm_before_long_mode(&vcpu, &region);
	region[PENDING_OFF + port / 8] |= 1 << (port % 8);
	ASSERT_EQ(0, xen_route(vm, ROUTE_GSI, port, 0, PRIO));
	long_mode_then_upcall(_metadata, vm, vcpu, port);
	kvm_vm_free(vm);
}

/*
 * 64-bit vcpu_info at +52 of a cache line: its selector, bytes 60-67,
 * straddles the next line.  Words 0, 31, 32 and 63 all arrive.
 */
TEST(vcpu_info_selector_across_cache_lines)
{
	const unsigned int ports[] = { 5, 31 * 64, 32 * 64 + 1, 4095 };
	uint64_t gpa = VCPU_INFO_GPA - 0x40 + 52, want = 0;
	struct kvm_irq_routing_xen_evtchn e = { .priority = PRIO };
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint8_t *region;
	struct ucall uc;
	unsigned int i;

	vm = xen_vm_create_bare(&vcpu, guest_report, &region, true);
	vcpu_args_set(vcpu, 2, true, gpa);
	hvm_set_value(vm, KVM_XEN_ATTR_TYPE_SHARED_INFO, SHINFO_GPA / PAGE_SIZE);
	vcpu_info_at(vcpu, gpa);
	for (i = 0; i < ARRAY_SIZE(ports); i++) {
		e.port = ports[i];
		ASSERT_EQ(0, __vm_ioctl(vm, KVM_XEN_HVM_EVTCHN_SEND, &e));
		want |= 1ull << (ports[i] / 64);
	}
	EXPECT_EQ(want, *(uint64_t *)(region + (gpa - REGION_GPA) + 8));

	/* Raised again while the vCPU's shadow holds them. */
	memset(region + (gpa - REGION_GPA), 0, 64);
	memset(region + PENDING_OFF, 0, 512);
	vcpu_info_at(vcpu, KVM_XEN_INVALID_GPA);
	for (i = 0; i < ARRAY_SIZE(ports); i++) {
		e.port = ports[i];
		ASSERT_EQ(0, __vm_ioctl(vm, KVM_XEN_HVM_EVTCHN_SEND, &e));
	}
	vcpu_info_at(vcpu, gpa);
	vcpu_run(vcpu);
	TEST_ASSERT_KVM_EXIT_REASON(vcpu, KVM_EXIT_IO);
	ASSERT_EQ(UCALL_SYNC, get_ucall(vcpu, &uc));
	EXPECT_EQ(1, uc.args[0]);
	EXPECT_EQ(want, uc.args[1]);
	kvm_vm_free(vm);
}

TEST_HARNESS_MAIN
