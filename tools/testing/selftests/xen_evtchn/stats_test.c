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
#include "kselftest_harness.h"

#define HC_SET_TIMER_OP		15
#define HC_SCHED_OP		29
#define HC_EVENT_CHANNEL_OP	32
#define EVTCHNOP_send		4
#define SCHEDOP_poll		3
#define EVTCHNSTAT_interdomain	2
#define EVTCHNSTAT_ipi		5
#define MASK_OFF		0xa00
#define POLL_TIMEOUT_NS		2000000ull

/* Ports, all in selector word 0. */
enum {
	P_IPI = 3, P_MASKED = 4, P_LOOP_FROM = 5, P_LOOP_TO = 6, P_EVENTFD = 7,
	P_UNKNOWN = 8, P_TIMER = 9, P_NEVER = 10, P_IOCTL = 11, P_SHADOW = 12,
};

struct sched_poll64 {
	uint64_t ports;
	uint32_t nr_ports;
	uint32_t pad;
	uint64_t timeout;
};

static unsigned long hcall(unsigned long nr, unsigned long a0,
			   unsigned long a1)
{
	unsigned long entry = HCALL_GPA + nr * HCALL_ENTRY_SIZE, ret;

	asm volatile("call *%[entry]"
		     : "=a"(ret), "+D"(a0), "+S"(a1)
		     : [entry] "r"(entry)
		     : "memory", "cc", "rdx", "r10", "r8", "r9");
	return ret;
}

static void send(uint32_t port)
{
	uint32_t *arg = (void *)DATA_GPA;

	WRITE_ONCE(*arg, port);
	GUEST_ASSERT_EQ(hcall(HC_EVENT_CHANNEL_OP, EVTCHNOP_send, DATA_GPA), 0);
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
	GUEST_ASSERT_EQ(hcall(HC_SET_TIMER_OP, 1, 0), 0);
	/* A port that nothing raises: the poll blocks until its timeout. */
	*never = P_NEVER;
	*sp = (struct sched_poll64) {
		.ports = DATA_GPA + 0x200, .nr_ports = 1,
		.timeout = POLL_TIMEOUT_NS,
	};
	GUEST_ASSERT_EQ(hcall(HC_SCHED_OP, SCHEDOP_poll, (unsigned long)sp), 0);
	GUEST_DONE();
}

static void set_port(struct kvm_vm *vm, uint32_t send, uint32_t type,
		     uint32_t to, int fd)
{
	struct kvm_xen_hvm_attr a = {
		.type = KVM_XEN_ATTR_TYPE_EVTCHN,
		.u.evtchn = {
			.send_port = send, .type = type,
			.deliver.port = { .port = to, .priority = PRIO },
		},
	};

	if (fd >= 0)
		a.u.evtchn.deliver.eventfd.fd = fd;
	vm_ioctl(vm, KVM_XEN_HVM_SET_ATTR, &a);
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
	int efd;

	vm = xen_vm_create_ready(&vcpu, guest_code, &region, true);
	efd = eventfd(0, EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	set_port(vm, P_IPI, EVTCHNSTAT_ipi, P_IPI, -1);
	set_port(vm, P_MASKED, EVTCHNSTAT_ipi, P_MASKED, -1);
	set_port(vm, P_LOOP_FROM, EVTCHNSTAT_interdomain, P_LOOP_TO, -1);
	set_port(vm, P_EVENTFD, EVTCHNSTAT_interdomain, 0, efd);
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

	EXPECT_EQ(4, stat(vm, "send_ipi"));		/* 3 + the masked */
	EXPECT_EQ(2, stat(vm, "send_loopback"));
	EXPECT_EQ(1, stat(vm, "send_eventfd"));
	EXPECT_EQ(1, stat(vm, "send_to_vmm"));
	EXPECT_EQ(3, stat(vm, "send_ioctl"));
	EXPECT_EQ(1, stat(vm, "hypercalls_to_vmm"));
	/* IPI, loopback, timer, ioctl and shadow ports, once each... */
	EXPECT_EQ(5, stat(vm, "delivered"));
	/* ...and the IPI twice more, the loopback and ioctl once more. */
	EXPECT_EQ(4, stat(vm, "already_pending"));
	EXPECT_EQ(1, stat(vm, "masked"));
	EXPECT_EQ(1, stat(vm, "shadow_selector"));
	EXPECT_EQ(0, stat(vm, "upcall_vector"));
	EXPECT_EQ(1, stat(vm, "timer_fired"));
	EXPECT_EQ(1, stat(vm, "poll_blocked"));
	/*
	 * Counted only if the host took shared_info's mapping away meanwhile
	 * (the unit tests count it exactly): here, only that it is there.
	 */
	EXPECT_LE(0, stat(vm, "slow_path"));

	close(efd);
	kvm_vm_free(vm);
}

TEST_HARNESS_MAIN
