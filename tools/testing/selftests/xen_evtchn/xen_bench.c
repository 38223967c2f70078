// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cost of each Xen event channel path, on whichever KVM is loaded
 * (the bench runs it on the stock KVM and on ours, alternately, in one VM
 * boot).  Guest-side paths are timed by the guest, in TSC cycles per
 * operation around a loop; host-side paths by the host, in nanoseconds.
 * Each result is one line: "bench: PATH VALUE UNIT".
 *
 * Guest paths: a hypercall the kernel answers (xen_version), EVTCHNOP_send
 * to an IPI port (masked, and unmasked with the guest clearing what the
 * delivery set), to a loopback interdomain port, to an eventfd port and
 * to a port the kernel does not know (completed by this VMM),
 * SCHEDOP_poll on a pending port, and set_timer_op.  Host paths:
 * KVM_XEN_HVM_EVTCHN_SEND, and an eventfd write through an irqfd to an
 * event channel, the guest idle.
 *
 * usage: xen_bench [-n GUEST_ITERATIONS] [-N HOST_ITERATIONS]
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "xen_test.h"

#define HC_SET_TIMER_OP		15
#define HC_XEN_VERSION		17
#define HC_SCHED_OP		29
#define HC_EVENT_CHANNEL_OP	32
#define EVTCHNOP_send		4
#define SCHEDOP_poll		3
#define EVTCHNSTAT_interdomain	2
#define EVTCHNSTAT_ipi		5
#define MASK_OFF		0xa00

/* Ports of the bench. */
enum {
	P_IPI_MASKED = 10, P_IPI = 11, P_LOOP_FROM = 12, P_LOOP_TO = 13,
	P_EVENTFD = 14, P_UNKNOWN = 15, P_POLL = 16, P_SEND_IOCTL = 17,
	P_IRQFD = 18,
};

#define IRQFD_GSI	32

/*
 * What the guest runs next, at DATA_GPA: @iterations hypercalls @nr with
 * arguments @a0 and @a1 (0 iterations: done), each after clearing
 * @clear_port's pending bit, the selector and the upcall flag, as a guest
 * handling the event would (0: nothing to clear).
 */
struct guest_job {
	uint64_t nr, a0, a1, iterations;
	uint64_t clear_port;
};

struct sched_poll64 {
	uint64_t ports;
	uint32_t nr_ports;
	uint32_t pad;
	uint64_t timeout;
};

static unsigned long hypercall(uint64_t nr, uint64_t a0, uint64_t a1)
{
	unsigned long entry = HCALL_GPA + nr * HCALL_ENTRY_SIZE, ret;

	asm volatile("call *%[entry]"
		     : "=a"(ret), "+D"(a0), "+S"(a1)
		     : [entry] "r"(entry)
		     : "memory", "cc", "rdx", "r10", "r8", "r9");
	return ret;
}

static void guest_clear(uint64_t port)
{
	uint64_t *pending = (void *)(SHINFO_GPA + PENDING_OFF);
	uint8_t *vi = (void *)VCPU_INFO_GPA;

	pending[port / 64] &= ~(1ull << (port % 64));
	WRITE_ONCE(*(uint64_t *)(vi + 8), 0);
	WRITE_ONCE(vi[0], 0);
}

static void guest_code(void)
{
	struct guest_job *job = (void *)DATA_GPA;
	uint64_t i, t0, t1;

	wrmsr(XEN_HYPERCALL_MSR, HCALL_GPA);
	for (;;) {
		GUEST_SYNC(0);		/* the host sets the next job */
		if (!READ_ONCE(job->iterations))
			GUEST_DONE();
		t0 = rdtsc();
		for (i = 0; i < job->iterations; i++) {
			if (job->clear_port)
				guest_clear(job->clear_port);
			hypercall(job->nr, job->a0, job->a1);
		}
		t1 = rdtsc();
		GUEST_SYNC((t1 - t0) / job->iterations);
	}
}

struct bench {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	uint8_t *region;
	struct guest_job *job;
	int efd_port, efd_irq;
};

/* Run the guest to its next GUEST_SYNC, completing bounced hypercalls. */
static uint64_t run_to_sync(struct bench *b)
{
	struct ucall uc;

	for (;;) {
		vcpu_run(b->vcpu);
		if (b->vcpu->run->exit_reason == KVM_EXIT_XEN) {
			b->vcpu->run->xen.u.hcall.result = 0;
			continue;
		}
		TEST_ASSERT_KVM_EXIT_REASON(b->vcpu, KVM_EXIT_IO);
		switch (get_ucall(b->vcpu, &uc)) {
		case UCALL_SYNC:
			return uc.args[1];
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		default:
			TEST_FAIL("unexpected ucall");
		}
	}
}

static void guest_path(struct bench *b, const char *name, uint64_t nr,
		       uint64_t a0, uint64_t a1, uint64_t clear_port,
		       uint64_t iterations)
{
	*b->job = (struct guest_job) {
		.nr = nr, .a0 = a0, .a1 = a1, .iterations = iterations,
		.clear_port = clear_port,
	};
	printf("bench: %s %lu cycles\n", name, run_to_sync(b));
	run_to_sync(b);		/* back at the job's sync point */
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ull + t.tv_nsec;
}

/* The host side clears what a delivery set, as a guest would. */
static void host_clear(struct bench *b, unsigned int port)
{
	uint64_t *pending = (void *)(b->region + PENDING_OFF);
	uint8_t *vi = b->region + (VCPU_INFO_GPA - REGION_GPA);

	pending[port / 64] &= ~(1ull << (port % 64));
	*(uint64_t *)(vi + 8) = 0;
	vi[0] = 0;
}

static void host_paths(struct bench *b, uint64_t n)
{
	struct kvm_irq_routing_xen_evtchn e = {
		.port = P_SEND_IOCTL, .priority = PRIO,
	};
	uint64_t i, t0, one = 1;

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		host_clear(b, P_SEND_IOCTL);
		vm_ioctl(b->vm, KVM_XEN_HVM_EVTCHN_SEND, &e);
	}
	printf("bench: evtchn_send_ioctl %lu ns\n", (now_ns() - t0) / n);

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		host_clear(b, P_IRQFD);
		TEST_ASSERT(write(b->efd_irq, &one, sizeof(one)) == sizeof(one),
			    "eventfd write");
	}
	printf("bench: irqfd_idle %lu ns\n", (now_ns() - t0) / n);
}

/* The guest's struct evtchn_send for @port; its guest address. */
static uint64_t send_arg(struct bench *b, uint32_t port)
{
	*(uint32_t *)(b->region + (DATA_GPA - REGION_GPA) + 0x100) = port;
	return DATA_GPA + 0x100;
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

int main(int argc, char *argv[])
{
	uint64_t n = 2000, host_n = 20000, far;
	struct kvm_irqfd irqfd = { .gsi = IRQFD_GSI };
	struct sched_poll64 *poll;
	uint32_t *poll_port;
	struct kvm_clock_data clock;
	struct bench b = {};
	int opt;

	while ((opt = getopt(argc, argv, "n:N:")) != -1) {
		if (opt == 'n')
			n = strtoull(optarg, NULL, 0);
		else if (opt == 'N')
			host_n = strtoull(optarg, NULL, 0);
		else
			return 2;
	}

	b.vm = xen_vm_create_ready(&b.vcpu, guest_code, &b.region, true);
	b.job = (void *)(b.region + (DATA_GPA - REGION_GPA));
	hvm_set_value(b.vm, KVM_XEN_ATTR_TYPE_XEN_VERSION, 0x4000a);
	b.efd_port = eventfd(0, EFD_NONBLOCK);
	b.efd_irq = eventfd(0, EFD_NONBLOCK);
	TEST_ASSERT(b.efd_port >= 0 && b.efd_irq >= 0, "eventfd");

	set_port(b.vm, P_IPI_MASKED, EVTCHNSTAT_ipi, P_IPI_MASKED, -1);
	set_port(b.vm, P_IPI, EVTCHNSTAT_ipi, P_IPI, -1);
	set_port(b.vm, P_LOOP_FROM, EVTCHNSTAT_interdomain, P_LOOP_TO, -1);
	set_port(b.vm, P_EVENTFD, EVTCHNSTAT_interdomain, 0, b.efd_port);
	b.region[MASK_OFF + P_IPI_MASKED / 8] |= 1 << (P_IPI_MASKED % 8);
	b.region[PENDING_OFF + P_POLL / 8] |= 1 << (P_POLL % 8);
	TEST_ASSERT(!xen_route(b.vm, IRQFD_GSI, P_IRQFD, 0, PRIO), "route");
	irqfd.fd = b.efd_irq;
	vm_ioctl(b.vm, KVM_IRQFD, &irqfd);

	/* Guest-side arguments, in the data page after the job. */
	poll = (void *)(b.region + (DATA_GPA - REGION_GPA) + 0x200);
	poll_port = (void *)(b.region + (DATA_GPA - REGION_GPA) + 0x300);
	*poll_port = P_POLL;
	*poll = (struct sched_poll64) { .ports = DATA_GPA + 0x300, .nr_ports = 1 };
	vm_ioctl(b.vm, KVM_GET_CLOCK, &clock);
	far = clock.clock + 1000ull * 1000 * 1000 * 1000;

	run_to_sync(&b);
	guest_path(&b, "null_hypercall", HC_XEN_VERSION, 0, 0, 0, n);
	guest_path(&b, "send_ipi_masked", HC_EVENT_CHANNEL_OP, EVTCHNOP_send,
		   send_arg(&b, P_IPI_MASKED), P_IPI_MASKED, n);
	guest_path(&b, "send_ipi", HC_EVENT_CHANNEL_OP, EVTCHNOP_send,
		   send_arg(&b, P_IPI), P_IPI, n);
	guest_path(&b, "send_loopback", HC_EVENT_CHANNEL_OP, EVTCHNOP_send,
		   send_arg(&b, P_LOOP_FROM), P_LOOP_TO, n);
	guest_path(&b, "send_eventfd", HC_EVENT_CHANNEL_OP, EVTCHNOP_send,
		   send_arg(&b, P_EVENTFD), 0, n);
	guest_path(&b, "send_unknown_to_vmm", HC_EVENT_CHANNEL_OP,
		   EVTCHNOP_send, send_arg(&b, P_UNKNOWN), 0, n / 4);
	guest_path(&b, "poll_pending", HC_SCHED_OP, SCHEDOP_poll,
		   DATA_GPA + 0x200, 0, n);
	guest_path(&b, "set_timer_op", HC_SET_TIMER_OP, far, 0, 0, n);
	host_paths(&b, host_n);

	b.job->iterations = 0;
	vcpu_run(b.vcpu);
	close(b.efd_port);
	close(b.efd_irq);
	kvm_vm_free(b.vm);
	return 0;
}
