// SPDX-License-Identifier: GPL-2.0-only
/*
 * A seeded, reproducible fuzzer of the Xen paths of KVM: random sequences
 * of the VM and vCPU Xen attributes, KVM_XEN_HVM_EVTCHN_SEND, Xen routing
 * entries with irqfds and eventfd writes, memslot changes under
 * shared_info and vcpu_info (by GPA and by HVA), both guest ABIs, and the
 * guest's hypercalls, with bad and
 * boundary values (GPAs past a memslot or across a page, ports 0, the
 * limit and past it, unknown types and flags, bad fds).  One vCPU runs the
 * guest's hypercalls on a thread of its own while the main thread moves
 * shared_info and vcpu_info under it; now and then the whole VM goes and a
 * new one comes, with everything still armed.
 *
 * Every ioctl must succeed or fail with one of the errnos the UAPI
 * documents; anything else fails the run.  The kernel's side is judged by
 * its log (the VM runner fails a run on any splat, and the debug lane
 * checks with lockdep, KASAN and kmemleak).
 *
 * usage: xen_fuzz [-s SEED] [-n OPS]   (prints the seed; the same seed
 *        replays the same sequence of operations)
 */

#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <linux/compiler.h>

#include "xen_test.h"

#define EXTRA_GPA	0xd0000000ULL	/* a memslot that comes and goes */
#define EXTRA_SLOT	(REGION_SLOT + 1)
#define GSI		5
#define NR_VCPUS	2
#define HCALL_OP	(DATA_GPA + 0x800)	/* the guest's next hypercall */

static uint64_t rng_state;

/* xorshift64*: small, fast and the same everywhere for a seed. */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t pick(const uint64_t *vals, size_t n)
{
	return vals[rnd() % n];
}

#define PICK(...) ({							\
	const uint64_t __v[] = { __VA_ARGS__ };				\
	pick(__v, ARRAY_SIZE(__v));					\
})

static uint64_t any_gpa(void)
{
	return PICK(SHINFO_GPA, VCPU_INFO_GPA, DATA_GPA + 0x40,
		    REGION_GPA + PAGE_SIZE - 8, REGION_GPA + PAGE_SIZE - 60,
		    EXTRA_GPA, EXTRA_GPA + 0xfc0, UNMAPPED_GPA,
		    KVM_XEN_INVALID_GPA, REGION_GPA + 2, DATA_GPA + 52);
}

static uint64_t any_port(void)
{
	return PICK(0, 1, 3, 63, 64, 1023, 1024, 2047, 2048, 4095, 4096,
		    rnd() % 5000, UINT32_MAX);
}

/* A hypercall for the guest to make. */
struct hcall {
	uint64_t nr, a[3];
	uint64_t buf[4];
};

static uint64_t hypercall(const struct hcall *op)
{
	uint64_t ret, a0 = op->a[0], a1 = op->a[1], a2 = op->a[2];

	asm volatile("vmcall"
		     : "=a"(ret), "+D"(a0), "+S"(a1), "+d"(a2)
		     : "a"(op->nr)
		     : "memory");
	return ret;
}

/* vCPU 0: forever, the hypercall the host put at HCALL_OP, then SYNC. */
static void guest_code(void)
{
	for (;;)
		GUEST_SYNC(hypercall((struct hcall *)HCALL_OP));
}

/*
 * Fill @op, at guest virtual address @gva, with a random hypercall.  Run by
 * the host for vCPU 0 and by the guest itself on vCPU 1 (which then never
 * reads a hypercall the host is rewriting: a SCHEDOP_poll always has its
 * timeout).
 */
static void random_hcall(struct hcall *op, uint64_t gva)
{
	uint64_t buf_gva = gva + offsetof(struct hcall, buf);

	memset(op, 0, sizeof(*op));
	switch (rnd() % 6) {
	case 0:	/* EVTCHNOP_send to a random port */
		op->nr = HC_EVENT_CHANNEL_OP;
		op->a[0] = PICK(4, 99);
		op->a[1] = PICK(buf_gva, UNMAPPED_GPA);
		op->buf[0] = any_port();
		break;
	case 1:	/* SCHEDOP_poll (a timeout always), yield or unknown */
		op->nr = HC_SCHED_OP;
		op->a[0] = PICK(1, 3, 3, 99);
		op->a[1] = PICK(buf_gva, buf_gva, UNMAPPED_GPA);
		op->buf[0] = buf_gva + 3 * sizeof(uint64_t);	/* ports */
		op->buf[1] = PICK(0, 1, 2, 200);		/* nr_ports */
		op->buf[2] = PICK(1000000, 3000000);		/* ns */
		op->buf[3] = any_port();
		break;
	case 2:	/* set_timer_op: stop, past, soon, bogus */
		op->nr = HC_SET_TIMER_OP;
		op->a[0] = PICK(0, 1, 1ULL << 62, 5000000000ULL, ~0ULL);
		break;
	case 3:	/* VCPUOP_{set,stop}_singleshot_timer, maybe another vCPU */
		op->nr = HC_VCPU_OP;
		op->a[0] = PICK(6, 7, 1000);
		op->a[1] = PICK(0, 1, 7);
		op->a[2] = PICK(buf_gva, UNMAPPED_GPA, 0);
		op->buf[0] = PICK(0, 1, 5000000000ULL);
		break;
	case 4:
		op->nr = HC_XEN_VERSION;
		op->a[0] = PICK(0, 1, 5);
		break;
	default:	/* a hypercall the kernel does not take */
		op->nr = PICK(40, 12, 0x10000, 1ULL << 40);
		break;
	}
}

/*
 * vCPU 1: forever, a random hypercall of its own, from its own copy of the
 * generator (the guest's memory holds a copy of the program's data, and
 * the host seeds it before the guest starts).
 */
static void guest_random(void)
{
	struct hcall op;

	for (;;) {
		random_hcall(&op, (uint64_t)&op);
		GUEST_SYNC(hypercall(&op));
	}
}

struct fuzz {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu[NR_VCPUS];
	uint8_t *region;
	bool extra;		/* the extra memslot is there */
	int efd;
	bool stop;
	uint64_t ops;
};

static void check_errno(int ret, const char *what)
{
	if (ret >= 0)
		return;
	switch (errno) {
	case EINVAL: case ENOENT: case EFAULT: case ENXIO: case EBADF:
	case EEXIST: case ENOMEM: case EOPNOTSUPP: case EINTR: case ESRCH:
	case ENOTTY: case EBUSY:
		return;
	default:
		TEST_FAIL("%s: unexpected errno %d", what, errno);
	}
}

/* Run @vcpu once through a hypercall, answering exits to the VMM. */
static void run_vcpu(struct kvm_vcpu *vcpu)
{
	struct ucall uc;
	int i;

	for (i = 0; i < 4; i++) {
		check_errno(__vcpu_run(vcpu), "KVM_RUN");
		if (vcpu->run->exit_reason == KVM_EXIT_XEN) {
			vcpu->run->xen.u.hcall.result = -38;	/* -ENOSYS */
			continue;
		}
		if (vcpu->run->exit_reason != KVM_EXIT_IO)
			return;
		if (get_ucall(vcpu, &uc) == UCALL_ABORT)
			REPORT_GUEST_ASSERT(uc);
		return;
	}
}

static void on_kick(int sig)
{
}

/*
 * Stop vCPU 1's thread: a signal makes KVM_RUN return even from a
 * SCHEDOP_poll that waits, as it does for a VMM's own vCPU threads.
 */
static void stop_vcpu_thread(struct fuzz *f, pthread_t thread)
{
	WRITE_ONCE(f->stop, true);
	while (pthread_tryjoin_np(thread, NULL)) {
		pthread_kill(thread, SIGUSR1);
		usleep(1000);
	}
}

/* vCPU 1 makes hypercalls while the main thread changes things. */
static void *vcpu_thread(void *arg)
{
	struct fuzz *f = arg;

	while (!READ_ONCE(f->stop))
		run_vcpu(f->vcpu[1]);
	return NULL;
}

static void vm_setup(struct fuzz *f)
{
	struct kvm_xen_hvm_config cfg = {
		.flags = KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL |
			 KVM_XEN_HVM_CONFIG_EVTCHN_SEND,
		.msr = XEN_HYPERCALL_MSR,
	};

	f->vm = vm_create_with_vcpus(NR_VCPUS, guest_code, f->vcpu);
	vm_userspace_mem_region_add(f->vm, VM_MEM_SRC_ANONYMOUS, REGION_GPA,
				    REGION_SLOT, REGION_PAGES, 0);
	virt_map(f->vm, REGION_GPA, REGION_GPA, REGION_PAGES);
	vm_userspace_mem_region_add(f->vm, VM_MEM_SRC_ANONYMOUS, EXTRA_GPA,
				    EXTRA_SLOT, 1, 0);
	f->extra = true;
	f->region = addr_gpa2hva(f->vm, REGION_GPA);
	vm_ioctl(f->vm, KVM_XEN_HVM_CONFIG, &cfg);
	hvm_set_value(f->vm, KVM_XEN_ATTR_TYPE_SHARED_INFO, SHINFO_GPA / PAGE_SIZE);
	random_hcall((void *)(f->region + HCALL_OP - REGION_GPA), HCALL_OP);
	vcpu_arch_set_entry_point(f->vcpu[1], guest_random);
	/* vCPU 1's own generator, seeded from the host's. */
	sync_global_to_guest(f->vm, rng_state);
	f->stop = false;
}

static void host_op(struct fuzz *f)
{
	struct kvm_vcpu *vcpu = f->vcpu[rnd() % NR_VCPUS];
	struct kvm_xen_hvm_attr ha = {};
	struct kvm_xen_vcpu_attr va = {};
	uint64_t one = 1, hva;

	switch (rnd() % 12) {
	case 0:
		ha.type = PICK(KVM_XEN_ATTR_TYPE_SHARED_INFO,
			       KVM_XEN_ATTR_TYPE_SHARED_INFO_HVA);
		hva = (uintptr_t)f->region;
		if (ha.type == KVM_XEN_ATTR_TYPE_SHARED_INFO)
			ha.u.shared_info.gfn = any_gpa() / PAGE_SIZE;
		else
			ha.u.shared_info.hva = PICK(0, 1, hva, hva + PAGE_SIZE);
		check_errno(__vm_ioctl(f->vm, KVM_XEN_HVM_SET_ATTR, &ha), "shinfo");
		break;
	case 1:
		ha.type = PICK(KVM_XEN_ATTR_TYPE_LONG_MODE,
			       KVM_XEN_ATTR_TYPE_UPCALL_VECTOR,
			       KVM_XEN_ATTR_TYPE_XEN_VERSION,
			       KVM_XEN_ATTR_TYPE_RUNSTATE_UPDATE_FLAG, 99);
		ha.u.pad[0] = PICK(0, 1, 0xf, 0x10, 0xf3, 0x4000a);
		check_errno(__vm_ioctl(f->vm, KVM_XEN_HVM_SET_ATTR, &ha), "hvm attr");
		check_errno(__vm_ioctl(f->vm, KVM_XEN_HVM_GET_ATTR, &ha), "hvm get");
		break;
	case 2:
		ha.type = KVM_XEN_ATTR_TYPE_EVTCHN;
		ha.u.evtchn.send_port = any_port();
		ha.u.evtchn.type = PICK(EVTCHNSTAT_ipi, EVTCHNSTAT_interdomain, 7);
		ha.u.evtchn.flags = PICK(0, KVM_XEN_EVTCHN_UPDATE,
					 KVM_XEN_EVTCHN_DEASSIGN,
					 KVM_XEN_EVTCHN_RESET, 0x80);
		if (rnd() % 3) {
			ha.u.evtchn.deliver.port.port = any_port();
			ha.u.evtchn.deliver.port.vcpu = PICK(0, 1, 5, 4096);
			ha.u.evtchn.deliver.port.priority = PICK(PRIO, PRIO, 1);
		} else {
			ha.u.evtchn.deliver.eventfd.fd = PICK(f->efd, -1, 0, 999);
		}
		check_errno(__vm_ioctl(f->vm, KVM_XEN_HVM_SET_ATTR, &ha), "evtchn");
		break;
	case 3:
		va.type = PICK(KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO,
			       KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO_HVA,
			       KVM_XEN_VCPU_ATTR_TYPE_VCPU_TIME_INFO,
			       KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADDR);
		hva = (uintptr_t)f->region + (any_gpa() & (PAGE_SIZE - 1));
		if (va.type == KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO_HVA)
			va.u.hva = PICK(0, 1, hva, hva + PAGE_SIZE, 0x1000);
		else
			va.u.gpa = any_gpa();
		check_errno(__vcpu_ioctl(vcpu, KVM_XEN_VCPU_SET_ATTR, &va), "vcpu gpa");
		break;
	case 4:
		va.type = KVM_XEN_VCPU_ATTR_TYPE_TIMER;
		va.u.timer.port = any_port();
		va.u.timer.priority = PICK(PRIO, PRIO, 0);
		va.u.timer.expires_ns = PICK(0, 1, 1000000000ULL, ~0ULL);
		check_errno(__vcpu_ioctl(vcpu, KVM_XEN_VCPU_SET_ATTR, &va), "timer");
		check_errno(__vcpu_ioctl(vcpu, KVM_XEN_VCPU_GET_ATTR, &va), "timer get");
		break;
	case 5:
		va.type = PICK(KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_CURRENT,
			       KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_DATA,
			       KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADJUST,
			       KVM_XEN_VCPU_ATTR_TYPE_VCPU_ID,
			       KVM_XEN_VCPU_ATTR_TYPE_UPCALL_VECTOR, 99);
		va.u.runstate.state = PICK(0, 1, 3, 4, (uint64_t)-1);
		va.u.runstate.state_entry_time = PICK(0, 100);
		va.u.runstate.time_running = PICK(0, 100);
		check_errno(__vcpu_ioctl(vcpu, KVM_XEN_VCPU_SET_ATTR, &va), "vcpu attr");
		check_errno(__vcpu_ioctl(vcpu, KVM_XEN_VCPU_GET_ATTR, &va), "vcpu get");
		break;
	case 6: {
		struct kvm_irq_routing_xen_evtchn e = {
			.port = any_port(), .vcpu = PICK(0, 1, 5),
			.priority = PICK(PRIO, PRIO, 3),
		};

		check_errno(__vm_ioctl(f->vm, KVM_XEN_HVM_EVTCHN_SEND, &e), "send");
		break;
	}
	case 7: {
		struct kvm_irqfd irqfd = { .fd = f->efd, .gsi = GSI };
		int ret = xen_route(f->vm, GSI, any_port(), PICK(0, 1, 9),
				    PICK(PRIO, PRIO, 2));

		errno = -ret;
		check_errno(ret, "routing");
		check_errno(__vm_ioctl(f->vm, KVM_IRQFD, &irqfd), "irqfd");
		break;
	}
	case 8:
		TEST_ASSERT(write(f->efd, &one, sizeof(one)) == sizeof(one),
			    "eventfd write");
		break;
	case 9:	/* the memslot under some of the GPAs goes, or comes back */
		if (f->extra)
			vm_mem_region_delete(f->vm, EXTRA_SLOT);
		else
			vm_userspace_mem_region_add(f->vm, VM_MEM_SRC_ANONYMOUS,
						    EXTRA_GPA, EXTRA_SLOT, 1, 0);
		f->extra = !f->extra;
		break;
	default:
		random_hcall((void *)(f->region + HCALL_OP - REGION_GPA),
			     HCALL_OP);
		run_vcpu(f->vcpu[0]);
		break;
	}
}

int main(int argc, char *argv[])
{
	uint64_t seed = 1, nr_ops = 10000, i;
	struct sigaction kick = { .sa_handler = on_kick };
	struct fuzz f = {};
	pthread_t thread;
	int opt;

	while ((opt = getopt(argc, argv, "s:n:")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			nr_ops = strtoull(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-n OPS]\n", argv[0]);
			return 2;
		}
	}
	TEST_REQUIRE(kvm_check_cap(KVM_CAP_XEN_HVM) &
		     KVM_XEN_HVM_CONFIG_EVTCHN_SEND);
	printf("xen_fuzz: seed %llu, %llu operations\n",
	       (unsigned long long)seed, (unsigned long long)nr_ops);
	rng_state = seed ? seed : 1;
	TEST_ASSERT(!sigaction(SIGUSR1, &kick, NULL), "sigaction");
	f.efd = eventfd(0, EFD_NONBLOCK);
	TEST_ASSERT(f.efd >= 0, "eventfd");

	vm_setup(&f);
	pthread_create(&thread, NULL, vcpu_thread, &f);
	for (i = 0; i < nr_ops; i++) {
		if (rnd() % 2000 == 0) {	/* a new VM, the old one armed */
			stop_vcpu_thread(&f, thread);
			kvm_vm_free(f.vm);
			vm_setup(&f);
			pthread_create(&thread, NULL, vcpu_thread, &f);
		}
		host_op(&f);
	}
	stop_vcpu_thread(&f, thread);
	kvm_vm_free(f.vm);
	close(f.efd);
	printf("xen_fuzz: seed %llu: %llu operations, no unexpected errno\n",
	       (unsigned long long)seed, (unsigned long long)nr_ops);
	return 0;
}
