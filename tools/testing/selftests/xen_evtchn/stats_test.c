// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen_evtchn.ko's per-VM counters: a guest and its VMM do a known set of
 * sends, deliveries, timer events and polls, and xen_evtchn_stats in the
 * VM's debugfs directory must then say exactly that.  Needs debugfs
 * mounted at /sys/kernel/debug; run with xen_evtchn.ko loaded.
 */

#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "xen_test.h"
#include "../harness.h"

#define POLL_TIMEOUT_NS		2000000ull

/* Ports, all in selector word 0. */
enum {
	P_IPI = 3, P_MASKED = 4, P_LOOP_FROM = 5, P_LOOP_TO = 6, P_EVENTFD = 7,
	P_UNKNOWN = 8, P_TIMER = 9, P_NEVER = 10, P_IOCTL = 11, P_SHADOW = 12,
};

static void send(uint32_t port)
{
	uint32_t *arg = (void *)DATA_GPA;

	WRITE_ONCE(*arg, port);
	GUEST_ASSERT_EQ(xen_page_hypercall(HC_EVENT_CHANNEL_OP, EVTCHNOP_send,
					   DATA_GPA), 0);
}

static void guest_code(void)
{
	struct sched_poll64 *sp = (void *)(DATA_GPA + 0x100);
	uint32_t *never = (void *)(DATA_GPA + 0x200);
	int i;

	wrmsr(XEN_HYPERCALL_MSR, HCALL_GPA);
	for (i = 0; i < 3; i++)
		send(P_IPI);
	send(P_MASKED);
	send(P_LOOP_FROM);
	send(P_LOOP_FROM);
	send(P_EVENTFD);
	send(P_UNKNOWN);
	/* A deadline long past: the timer fires at once. */
	GUEST_ASSERT_EQ(xen_page_hypercall(HC_SET_TIMER_OP, 1, 0), 0);
	/* A port that nothing raises: the poll blocks until its timeout. */
	*never = P_NEVER;
	*sp = (struct sched_poll64) {
		.ports = DATA_GPA + 0x200, .nr_ports = 1,
		.timeout = POLL_TIMEOUT_NS,
	};
	GUEST_ASSERT_EQ(xen_page_hypercall(HC_SCHED_OP, SCHEDOP_poll,
					   (unsigned long)sp), 0);
	GUEST_DONE();
}

static void vmm_send(struct kvm_vm *vm, uint32_t port)
{
	struct kvm_irq_routing_xen_evtchn e = { .port = port, .priority = PRIO };

	vm_ioctl(vm, KVM_XEN_HVM_EVTCHN_SEND, &e);
}

/* The counter @name of @vm, from its debugfs file; -1 if absent. */
static long long stat(struct kvm_vm *vm, const char *name)
{
	char path[96], key[64];
	long long val, ret = -1;
	FILE *f;

	snprintf(path, sizeof(path),
		 "/sys/kernel/debug/kvm/%d-%d/xen_evtchn_stats", getpid(),
		 vm->fd);
	f = fopen(path, "r");
	TEST_ASSERT(f, "open %s", path);
	while (fscanf(f, "%63s %lld", key, &val) == 2)
		if (!strcmp(key, name))
			ret = val;
	fclose(f);
	return ret;
}

/* What the workload below makes each counter. */
static const struct {
	const char *name;
	long long count;
} expected[] = {
	{ "send_ipi", 4 },		/* 3, and the masked port */
	{ "send_loopback", 2 },
	{ "send_eventfd", 1 },
	{ "send_to_vmm", 1 },
	{ "send_ioctl", 3 },
	{ "hypercalls_to_vmm", 1 },
	/* IPI, loopback, timer, ioctl and shadow ports once each... */
	{ "delivered", 5 },
	/* ...and the IPI twice more, the loopback and ioctl once more. */
	{ "already_pending", 4 },
	{ "masked", 1 },
	{ "shadow_selector", 1 },
	{ "upcall_vector", 0 },
	{ "timer_fired", 1 },
	{ "poll_blocked", 1 },
};

TEST(counters_follow_a_known_workload)
{
	struct kvm_xen_vcpu_attr timer = {
		.type = KVM_XEN_VCPU_ATTR_TYPE_TIMER,
		.u.timer = { .port = P_TIMER, .priority = PRIO },
	};
	struct kvm_vcpu *vcpu;
	struct ucall uc;
	struct kvm_vm *vm;
	uint8_t *region;
	uint64_t one;
	unsigned int i;
	int efd;

	vm = xen_vm_create_ready(&vcpu, guest_code, &region, true);
	efd = eventfd(0, EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	xen_set_port(vm, P_IPI, EVTCHNSTAT_ipi, P_IPI, 0, -1);
	xen_set_port(vm, P_MASKED, EVTCHNSTAT_ipi, P_MASKED, 0, -1);
	xen_set_port(vm, P_LOOP_FROM, EVTCHNSTAT_interdomain, P_LOOP_TO, 0, -1);
	xen_set_port(vm, P_EVENTFD, EVTCHNSTAT_interdomain, 0, 0, efd);
	region[MASK_OFF + P_MASKED / 8] |= 1 << (P_MASKED % 8);
	vcpu_ioctl(vcpu, KVM_XEN_VCPU_SET_ATTR, &timer);
	EXPECT_EQ(0, stat(vm, "delivered"));

	for (;;) {
		vcpu_run(vcpu);
		if (vcpu->run->exit_reason == KVM_EXIT_XEN) {
			vcpu->run->xen.u.hcall.result = 0;
			continue;
		}
		TEST_ASSERT_KVM_EXIT_REASON(vcpu, KVM_EXIT_IO);
		if (get_ucall(vcpu, &uc) == UCALL_DONE)
			break;
		REPORT_GUEST_ASSERT(uc);
	}
	EXPECT_EQ(sizeof(one), read(efd, &one, sizeof(one)));
	EXPECT_EQ(1, one);

	/* The VMM's sends: one delivered, one already pending... */
	vmm_send(vm, P_IOCTL);
	vmm_send(vm, P_IOCTL);
	/* ...and one while vcpu_info is away: its selector waits. */
	vcpu_info_at(vcpu, KVM_XEN_INVALID_GPA);
	vmm_send(vm, P_SHADOW);

	for (i = 0; i < ARRAY_SIZE(expected); i++)
		EXPECT_EQ(expected[i].count, stat(vm, expected[i].name));
	/*
	 * Counted only if the host took shared_info's mapping away meanwhile
	 * (the unit tests count it exactly): here, only that it is there.
	 */
	EXPECT_LE(0, stat(vm, "slow_path"));

	close(efd);
	kvm_vm_free(vm);
}

TEST_HARNESS_MAIN
