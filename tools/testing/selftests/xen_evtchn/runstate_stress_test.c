// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runstate updates under preemption and invalidation: the vCPU thread and
 * a CPU hog share one CPU, so that the vCPU is preempted (its runstate
 * written from the scheduler's preemption notifier), while another
 * thread flips the protection of the runstate area's pages, so that
 * every flip invalidates both pfn caches of an area that crosses a page
 * (their locks taken for writing).  Lockdep (the lanes' kernels, PREEMPT_RT
 * among them) must report nothing and the vCPU must keep running; at the
 * end the area holds a consistent runstate: no update flag left, and the
 * times adding up to the entry time.
 *
 * And a VMM's vCPU ioctls preempted by the same hog: outside KVM_RUN the
 * vCPU is not running the guest, so a preemption there must not change
 * its runstate (6.1's KVM counted it as preempted in any vCPU ioctl).
 */

#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <time.h>

#include "xen_test.h"
#include "../harness.h"

/* 48 bytes (64-bit ABI), 24 of them in page 2 and 24 in page 3. */
#define RS_GPA		(REGION_GPA + 3 * PAGE_SIZE - 24)
#define RS_UPDATE	BIT_ULL(63)

struct stress {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	void *pages;		/* pages 2 and 3 of the region */
	bool stop;
	unsigned long runs, flips, hogs;
};

static void guest_spin(void)
{
	for (;;) {
		for (int i = 0; i < 20000; i++)
			asm volatile("pause");
		GUEST_SYNC(0);
	}
}

static void pin_to_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	TEST_ASSERT(!sched_setaffinity(0, sizeof(set), &set), "pin to CPU 0");
}

static void *vcpu_thread(void *arg)
{
	struct stress *s = arg;
	struct ucall uc;

	pin_to_cpu0();
	while (!READ_ONCE(s->stop)) {
		vcpu_run(s->vcpu);
		TEST_ASSERT_KVM_EXIT_REASON(s->vcpu, KVM_EXIT_IO);
		TEST_ASSERT(get_ucall(s->vcpu, &uc) == UCALL_SYNC, "ucall");
		s->runs++;
	}
	return NULL;
}

static void *hog_thread(void *arg)
{
	struct stress *s = arg;

	pin_to_cpu0();
	while (!READ_ONCE(s->stop))
		s->hogs++;
	return NULL;
}

static void *flip_thread(void *arg)
{
	struct stress *s = arg;

	while (!READ_ONCE(s->stop)) {
		mprotect(s->pages, 2 * PAGE_SIZE, PROT_READ);
		mprotect(s->pages, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
		s->flips++;
	}
	return NULL;
}

TEST(runstate_under_preemption_and_invalidation)
{
	struct kvm_xen_vcpu_attr addr = {
		.type = KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADDR,
		.u.gpa = RS_GPA,
	};
	struct kvm_xen_hvm_attr flag = {
		.type = KVM_XEN_ATTR_TYPE_RUNSTATE_UPDATE_FLAG,
		.u.runstate_update_flag = 1,
	};
	struct stress s = {};
	struct timespec t0, now;
	uint64_t area[6], sum;
	pthread_t t[3];
	uint8_t *region;
	int i;

	ASSERT_TRUE(xen_cap(KVM_XEN_HVM_CONFIG_RUNSTATE));
	ASSERT_TRUE(xen_cap(KVM_XEN_HVM_CONFIG_RUNSTATE_UPDATE_FLAG));

	s.vm = xen_vm_create_ready(&s.vcpu, guest_spin, &region, true);
	ASSERT_EQ(0, hvm_set(s.vm, &flag));
	ASSERT_EQ(0, vcpu_set(s.vcpu, &addr));
	s.pages = region + 2 * PAGE_SIZE;

	pthread_create(&t[0], NULL, vcpu_thread, &s);
	pthread_create(&t[1], NULL, hog_thread, &s);
	pthread_create(&t[2], NULL, flip_thread, &s);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		usleep(100 * 1000);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - t0.tv_sec < 3);
	WRITE_ONCE(s.stop, true);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	TH_LOG("%lu guest exits, %lu protection flips", s.runs, s.flips);
	EXPECT_LT(0, s.runs);
	EXPECT_LT(0, s.flips);

	/* One more run with nothing in the way: the area is written. */
	vcpu_run(s.vcpu);
	TEST_ASSERT_KVM_EXIT_REASON(s.vcpu, KVM_EXIT_IO);
	memcpy(area, region + (RS_GPA - REGION_GPA), sizeof(area));
	EXPECT_EQ(0, area[1] & RS_UPDATE) TH_LOG("update flag left set");
	for (sum = 0, i = 2; i < 6; i++)
		sum += area[i];
	EXPECT_EQ(area[1] & ~RS_UPDATE, sum)
		TH_LOG("state %lu entry %lu times %lu %lu %lu %lu", area[0],
		       area[1], area[2], area[3], area[4], area[5]);
	kvm_vm_free(s.vm);
}

static void runstate_of(struct kvm_vcpu *vcpu, uint64_t rs[6])
{
	struct kvm_xen_vcpu_attr d = {
		.type = KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_DATA,
	};

	TEST_ASSERT(!vcpu_get(vcpu, &d), "RUNSTATE_DATA get");
	rs[0] = d.u.runstate.state;
	rs[1] = d.u.runstate.state_entry_time;
	rs[2] = d.u.runstate.time_running;
	rs[3] = d.u.runstate.time_runnable;
	rs[4] = d.u.runstate.time_blocked;
	rs[5] = d.u.runstate.time_offline;
}

static long preemptions(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_nivcsw;
}

/*
 * The runstate the guest saw last (running, since its last exit) stays as
 * it is while the VMM's ioctls on the vCPU are preempted: the area after
 * each RUNSTATE_ADJUST write and each RUNSTATE_DATA get are the same as
 * before the loop.  The loop runs until its thread was preempted 200 times
 * (or for 20 s), so that many preemptions land inside an ioctl.
 */
TEST(preempted_vcpu_ioctls_keep_runstate)
{
	struct kvm_xen_vcpu_attr addr = {
		.type = KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADDR,
		.u.gpa = RS_GPA,
	};
	struct kvm_xen_vcpu_attr write = {
		.type = KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADJUST,
		.u.runstate.state = (uint64_t)-1,
	};
	uint64_t before[6], got[6], area[6];
	struct stress s = {};
	struct timespec t0, now;
	long loops = 0, first, preempted;
	uint8_t *region;
	pthread_t hog;

	ASSERT_TRUE(xen_cap(KVM_XEN_HVM_CONFIG_RUNSTATE));
	s.vm = xen_vm_create_ready(&s.vcpu, guest_spin, &region, true);
	ASSERT_EQ(0, vcpu_set(s.vcpu, &addr));
	vcpu_run(s.vcpu);
	TEST_ASSERT_KVM_EXIT_REASON(s.vcpu, KVM_EXIT_IO);
	runstate_of(s.vcpu, before);
	ASSERT_EQ(0, before[0]);		/* RUNSTATE_running */

	pin_to_cpu0();
	pthread_create(&hog, NULL, hog_thread, &s);
	first = preemptions();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		ASSERT_EQ(0, vcpu_set(s.vcpu, &write));
		memcpy(area, region + (RS_GPA - REGION_GPA), sizeof(area));
		runstate_of(s.vcpu, got);
		loops++;
		if (memcmp(area, before, sizeof(area)) ||
		    memcmp(got, before, sizeof(got)))
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (preemptions() - first < 200 && now.tv_sec - t0.tv_sec < 20);
	preempted = preemptions() - first;
	WRITE_ONCE(s.stop, true);
	pthread_join(hog, NULL);
	TH_LOG("%ld ioctl pairs, %ld preemptions", loops, preempted);
	/* Not preempted at all would prove nothing. */
	EXPECT_LE(200, preempted);
	EXPECT_EQ(0, memcmp(area, before, sizeof(area)))
		TH_LOG("area: state %lu entry %lu times %lu %lu %lu %lu",
		       area[0], area[1], area[2], area[3], area[4], area[5]);
	EXPECT_EQ(0, memcmp(got, before, sizeof(got)))
		TH_LOG("get: state %lu entry %lu times %lu %lu %lu %lu", got[0],
		       got[1], got[2], got[3], got[4], got[5]);
	EXPECT_EQ(0, before[1] - before[2] - before[3] - before[4] - before[5]);
	kvm_vm_free(s.vm);
}

TEST_HARNESS_MAIN
