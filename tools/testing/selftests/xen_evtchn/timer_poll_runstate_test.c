// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen_evtchn.ko's timer VIRQ, SCHEDOP_poll and runstate, with their bad
 * input: the timer attribute (armed, in the past, stopped, restored), a
 * timer event that finds no shared_info is kept until shared_info is back,
 * a timer set up on an already pending port gets its selector bit; a
 * guest that re-arms in a loop while the VMM moves shared_info and reads
 * and restores the timer never has its armed timer read back as 0;
 * SCHEDOP_poll's bad arguments and its return on a pending port or
 * its timeout; the single-shot timer vcpu_ops and their bad arguments; the
 * runstate attributes' checks and the area across a page boundary with the
 * update flag.
 */

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "xen_test.h"
#include "../harness.h"

#define TIMER_PORT		13
#define RUNSTATE_running	0
#define RUNSTATE_offline	3

FIXTURE(xen) {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	uint8_t *region;
};

static void guest_sync_loop(void)
{
	for (;;)
		GUEST_SYNC(0);
}

FIXTURE_SETUP(xen)
{
	self->vm = xen_vm_create_ready(&self->vcpu, guest_sync_loop,
				       &self->region, true);
}

FIXTURE_TEARDOWN(xen)
{
	kvm_vm_free(self->vm);
}

static int set_timer(struct kvm_vcpu *vcpu, uint32_t port, uint32_t prio,
		     uint64_t expires)
{
	struct kvm_xen_vcpu_attr a = {
		.type = KVM_XEN_VCPU_ATTR_TYPE_TIMER,
		.u.timer = { .port = port, .priority = prio,
			     .expires_ns = expires },
	};

	return vcpu_set(vcpu, &a);
}

static uint64_t timer_expiry(struct __test_metadata *_metadata,
			     struct kvm_vcpu *vcpu)
{
	struct kvm_xen_vcpu_attr a = { .type = KVM_XEN_VCPU_ATTR_TYPE_TIMER };

	EXPECT_EQ(0, vcpu_get(vcpu, &a));
	EXPECT_EQ(PRIO, a.u.timer.priority);
	return a.u.timer.expires_ns;
}

static uint64_t kvmclock_now(struct kvm_vm *vm)
{
	struct kvm_clock_data clock = {};

	vm_ioctl(vm, KVM_GET_CLOCK, &clock);
	return clock.clock;
}

static bool pending(uint8_t *region, unsigned int port)
{
	return region[PENDING_OFF + port / 8] & (1u << (port % 8));
}

static void run_once(struct __test_metadata *_metadata, struct kvm_vcpu *vcpu)
{
	struct ucall uc;

	vcpu_run(vcpu);
	ASSERT_EQ(KVM_EXIT_IO, vcpu->run->exit_reason);
	ASSERT_EQ(UCALL_SYNC, get_ucall(vcpu, &uc));
}

TEST_F(xen, timer_attribute)
{
	uint64_t later = kvmclock_now(self->vm) + 100ull * 1000 * 1000 * 1000;
	struct timespec ms = { .tv_nsec = 1000 * 1000 };
	int i;

	EXPECT_EQ(-EINVAL, set_timer(self->vcpu, TIMER_PORT, PRIO + 1, later));

	/* Armed for 100 s from now: GET returns the deadline, to restore. */
	ASSERT_EQ(0, set_timer(self->vcpu, TIMER_PORT, PRIO, later));
	EXPECT_EQ(later, timer_expiry(_metadata, self->vcpu));
	EXPECT_FALSE(pending(self->region, TIMER_PORT));

	/* Restored with a deadline already past: it fires at once. */
	ASSERT_EQ(0, set_timer(self->vcpu, TIMER_PORT, PRIO, 1));
	for (i = 0; i < 100 && !pending(self->region, TIMER_PORT); i++)
		nanosleep(&ms, NULL);
	EXPECT_TRUE(pending(self->region, TIMER_PORT));
	EXPECT_EQ(0, timer_expiry(_metadata, self->vcpu));

	/* No deadline: not armed; port 0: no timer at all. */
	ASSERT_EQ(0, set_timer(self->vcpu, TIMER_PORT, PRIO, 0));
	EXPECT_EQ(0, timer_expiry(_metadata, self->vcpu));
	ASSERT_EQ(0, set_timer(self->vcpu, 0, 0, later));
	EXPECT_EQ(0, timer_expiry(_metadata, self->vcpu));
}

/* Upstream dropped a timer event that found shared_info deactivated. */
TEST_F(xen, timer_event_waits_for_shared_info)
{
	hvm_set_value(self->vm, KVM_XEN_ATTR_TYPE_SHARED_INFO, KVM_XEN_INVALID_GFN);
	ASSERT_EQ(0, set_timer(self->vcpu, TIMER_PORT, PRIO, 1));
	/* The vCPU tries to deliver it on its way in, and cannot. */
	run_once(_metadata, self->vcpu);
	/* Saved now, it would be restored with its (past) deadline. */
	EXPECT_EQ(1, timer_expiry(_metadata, self->vcpu));
	EXPECT_FALSE(pending(self->region, TIMER_PORT));

	hvm_set_value(self->vm, KVM_XEN_ATTR_TYPE_SHARED_INFO, SHINFO_GPA / PAGE_SIZE);
	run_once(_metadata, self->vcpu);
	EXPECT_TRUE(pending(self->region, TIMER_PORT));
	EXPECT_EQ(0, timer_expiry(_metadata, self->vcpu));
}

/* A timer set up on a port already pending gets its selector bit. */
TEST_F(xen, pending_port_gets_selector_on_timer)
{
	uint64_t later = kvmclock_now(self->vm) + 100ull * 1000 * 1000 * 1000;
	uint64_t *sel = (void *)(self->region + PAGE_SIZE + 0x40 + 8);

	self->region[PENDING_OFF + TIMER_PORT / 8] |= 1u << (TIMER_PORT % 8);
	ASSERT_EQ(0, set_timer(self->vcpu, TIMER_PORT, PRIO, later));
	EXPECT_EQ(1, *sel);
}

/*
 * The guest, in a loop: a timer in the past (it fires at once, and waits
 * if shared_info is away), then re-armed far ahead, at the deadline the
 * host left at DATA_GPA, which it reports.
 */
static void guest_rearm(void)
{
	unsigned long entry = HCALL_GPA + HC_SET_TIMER_OP * HCALL_ENTRY_SIZE;
	uint64_t *far = (void *)DATA_GPA;
	unsigned long ret, arg;

	wrmsr(XEN_HYPERCALL_MSR, HCALL_GPA);
	for (;;) {
		arg = 1;
		asm volatile("call *%[entry]"
			     : "=a"(ret), "+D"(arg)
			     : [entry] "r"(entry)
			     : "memory", "cc", "rsi", "rdx");
		arg = READ_ONCE(*far);
		asm volatile("call *%[entry]"
			     : "=a"(ret), "+D"(arg)
			     : [entry] "r"(entry)
			     : "memory", "cc", "rsi", "rdx");
		GUEST_SYNC(READ_ONCE(*far));
	}
}

struct toggler {
	struct kvm_vm *vm;
	bool stop;
	unsigned long toggles;
};

/* The VMM's other thread: shared_info away and back, again and again. */
static void *toggle_shared_info(void *arg)
{
	struct toggler *t = arg;

	while (!READ_ONCE(t->stop)) {
		hvm_set_value(t->vm, KVM_XEN_ATTR_TYPE_SHARED_INFO,
			      KVM_XEN_INVALID_GFN);
		hvm_set_value(t->vm, KVM_XEN_ATTR_TYPE_SHARED_INFO,
			      SHINFO_GPA / PAGE_SIZE);
		t->toggles++;
	}
	return NULL;
}

TEST_F(xen, rearm_races_shared_info_and_timer_get)
{
	uint64_t *far = (void *)(self->region + 3 * PAGE_SIZE);
	struct toggler t = { .vm = self->vm };
	struct timespec t0, now;
	unsigned long rounds = 0;
	pthread_t thread;
	struct ucall uc;

	*far = kvmclock_now(self->vm) + 1000ull * 1000 * 1000 * 1000;
	ASSERT_EQ(0, set_timer(self->vcpu, TIMER_PORT, PRIO, 0));
	vcpu_arch_set_entry_point(self->vcpu, guest_rearm);
	pthread_create(&thread, NULL, toggle_shared_info, &t);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		vcpu_run(self->vcpu);
		ASSERT_EQ(UCALL_SYNC, get_ucall(self->vcpu, &uc));
		/* Armed at *far: so it must read back, never as 0. */
		ASSERT_EQ(*far, timer_expiry(_metadata, self->vcpu))
			TH_LOG("round %lu", rounds);
		if (rounds % 8 == 0)	/* and restored as read */
			ASSERT_EQ(0, set_timer(self->vcpu, TIMER_PORT, PRIO, *far));
		rounds++;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - t0.tv_sec < 3);
	WRITE_ONCE(t.stop, true);
	pthread_join(thread, NULL);
	TH_LOG("%lu rounds, %lu shared_info moves", rounds, t.toggles);
	EXPECT_LT(0, t.toggles);
}

/* The guest polls with the struct sched_poll at DATA_GPA; each result is
 * reported with GUEST_SYNC.
 */
static void guest_poll(void)
{
	struct sched_poll64 *sp = (void *)DATA_GPA;
	unsigned long entry = HCALL_GPA + HC_SCHED_OP * HCALL_ENTRY_SIZE;
	unsigned long ret;

	wrmsr(XEN_HYPERCALL_MSR, HCALL_GPA);
	for (;;) {
		unsigned long cmd = SCHEDOP_poll, arg = (unsigned long)sp;

		GUEST_SYNC(0);	/* the host sets up the arguments */
		asm volatile("call *%[entry]"
			     : "=a"(ret), "+D"(cmd), "+S"(arg)
			     : [entry] "r"(entry)
			     : "memory", "cc", "rdx");
		GUEST_SYNC(ret);
	}
}

/* One round of the guest's loop: the hypercall's result. */
static int64_t hypercall_once(struct __test_metadata *_metadata,
			      struct kvm_vcpu *vcpu)
{
	struct ucall uc;

	vcpu_run(vcpu);
	EXPECT_EQ(UCALL_SYNC, get_ucall(vcpu, &uc));
	run_once(_metadata, vcpu);	/* back to the next setup point */
	return uc.args[1];
}

TEST_F(xen, schedop_poll)
{
	struct sched_poll64 *sp = (void *)(self->region + 3 * PAGE_SIZE);
	uint32_t *ports = (void *)(self->region + 3 * PAGE_SIZE + 0x100);
	struct timespec t0, t1;
	int64_t ns;

	vcpu_arch_set_entry_point(self->vcpu, guest_poll);
	run_once(_metadata, self->vcpu);

	/* Bad arguments. */
	sp->ports = DATA_GPA + 0x100;
	sp->nr_ports = 129;
	EXPECT_EQ(-EINVAL, hypercall_once(_metadata, self->vcpu));
	sp->nr_ports = 1;
	ports[0] = 4096;
	EXPECT_EQ(-EINVAL, hypercall_once(_metadata, self->vcpu));
	sp->ports = UNMAPPED_GPA;
	EXPECT_EQ(-EFAULT, hypercall_once(_metadata, self->vcpu));

	/* A port already pending: at once. */
	sp->ports = DATA_GPA + 0x100;
	ports[0] = 7;
	ports[1] = 9;
	sp->nr_ports = 2;
	self->region[PENDING_OFF + 1] = 1u << (9 - 8);
	EXPECT_EQ(0, hypercall_once(_metadata, self->vcpu));

	/* Nothing pending: back after the timeout (50 ms). */
	self->region[PENDING_OFF + 1] = 0;
	sp->timeout = 50 * 1000 * 1000;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(0, hypercall_once(_metadata, self->vcpu));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (t1.tv_sec - t0.tv_sec) * 1000000000ll + t1.tv_nsec - t0.tv_nsec;
	EXPECT_LE(40 * 1000 * 1000, ns);
}

/*
 * The guest's single-shot timer vcpu_ops, with the host's arguments at
 * DATA_GPA: { cmd, vcpu_id, argument address }, each result synced.
 */
static void guest_vcpu_op(void)
{
	uint64_t *req = (void *)DATA_GPA;
	unsigned long entry = HCALL_GPA + HC_VCPU_OP * HCALL_ENTRY_SIZE;
	unsigned long ret;

	wrmsr(XEN_HYPERCALL_MSR, HCALL_GPA);
	for (;;) {
		unsigned long cmd, id, arg;

		GUEST_SYNC(0);	/* the host sets up the arguments */
		cmd = READ_ONCE(req[0]);
		id = READ_ONCE(req[1]);
		arg = READ_ONCE(req[2]);
		asm volatile("call *%[entry]"
			     : "=a"(ret), "+D"(cmd), "+S"(id), "+d"(arg)
			     : [entry] "r"(entry)
			     : "memory", "cc");
		GUEST_SYNC(ret);
	}
}

TEST_F(xen, singleshot_timer_vcpu_op)
{
	uint64_t *req = (void *)(self->region + 3 * PAGE_SIZE);
	uint64_t *oneshot = (void *)(self->region + 3 * PAGE_SIZE + 0x100);
	uint64_t later = kvmclock_now(self->vm) + 100ull * 1000 * 1000 * 1000;

	vcpu_arch_set_entry_point(self->vcpu, guest_vcpu_op);
	ASSERT_EQ(0, set_timer(self->vcpu, TIMER_PORT, PRIO, 0));
	run_once(_metadata, self->vcpu);

	/* Another vCPU's id, an unreadable argument. */
	req[0] = VCPUOP_set_singleshot_timer;
	req[1] = 1;
	req[2] = DATA_GPA + 0x100;
	EXPECT_EQ(-EINVAL, hypercall_once(_metadata, self->vcpu));
	req[1] = 0;
	req[2] = UNMAPPED_GPA;
	EXPECT_EQ(-EFAULT, hypercall_once(_metadata, self->vcpu));
	EXPECT_EQ(0, timer_expiry(_metadata, self->vcpu));

	/* Armed by the guest, seen by the VMM; then stopped. */
	oneshot[0] = later;
	oneshot[1] = 0;
	req[2] = DATA_GPA + 0x100;
	EXPECT_EQ(0, hypercall_once(_metadata, self->vcpu));
	EXPECT_EQ(later, timer_expiry(_metadata, self->vcpu));
	req[0] = VCPUOP_stop_singleshot_timer;
	req[1] = 1;
	EXPECT_EQ(-EINVAL, hypercall_once(_metadata, self->vcpu));
	req[1] = 0;
	EXPECT_EQ(0, hypercall_once(_metadata, self->vcpu));
	EXPECT_EQ(0, timer_expiry(_metadata, self->vcpu));
}

static int runstate(struct kvm_vcpu *vcpu, uint16_t type, uint64_t state,
		    uint64_t entry, uint64_t t0, uint64_t t1, uint64_t t2,
		    uint64_t t3)
{
	struct kvm_xen_vcpu_attr a = {
		.type = type,
		.u.runstate = {
			.state = state, .state_entry_time = entry,
			.time_running = t0, .time_runnable = t1,
			.time_blocked = t2, .time_offline = t3,
		},
	};

	return vcpu_set(vcpu, &a);
}

TEST_F(xen, runstate_bad_input)
{
	struct kvm_xen_vcpu_attr a = { .type = KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADDR };
	uint64_t far = kvmclock_now(self->vm) + 1000ull * 1000 * 1000 * 1000;

	EXPECT_EQ(-ENOENT, vcpu_get(self->vcpu, &a));
	a.u.gpa = UNMAPPED_GPA;
	EXPECT_EQ(-EFAULT, vcpu_set(self->vcpu, &a));

	EXPECT_EQ(-EINVAL, runstate(self->vcpu, KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_CURRENT,
				    RUNSTATE_offline + 1, 0, 0, 0, 0, 0));
	EXPECT_EQ(-EINVAL, runstate(self->vcpu, KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_DATA,
				    RUNSTATE_offline + 1, 0, 0, 0, 0, 0));
	/* The times must add up to the entry time... */
	EXPECT_EQ(-EINVAL, runstate(self->vcpu, KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_DATA,
				    RUNSTATE_running, 10, 1, 2, 3, 5));
	/* ...which must not be in the future. */
	EXPECT_EQ(-EINVAL, runstate(self->vcpu, KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_DATA,
				    RUNSTATE_running, far, far, 0, 0, 0));
	EXPECT_EQ(0, runstate(self->vcpu, KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_DATA,
			      RUNSTATE_running, 10, 1, 2, 3, 4));
	EXPECT_EQ(-EINVAL, runstate(self->vcpu, KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADJUST,
				    RUNSTATE_offline + 1, 0, 0, 0, 0, 0));
	EXPECT_EQ(-EINVAL, runstate(self->vcpu, KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADJUST,
				    -1, 3, 1, 1, 0, 0));
	EXPECT_EQ(0, runstate(self->vcpu, KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADJUST,
			      -1, 2, 1, 1, 0, 0));
	a.type = KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADJUST;
	EXPECT_EQ(-EINVAL, vcpu_get(self->vcpu, &a));

	a.type = KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_DATA;
	ASSERT_EQ(0, vcpu_get(self->vcpu, &a));
	EXPECT_EQ(RUNSTATE_running, a.u.runstate.state);
	EXPECT_EQ(12, a.u.runstate.state_entry_time);
	EXPECT_EQ(2, a.u.runstate.time_running);
	EXPECT_EQ(3, a.u.runstate.time_runnable);
}

TEST_F(xen, runstate_area_across_pages_with_update_flag)
{
	/* 48 bytes from 20 before the end of the page: 28 spill over. */
	uint64_t gpa = REGION_GPA + 2 * PAGE_SIZE - 20;
	struct kvm_xen_vcpu_attr a = {
		.type = KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADDR, .u.gpa = gpa,
	};
	struct kvm_xen_hvm_attr flag = {
		.type = KVM_XEN_ATTR_TYPE_RUNSTATE_UPDATE_FLAG,
		.u.runstate_update_flag = 1,
	};
	uint8_t *rs = self->region + (gpa - REGION_GPA);
	uint64_t entry, times[4];
	int32_t state;

	vm_ioctl(self->vm, KVM_XEN_HVM_SET_ATTR, &flag);
	flag.u.runstate_update_flag = 0;
	vm_ioctl(self->vm, KVM_XEN_HVM_GET_ATTR, &flag);
	EXPECT_EQ(1, flag.u.runstate_update_flag);

	ASSERT_EQ(0, runstate(self->vcpu, KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_DATA,
			      RUNSTATE_running, 10, 1, 2, 3, 4));
	memset(rs, 0xa5, 56);
	ASSERT_EQ(0, vcpu_set(self->vcpu, &a));
	ASSERT_EQ(0, vcpu_get(self->vcpu, &a));
	EXPECT_EQ(gpa, a.u.gpa);

	memcpy(&state, rs, sizeof(state));
	memcpy(&entry, rs + 8, sizeof(entry));
	memcpy(times, rs + 16, sizeof(times));
	EXPECT_EQ(RUNSTATE_running, state);
	EXPECT_EQ(10, entry);	/* and XEN_RUNSTATE_UPDATE clear again */
	EXPECT_EQ(1, times[0]);
	EXPECT_EQ(4, times[3]);
	EXPECT_EQ(0xa5, rs[48]);	/* nothing past the end */
}

TEST_HARNESS_MAIN
