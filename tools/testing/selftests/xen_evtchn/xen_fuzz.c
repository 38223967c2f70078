// SPDX-License-Identifier: GPL-2.0-only
/*
 * A seeded, reproducible fuzzer of the Xen paths of KVM: random sequences
 * of the VM and vCPU Xen attributes, KVM_XEN_HVM_EVTCHN_SEND, Xen routing
 * entries with irqfds and eventfd writes, memslot changes under
 * shared_info and vcpu_info (by GPA and by HVA), both guest ABIs, and the
 * guest's hypercalls (EVTCHNOP_send, SCHEDOP_yield/poll/block, set_timer_op,
 * VCPUOP_{set,stop}_singleshot_timer and the periodic ones, xen_version,
 * unknown ones; some with garbage in the upper half of a 32-bit argument),
 * with bad and boundary values (GPAs past a memslot or across a page,
 * ports 0, the limit and past it, unknown types and flags, bad fds).  Now
 * and then the whole VM goes and a new one comes, with everything armed.
 *
 * Every ioctl must succeed or fail with one of the errnos the UAPI
 * documents; anything else fails the run.  The kernel's side is judged by
 * its log (the VM runner fails a run on any splat, and the debug lane
 * checks with lockdep, KASAN and kmemleak).
 *
 * Two modes:
 *
 * Race mode (the default): vCPU 1 runs hypercalls of its own generator on
 * a thread of its own while the main thread moves shared_info and
 * vcpu_info under it.
 *
 * Differential mode (-d): the same seed makes the same run on any KVM, so
 * that the stock KVM's Xen (upstream 6.12) and ours can be compared op by
 * op (-C).  Nothing runs beside the main thread:
 *  - vCPU 1's hypercalls (its generator still in the guest, seeded by the
 *    host's before each) run synchronously, as operations of the main
 *    thread, as vCPU 0's do;
 *  - a deadline is 0, past, or 10^15 ns (never reached), except the bogus
 *    ones of set_timer_op, which Xen makes 100ms: those are waited for;
 *  - after each operation, the irqfd is detached and attached again
 *    (which waits for its injection work) and the eventfd is drained.
 * Then one line is logged: the operation, its return values and errnos,
 * GET results, the exits to the VMM and the guest's hypercall result, and
 * the guest-visible state: the ABI, where shared_info and each vcpu_info
 * are, the pending ports, a digest of the mask, each vCPU's
 * evtchn_pending_sel and evtchn_upcall_pending, each timer, the eventfd's
 * count, and a digest of each guest page of the Xen areas, less the bytes
 * KVM writes time into (pvclocks, runstate areas, wallclocks).
 *
 * Last, the state is made the same on both KVMs wherever a deliberate
 * difference of ours would otherwise make every later line differ: each
 * vCPU's evtchn_pending_sel and evtchn_upcall_pending are set to what the
 * pending and unmasked ports say (ours sets selector bits for pending
 * ports that upstream does not), and a timer event still there after its
 * deadline (one that waits for shared_info: ours keeps it, upstream drops
 * it) is dropped.  The difference itself shows at the operation that made
 * it.
 *
 * Compare mode (-C STOCK OURS): reads the two logs of one seed, the first
 * from the stock KVM, and classifies each operation whose lines differ: a
 * deliberate difference of ours (Documentation/xen_evtchn.rst), or not
 * known, which fails (exit status 1) with both lines.
 * The first line of each known class is printed, then the count of each.
 * A known difference that the step above does not undo (a timer one KVM
 * armed and the other did not) ends the judging of that seed.
 *
 * With -k (differential mode), only the operations listed (as in
 * -k 3,17,20-25) are made and logged; the others are only generated, so
 * that the ones kept are the same as in the whole run: a difference can
 * be shrunk to the few operations that make it.
 *
 * Both modes count, per hypercall, how many the kernel handled and how
 * many exited to the VMM, and print the sum of the module's
 * xen_evtchn_stats over the run's VMs when they exist (ours).
 *
 * -D OP dumps every byte of the guest's Xen pages after operation OP (time
 * left out), to see what a digest that differs is made of.
 *
 * -t SECONDS (race mode) stops after the operation during which that much
 * time has passed, if that comes before OPS: a slower machine makes fewer
 * of the same seed's operations, and the run says how many it made.
 *
 * usage: xen_fuzz [-s SEED] [-n OPS] [-t SECONDS] [-d [-k OPS] [-D OP]]
 *        xen_fuzz -C STOCK.log OURS.log
 */

#define _GNU_SOURCE
#include <stdarg.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
#include <linux/compiler.h>

#include "xen_test.h"

#define EXTRA_GPA	0xd0000000ULL	/* a memslot that comes and goes */
#define EXTRA_SLOT	(REGION_SLOT + 1)
#define GSI		5
#define NR_VCPUS	2
#define HCALL_OP	(DATA_GPA + 0x800)	/* the guest's next hypercall */
#define FAR_NS		1000000000000000ULL	/* a deadline never reached */
#define HI		BIT_ULL(32)	/* garbage above a 32-bit argument */

static uint64_t rng_state;
static bool diff;	/* differential mode, in the guest too */

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

/* A deadline: in differential mode, never one that depends on timing. */
static uint64_t any_deadline(uint64_t racy)
{
	return diff ? PICK(0, 1, FAR_NS) : PICK(0, 1, racy);
}

/* Now and then, garbage in the upper half of an argument Xen takes as int. */
static uint64_t hi_garbage(void)
{
	return rnd() % 8 ? 0 : HI;
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
		op->a[0] = PICK(EVTCHNOP_send, 99);
		op->a[1] = PICK(buf_gva, UNMAPPED_GPA);
		op->buf[0] = any_port();
		break;
	case 1:	/* SCHEDOP_poll (a timeout always), yield, block, unknown */
		op->nr = HC_SCHED_OP;
		op->a[0] = PICK(SCHEDOP_yield, SCHEDOP_yield, SCHEDOP_poll,
				SCHEDOP_poll, SCHEDOP_block, 99) | hi_garbage();
		op->a[1] = PICK(buf_gva, buf_gva, UNMAPPED_GPA);
		op->buf[0] = buf_gva + 3 * sizeof(uint64_t);	/* ports */
		op->buf[1] = PICK(0, 1, 2, 200);		/* nr_ports */
		op->buf[2] = PICK(1000000, 3000000);		/* ns */
		op->buf[3] = any_port();
		break;
	case 2:	/* set_timer_op: stop, past, soon or never, bogus */
		op->nr = HC_SET_TIMER_OP;
		op->a[0] = PICK(0, 1, 1ULL << 62, diff ? FAR_NS : 5000000000ULL,
				~0ULL);
		break;
	case 3:	/* VCPUOP_{set,stop}_singleshot_timer, maybe another vCPU */
		op->nr = HC_VCPU_OP;
		op->a[0] = PICK(VCPUOP_set_singleshot_timer,
				VCPUOP_set_singleshot_timer,
				VCPUOP_stop_singleshot_timer,
				VCPUOP_stop_singleshot_timer,
				VCPUOP_set_periodic_timer,
				VCPUOP_stop_periodic_timer, 1000) | hi_garbage();
		op->a[1] = PICK(0, 0, 1, 7) | hi_garbage();
		op->a[2] = PICK(buf_gva, buf_gva, UNMAPPED_GPA, 0);
		op->buf[0] = any_deadline(5000000000ULL);
		break;
	case 4:
		op->nr = HC_XEN_VERSION;
		op->a[0] = PICK(XENVER_version, 1, 5);
		break;
	default:	/* a hypercall the kernel does not take */
		op->nr = PICK(40, 12, 0x10000, 1ULL << 40);
		break;
	}
}

/*
 * vCPU 1: forever, a random hypercall of its own, from its own copy of the
 * generator (the guest's memory holds a copy of the program's data, and
 * the host seeds it before the guest starts); it tells the host which.
 */
static void guest_random(void)
{
	struct hcall op;
	uint64_t ret;

	for (;;) {
		random_hcall(&op, (uint64_t)&op);
		ret = hypercall(&op);
		GUEST_SYNC6(ret, op.nr, op.a[0], op.a[1], op.a[2], 0);
	}
}

/* Hypercalls made, by kind: handled in the kernel, or exits to the VMM. */
enum hc_kind {
	HK_YIELD, HK_POLL, HK_BLOCK, HK_SCHED_OTHER, HK_SSHOT_SET,
	HK_SSHOT_STOP, HK_PERIODIC, HK_VCPU_OTHER, HK_SET_TIMER, HK_SEND,
	HK_EVTCHN_OTHER, HK_VERSION, HK_OTHER, HK_NR,
};

static const char * const hc_kind_name[HK_NR] = {
	"sched_op yield", "sched_op poll", "sched_op block", "sched_op other",
	"vcpu_op set_singleshot_timer", "vcpu_op stop_singleshot_timer",
	"vcpu_op periodic timer", "vcpu_op other", "set_timer_op",
	"event_channel_op send", "event_channel_op other", "xen_version",
	"other",
};

/* Xen's own reading of the arguments: cmd and vcpu_id are ints. */
static enum hc_kind hc_kind(uint64_t nr, uint64_t a0)
{
	switch (nr) {
	case HC_SCHED_OP:
		switch ((uint32_t)a0) {
		case SCHEDOP_yield: return HK_YIELD;
		case SCHEDOP_poll: return HK_POLL;
		case SCHEDOP_block: return HK_BLOCK;
		default: return HK_SCHED_OTHER;
		}
	case HC_VCPU_OP:
		switch ((uint32_t)a0) {
		case VCPUOP_set_singleshot_timer: return HK_SSHOT_SET;
		case VCPUOP_stop_singleshot_timer: return HK_SSHOT_STOP;
		case VCPUOP_set_periodic_timer:
		case VCPUOP_stop_periodic_timer: return HK_PERIODIC;
		default: return HK_VCPU_OTHER;
		}
	case HC_SET_TIMER_OP:
		return HK_SET_TIMER;
	case HC_EVENT_CHANNEL_OP:
		return a0 == EVTCHNOP_send ? HK_SEND : HK_EVTCHN_OTHER;
	case HC_XEN_VERSION:
		return HK_VERSION;
	default:
		return HK_OTHER;
	}
}

/* Guest pages the fuzzer knows: the region's, then the extra slot's. */
#define NR_PAGES	(REGION_PAGES + 1)

struct fuzz {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu[NR_VCPUS];
	uint8_t *region;
	uint8_t *extra_hva;	/* the extra memslot's page, or NULL */
	bool extra;		/* the extra memslot is there */
	bool irqfd;		/* the eventfd is an irqfd of the VM */
	int efd;
	bool stop;
	uint64_t ops;
	/* Differential mode: */
	bool dry;		/* generate this operation, do not make it */
	char *line;		/* this operation's log line */
	size_t len;
	/* Bytes that KVM writes time into, by guest page. */
	uint8_t timed[NR_PAGES][PAGE_SIZE];
	uint64_t handled[HK_NR], exited[HK_NR];
	uint64_t stats[32];
	char stat_name[32][32];
	int nr_stats;
};

#define LINE_MAX_LEN	4096

static void __printf(2, 3) note(struct fuzz *f, const char *fmt, ...)
{
	va_list ap;

	if (!diff)
		return;
	va_start(ap, fmt);
	f->len += vsnprintf(f->line + f->len, LINE_MAX_LEN - f->len, fmt, ap);
	va_end(ap);
	if (f->len >= LINE_MAX_LEN)
		f->len = LINE_MAX_LEN - 1;
}

/* Log an ioctl's result: 0, or -errno. */
static int log_ret(struct fuzz *f, const char *what, int ret)
{
	ret = ret < 0 ? -errno : ret;
	note(f, " %s=%d", what, ret);
	errno = -ret;
	return ret;
}

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

/* An ioctl's @ret: logged in differential mode, its errno checked always. */
static int checked(struct fuzz *f, const char *what, int ret)
{
	ret = log_ret(f, what, ret);
	check_errno(ret, what);
	return ret;
}

/*
 * Run @vcpu once through a hypercall, answering exits to the VMM; count
 * the hypercall (vCPU 0's is @op; vCPU 1 tells its own) and log it.
 */
static void run_vcpu(struct fuzz *f, struct kvm_vcpu *vcpu,
		     const struct hcall *op)
{
	uint64_t nr = op ? op->nr : 0, a0 = op ? op->a[0] : 0;
	int i, exits = 0;
	struct ucall uc;

	for (i = 0; i < 4; i++) {
		checked(f, "run", __vcpu_run(vcpu));
		if (vcpu->run->exit_reason == KVM_EXIT_XEN) {
			note(f, " exit=%llx:%llx:%llx",
			     vcpu->run->xen.u.hcall.input,
			     vcpu->run->xen.u.hcall.params[0],
			     vcpu->run->xen.u.hcall.params[1]);
			vcpu->run->xen.u.hcall.result = -38;	/* -ENOSYS */
			exits++;
			continue;
		}
		if (vcpu->run->exit_reason != KVM_EXIT_IO) {
			note(f, " reason=%u", vcpu->run->exit_reason);
			return;
		}
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		case UCALL_SYNC:
			if (!op) {	/* vCPU 1's own */
				nr = uc.args[1];
				a0 = uc.args[2];
				note(f, " hc=%lx:%lx:%lx:%lx ret=%lx", nr, a0,
				     uc.args[3], uc.args[4], uc.args[0]);
			} else {
				note(f, " ret=%lx", uc.args[1]);
			}
			/* vCPU 1's thread counts too, in race mode. */
			__atomic_fetch_add(exits ? &f->exited[hc_kind(nr, a0)] :
					   &f->handled[hc_kind(nr, a0)], 1,
					   __ATOMIC_RELAXED);
			return;
		default:
			note(f, " ucall=%lu", uc.cmd);
			return;
		}
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
		run_vcpu(f, f->vcpu[1], NULL);
	return NULL;
}

/* Add the VM's xen_evtchn_stats (ours only) to the run's sums. */
static void add_stats(struct fuzz *f)
{
	char path[128], name[32];
	unsigned long long val;
	FILE *file;
	int i;

	snprintf(path, sizeof(path),
		 "/sys/kernel/debug/kvm/%d-%d/xen_evtchn_stats", getpid(),
		 f->vm->fd);
	file = fopen(path, "r");
	if (!file)
		return;
	while (fscanf(file, "%31s %llu", name, &val) == 2) {
		for (i = 0; i < f->nr_stats; i++)
			if (!strcmp(f->stat_name[i], name))
				break;
		if (i == f->nr_stats) {
			if (i == ARRAY_SIZE(f->stats))
				continue;
			snprintf(f->stat_name[f->nr_stats++],
				 sizeof(f->stat_name[0]), "%s", name);
		}
		f->stats[i] += val;
	}
	fclose(file);
}

static void vm_free(struct fuzz *f)
{
	add_stats(f);
	kvm_vm_free(f->vm);
}

static void timed_shinfo(struct fuzz *f, uint64_t gpa);

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
	f->extra_hva = addr_gpa2hva(f->vm, EXTRA_GPA);
	f->irqfd = false;
	f->region = addr_gpa2hva(f->vm, REGION_GPA);
	vm_ioctl(f->vm, KVM_XEN_HVM_CONFIG, &cfg);
	hvm_set_value(f->vm, KVM_XEN_ATTR_TYPE_SHARED_INFO, SHINFO_GPA / PAGE_SIZE);
	random_hcall((void *)(f->region + HCALL_OP - REGION_GPA), HCALL_OP);
	vcpu_arch_set_entry_point(f->vcpu[1], guest_random);
	/* vCPU 1's own generator, seeded from the host's. */
	sync_global_to_guest(f->vm, rng_state);
	sync_global_to_guest(f->vm, diff);
	memset(f->timed, 0, sizeof(f->timed));
	timed_shinfo(f, SHINFO_GPA);
	f->stop = false;
}

/* The host's view of guest page @gpa, or NULL; its index in *@page. */
static uint8_t *page_of(struct fuzz *f, uint64_t gpa, int *page)
{
	gpa &= ~(uint64_t)(PAGE_SIZE - 1);
	if (gpa >= REGION_GPA && gpa < REGION_GPA + REGION_PAGES * PAGE_SIZE) {
		*page = (gpa - REGION_GPA) / PAGE_SIZE;
		return f->region + gpa - REGION_GPA;
	}
	if (gpa == EXTRA_GPA && f->extra) {
		*page = REGION_PAGES;
		return f->extra_hva;
	}
	return NULL;
}

/* The guest address of host address @hva in the region, or INVALID. */
static uint64_t hva_gpa(struct fuzz *f, uint64_t hva)
{
	uint64_t base = (uintptr_t)f->region;

	if (hva >= base && hva < base + REGION_PAGES * PAGE_SIZE)
		return REGION_GPA + hva - base;
	return KVM_XEN_INVALID_GPA;
}

/* The index of guest page @gpa among the fuzzer's, or -1. */
static int page_index(uint64_t gpa)
{
	gpa &= ~(uint64_t)(PAGE_SIZE - 1);
	if (gpa >= REGION_GPA && gpa < REGION_GPA + REGION_PAGES * PAGE_SIZE)
		return (gpa - REGION_GPA) / PAGE_SIZE;
	return gpa == EXTRA_GPA ? REGION_PAGES : -1;
}

/*
 * KVM may write time into [@gpa, @gpa + @len): leave it out of digests
 * (also in the extra page while its memslot is away: it comes back).
 */
static void timed(struct fuzz *f, uint64_t gpa, uint64_t len)
{
	for (; len; gpa++, len--)
		if (page_index(gpa) >= 0)
			f->timed[page_index(gpa)][gpa & (PAGE_SIZE - 1)] = 1;
}

static bool is_timed(struct fuzz *f, uint64_t gpa, uint64_t len)
{
	for (; len; gpa++, len--)
		if (page_index(gpa) >= 0 &&
		    f->timed[page_index(gpa)][gpa & (PAGE_SIZE - 1)])
			return true;
	return false;
}

/* What KVM writes time into in a shared_info page: wallclocks, pvclocks. */
static void timed_shinfo(struct fuzz *f, uint64_t gpa)
{
	int i;

	timed(f, gpa + 0xc00, 16);	/* 64-bit wallclock */
	timed(f, gpa + 0x900, 16);	/* 32-bit wallclock */
	timed(f, gpa + 0x920, 8);	/* 32-bit wc_sec_hi */
	for (i = 0; i < 32; i++)	/* vcpu_info[i].time */
		timed(f, gpa + i * 64 + 32, 32);
}

/*
 * @call, unless this operation is only generated, not made (-k): the
 * generator draws the same numbers either way.
 */
#define DO(f, call)	((f)->dry ? 0 : (call))

static void host_op(struct fuzz *f)
{
	struct kvm_vcpu *vcpu = f->vcpu[rnd() % NR_VCPUS];
	struct kvm_xen_hvm_attr ha = {};
	struct kvm_xen_vcpu_attr va = {};
	uint64_t one = 1, hva, gpa;
	struct hcall *op, dry_op;
	int ret;

	switch (rnd() % 12) {
	case 0:
		ha.type = PICK(KVM_XEN_ATTR_TYPE_SHARED_INFO,
			       KVM_XEN_ATTR_TYPE_SHARED_INFO_HVA);
		hva = (uintptr_t)f->region;
		if (ha.type == KVM_XEN_ATTR_TYPE_SHARED_INFO) {
			ha.u.shared_info.gfn = any_gpa() / PAGE_SIZE;
			gpa = ha.u.shared_info.gfn * PAGE_SIZE;
		} else {
			ha.u.shared_info.hva = PICK(0, 1, hva, hva + PAGE_SIZE);
			gpa = hva_gpa(f, ha.u.shared_info.hva);
		}
		note(f, " shinfo type=%u %lx", ha.type, gpa);
		timed_shinfo(f, gpa);
		ret = DO(f, __vm_ioctl(f->vm, KVM_XEN_HVM_SET_ATTR, &ha));
		checked(f, "r", ret);
		break;
	case 1:
		ha.type = PICK(KVM_XEN_ATTR_TYPE_LONG_MODE,
			       KVM_XEN_ATTR_TYPE_UPCALL_VECTOR,
			       KVM_XEN_ATTR_TYPE_XEN_VERSION,
			       KVM_XEN_ATTR_TYPE_RUNSTATE_UPDATE_FLAG, 99);
		ha.u.pad[0] = PICK(0, 1, 0xf, 0x10, 0xf3, 0x4000a);
		note(f, " hvm type=%u val=%llx", ha.type, ha.u.pad[0]);
		ret = DO(f, __vm_ioctl(f->vm, KVM_XEN_HVM_SET_ATTR, &ha));
		checked(f, "r", ret);
		ret = DO(f, __vm_ioctl(f->vm, KVM_XEN_HVM_GET_ATTR, &ha));
		if (!checked(f, "get", ret))
			note(f, " val=%llx", ha.u.pad[0]);
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
		note(f, " evtchn port=%u type=%u flags=%x to=%u:%u:%u",
		     ha.u.evtchn.send_port, ha.u.evtchn.type,
		     ha.u.evtchn.flags, ha.u.evtchn.deliver.port.port,
		     ha.u.evtchn.deliver.port.vcpu,
		     ha.u.evtchn.deliver.port.priority);
		ret = DO(f, __vm_ioctl(f->vm, KVM_XEN_HVM_SET_ATTR, &ha));
		checked(f, "r", ret);
		break;
	case 3:
		va.type = PICK(KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO,
			       KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO_HVA,
			       KVM_XEN_VCPU_ATTR_TYPE_VCPU_TIME_INFO,
			       KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADDR);
		hva = (uintptr_t)f->region + (any_gpa() & (PAGE_SIZE - 1));
		if (va.type == KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO_HVA) {
			va.u.hva = PICK(0, 1, hva, hva + PAGE_SIZE, 0x1000);
			gpa = hva_gpa(f, va.u.hva);
		} else {
			va.u.gpa = any_gpa();
			gpa = va.u.gpa;
		}
		note(f, " vcpu%u type=%u %lx", vcpu->id, va.type, gpa);
		if (va.type == KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADDR)
			timed(f, gpa, 48);
		else if (va.type == KVM_XEN_VCPU_ATTR_TYPE_VCPU_TIME_INFO)
			timed(f, gpa, 32);
		else
			timed(f, gpa + 32, 32);
		ret = DO(f, __vcpu_ioctl(vcpu, KVM_XEN_VCPU_SET_ATTR, &va));
		checked(f, "r", ret);
		break;
	case 4:
		va.type = KVM_XEN_VCPU_ATTR_TYPE_TIMER;
		va.u.timer.port = any_port();
		va.u.timer.priority = PICK(PRIO, PRIO, 0);
		va.u.timer.expires_ns = diff ? PICK(0, 1, FAR_NS, ~0ULL) :
			PICK(0, 1, 1000000000ULL, ~0ULL);
		note(f, " vcpu%u timer port=%u prio=%u at=%llx", vcpu->id,
		     va.u.timer.port, va.u.timer.priority,
		     va.u.timer.expires_ns);
		ret = DO(f, __vcpu_ioctl(vcpu, KVM_XEN_VCPU_SET_ATTR, &va));
		checked(f, "r", ret);
		ret = DO(f, __vcpu_ioctl(vcpu, KVM_XEN_VCPU_GET_ATTR, &va));
		if (!checked(f, "get", ret))
			note(f, " tget=%u:%u:%llx", va.u.timer.port,
			     va.u.timer.priority, va.u.timer.expires_ns);
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
		note(f, " vcpu%u attr type=%u state=%llx", vcpu->id, va.type,
		     va.u.runstate.state);
		ret = DO(f, __vcpu_ioctl(vcpu, KVM_XEN_VCPU_SET_ATTR, &va));
		checked(f, "r", ret);
		/* Runstate times are the host's: only the state is logged. */
		ret = DO(f, __vcpu_ioctl(vcpu, KVM_XEN_VCPU_GET_ATTR, &va));
		if (!checked(f, "get", ret) &&
		    va.type != KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_DATA)
			note(f, " val=%llx", va.u.runstate.state);
		break;
	case 6: {
		struct kvm_irq_routing_xen_evtchn e = {
			.port = any_port(), .vcpu = PICK(0, 1, 5),
			.priority = PICK(PRIO, PRIO, 3),
		};

		note(f, " send %u:%u:%u", e.port, e.vcpu, e.priority);
		ret = DO(f, __vm_ioctl(f->vm, KVM_XEN_HVM_EVTCHN_SEND, &e));
		checked(f, "r", ret);
		break;
	}
	case 7: {
		struct kvm_irqfd irqfd = { .fd = f->efd, .gsi = GSI };
		uint32_t port = any_port(), to = PICK(0, 1, 9);
		uint32_t prio = PICK(PRIO, PRIO, 2);

		ret = DO(f, xen_route(f->vm, GSI, port, to, prio));
		note(f, " route %u:%u:%u r=%d", port, to, prio, ret);
		errno = -ret;
		check_errno(ret, "routing");
		ret = DO(f, __vm_ioctl(f->vm, KVM_IRQFD, &irqfd));
		if (!checked(f, "irqfd", ret) && !f->dry)
			f->irqfd = true;
		break;
	}
	case 8:
		note(f, " efd");
		TEST_ASSERT(f->dry ||
			    write(f->efd, &one, sizeof(one)) == sizeof(one),
			    "eventfd write");
		break;
	case 9:	/* the memslot under some of the GPAs goes, or comes back */
		note(f, " extra=%d", !f->extra);
		if (f->dry)
			break;
		if (f->extra) {
			vm_mem_region_delete(f->vm, EXTRA_SLOT);
			f->extra_hva = NULL;
		} else {
			vm_userspace_mem_region_add(f->vm, VM_MEM_SRC_ANONYMOUS,
						    EXTRA_GPA, EXTRA_SLOT, 1, 0);
			f->extra_hva = addr_gpa2hva(f->vm, EXTRA_GPA);
		}
		f->extra = !f->extra;
		break;
	default:
		/* In differential mode, vCPU 1 runs here, synchronously. */
		if (diff && rnd() % 2) {
			/* Its generator seeded from here: -k keeps it. */
			hva = rnd() | 1;
			note(f, " vcpu1 run");
			if (f->dry)
				break;
			*(uint64_t *)addr_gva2hva(f->vm,
						  (vm_vaddr_t)&rng_state) = hva;
			run_vcpu(f, f->vcpu[1], NULL);
			break;
		}
		op = f->dry ? &dry_op :
			      (void *)(f->region + HCALL_OP - REGION_GPA);
		random_hcall(op, HCALL_OP);
		note(f, " vcpu0 hc=%lx:%lx:%lx:%lx buf=%lx:%lx:%lx:%lx",
		     op->nr, op->a[0], op->a[1], op->a[2], op->buf[0],
		     op->buf[1], op->buf[2], op->buf[3]);
		if (!f->dry)
			run_vcpu(f, f->vcpu[0], op);
		break;
	}
}

/* FNV-1a, over what the digest takes in. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h;
}

#define FNV_INIT	0xcbf29ce484222325ULL

static uint8_t *shinfo_at(struct fuzz *f, uint64_t *gpa);

/* Whether a timer event on @port can be delivered now (2-level ABI). */
static bool deliverable(struct fuzz *f, uint32_t port)
{
	struct kvm_xen_hvm_attr lm = { .type = KVM_XEN_ATTR_TYPE_LONG_MODE };
	uint64_t gpa;

	TEST_ASSERT(!__vm_ioctl(f->vm, KVM_XEN_HVM_GET_ATTR, &lm), "lm");
	return shinfo_at(f, &gpa) && port < (lm.u.long_mode ? 4096U : 1024U);
}

/*
 * Differential mode, after an operation: let what it started finish, so
 * that the state read next does not depend on timing.
 */
static void settle(struct fuzz *f)
{
	struct kvm_irqfd irqfd = { .fd = f->efd, .gsi = GSI };
	struct kvm_xen_vcpu_attr t = { .type = KVM_XEN_VCPU_ATTR_TYPE_TIMER };
	uint64_t count;
	int i, tries, past;

	/* The irqfd's injection work: detaching it waits for it. */
	if (f->irqfd) {
		irqfd.flags = KVM_IRQFD_FLAG_DEASSIGN;
		TEST_ASSERT(!__vm_ioctl(f->vm, KVM_IRQFD, &irqfd),
			    "irqfd detach");
		irqfd.flags = 0;
		TEST_ASSERT(!__vm_ioctl(f->vm, KVM_IRQFD, &irqfd),
			    "irqfd attach");
	}
	count = 0;
	if (read(f->efd, &count, sizeof(count)) != sizeof(count))
		count = 0;
	note(f, " | efd=%lu", count);

	/*
	 * A timer armed from a past or bogus deadline (Xen makes the latter
	 * 100ms from now) fires: wait until it has, on either KVM, however
	 * long the machine's load makes that (at most 30 s: then the test
	 * fails).  Only a timer whose event cannot be delivered now (no
	 * shared_info mapped, or its port past the ABI's limit) may stay:
	 * ours keeps it waiting, upstream drops it when it fires.  It is
	 * stopped below either way, so it is left after 100ms past its
	 * deadline.
	 */
	for (i = 0; i < NR_VCPUS; i++) {
		for (tries = 0, past = 0;; tries++) {
			struct kvm_clock_data clock = {};

			if (__vcpu_ioctl(f->vcpu[i], KVM_XEN_VCPU_GET_ATTR, &t))
				break;
			if (!t.u.timer.expires_ns ||
			    t.u.timer.expires_ns == FAR_NS)
				break;
			vm_ioctl(f->vm, KVM_GET_CLOCK, &clock);
			if ((int64_t)t.u.timer.expires_ns <= (int64_t)clock.clock &&
			    !deliverable(f, t.u.timer.port) && ++past > 20)
				break;
			TEST_ASSERT(tries < 6000,
				    "vCPU %d's timer (port %u) not fired 30 s after its deadline %llx, its event deliverable",
				    i, t.u.timer.port, t.u.timer.expires_ns);
			usleep(5000);
		}
		note(f, " t%d=%u:%llx", i, t.u.timer.port,
		     t.u.timer.expires_ns);
		/*
		 * Past, and still there: an event that waits for shared_info
		 * (ours; upstream drops it).  Drop it here too, so that the
		 * two KVMs go on from the same state.
		 */
		if (t.u.timer.expires_ns && t.u.timer.expires_ns != FAR_NS) {
			t.u.timer.expires_ns = 0;
			TEST_ASSERT(!__vcpu_ioctl(f->vcpu[i],
						  KVM_XEN_VCPU_SET_ATTR, &t),
				    "timer stop");
		}
	}
}

/* Where shared_info is for the host, and its gpa; NULL if not in a page. */
static uint8_t *shinfo_at(struct fuzz *f, uint64_t *gpa)
{
	struct kvm_xen_hvm_attr a = { .type = KVM_XEN_ATTR_TYPE_SHARED_INFO };
	int page;

	*gpa = KVM_XEN_INVALID_GPA;
	if (!__vm_ioctl(f->vm, KVM_XEN_HVM_GET_ATTR, &a) &&
	    a.u.shared_info.gfn != KVM_XEN_INVALID_GFN)
		*gpa = a.u.shared_info.gfn * PAGE_SIZE;
	a.type = KVM_XEN_ATTR_TYPE_SHARED_INFO_HVA;
	if (*gpa == KVM_XEN_INVALID_GPA &&
	    !__vm_ioctl(f->vm, KVM_XEN_HVM_GET_ATTR, &a) && a.u.shared_info.hva)
		*gpa = hva_gpa(f, a.u.shared_info.hva);
	return *gpa == KVM_XEN_INVALID_GPA ? NULL : page_of(f, *gpa, &page);
}

static uint8_t *vcpu_info_at_(struct fuzz *f, int i, uint64_t *gpa)
{
	struct kvm_xen_vcpu_attr a = { .type = KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO };
	int page;
	uint8_t *p;

	*gpa = KVM_XEN_INVALID_GPA;
	if (!__vcpu_ioctl(f->vcpu[i], KVM_XEN_VCPU_GET_ATTR, &a))
		*gpa = a.u.gpa;
	a.type = KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO_HVA;
	if (*gpa == KVM_XEN_INVALID_GPA &&
	    !__vcpu_ioctl(f->vcpu[i], KVM_XEN_VCPU_GET_ATTR, &a) && a.u.hva)
		*gpa = hva_gpa(f, a.u.hva);
	if (*gpa == KVM_XEN_INVALID_GPA)
		return NULL;
	p = page_of(f, *gpa, &page);
	return p ? p + (*gpa & (PAGE_SIZE - 1)) : NULL;
}

/*
 * Differential mode: log the guest-visible state, then make each vCPU's
 * selector and upcall byte what the pending and unmasked ports say.
 */
static void log_state(struct fuzz *f)
{
	struct kvm_xen_hvm_attr lm = { .type = KVM_XEN_ATTR_TYPE_LONG_MODE };
	uint64_t si_gpa, vi_gpa[NR_VCPUS], pu = 0, put = 0, h = FNV_INIT, sel;
	uint8_t *si, *vi[NR_VCPUS];
	int i, w, words, bits, nr = 0, page = 0, off;
	bool wide;

	TEST_ASSERT(!__vm_ioctl(f->vm, KVM_XEN_HVM_GET_ATTR, &lm), "lm");
	wide = lm.u.long_mode;
	words = wide ? 64 : 32;
	bits = wide ? 64 : 32;
	si = shinfo_at(f, &si_gpa);
	note(f, " lm=%d si=%lx", wide, si_gpa);
	if (si) {
		uint8_t pend[512], mask[512];
		int moff = wide ? MASK_OFF : 0x880;

		/* Bytes with time in them (a wallclock of the other ABI): 0. */
		page_of(f, si_gpa, &page);
		for (off = 0; off < words * bits / 8; off++) {
			if (f->timed[page][PENDING_OFF + off] ||
			    f->timed[page][moff + off])
				put |= 1ULL << (off * 8 / bits);
			pend[off] = f->timed[page][PENDING_OFF + off] ? 0 :
				    si[PENDING_OFF + off];
			mask[off] = f->timed[page][moff + off] ? 0 :
				    si[moff + off];
		}

		note(f, " pend=");
		for (w = 0; w < words * bits; w++) {
			if (!(pend[w / 8] & (1 << (w % 8))))
				continue;
			if (nr++ < 16)
				note(f, "%d,", w);
			if (!(mask[w / 8] & (1 << (w % 8))))
				pu |= 1ULL << (w / bits);
		}
		/* put: the words whose bits have time in them (left out). */
		note(f, "+%d pendh=%lx maskh=%lx pu=%lx put=%lx",
		     nr, fnv(FNV_INIT, pend, words * bits / 8),
		     fnv(FNV_INIT, mask, words * bits / 8), pu, put);
	}
	for (i = 0; i < NR_VCPUS; i++) {
		vi[i] = vcpu_info_at_(f, i, &vi_gpa[i]);
		note(f, " vi%d=%lx", i, vi_gpa[i]);
		if (!vi[i])
			continue;
		sel = 0;
		memcpy(&sel, vi[i] + (wide ? 8 : 4), wide ? 8 : 4);
		/* A runstate area or a pvclock over them: time. */
		if (is_timed(f, vi_gpa[i], 16))
			note(f, " sel%d=time up%d=time", i, i);
		else
			note(f, " sel%d=%lx up%d=%u", i, sel, i,
			     vi[i][0]);
	}

	/* Every byte of the Xen pages, less time and the fields above. */
	note(f, " raw=");
	for (page = 0; page < NR_PAGES; page++) {
		uint64_t gpa = page < REGION_PAGES ?
			REGION_GPA + page * PAGE_SIZE : EXTRA_GPA;
		uint8_t *p = page_of(f, gpa, &w);

		if (!p)
			continue;
		for (off = 0; off < PAGE_SIZE; off++) {
			bool skip = f->timed[page][off];

			for (i = 0; i < NR_VCPUS; i++)
				if (vi[i] && gpa + off >= vi_gpa[i] &&
				    gpa + off < vi_gpa[i] + 16)
					skip = true;
			if (!skip)
				h = fnv(h, p + off, 1);
		}
		note(f, "%d:%lx,", page, h);
		h = FNV_INIT;
	}

	/*
	 * The same selectors on both KVMs from here on; with no shared_info
	 * mapped, no port is pending (pu is 0): both cleared.  Left as they
	 * were, a deliberate difference would outlive the operation that made
	 * it and be judged again at the next, which did not.
	 */
	for (i = 0; i < NR_VCPUS; i++) {
		if (!vi[i])
			continue;
		memcpy(vi[i] + (wide ? 8 : 4), &pu, wide ? 8 : 4);
		vi[i][0] = !!pu;
	}
}

/* -k: the operations to make, as ranges; the others are only generated. */
static struct { uint64_t first, last; } keep[4096];
static int nr_keep;

static void parse_keep(char *list)
{
	char *tok, *save, *dash;

	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		TEST_ASSERT(nr_keep < (int)ARRAY_SIZE(keep), "-k: too many");
		keep[nr_keep].first = strtoull(tok, &dash, 0);
		keep[nr_keep].last = *dash == '-' ?
			strtoull(dash + 1, NULL, 0) : keep[nr_keep].first;
		nr_keep++;
	}
}

static bool kept(uint64_t i)
{
	int k;

	for (k = 0; k < nr_keep; k++)
		if (i >= keep[k].first && i <= keep[k].last)
			return true;
	return !nr_keep;
}

/* -D: after this operation, the bytes of every page (time left out). */
static uint64_t dump_op = ~0ULL;

static void dump_pages(struct fuzz *f)
{
	int page, off, k, idx;
	uint8_t *p;

	for (page = 0; page < NR_PAGES; page++) {
		p = page_of(f, page < REGION_PAGES ? REGION_GPA + page * PAGE_SIZE :
			    EXTRA_GPA, &idx);
		for (off = 0; p && off < PAGE_SIZE; off += 32) {
			f->len = 0;
			note(f, "dump %d:%03x", page, off);
			for (k = off; k < off + 32; k++) {
				if (f->timed[page][k])
					note(f, " ..");
				else
					note(f, " %02x", p[k]);
			}
			puts(f->line);
		}
	}
}

/* One operation of the differential mode, and its log line. */
static void diff_op(struct fuzz *f, uint64_t i)
{
	f->dry = !kept(i);
	f->len = 0;
	note(f, "op=%lu", i);
	if (f->dry) {
		host_op(f);
		return;
	}
	host_op(f);
	settle(f);
	log_state(f);
	puts(f->line);
	if (i == dump_op)
		dump_pages(f);
}

/* Compare mode: split a log line into its operation and its result. */
struct logline {
	char buf[LINE_MAX_LEN];
	uint64_t op;
};

static bool read_line(FILE *file, struct logline *l)
{
	while (fgets(l->buf, sizeof(l->buf), file)) {
		if (sscanf(l->buf, "op=%lu", &l->op) == 1) {
			l->buf[strcspn(l->buf, "\n")] = 0;
			return true;
		}
	}
	return false;
}

/* The value of " key=" in @line, as a number; @def if it is not there. */
static uint64_t field(const char *line, const char *key, uint64_t def)
{
	char pat[32];
	const char *p;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	return p ? strtoull(p + strlen(pat), NULL, 16) : def;
}

/* The text of " key=" up to the next space, for comparing. */
static void field_str(const char *line, const char *key, char *out, size_t n)
{
	char pat[32];
	const char *p;
	size_t len;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	*out = 0;
	if (!p)
		return;
	p += strlen(pat);
	len = strcspn(p, " ");
	if (len >= n)
		len = n - 1;
	memcpy(out, p, len);
	out[len] = 0;
}

/* Whether @key=... is one of @keys. */
static bool is_key(const char *tok, const char * const *keys)
{
	const char * const *k;

	for (k = keys; *k; k++)
		if (!strncmp(tok, *k, strlen(*k)) && tok[strlen(*k)] == '=')
			return true;
	return false;
}

/* @line without its " key=..." tokens of @keys, into @out. */
static void strip(const char *line, const char * const *keys, char *out)
{
	char buf[LINE_MAX_LEN], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", line);
	*out = 0;
	for (tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		if (is_key(tok, keys))
			continue;
		strcat(out, " ");
		strcat(out, tok);
	}
}

/* Whether @a and @b are the same but for the " key=" fields of @keys. */
static bool same_but(const char *a, const char *b, const char * const *keys)
{
	static char x[LINE_MAX_LEN], y[LINE_MAX_LEN];

	strip(a, keys, x);
	strip(b, keys, y);
	return !strcmp(x, y);
}

/* The expiry of a timer field "port:expires" or "port:prio:expires". */
static uint64_t expiry(const char *line, const char *key)
{
	char v[64], *p;

	field_str(line, key, v, sizeof(v));
	p = strrchr(v, ':');
	return p ? strtoull(p + 1, NULL, 16) : 0;
}

struct class {
	const char *name;
	bool resynced;	/* the fuzzer made the states the same again */
};

/* What the comparison remembers of a seed's earlier operations. */
struct history {
	bool lm0;		/* the guest's ABI was 32-bit at some point */
	/*
	 * Per vCPU, the selector words of ports whose sender was set up
	 * while the vCPU had no vcpu_info: ours' pending-at-setup check
	 * keeps their bits in the shadow, to reach the guest later.
	 */
	uint64_t shadowed[NR_VCPUS];
};

/* Note what stock's line @s (the same as ours' but for the class) did. */
static void remember(struct history *hist, const char *s)
{
	unsigned int port, vcpu, i;
	const char *p;
	char k[8];

	if (field(s, "lm", 1) == 0)
		hist->lm0 = true;
	port = ~0U;
	vcpu = NR_VCPUS;
	p = strstr(s, " timer port=");
	if (p && sscanf(s, "op=%*u vcpu%u", &vcpu) == 1)
		port = strtoul(p + 12, NULL, 10);
	p = strstr(s, " route ");
	if (p)
		sscanf(p, " route %u:%u", &port, &vcpu);
	p = strstr(s, " to=");
	if (p)
		sscanf(p, " to=%u:%u", &port, &vcpu);
	if (port == ~0U || vcpu >= NR_VCPUS)
		return;
	snprintf(k, sizeof(k), "vi%u", vcpu);
	if (field(s, k, 0) != KVM_XEN_INVALID_GPA)
		return;
	for (i = 0; i < 2; i++)	/* either ABI's word */
		if (port / (i ? 32 : 64) < 64)
			hist->shadowed[vcpu] |= 1ULL << (port / (i ? 32 : 64));
}

/*
 * The class of a difference between stock's line @s and ours @o, or a
 * NULL name if it is none that is known.
 */
static struct class classify(const char *s, const char *o,
			     const struct history *hist)
{
	static const char * const sel_keys[] = {
		"sel0", "up0", "sel1", "up1", NULL,
	};
	static const char * const timer_keys[] = { "t0", "t1", "tget", NULL };
	uint64_t pu = field(o, "pu", 0) | field(o, "put", 0);
	int i;

	/*
	 * A timer event that waits for shared_info (deliberate): upstream
	 * drops it, ours keeps its past deadline (the fuzzer then stops it).
	 */
	if (same_but(s, o, timer_keys)) {
		for (i = 0; i < NR_VCPUS; i++) {
			char k[8];

			snprintf(k, sizeof(k), "t%d", i);
			if (!expiry(s, k) && expiry(o, k))
				return (struct class) {
					"DELIBERATE: a timer event waits for shared_info (upstream drops it)",
					true,
				};
		}
	}

	/*
	 * Pending at setup (deliberate, xen_evtchn.rst): ours sets the
	 * selector bit of a port already pending and unmasked, when its
	 * sender is set up, or owed, when shared_info or the ABI is.
	 * Only selector bits for pending unmasked words, and their upcall.
	 */
	if (same_but(s, o, sel_keys)) {
		bool more = true, up_only = true;

		for (i = 0; i < NR_VCPUS; i++) {
			char k[8];
			uint64_t ss, os;

			snprintf(k, sizeof(k), "sel%d", i);
			ss = field(s, k, 0);
			os = field(o, k, 0);
			if ((ss & ~os) || ((os & ~ss) & ~pu))
				more = false;
			if (ss != os)
				up_only = false;
		}
		if (more && !up_only) {
			if (strstr(s, " shinfo "))
				return (struct class) {
					"DELIBERATE: owed pending-at-setup check, made when shared_info is set",
					true,
				};
			if (strstr(s, " hvm type=0 "))
				return (struct class) {
					"DELIBERATE: owed pending-at-setup check, made when the ABI changes (LONG_MODE)",
					true,
				};
			if (strstr(s, " evtchn ") || strstr(s, " route ") ||
			    strstr(s, " timer "))
				return (struct class) {
					"DELIBERATE: pending-at-setup check when a sender is set up",
					true,
				};
			return (struct class) {
				"DELIBERATE: pending-at-setup check, its selector bit set later (shadow selector)",
				true,
			};
		}
		/*
		 * Ours' pending-at-setup check for a vCPU with no vcpu_info
		 * keeps the selector bit in the shadow; it reaches the guest
		 * when the vCPU next enters with one, even if the port is no
		 * longer pending there (shared_info moved meanwhile).
		 */
		more = !up_only;
		for (i = 0; i < NR_VCPUS; i++) {
			char k[8];
			uint64_t ss, os;

			snprintf(k, sizeof(k), "sel%d", i);
			ss = field(s, k, 0);
			os = field(o, k, 0);
			if ((ss & ~os) || ((os & ~ss) & ~(pu | hist->shadowed[i])))
				more = false;
		}
		if (more && strstr(s, " run "))
			return (struct class) {
				"DELIBERATE: pending-at-setup check for a vCPU with no vcpu_info, its selector bit kept in the shadow and set at its next entry with one",
				true,
			};
		/*
		 * Shadow words past the 32-bit ABI's: ours drops them when the
		 * guest turns 32-bit; upstream keeps them, raises
		 * evtchn_upcall_pending again at each entry while 32-bit, and
		 * sets them in vcpu_info once 64-bit again.
		 */
		more = !up_only && hist->lm0;
		for (i = 0; i < NR_VCPUS; i++) {
			char k[8];
			uint64_t ss, os;

			snprintf(k, sizeof(k), "sel%d", i);
			ss = field(s, k, 0);
			os = field(o, k, 0);
			if ((os & ~ss) || ((ss & ~os) & 0xffffffffULL))
				more = false;
		}
		if (more)
			return (struct class) {
				"DELIBERATE: shadow selector words past the 32-bit ABI's are dropped on the switch to 32-bit; upstream keeps them and sets them once 64-bit again",
				true,
			};
		/* Upstream raises upcall_pending again for dropped shadow words. */
		if (up_only && field(s, "lm", 1) == 0)
			return (struct class) {
				"DELIBERATE: shadow selector words past the 32-bit ABI's are dropped on the switch to 32-bit (upstream raises evtchn_upcall_pending again at every entry)",
				true,
			};
	}
	return (struct class) { NULL, false };
}

static int compare(const char *stock_path, const char *ours_path)
{
	FILE *s = fopen(stock_path, "r"), *o = fopen(ours_path, "r");
	struct logline *ls = malloc(sizeof(*ls)), *lo = malloc(sizeof(*lo));
	const char *seen[16];
	uint64_t judged = 0, count[16] = {};
	struct history hist = {};
	int nr_seen = 0, i;
	struct class c;

	TEST_ASSERT(s && o && ls && lo, "open %s, %s", stock_path, ours_path);
	for (;;) {
		bool gs = read_line(s, ls), go = read_line(o, lo);

		if (!gs && !go)
			break;
		if (!gs || !go) {
			printf("xen_fuzz: the %s log ends first, after %lu operations: NOT KNOWN\n",
			       gs ? "ours" : "stock", judged);
			return 1;
		}
		judged++;
		if (!strcmp(ls->buf, lo->buf)) {
			remember(&hist, ls->buf);
			continue;
		}
		c = classify(ls->buf, lo->buf, &hist);
		remember(&hist, ls->buf);
		if (!c.name) {
			printf("xen_fuzz: op %lu differs, NOT KNOWN\nstock: %s\nours:  %s\n",
			       ls->op, ls->buf, lo->buf);
			return 1;
		}
		for (i = 0; i < nr_seen; i++)
			if (seen[i] == c.name)
				break;
		if (i == nr_seen && nr_seen < (int)ARRAY_SIZE(seen)) {
			seen[nr_seen++] = c.name;
			printf("xen_fuzz: op %lu differs: %s\nstock: %s\nours:  %s\n",
			       ls->op, c.name, ls->buf, lo->buf);
		}
		count[i]++;
		if (!c.resynced) {
			printf("xen_fuzz: states differ from op %lu on: the rest is not judged\n",
			       ls->op);
			break;
		}
	}
	for (i = 0; i < nr_seen; i++)
		printf("xen_fuzz: %lu x %s\n", count[i], seen[i]);
	printf("xen_fuzz: %lu operations judged, no difference that is not known\n",
	       judged);
	return 0;
}

static void report(struct fuzz *f)
{
	int i;

	for (i = 0; i < HK_NR; i++)
		fprintf(stderr, "xen_fuzz: hypercall %s: %lu in the kernel, %lu to the VMM\n",
			hc_kind_name[i], f->handled[i], f->exited[i]);
	for (i = 0; i < f->nr_stats; i++)
		fprintf(stderr, "xen_fuzz: xen_evtchn_stats %s %lu\n",
			f->stat_name[i], f->stats[i]);
}

int main(int argc, char *argv[])
{
	uint64_t seed = 1, nr_ops = 10000, budget = 0, i;
	struct sigaction kick = { .sa_handler = on_kick };
	struct timespec t0, now;
	struct fuzz *f = calloc(1, sizeof(*f));
	pthread_t thread;
	int opt;

	TEST_ASSERT(f, "calloc");
	while ((opt = getopt(argc, argv, "s:n:t:dk:D:C")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			nr_ops = strtoull(optarg, NULL, 0);
			break;
		case 't':
			budget = strtoull(optarg, NULL, 0);
			break;
		case 'd':
			diff = true;
			break;
		case 'k':
			parse_keep(optarg);
			break;
		case 'D':
			dump_op = strtoull(optarg, NULL, 0);
			break;
		case 'C':
			if (argc - optind != 2)
				goto usage;
			return compare(argv[optind], argv[optind + 1]);
		default:
			goto usage;
		}
	}
	if (diff && budget)
		goto usage;	/* a differential run makes every operation */
	TEST_REQUIRE(kvm_check_cap(KVM_CAP_XEN_HVM) &
		     KVM_XEN_HVM_CONFIG_EVTCHN_SEND);
	fprintf(stderr, "xen_fuzz: seed %lu, %lu operations%s\n",
		seed, nr_ops, diff ? ", differential" : "");
	if (budget)
		fprintf(stderr, "xen_fuzz: or as many as %lu s allow\n",
			budget);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rng_state = seed ? seed : 1;
	TEST_ASSERT(!sigaction(SIGUSR1, &kick, NULL), "sigaction");
	f->efd = eventfd(0, EFD_NONBLOCK);
	TEST_ASSERT(f->efd >= 0, "eventfd");
	f->line = malloc(LINE_MAX_LEN);
	TEST_ASSERT(f->line, "malloc");
	setvbuf(stdout, NULL, _IOLBF, 0);

	vm_setup(f);
	if (!diff)
		pthread_create(&thread, NULL, vcpu_thread, f);
	for (i = 0; i < nr_ops; i++) {
		if (rnd() % 2000 == 0) {	/* a new VM, the old one armed */
			if (!diff)
				stop_vcpu_thread(f, thread);
			vm_free(f);
			vm_setup(f);
			if (!diff)
				pthread_create(&thread, NULL, vcpu_thread, f);
		}
		if (diff)
			diff_op(f, i);
		else
			host_op(f);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (budget && (uint64_t)(now.tv_sec - t0.tv_sec) >= budget) {
			i++;
			break;
		}
	}
	if (!diff)
		stop_vcpu_thread(f, thread);
	vm_free(f);
	close(f->efd);
	report(f);
	fprintf(stderr, "xen_fuzz: seed %lu: %lu operations, no unexpected errno\n",
		seed, i);
	return 0;
usage:
	fprintf(stderr, "usage: %s [-s SEED] [-n OPS] [-t SECONDS] [-d [-k OPS] [-D OP]]\n",
		argv[0]);
	fprintf(stderr, "       %s -C STOCK OURS\n", argv[0]);
	return 2;
}
