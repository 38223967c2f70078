// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMM moves shared_info while events take the slow path: one thread
 * sends events (KVM_XEN_HVM_EVTCHN_SEND) in a loop, another toggles
 * dirty logging on the memslot (each toggle invalidates the mapping, so
 * the next event refreshes it), and the main thread moves shared_info
 * between two pages.  A refresh that read the old address before the
 * move must not map the old page again: after each move, SHARED_INFO get
 * returns the page just set, and at the end an event lands there.
 */

#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "xen_test.h"
#include "../harness.h"

#define PORT	7

struct race {
	struct kvm_vm *vm;
	bool stop;
	unsigned long sends, toggles;
};

static void guest_idle(void)
{
	for (;;)
		GUEST_SYNC(0);
}

static void *sender(void *arg)
{
	struct race *r = arg;
	struct kvm_irq_routing_xen_evtchn e = { .port = PORT, .priority = PRIO };

	/* The name test_slow_refresh.ko looks for (50-shinfo_move.sh). */
	pthread_setname_np(pthread_self(), "shinfo_sender");
	while (!READ_ONCE(r->stop)) {
		__vm_ioctl(r->vm, KVM_XEN_HVM_EVTCHN_SEND, &e);
		r->sends++;
	}
	return NULL;
}

static void *toggler(void *arg)
{
	struct race *r = arg;

	while (!READ_ONCE(r->stop)) {
		vm_mem_region_set_flags(r->vm, REGION_SLOT,
					r->toggles & 1 ? 0 : KVM_MEM_LOG_DIRTY_PAGES);
		r->toggles++;
	}
	vm_mem_region_set_flags(r->vm, REGION_SLOT, 0);
	return NULL;
}

static uint64_t shinfo_gfn(struct kvm_vm *vm)
{
	struct kvm_xen_hvm_attr a = { .type = KVM_XEN_ATTR_TYPE_SHARED_INFO };

	TEST_ASSERT(!hvm_get(vm, &a), "SHARED_INFO get");
	return a.u.shared_info.gfn;
}

TEST(shared_info_moves_under_slow_path_events)
{
	const uint64_t gfn[2] = { SHINFO_GPA / PAGE_SIZE, DATA_GPA / PAGE_SIZE };
	struct kvm_irq_routing_xen_evtchn e = { .port = PORT, .priority = PRIO };
	struct race r = {};
	pthread_t t[2];
	struct timespec t0, now;
	unsigned long moves = 0, wrong = 0;
	struct kvm_vcpu *vcpu;
	uint8_t *region;

	r.vm = xen_vm_create_ready(&vcpu, guest_idle, &region, true);
	pthread_create(&t[0], NULL, sender, &r);
	pthread_create(&t[1], NULL, toggler, &r);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		uint64_t want = gfn[moves & 1];

		hvm_set_value(r.vm, KVM_XEN_ATTR_TYPE_SHARED_INFO, want);
		if (shinfo_gfn(r.vm) != want)
			wrong++;
		moves++;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - t0.tv_sec < 3);
	WRITE_ONCE(r.stop, true);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	TH_LOG("%lu moves, %lu sends, %lu memslot toggles", moves, r.sends,
	       r.toggles);
	EXPECT_LT(0, r.toggles);
	EXPECT_EQ(0, wrong) TH_LOG("SHARED_INFO get returned the other page");

	/* The last page set is where shared_info is, and where events go. */
	EXPECT_EQ(gfn[(moves - 1) & 1], shinfo_gfn(r.vm));
	memset(region + PENDING_OFF, 0, 512);
	memset(region + 3 * PAGE_SIZE + PENDING_OFF, 0, 512);
	ASSERT_EQ(0, __vm_ioctl(r.vm, KVM_XEN_HVM_EVTCHN_SEND, &e));
	EXPECT_TRUE(region[(moves - 1) & 1 ? 3 * PAGE_SIZE + PENDING_OFF :
			   PENDING_OFF] & 1 << PORT);
	EXPECT_FALSE(region[(moves - 1) & 1 ? PENDING_OFF :
			    3 * PAGE_SIZE + PENDING_OFF] & 1 << PORT);
	kvm_vm_free(r.vm);
}

TEST_HARNESS_MAIN
