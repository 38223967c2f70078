// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cost of each Xen event channel path, on whichever KVM is loaded
 * (the bench runs it on the stock KVM and on ours, alternately, in one VM
 * boot).  Guest-side paths are timed by the guest, in TSC cycles per
 * operation around a loop; host-side paths by the host, in nanoseconds.
 * Each result is one line: "bench: PATH VALUE UNIT".
 *
 * Guest paths: a CPUID exit, which runs no Xen code (the floor), a
 * hypercall the kernel answers (xen_version), EVTCHNOP_send
 * to an IPI port (masked, and unmasked with the guest clearing what the
 * delivery set), to a loopback interdomain port, to an eventfd port and
 * to a port the kernel does not know (completed by this VMM),
 * SCHEDOP_poll on a pending port, set_timer_op, and EVTCHNOP_send to an
 * IPI port whose upcall a guest handler takes.  Latencies, medians of
 * SAMPLES in TSC cycles: from arming the timer SET_TIMER_DELTA_NS ahead to
 * the timer VIRQ's upcall handler, and from EVTCHNOP_send on vCPU 0 to
 * the upcall handler of vCPU 1.  Host paths: KVM_XEN_HVM_EVTCHN_SEND, and
 * an eventfd write through an irqfd to an event channel, the guest idle
 * and the guest running.  Scale series: EVTCHNOP_send with 1 to 4095
 * ports bound (send_ports_N), and KVM_XEN_HVM_EVTCHN_SEND to the last
 * vCPU of 1 to 8 (send_vcpus_N).
 *
 * usage: xen_bench [-n GUEST_ITERATIONS] [-N HOST_ITERATIONS]
 */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "xen_test.h"

/* Ports of the bench. */
enum {
	P_IPI_MASKED = 10, P_IPI = 11, P_LOOP_FROM = 12, P_LOOP_TO = 13,
	P_EVENTFD = 14, P_UNKNOWN = 15, P_POLL = 16, P_SEND_IOCTL = 17,
	P_IRQFD = 18, P_TIMER = 19,
};

#define IRQFD_GSI	32
#define UPCALL_VECTOR	0xf3

/* The latencies: the median of SAMPLES. */
#define SAMPLES			200
#define SET_TIMER_DELTA_NS	50000
/* A wait for an event fails after this; and this program after that. */
#define WAIT_LIMIT_S		10
#define TIME_LIMIT_S		300

/* The scale series: ports bound, and vCPUs. */
static const unsigned int scale_ports[] = { 1, 64, 1024, 4095 };
static const unsigned int scale_vcpus[] = { 1, 2, 4, 8 };

/*
 * What the guest runs next, at DATA_GPA: @iterations hypercalls @nr with
 * arguments @a0 and @a1 (0 iterations: done), each after clearing
 * @clear_port's pending bit, the selector and the upcall flag, as a guest
 * handling the event would (0: nothing to clear).  Or, with @spin set, a
 * busy loop until the host clears @spin, having set @spinning first.
 */
struct guest_job {
	uint64_t nr, a0, a1, iterations;
	uint64_t clear_port;
	uint64_t spin, spinning;
};

static void guest_clear(uint64_t port)
{
	uint64_t *pending = (void *)(SHINFO_GPA + PENDING_OFF);
	uint8_t *vi = (void *)VCPU_INFO_GPA;

	pending[port / 64] &= ~(1ull << (port % 64));
	WRITE_ONCE(*(uint64_t *)(vi + 8), 0);
	WRITE_ONCE(vi[0], 0);
}

/*
 * Not a hypercall: a CPUID, which KVM answers without any Xen code.  Its
 * cost is that of an exit and entry alone, the floor under every guest
 * path, measured the same way.
 */
#define JOB_CPUID	UINT64_MAX

static void cpuid_exit(void)
{
	uint32_t eax, ebx, ecx, edx;

	__cpuid(0, 0, &eax, &ebx, &ecx, &edx);
}

static void guest_code(void)
{
	struct guest_job *job = (void *)DATA_GPA;
	uint64_t i, t0, t1;

	wrmsr(XEN_HYPERCALL_MSR, HCALL_GPA);
	for (;;) {
		GUEST_SYNC(0);		/* the host sets the next job */
		if (READ_ONCE(job->spin)) {
			WRITE_ONCE(job->spinning, 1);
			/* No PAUSE, so no PAUSE-loop exits. */
			while (READ_ONCE(job->spin))
				barrier();
			continue;
		}
		if (!READ_ONCE(job->iterations))
			GUEST_DONE();
		t0 = rdtsc();
		for (i = 0; i < job->iterations; i++) {
			if (job->clear_port)
				guest_clear(job->clear_port);
			if (job->nr == JOB_CPUID)
				cpuid_exit();
			else
				xen_page_hypercall(job->nr, job->a0, job->a1);
		}
		t1 = rdtsc();
		GUEST_SYNC((t1 - t0) / job->iterations);
	}
}

/*
 * The upcall paths' guest state, set by the host: the vcpu_info of the
 * vCPU taking upcalls, and the one port its upcalls may carry.
 */
static uint8_t *upcall_vi;
static uint64_t upcall_port;
/*
 * Set by the handler: how many events it took, the TSC at the upcall of
 * the last, and how many upcalls found no event.
 */
static uint64_t events, event_tsc, empty_upcalls;
/* The receiver's count of events it waits for. */
static uint64_t receiver_ready;
/* The guest's struct evtchn_send, to upcall_port (an IPI port). */
static uint32_t upcall_send;

/*
 * The upcall, handled as a Linux guest does: clear evtchn_upcall_pending,
 * take the selector, and in each word it names clear each pending and
 * unmasked port; the only port expected is upcall_port.  An upcall that
 * finds no event is counted, not failed: a Linux guest takes it in its
 * stride, and in the test VM (KVM on QEMU's TCG) one upcall in a few
 * hundred to a few thousand comes again, on either KVM, right after the
 * handler returned, with nothing pending.
 */
static void upcall_handler(struct ex_regs *regs)
{
	uint64_t tsc = rdtsc(), sel, bits, *pending, *mask;
	bool found = false;
	int word, bit;

	pending = (void *)(SHINFO_GPA + PENDING_OFF);
	mask = (void *)(SHINFO_GPA + MASK_OFF);
	WRITE_ONCE(upcall_vi[0], 0);
	sel = __atomic_exchange_n((uint64_t *)(upcall_vi + 8), 0,
				  __ATOMIC_SEQ_CST);
	while (sel) {
		word = __builtin_ctzll(sel);
		sel &= sel - 1;
		bits = READ_ONCE(pending[word]) & ~READ_ONCE(mask[word]);
		while (bits) {
			bit = __builtin_ctzll(bits);
			bits &= bits - 1;
			__atomic_fetch_and(&pending[word], ~BIT_ULL(bit),
					   __ATOMIC_SEQ_CST);
			GUEST_ASSERT_EQ(word * 64 + bit, upcall_port);
			found = true;
		}
	}
	if (!found) {
		WRITE_ONCE(empty_upcalls, empty_upcalls + 1);
		return;
	}
	WRITE_ONCE(event_tsc, tsc);
	WRITE_ONCE(events, events + 1);
}

/* Spin until *@p reaches @value (set by an upcall or the other vCPU). */
static void spin_for(uint64_t *p, uint64_t value)
{
	uint64_t start = rdtsc();

	while (READ_ONCE(*p) < value)
		GUEST_ASSERT(rdtsc() - start <
			     guest_tsc_khz * 1000ull * WAIT_LIMIT_S);
}

/*
 * Spin, taking interrupts, until the handler has taken @count events.  Not
 * a halt: in the test VM a halted vCPU now and then never got its event,
 * on either KVM (the timer's event: the timer reported expired, nothing
 * pending, the vCPU halted), and the run would hang.
 */
static void spin_for_events(uint64_t count)
{
	asm volatile("sti");
	spin_for(&events, count);
	asm volatile("cli");
}

/* send_ipi_upcall: @n sends, each upcall taken at once (interrupts on). */
static void guest_send_upcall(uint64_t n)
{
	uint64_t i, t0;

	wrmsr(XEN_HYPERCALL_MSR, HCALL_GPA);
	asm volatile("sti");
	t0 = rdtsc();
	for (i = 1; i <= n; i++) {
		xen_page_hypercall(HC_EVENT_CHANNEL_OP, EVTCHNOP_send,
				   (uint64_t)&upcall_send);
		GUEST_ASSERT_EQ(READ_ONCE(events), i);
	}
	GUEST_SYNC((rdtsc() - t0) / n);
	GUEST_DONE();
}

/*
 * timer_virq_latency: @n times, arm the timer SET_TIMER_DELTA_NS ahead of
 * the pvclock in vcpu_info, wait, and report the TSC cycles from before
 * arming to the timer's upcall.  The delta is in every sample, on either
 * KVM alike: the ratio of two medians still compares the paths.
 */
static void guest_timer_latency(uint64_t n)
{
	const struct pvclock *pv = (void *)(VCPU_INFO_GPA + VCPU_INFO_TIME_OFF);
	uint64_t i, t0, now;

	wrmsr(XEN_HYPERCALL_MSR, HCALL_GPA);
	GUEST_ASSERT(READ_ONCE(pv->tsc_to_system_mul));
	for (i = 1; i <= n; i++) {
		now = pvclock_read(pv, &t0);
		GUEST_ASSERT_EQ(xen_page_hypercall(HC_SET_TIMER_OP,
						   now + SET_TIMER_DELTA_NS,
						   0), 0);
		spin_for_events(i);
		GUEST_ASSERT(READ_ONCE(event_tsc) > t0);
		GUEST_SYNC(READ_ONCE(event_tsc) - t0);
	}
	GUEST_DONE();
}

/*
 * ipi_cross_vcpu, vCPU 0: @n times, once vCPU 1 waits for it, send to
 * vCPU 1's port and report the TSC cycles from before the send to vCPU 1's
 * handler (the vCPUs of a VM share one TSC).
 */
static void guest_cross_sender(uint64_t n)
{
	uint64_t i, t0;

	wrmsr(XEN_HYPERCALL_MSR, HCALL_GPA);
	for (i = 1; i <= n; i++) {
		spin_for(&receiver_ready, i);
		t0 = rdtsc();
		GUEST_ASSERT_EQ(xen_page_hypercall(HC_EVENT_CHANNEL_OP,
						   EVTCHNOP_send,
						   (uint64_t)&upcall_send), 0);
		spin_for(&events, i);
		GUEST_ASSERT(READ_ONCE(event_tsc) > t0);
		GUEST_SYNC(READ_ONCE(event_tsc) - t0);
	}
	GUEST_DONE();
}

/* ...and vCPU 1: interrupts on, wait for each of the @n events. */
static void guest_cross_receiver(uint64_t n)
{
	uint64_t i;

	asm volatile("sti");
	for (i = 1; i <= n; i++) {
		WRITE_ONCE(receiver_ready, i);
		spin_for(&events, i);
	}
	GUEST_DONE();
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

/* vCPU @vcpu's vcpu_info in @region. */
static uint8_t *vcpu_info(uint8_t *region, unsigned int vcpu)
{
	return region + (VCPU_INFO_GPA - REGION_GPA) + vcpu * VCPU_INFO_SIZE;
}

/* The host side clears what a delivery set, as a guest would. */
static void host_clear(uint8_t *region, unsigned int port, unsigned int vcpu)
{
	uint64_t *pending = (void *)(region + PENDING_OFF);
	uint8_t *vi = vcpu_info(region, vcpu);

	pending[port / 64] &= ~(1ull << (port % 64));
	*(uint64_t *)(vi + 8) = 0;
	vi[0] = 0;
}

/* Whether a delivery of @port to @vcpu left its bits set in @region. */
static bool delivered(uint8_t *region, unsigned int port, unsigned int vcpu)
{
	uint64_t *pending = (void *)(region + PENDING_OFF);
	uint8_t *vi = vcpu_info(region, vcpu);

	return (READ_ONCE(pending[port / 64]) & BIT_ULL(port % 64)) &&
	       (READ_ONCE(*(uint64_t *)(vi + 8)) & BIT_ULL(port / 64)) &&
	       READ_ONCE(vi[0]);
}

/*
 * ns per KVM_XEN_HVM_EVTCHN_SEND of @port to @vcpu, @n of them, each after
 * clearing what the one before set; the last one delivered.
 */
static uint64_t send_ioctls(struct kvm_vm *vm, uint8_t *region,
			    unsigned int port, unsigned int vcpu, uint64_t n)
{
	struct kvm_irq_routing_xen_evtchn e = {
		.port = port, .vcpu = vcpu, .priority = PRIO,
	};
	uint64_t i, t0 = now_ns(), t1;

	for (i = 0; i < n; i++) {
		host_clear(region, port, vcpu);
		vm_ioctl(vm, KVM_XEN_HVM_EVTCHN_SEND, &e);
	}
	t1 = now_ns();
	TEST_ASSERT(delivered(region, port, vcpu),
		    "port %u not delivered to vCPU %u", port, vcpu);
	return (t1 - t0) / n;
}

/*
 * ns per eventfd write through the irqfd, @n of them, each after clearing
 * what the one before set; the last one delivered (at once, or soon from
 * the irqfd's work).
 */
static uint64_t irqfd_writes(struct bench *b, uint64_t n)
{
	uint64_t i, t0 = now_ns(), t1, one = 1;

	for (i = 0; i < n; i++) {
		host_clear(b->region, P_IRQFD, 0);
		TEST_ASSERT(write(b->efd_irq, &one, sizeof(one)) == sizeof(one),
			    "eventfd write");
	}
	t1 = now_ns();
	while (!delivered(b->region, P_IRQFD, 0)) {
		TEST_ASSERT(now_ns() - t1 < WAIT_LIMIT_S * 1000000000ull,
			    "irqfd event not delivered");
		usleep(1000);
	}
	return (t1 - t0) / n;
}

static void *run_spin_job(void *arg)
{
	run_to_sync(arg);
	return NULL;
}

/*
 * irqfd_writes() while another thread has the vCPU in KVM_RUN, the guest
 * in a busy loop with interrupts off.
 */
static uint64_t irqfd_running(struct bench *b, uint64_t n)
{
	uint64_t t0, ns;
	pthread_t thread;

	WRITE_ONCE(b->job->spinning, 0);
	WRITE_ONCE(b->job->spin, 1);
	TEST_ASSERT(!pthread_create(&thread, NULL, run_spin_job, b),
		    "pthread_create");
	t0 = now_ns();
	while (!READ_ONCE(b->job->spinning)) {
		TEST_ASSERT(now_ns() - t0 < WAIT_LIMIT_S * 1000000000ull,
			    "the guest did not start its busy loop");
		usleep(1000);
	}
	ns = irqfd_writes(b, n);
	WRITE_ONCE(b->job->spin, 0);
	pthread_join(thread, NULL);
	return ns;
}

static void host_paths(struct bench *b, uint64_t n)
{
	printf("bench: evtchn_send_ioctl %lu ns\n",
	       send_ioctls(b->vm, b->region, P_SEND_IOCTL, 0, n));
	printf("bench: irqfd_idle %lu ns\n", irqfd_writes(b, n));
	printf("bench: irqfd_running %lu ns\n", irqfd_running(b, n));
}

/* The guest's struct evtchn_send for @port; its guest address. */
static uint64_t send_arg(struct bench *b, uint32_t port)
{
	*(uint32_t *)(b->region + (DATA_GPA - REGION_GPA) + 0x100) = port;
	return DATA_GPA + 0x100;
}

/* Bind @send: to port @to of @vcpu, or to eventfd @fd (not -1). */
/* What a guest reported with GUEST_SYNC. */
struct samples {
	uint64_t v[SAMPLES];
	int n;
};

static void add_sample(uint64_t value, void *ctx)
{
	struct samples *s = ctx;

	TEST_ASSERT(s->n < SAMPLES, "more than %d samples", SAMPLES);
	s->v[s->n++] = value;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void print_median(const char *name, struct samples *s, int n)
{
	TEST_ASSERT(s->n == n, "%s: %d samples, not %d", name, s->n, n);
	qsort(s->v, n, sizeof(s->v[0]), cmp_u64);
	printf("bench: %s %lu cycles\n", name, s->v[(n - 1) / 2]);
}

/*
 * A VM of @nr vCPUs running @guest_code(@n), with the upcall vector and its
 * handler, for the upcalls of vCPU @vcpu that carry port @port.
 */
static struct kvm_vm *upcall_vm(int nr, struct kvm_vcpu **vcpus,
				void *guest_code, uint64_t n,
				unsigned int vcpu, uint32_t port)
{
	struct kvm_vm *vm;
	uint8_t *region;
	int i;

	vm = xen_vm_create_ready_vcpus(nr, vcpus, guest_code, &region, true);
	for (i = 0; i < nr; i++)
		vcpu_args_set(vcpus[i], 1, n);
	vm_install_exception_handler(vm, UPCALL_VECTOR, upcall_handler);
	hvm_set_value(vm, KVM_XEN_ATTR_TYPE_UPCALL_VECTOR, UPCALL_VECTOR);
	upcall_vi = (void *)(VCPU_INFO_GPA + vcpu * VCPU_INFO_SIZE);
	upcall_port = port;
	upcall_send = port;
	sync_global_to_guest(vm, upcall_vi);
	sync_global_to_guest(vm, upcall_port);
	sync_global_to_guest(vm, upcall_send);
	return vm;
}

/* Say how many upcalls found no event, if any, and free @vm. */
static void upcall_vm_free(struct kvm_vm *vm, const char *name)
{
	sync_global_from_guest(vm, empty_upcalls);
	if (empty_upcalls)
		printf("%s: %lu upcall(s) found no event\n", name, empty_upcalls);
	kvm_vm_free(vm);
}

static void send_ipi_upcall(uint64_t n)
{
	struct samples s = {};
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;

	vm = upcall_vm(1, &vcpu, guest_send_upcall, n, 0, P_IPI);
	xen_set_port(vm, P_IPI, EVTCHNSTAT_ipi, P_IPI, 0, -1);
	run_guest_syncs(vcpu, add_sample, &s);
	print_median("send_ipi_upcall", &s, 1);
	upcall_vm_free(vm, "send_ipi_upcall");
}

static void timer_virq_latency(void)
{
	struct kvm_xen_vcpu_attr timer = {
		.type = KVM_XEN_VCPU_ATTR_TYPE_TIMER,
		.u.timer = { .port = P_TIMER, .priority = PRIO },
	};
	struct samples s = {};
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;

	vm = upcall_vm(1, &vcpu, guest_timer_latency, SAMPLES, 0, P_TIMER);
	vcpu_ioctl(vcpu, KVM_XEN_VCPU_SET_ATTR, &timer);
	run_guest_syncs(vcpu, add_sample, &s);
	print_median("timer_virq_latency", &s, SAMPLES);
	upcall_vm_free(vm, "timer_virq_latency");
}

static void *run_receiver(void *vcpu)
{
	struct samples none = {};

	run_guest_syncs(vcpu, add_sample, &none);
	TEST_ASSERT(!none.n, "the receiver reported samples");
	return NULL;
}

static void ipi_cross_vcpu(void)
{
	struct kvm_vcpu *vcpus[2];
	struct samples s = {};
	pthread_t receiver;
	struct kvm_vm *vm;

	vm = upcall_vm(2, vcpus, guest_cross_sender, SAMPLES, 1, P_IPI);
	xen_set_port(vm, P_IPI, EVTCHNSTAT_ipi, P_IPI, 1, -1);
	vcpu_arch_set_entry_point(vcpus[1], guest_cross_receiver);
	TEST_ASSERT(!pthread_create(&receiver, NULL, run_receiver, vcpus[1]),
		    "pthread_create");
	run_guest_syncs(vcpus[0], add_sample, &s);
	pthread_join(receiver, NULL);
	print_median("ipi_cross_vcpu", &s, SAMPLES);
	upcall_vm_free(vm, "ipi_cross_vcpu");
}

/*
 * send_ports_N: EVTCHNOP_send to port N, an IPI port, with ports 1 to N
 * bound (the 64-bit ABI's 4096 ports less the invalid port 0 at most).
 */
static void send_ports(uint64_t n)
{
	struct bench s = {};
	unsigned int i, port = 0;
	char name[32];

	s.vm = xen_vm_create_ready(&s.vcpu, guest_code, &s.region, true);
	s.job = (void *)(s.region + (DATA_GPA - REGION_GPA));
	run_to_sync(&s);
	for (i = 0; i < ARRAY_SIZE(scale_ports); i++) {
		while (port < scale_ports[i]) {
			port++;
			xen_set_port(s.vm, port, EVTCHNSTAT_ipi, port, 0, -1);
		}
		snprintf(name, sizeof(name), "send_ports_%u", port);
		guest_path(&s, name, HC_EVENT_CHANNEL_OP, EVTCHNOP_send,
			   send_arg(&s, port), port, n);
		TEST_ASSERT(delivered(s.region, port, 0),
			    "port %u not delivered", port);
	}
	s.job->iterations = 0;
	vcpu_run(s.vcpu);
	kvm_vm_free(s.vm);
}

/*
 * send_vcpus_N: KVM_XEN_HVM_EVTCHN_SEND to vCPU N - 1 of N, each with its
 * vcpu_info; the vCPUs never run.
 */
static void send_vcpus(uint64_t n)
{
	struct kvm_vcpu *vcpus[8];
	unsigned int i, nr;
	struct kvm_vm *vm;
	uint8_t *region;

	for (i = 0; i < ARRAY_SIZE(scale_vcpus); i++) {
		nr = scale_vcpus[i];
		TEST_ASSERT(nr <= ARRAY_SIZE(vcpus), "%u vCPUs", nr);
		vm = xen_vm_create_ready_vcpus(nr, vcpus, NULL, &region, true);
		printf("bench: send_vcpus_%u %lu ns\n", nr,
		       send_ioctls(vm, region, P_SEND_IOCTL, nr - 1, n));
		kvm_vm_free(vm);
	}
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

	/* A path that hangs (an event never comes) fails the run, soon. */
	alarm(TIME_LIMIT_S);
	b.vm = xen_vm_create_ready(&b.vcpu, guest_code, &b.region, true);
	b.job = (void *)(b.region + (DATA_GPA - REGION_GPA));
	hvm_set_value(b.vm, KVM_XEN_ATTR_TYPE_XEN_VERSION, 0x4000a);
	b.efd_port = eventfd(0, EFD_NONBLOCK);
	b.efd_irq = eventfd(0, EFD_NONBLOCK);
	TEST_ASSERT(b.efd_port >= 0 && b.efd_irq >= 0, "eventfd");

	xen_set_port(b.vm, P_IPI_MASKED, EVTCHNSTAT_ipi, P_IPI_MASKED, 0, -1);
	xen_set_port(b.vm, P_IPI, EVTCHNSTAT_ipi, P_IPI, 0, -1);
	xen_set_port(b.vm, P_LOOP_FROM, EVTCHNSTAT_interdomain, P_LOOP_TO, 0, -1);
	xen_set_port(b.vm, P_EVENTFD, EVTCHNSTAT_interdomain, 0, 0, b.efd_port);
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
	guest_path(&b, "exit_cpuid", JOB_CPUID, 0, 0, 0, n);
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

	send_ipi_upcall(n);
	timer_virq_latency();
	ipi_cross_vcpu();
	send_ports(n);
	send_vcpus(host_n);
	return 0;
}
