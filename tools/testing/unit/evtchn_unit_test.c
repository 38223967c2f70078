// SPDX-License-Identifier: GPL-2.0-only
/*
 * Userspace unit tests of xen_evtchn/deliver.c, vcpu_info.c, ports.c,
 * routes.c, timer.c, resync.c and runstate.c,
 * compiled from the module's own files against shim/ (a model of the
 * kernel and KVM), with AddressSanitizer and UndefinedBehaviorSanitizer:
 * the 2-level delivery in both layouts, the shadow selector and its
 * injection, the "pending at setup" selector resync, the port table's
 * lifetime rules (no leak, no use after free, one SRCU wait per removal,
 * an eventfd reference per entry), the timer's orderings, and a runstate
 * update preempted at each point where it can be.  Output is TAP.
 */

#include <stdio.h>

#include "kernel_shim.h"
#include <xen/interface/event_channel.h>
#include "xen_evtchn.h"

/* Defined for the shim. */
static struct mm_struct vm_mm;
static struct task_struct vm_task = { .mm = &vm_mm };
struct task_struct *current = &vm_task;
bool shim_atomic;
int shim_srcu_syncs;
int shim_eventfd_signals;
int shim_misaligned_atomics;
int shim_mm_refs_taken;
int shim_vcpu_searches;
void (*shim_on_read_lock)(rwlock_t *lock);
void (*shim_step_hook)(void);
void (*shim_on_mutex_unlock)(struct mutex *m);
bool shim_tso;
int shim_cpu;
atomic_t *shim_tso_addr;
int shim_tso_val;
int shim_preempt_count, shim_irqs_off;
void (*shim_preempt_hook)(void);
u64 shim_kvmclock;
static u64 guest_now;
static int live_eventfds, mm_borrows;

void kthread_use_mm(struct mm_struct *mm)
{
	mm_borrows++;
	current->mm = mm;
}

void kthread_unuse_mm(struct mm_struct *mm)
{
	current->mm = NULL;
}

/* fd 3 is not an eventfd, negative fds are bad, the rest are eventfds. */
struct eventfd_ctx *eventfd_ctx_fdget(int fd)
{
	struct eventfd_ctx *ctx;

	if (fd < 0)
		return ERR_PTR(-EBADF);
	if (fd == 3)
		return ERR_PTR(-EINVAL);
	ctx = calloc(1, sizeof(*ctx));
	ctx->fd = fd;
	ctx->refs = 1;
	live_eventfds++;
	return ctx;
}

void eventfd_ctx_put(struct eventfd_ctx *ctx)
{
	if (--ctx->refs == 0) {
		live_eventfds--;
		free(ctx);
	}
}

/* The model VM. */
static struct kvm kvm;
static struct kvm_vcpu vcpus[2];
static struct xen_evtchn_vm xvm;
static struct shared_info *shinfo;
static struct vcpu_info *vinfo[2];
static u8 guest_mem[PAGE_SIZE];
static int polled_port;

void *kvm_xen_accel_bound_data(struct kvm *k)
{
	return &xvm;
}

int kvm_xen_accel_read_guest_virt(struct kvm_vcpu *vcpu, u64 gva, void *buf,
				  unsigned int len)
{
	if (gva >= sizeof(guest_mem) || len > sizeof(guest_mem) - gva)
		return -EFAULT;
	memcpy(buf, guest_mem + gva, len);
	return 0;
}

int kvm_xen_accel_deliver_vector(struct kvm_vcpu *vcpu, u8 vector)
{
	vcpu->vectors++;
	return 1;
}

u64 kvm_xen_accel_guest_clock(struct kvm_vcpu *vcpu, ktime_t *mono)
{
	*mono = guest_now;
	return guest_now;
}

/* Reached only for a vCPU polling @port or several ports (xen_evtchn.h). */
void xen_evtchn_wake_polling(struct kvm_vcpu *vcpu, unsigned int port)
{
	polled_port = port;
}

static void vm_setup(bool long_mode)
{
	int i;

	memset(&kvm, 0, sizeof(kvm));
	memset(vcpus, 0, sizeof(vcpus));
	shinfo = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	memset(shinfo, 0, PAGE_SIZE);
	kvm.arch.xen.long_mode = long_mode;
	kvm.arch.xen.shinfo_cache = (struct gfn_to_pfn_cache) {
		.khva = shinfo, .active = true, .valid = true,
	};
	kvm.mm = &vm_mm;
	vm_mm.mm_users = 1;
	kvm.nr_vcpus = 2;
	for (i = 0; i < 2; i++) {
		vinfo[i] = calloc(1, sizeof(struct vcpu_info));
		vcpus[i].kvm = &kvm;
		vcpus[i].vcpu_idx = i;
		vcpus[i].vcpu_id = i * 5;	/* APIC IDs 0 and 5 */
		vcpus[i].arch.xen.vcpu_info_cache = (struct gfn_to_pfn_cache) {
			.khva = vinfo[i], .active = true, .valid = true,
		};
		kvm.vcpus[i] = &vcpus[i];
	}
	xvm.kvm = &kvm;
	xvm.stats = calloc(1, sizeof(*xvm.stats));
	xen_evtchn_ports_init(&xvm);
	xa_init(&xvm.resync_owed);
	current->mm = &vm_mm;
	shim_atomic = false;
	shim_eventfd_signals = 0;
	shim_misaligned_atomics = 0;
	shim_mm_refs_taken = 0;
	shim_on_read_lock = NULL;
	shim_step_hook = NULL;
	shim_on_mutex_unlock = NULL;
	shim_tso = false;
	shim_tso_addr = NULL;
	shim_cpu = 0;
	shim_preempt_count = 0;
	shim_irqs_off = 0;
	shim_preempt_hook = NULL;
	shim_kvmclock = 1000000;
	guest_now = 1000;
	polled_port = -1;
}

static void vm_teardown(void)
{
	xen_evtchn_ports_destroy(&xvm);
	xa_destroy(&xvm.resync_owed);
	free(xvm.stats);
	free(shinfo);
	free(vinfo[0]);
	free(vinfo[1]);
}

static int failures, test_failed, tests;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("# %s:%d: %s\n", __func__, __LINE__, #cond); \
			test_failed = 1;				\
		}							\
	} while (0)

static void run(const char *name, void (*fn)(bool), bool long_mode)
{
	test_failed = 0;
	vm_setup(long_mode);
	fn(long_mode);
	/* Every reference taken on the VM's address space was given back. */
	CHECK(vm_mm.mm_users <= 1);
	/* No locked operation split a cache line. */
	CHECK(shim_misaligned_atomics == 0);
	vm_teardown();
	tests++;
	failures += test_failed;
	printf("%sok %d %s (%s)\n", test_failed ? "not " : "", tests, name,
	       long_mode ? "64-bit" : "32-bit");
}

static struct kvm_xen_evtchn ev(u32 port, u32 vcpu_id)
{
	return (struct kvm_xen_evtchn) {
		.port = port, .vcpu_id = vcpu_id, .vcpu_idx = -1,
		.priority = KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL,
	};
}

static bool pending(unsigned int port)
{
	return test_bit(port, shinfo->evtchn_pending);
}

/* The selector of vCPU @i in the layout of the test. */
static u64 sel(int i, bool long_mode)
{
	u8 *vi = (u8 *)vinfo[i];

	return long_mode ? *(u64 *)(vi + 8) : *(u32 *)(vi + 4);
}

static void mask(unsigned int port, bool long_mode)
{
	/* 0xa00 in the 64-bit layout, 0x880 in the 32-bit one. */
	set_bit(port, (unsigned long *)((u8 *)shinfo + (long_mode ? 0xa00 : 0x880)));
}

static void test_unmasked(bool lm)
{
	struct kvm_xen_evtchn e = ev(lm ? 130 : 66, 5);

	vcpus[1].arch.xen.poll_evtchn = -1;	/* polls several ports */
	CHECK(xen_evtchn_set_fast(&e, &kvm) == 1);
	CHECK(pending(e.port));
	CHECK(sel(1, lm) == 1ull << (e.port / (lm ? 64 : 32)));
	CHECK(vinfo[1]->evtchn_upcall_pending == 1);
	CHECK(vcpus[1].kicks == 1 && vcpus[1].vectors == 0);
	CHECK(e.vcpu_idx == -1);		/* the caller's, not written */
	CHECK(polled_port == (int)e.port);
	/* Again: already pending, nothing new. */
	CHECK(xen_evtchn_set_fast(&e, &kvm) == 0);
	CHECK(vcpus[1].kicks == 1);
}

static void test_vector(bool lm)
{
	struct kvm_xen_evtchn e = ev(3, 0);

	vcpus[0].arch.xen.upcall_vector = 0x40;
	CHECK(xen_evtchn_set_fast(&e, &kvm) == 1);
	CHECK(vcpus[0].vectors == 1 && vcpus[0].kicks == 0);
	CHECK(polled_port == -1);	/* not polling: no wake-up */
}

static void test_masked(bool lm)
{
	struct kvm_xen_evtchn e = ev(9, 0);

	mask(9, lm);
	vcpus[0].arch.xen.poll_evtchn = 9;
	CHECK(xen_evtchn_set_fast(&e, &kvm) == -ENOTCONN);
	CHECK(pending(9));
	CHECK(sel(0, lm) == 0 && vinfo[0]->evtchn_upcall_pending == 0);
	CHECK(polled_port == 9);	/* a poller wakes even so */
}

static void test_limits(bool lm)
{
	unsigned int limit = lm ? 4096 : 1024;
	struct kvm_xen_evtchn e = ev(limit, 0), last = ev(limit - 1, 0);
	struct kvm_xen_evtchn nobody = ev(1, 7);

	CHECK(xen_evtchn_set_fast(&e, &kvm) == -EINVAL);
	CHECK(xen_evtchn_set_fast(&nobody, &kvm) == -EINVAL);
	CHECK(xen_evtchn_set_fast(&last, &kvm) == 1);
	CHECK(sel(0, lm) == 1ull << ((limit - 1) / (lm ? 64 : 32)));
}

static void test_shinfo_unmapped(bool lm)
{
	struct kvm_xen_evtchn e = ev(4, 0);

	kvm.arch.xen.shinfo_cache.valid = false;
	CHECK(xen_evtchn_set_fast(&e, &kvm) == -EWOULDBLOCK);
	CHECK(!pending(4));
	/* Process context maps it and delivers. */
	CHECK(xen_evtchn_set(&e, &kvm) == 1);
	CHECK(pending(4));
	/* Not set up at all: an error, not a loop. */
	kvm.arch.xen.shinfo_cache.active = false;
	kvm.arch.xen.shinfo_cache.valid = false;
	CHECK(xen_evtchn_set(&e, &kvm) == -EINVAL);
}

static void test_irqfd_worker_borrows_mm(bool lm)
{
	struct kvm_xen_evtchn e = ev(4, 0);

	kvm.arch.xen.shinfo_cache.valid = false;
	current->mm = NULL;		/* KVM's irqfd workqueue */
	CHECK(xen_evtchn_set(&e, &kvm) == 1);
	CHECK(mm_borrows == 1 && !current->mm);
	/* Another process's task may not deliver. */
	kvm.arch.xen.shinfo_cache.valid = false;
	current->mm = (struct mm_struct *)&kvm;
	CHECK(xen_evtchn_set(&e, &kvm) == -EINVAL);
	mm_borrows = 0;
}

/*
 * The VMM exited: its memory is being freed while the VM still exists.  A
 * timer or an irqfd event then writes nothing and maps nothing.
 */
static void test_vmm_gone(bool lm)
{
	struct kvm_xen_evtchn e = ev(4, 0);

	vm_mm.mm_users = 0;
	current->mm = NULL;		/* the Xen timer's softirq */
	CHECK(xen_evtchn_set_fast(&e, &kvm) == -ESRCH);
	CHECK(!pending(4) && !sel(0, lm));
	kvm.arch.xen.shinfo_cache.valid = false;	/* KVM's irqfd workqueue */
	CHECK(xen_evtchn_set(&e, &kvm) == -ESRCH);
	CHECK(mm_borrows == 0 && !pending(4));
}

static u64 stat(enum xen_evtchn_stat s)
{
	return xvm.stats->count[s];
}

/* Each outcome of a delivery is counted once, as what it was. */
static void test_counters(bool lm)
{
	struct kvm_xen_evtchn e = ev(4, 0);

	CHECK(xen_evtchn_set_fast(&e, &kvm) == 1);
	CHECK(xen_evtchn_set_fast(&e, &kvm) == 0);
	mask(6, lm);
	e.port = 6;
	CHECK(xen_evtchn_set_fast(&e, &kvm) == -ENOTCONN);
	vcpus[0].arch.xen.vcpu_info_cache.valid = false;
	e.port = 200;
	CHECK(xen_evtchn_set_fast(&e, &kvm) == 1);
	CHECK(stat(XEN_STAT_DELIVERED) == 2 &&
	      stat(XEN_STAT_ALREADY_PENDING) == 1 &&
	      stat(XEN_STAT_MASKED) == 1 && stat(XEN_STAT_SHADOW) == 1 &&
	      stat(XEN_STAT_SLOW_PATH) == 0);
	kvm.arch.xen.shinfo_cache.valid = false;
	e.port = 7;
	CHECK(xen_evtchn_set(&e, &kvm) == 1);
	CHECK(stat(XEN_STAT_SLOW_PATH) == 1 && stat(XEN_STAT_DELIVERED) == 3);
}

/*
 * A delivery from a task that runs in the VMM's address space (the VMM's
 * ioctl, its eventfd write) takes no reference on it: the task holds one.
 * From anywhere else it takes one, and gives it back.
 */
static void test_mm_reference(bool lm)
{
	struct kvm_xen_evtchn e = ev(4, 0);

	CHECK(xen_evtchn_set_fast(&e, &kvm) == 1);
	CHECK(shim_mm_refs_taken == 0);
	e.port = 5;
	current->mm = NULL;
	CHECK(xen_evtchn_set_fast(&e, &kvm) == 1);
	CHECK(shim_mm_refs_taken == 1 && vm_mm.mm_users == 1);
}

static void test_shadow(bool lm)
{
	struct kvm_xen_evtchn a = ev(lm ? 200 : 100, 0), b = ev(5, 0);
	unsigned long *shadow = &vcpus[0].arch.xen.evtchn_pending_sel;
	int wa = a.port / (lm ? 64 : 32);

	vcpus[0].arch.xen.vcpu_info_cache.active = false;	/* moving */
	vcpus[0].arch.xen.vcpu_info_cache.valid = false;
	CHECK(xen_evtchn_set_fast(&a, &kvm) == 1);
	CHECK(xen_evtchn_set_fast(&b, &kvm) == 1);
	CHECK(*shadow == ((1ul << wa) | 1));
	CHECK(sel(0, lm) == 0);
	CHECK(vcpus[0].kicks == 2);

	/* Still not mapped: the bits wait. */
	xen_evtchn_inject_pending_events(&vcpus[0]);
	CHECK(*shadow == ((1ul << wa) | 1));

	vcpus[0].arch.xen.vcpu_info_cache.active = true;	/* moved */
	vcpus[0].arch.xen.upcall_vector = 0x30;
	xen_evtchn_inject_pending_events(&vcpus[0]);
	CHECK(*shadow == 0);
	CHECK(sel(0, lm) == ((1ull << wa) | 1));
	CHECK(vinfo[0]->evtchn_upcall_pending == 1);
	CHECK(vcpus[0].vectors == 1);
}

/*
 * Deliberate difference: shadow words that the 32-bit ABI lacks (raised
 * in the 64-bit ABI while vcpu_info was away) are dropped when the guest
 * switched to 32-bit; the words it has arrive.  Upstream keeps the high
 * bits and raises evtchn_upcall_pending again on every entry.
 */
static void test_shadow_words_dropped_on_switch_to_32bit(bool lm)
{
	struct kvm_xen_evtchn hi = ev(40 * 64 + 1, 0), lo = ev(64 + 1, 0);
	unsigned long *shadow = &vcpus[0].arch.xen.evtchn_pending_sel;

	kvm.arch.xen.long_mode = true;
	vcpus[0].arch.xen.vcpu_info_cache.active = false;
	vcpus[0].arch.xen.vcpu_info_cache.valid = false;
	CHECK(xen_evtchn_set_fast(&hi, &kvm) == 1);
	CHECK(xen_evtchn_set_fast(&lo, &kvm) == 1);
	CHECK(*shadow == (1ul << 40 | 1ul << 1));

	kvm.arch.xen.long_mode = false;
	vcpus[0].arch.xen.vcpu_info_cache.active = true;
	xen_evtchn_inject_pending_events(&vcpus[0]);
	CHECK(*shadow == 0);
	CHECK(sel(0, false) == 1ul << 1);
	CHECK(vinfo[0]->evtchn_upcall_pending == 1);

	/* Nothing is left to raise again on the next entry. */
	vinfo[0]->evtchn_upcall_pending = 0;
	xen_evtchn_inject_pending_events(&vcpus[0]);
	CHECK(vinfo[0]->evtchn_upcall_pending == 0);
}

static void test_resync_selector(bool lm)
{
	struct kvm_xen_evtchn e = ev(70, 5), m = ev(71, 5);

	set_bit(70, shinfo->evtchn_pending);
	set_bit(71, shinfo->evtchn_pending);
	mask(71, lm);
	xen_evtchn_sync_selector(&kvm, &m);
	CHECK(sel(1, lm) == 0);
	xen_evtchn_sync_selector(&kvm, &e);
	CHECK(sel(1, lm) == 1ull << (70 / (lm ? 64 : 32)));
	CHECK(vinfo[1]->evtchn_upcall_pending == 1);
	/* No shared_info at all: nothing to do, no error. */
	kvm.arch.xen.shinfo_cache.active = false;
	kvm.arch.xen.shinfo_cache.valid = false;
	xen_evtchn_sync_selector(&kvm, &e);
}

static int port_attr(u32 flags, u32 send, u32 type, u32 to, int fd)
{
	struct kvm_xen_hvm_attr a = {
		.type = KVM_XEN_ATTR_TYPE_EVTCHN,
		.u.evtchn = {
			.send_port = send, .type = type, .flags = flags,
			.deliver.port = {
				.port = to, .vcpu = 5,
				.priority = KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL,
			},
		},
	};

	if (fd >= -1 && !to)
		a.u.evtchn.deliver.eventfd.fd = fd;
	return xen_evtchn_set_port(&kvm, &a);
}

static bool send_hcall(u32 port, u64 *result)
{
	memcpy(guest_mem + 64, &port, sizeof(port));
	return xen_evtchn_hcall_send(&vcpus[0], 64, result);
}

static void test_port_table(bool lm)
{
	unsigned int limit = lm ? 4096 : 1024;
	u64 r = 1;

	CHECK(port_attr(0, 0, EVTCHNSTAT_ipi, 0, -2) == -EINVAL);
	CHECK(port_attr(0, limit, EVTCHNSTAT_ipi, limit, -2) == -EINVAL);
	CHECK(port_attr(0, 3, EVTCHNSTAT_ipi, 4, -2) == -EINVAL);
	CHECK(port_attr(0, 3, EVTCHNSTAT_interdomain, limit, -2) == -EINVAL);
	CHECK(port_attr(0, 3, EVTCHNSTAT_closed, 3, -2) == -EINVAL);
	CHECK(port_attr(0x80, 3, EVTCHNSTAT_ipi, 3, -2) == -EINVAL);
	CHECK(port_attr(0, 3, EVTCHNSTAT_interdomain, 0, -1) == -EBADF);
	CHECK(port_attr(0, 3, EVTCHNSTAT_interdomain, 0, 3) == -EINVAL);
	CHECK(live_eventfds == 0);

	CHECK(port_attr(0, 10, EVTCHNSTAT_ipi, 10, -2) == 0);
	CHECK(port_attr(0, 10, EVTCHNSTAT_ipi, 10, -2) == -EEXIST);
	CHECK(port_attr(0, 11, EVTCHNSTAT_interdomain, 12, -2) == 0);
	CHECK(port_attr(0, 13, EVTCHNSTAT_interdomain, 0, 100) == 0);
	CHECK(port_attr(0, 13, EVTCHNSTAT_interdomain, 0, 101) == -EEXIST);
	CHECK(live_eventfds == 1);

	/* EVTCHNOP_send: IPI, loopback, eventfd, unknown, unreadable. */
	CHECK(send_hcall(10, &r) && r == 0 && pending(10));
	CHECK(send_hcall(11, &r) && r == 0 && pending(12) && !pending(11));
	CHECK(send_hcall(13, &r) && r == 0 && shim_eventfd_signals == 1);
	CHECK(!send_hcall(14, &r));
	CHECK(xen_evtchn_hcall_send(&vcpus[0], PAGE_SIZE, &r) && r == (u64)-EFAULT);

	/* Update: vCPU and priority only; the old entry freed after SRCU. */
	shim_srcu_syncs = 0;
	CHECK(port_attr(KVM_XEN_EVTCHN_UPDATE, 10, EVTCHNSTAT_interdomain, 10, -2) == -EINVAL);
	CHECK(port_attr(KVM_XEN_EVTCHN_UPDATE, 13, EVTCHNSTAT_interdomain, 0, 100) == -EINVAL);
	CHECK(port_attr(KVM_XEN_EVTCHN_UPDATE, 20, EVTCHNSTAT_ipi, 20, -2) == -ENOENT);
	CHECK(port_attr(KVM_XEN_EVTCHN_UPDATE, 10, EVTCHNSTAT_ipi, 10, -2) == 0);
	CHECK(shim_srcu_syncs == 1 && xvm.ports_lock.locked == 0);

	CHECK(port_attr(KVM_XEN_EVTCHN_DEASSIGN, 13, 0, 0, -2) == 0);
	CHECK(live_eventfds == 0);
	CHECK(port_attr(KVM_XEN_EVTCHN_DEASSIGN, 13, 0, 0, -2) == -ENOENT);
	CHECK(port_attr(0, 13, EVTCHNSTAT_interdomain, 0, 102) == 0);

	/* Reset: one SRCU wait for all, everything freed. */
	shim_srcu_syncs = 0;
	CHECK(port_attr(KVM_XEN_EVTCHN_RESET, 0, 0, 0, -2) == 0);
	CHECK(shim_srcu_syncs == 1 && live_eventfds == 0);
	CHECK(!send_hcall(10, &r));
	/* What is left at VM destruction is freed by vm_teardown (LSan). */
	CHECK(port_attr(0, 13, EVTCHNSTAT_interdomain, 0, 103) == 0);
}

static void test_pending_port_resync_on_assign(bool lm)
{
	set_bit(40, shinfo->evtchn_pending);
	CHECK(port_attr(0, 40, EVTCHNSTAT_ipi, 40, -2) == 0);
	CHECK(sel(1, lm) == 1ull << (40 / (lm ? 64 : 32)));
}

static u32 race_port;

/* Another thread deassigns @race_port as soon as ports_lock is free. */
static void deassign_on_unlock(struct mutex *m)
{
	if (m != &xvm.ports_lock)
		return;
	shim_on_mutex_unlock = NULL;
	CHECK(port_attr(KVM_XEN_EVTCHN_DEASSIGN, race_port, 0, 0, -2) == 0);
}

/*
 * ASSIGN publishes the entry and drops ports_lock; a DEASSIGN on another
 * thread may free it right then.  The assigning thread's pending-at-setup
 * check must not read the entry after that (ASan: use after free).
 */
static void test_assign_races_deassign(bool lm)
{
	u64 r;

	set_bit(41, shinfo->evtchn_pending);
	race_port = 41;
	shim_on_mutex_unlock = deassign_on_unlock;
	CHECK(port_attr(0, 41, EVTCHNSTAT_ipi, 41, -2) == 0);
	CHECK(!shim_on_mutex_unlock);	/* the deassign ran */
	CHECK(sel(1, lm) == 1ull << (41 / (lm ? 64 : 32)));
	CHECK(!send_hcall(41, &r));	/* gone from the table */
}

/*
 * A vcpu_info at +52 of a cache line: the 64-bit selector (bytes 60-67)
 * straddles the line.  Events to words 0, 31, 32 and 63 arrive, directly
 * and through the shadow, and no locked operation splits the line.
 */
static void test_selector_across_lines(bool lm)
{
	u8 *lines = aligned_alloc(64, 192);
	struct gfn_to_pfn_cache *gpc = &vcpus[0].arch.xen.vcpu_info_cache;
	const unsigned int words[] = { 0, 31, 32, 63 };
	unsigned int i, n = lm ? 4 : 2, bits = lm ? 64 : 32;
	u64 want = 0, got;

	memset(lines, 0, 192);
	gpc->khva = lines + 52;
	for (i = 0; i < n; i++) {
		struct kvm_xen_evtchn e = ev(words[i] * bits + 1, 0);

		CHECK(xen_evtchn_set_fast(&e, &kvm) == 1);
		want |= 1ull << words[i];
	}
	memcpy(&got, lines + 52 + (lm ? 8 : 4), lm ? 8 : 4);
	if (!lm)
		got &= U32_MAX;
	CHECK(got == want);

	/* Again through the shadow. */
	memset(lines, 0, 192);
	memset(shinfo, 0, PAGE_SIZE);
	gpc->valid = false;
	for (i = 0; i < n; i++) {
		struct kvm_xen_evtchn e = ev(words[i] * bits + 1, 0);

		CHECK(xen_evtchn_set_fast(&e, &kvm) == 1);
	}
	gpc->valid = true;
	xen_evtchn_inject_pending_events(&vcpus[0]);
	memcpy(&got, lines + 52 + (lm ? 8 : 4), lm ? 8 : 4);
	if (!lm)
		got &= U32_MAX;
	CHECK(got == want);
	CHECK(lines[52] == 1);
	gpc->khva = vinfo[0];
	free(lines);
}

/* The guest switches ABI (a hypercall MSR write) while an event is raised. */
static void flip_mode(rwlock_t *lock)
{
	if (lock != &kvm.arch.xen.shinfo_cache.lock)
		return;
	kvm.arch.xen.long_mode = !kvm.arch.xen.long_mode;
	shim_on_read_lock = NULL;
}

/*
 * The port passed the old ABI's limit; its selector word must come from
 * the same ABI, or a 64-bit port's word counted in 32-bit words reaches
 * past the shadow selector into the vCPU's other Xen state.
 */
static void test_mode_flip_during_delivery(bool lm)
{
	struct kvm_vcpu_xen *vx = &vcpus[0].arch.xen;
	struct kvm_xen_evtchn e = ev(lm ? 4000 : 1000, 0);

	vx->vcpu_info_cache.valid = false;
	vx->vcpu_id = 7;
	vx->poll_evtchn = 5;
	shim_on_read_lock = flip_mode;
	CHECK(xen_evtchn_set_fast(&e, &kvm) == 1);
	CHECK(kvm.arch.xen.long_mode != lm);	/* it did flip */
	CHECK(vx->evtchn_pending_sel == 1ul << (e.port / (lm ? 64 : 32)));
	CHECK(vx->vcpu_id == 7 && vx->poll_evtchn == 5);
}

static struct kvm_irq_routing_entry route_to(u32 port, u32 vcpu_id)
{
	return (struct kvm_irq_routing_entry) {
		.type = KVM_IRQ_ROUTING_XEN_EVTCHN,
		.u.xen_evtchn = {
			.port = port, .vcpu = vcpu_id,
			.priority = KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL,
		},
	};
}

/*
 * A route's target vCPU is found when the route is set, even before
 * shared_info exists: the events, raised from copies of the entry (an
 * irqfd's), search no more.  A vCPU created after its route is searched
 * for by each event.
 */
static void test_route_resolves_vcpu(bool lm)
{
	struct kvm_irq_routing_entry ue = route_to(9, 5), later = route_to(10, 9);
	struct kvm_kernel_irq_routing_entry e = {}, f = {}, copy;

	kvm.arch.xen.shinfo_cache.active = false;
	kvm.arch.xen.shinfo_cache.valid = false;
	CHECK(xen_evtchn_setup_route(&kvm, &e, &ue) == 0);
	CHECK(e.xen_evtchn.vcpu_idx == 1);
	CHECK(xen_evtchn_setup_route(&kvm, &f, &later) == 0);
	CHECK(f.xen_evtchn.vcpu_idx == -1);

	kvm.arch.xen.shinfo_cache.active = true;
	kvm.arch.xen.shinfo_cache.valid = true;
	copy = e;
	shim_vcpu_searches = 0;
	CHECK(copy.set(&copy, &kvm, 0, 1, false) == 1);
	CHECK(copy.set(&copy, &kvm, 0, 1, false) == 0);
	CHECK(shim_vcpu_searches == 0);
	CHECK(sel(1, lm) == 1);

	/* No vCPU 9 yet: not delivered, then found once it exists. */
	copy = f;
	CHECK(copy.set(&copy, &kvm, 0, 1, false) == -EINVAL);
	vcpus[0].vcpu_id = 9;
	CHECK(copy.set(&copy, &kvm, 0, 1, false) == 1);
	CHECK(sel(0, lm) == 1);
	/* Only the rising edge raises an event. */
	CHECK(copy.set(&copy, &kvm, 0, 0, false) == -EINVAL);
	CHECK(xen_evtchn_setup_route(&kvm, &e, &(struct kvm_irq_routing_entry) {
		.u.xen_evtchn = { .port = 9, .priority = 7 } }) == -EINVAL);
}

/* GSI @gsi routed to @port of the vCPU with APIC ID @vcpu_id. */
static int route(struct kvm_kernel_irq_routing_entry *e, u32 port,
		 u32 vcpu_id)
{
	return xen_evtchn_setup_route(&kvm, e, &(struct kvm_irq_routing_entry) {
		.u.xen_evtchn = {
			.port = port, .vcpu = vcpu_id,
			.priority = KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL,
		} });
}

/*
 * A VMM rewrites its routing table in a loop, each time to vCPU ids that
 * do not exist: the owed checks stay one per port, and with shared_info
 * set, the work per setup stays constant (no rescan of the whole table).
 * A port past any ABI is never owed.  A check owed for a vCPU that then
 * comes is made at the next shared_info setup.
 */
static void test_owed_checks_bounded(bool lm)
{
	struct gfn_to_pfn_cache *shc = &kvm.arch.xen.shinfo_cache;
	struct kvm_kernel_irq_routing_entry e;
	int round, i, searches;

	shc->active = false;
	shc->valid = false;
	for (round = 0; round < 20; round++)
		for (i = 0; i < 20; i++)
			CHECK(route(&e, 100 + i, 1000 + round) == 0);
	CHECK(xa_count(&xvm.resync_owed) == 20);
	CHECK(route(&e, 5000, 0) == 0);
	CHECK(xa_count(&xvm.resync_owed) == 20);

	shc->active = true;
	shc->valid = true;
	shim_vcpu_searches = 0;
	for (round = 0; round < 20; round++)
		for (i = 0; i < 20; i++)
			CHECK(route(&e, 200 + i, 2000 + round) == 0);
	searches = shim_vcpu_searches;
	CHECK(xa_count(&xvm.resync_owed) == 40);
	CHECK(searches <= 3 * 400);

	/*
	 * vCPU 2019 comes; port 219 is pending: its check is made, and so
	 * are the other 19 for that vCPU.  Those for vCPU 1019 stay owed.
	 */
	set_bit(219, shinfo->evtchn_pending);
	vcpus[1].vcpu_id = 2019;
	xen_evtchn_resync(&kvm);
	CHECK(sel(1, lm) == 1ull << (219 / (lm ? 64 : 32)));
	CHECK(!xa_load(&xvm.resync_owed, 219));
	CHECK(xa_count(&xvm.resync_owed) == 20);
}

/* What KVM's vCPU loop does on its way into the guest. */
static void vcpu_loop(struct kvm_vcpu *v)
{
	if (atomic_read(&v->arch.xen.timer_pending))
		xen_evtchn_inject_timer_irqs(v);
}

/* The hrtimer fires: time moves to its deadline. */
static void fire_timer(struct kvm_vcpu *v)
{
	CHECK(v->arch.xen.timer.queued);
	v->arch.xen.timer.queued = false;
	guest_now = v->arch.xen.timer.expires;
	xen_evtchn_timer_expired(v);
}

static u64 timer_get(struct kvm_vcpu *v)
{
	struct kvm_xen_vcpu_attr a = { .type = KVM_XEN_VCPU_ATTR_TYPE_TIMER };

	xen_evtchn_get_timer_attr(v, &a);
	return a.u.timer.expires_ns;
}

/* Give @v a timer VIRQ on @port, not armed. */
static int timer_port(struct kvm_vcpu *v, u32 port)
{
	struct kvm_xen_vcpu_attr a = {
		.type = KVM_XEN_VCPU_ATTR_TYPE_TIMER,
		.u.timer = {
			.port = port,
			.priority = KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL,
		},
	};

	return xen_evtchn_set_timer_attr(v, &a);
}

static int rearm_at, steps;

/* The guest re-arms its timer far ahead, on its own CPU, at step rearm_at. */
static void rearm_on_step(void)
{
	u64 r;

	if (++steps != rearm_at)
		return;
	shim_step_hook = NULL;
	CHECK(xen_evtchn_hcall_set_timer_op(&vcpus[0], 1000000000, &r));
}

/*
 * A timer event that fired without shared_info waits for it; the VMM sets
 * shared_info again (timer_resume, on its own thread) while the guest
 * re-arms.  Whatever the interleaving, the re-armed timer stays armed and
 * a TIMER GET reads its deadline back, never 0.  The timer is a soft
 * hrtimer.
 */
static void test_timer_resume_races_rearm(bool lm)
{
	struct gfn_to_pfn_cache *shc = &kvm.arch.xen.shinfo_cache;
	struct kvm_vcpu *v = &vcpus[0];
	u64 r;

	for (rearm_at = 1; rearm_at <= 6; rearm_at++) {
		CHECK(timer_port(v, 20) == 0);
		CHECK(xen_evtchn_hcall_set_timer_op(v, guest_now + 500, &r));
		CHECK(v->arch.xen.timer.mode == HRTIMER_MODE_ABS_SOFT);
		shc->active = false;
		shc->valid = false;
		fire_timer(v);
		vcpu_loop(v);
		CHECK(!pending(20));

		shc->active = true;
		shc->valid = true;
		steps = 0;
		shim_step_hook = rearm_on_step;
		xen_evtchn_timer_resume(&kvm);
		if (shim_step_hook) {
			shim_step_hook = NULL;
			CHECK(xen_evtchn_hcall_set_timer_op(v, 1000000000, &r));
		}
		vcpu_loop(v);
		CHECK(timer_get(v) == 1000000000);
		CHECK(v->arch.xen.timer.queued);
		clear_bit(20, shinfo->evtchn_pending);
	}
}

/*
 * Without the race: the event that waited for shared_info is delivered
 * once shared_info is back, and a GET meanwhile reads its (past) deadline.
 */
static void test_timer_waits_for_shared_info(bool lm)
{
	struct gfn_to_pfn_cache *shc = &kvm.arch.xen.shinfo_cache;
	struct kvm_vcpu *v = &vcpus[0];
	u64 r;

	CHECK(timer_port(v, 21) == 0);
	CHECK(xen_evtchn_hcall_set_timer_op(v, 1500, &r));
	shc->active = false;
	shc->valid = false;
	fire_timer(v);
	vcpu_loop(v);
	CHECK(!atomic_read(&v->arch.xen.timer_pending));	/* no spinning */
	CHECK(timer_get(v) == 1500);
	CHECK(!pending(21));

	shc->active = true;
	shc->valid = true;
	xen_evtchn_timer_resume(&kvm);
	CHECK(atomic_read(&v->arch.xen.timer_pending));
	vcpu_loop(v);
	CHECK(pending(21));
	CHECK(timer_get(v) == 0);
	CHECK(!v->arch.xen.timer.queued);

	/* Fired with shared_info mapped: delivered at once. */
	CHECK(xen_evtchn_hcall_set_timer_op(v, guest_now + 10, &r));
	clear_bit(21, shinfo->evtchn_pending);
	fire_timer(v);
	CHECK(pending(21) && timer_get(v) == 0);
}

/*
 * A restore sets the timer, its deadline past, on port 2000 before the
 * 64-bit ABI (LONG_MODE): the port is past the 32-bit limit when it
 * fires.  The event waits, its deadline readable, and arrives once the
 * width changes.
 */
static void test_timer_port_past_limit_waits_for_width(bool lm)
{
	struct kvm_vcpu *v = &vcpus[0];
	struct kvm_xen_vcpu_attr a = {
		.type = KVM_XEN_VCPU_ATTR_TYPE_TIMER,
		.u.timer = {
			.port = 2000,
			.priority = KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL,
			.expires_ns = 10,
		},
	};

	kvm.arch.xen.long_mode = false;
	CHECK(xen_evtchn_set_timer_attr(v, &a) == 0);
	vcpu_loop(v);
	CHECK(!pending(2000));
	CHECK(!atomic_read(&v->arch.xen.timer_pending));	/* no spinning */
	CHECK(timer_get(v) == 10);

	kvm.arch.xen.long_mode = true;
	xen_evtchn_timer_resume(&kvm);
	vcpu_loop(v);
	CHECK(pending(2000));
	CHECK(timer_get(v) == 0);
}

static struct kvm_vcpu *race_vcpu;
static int race_steps;

/* The hrtimer fires on another CPU at the second step of the vCPU. */
static void timer_fires_on_other_cpu(void)
{
	if (++race_steps != 2)
		return;
	shim_step_hook = NULL;
	shim_cpu = 1;
	fire_timer(race_vcpu);
	shim_cpu = 0;
}

/*
 * Store buffering: the vCPU clears the doorbell, then reads the waiting
 * bit; the timer fires in between on another CPU (shared_info not mapped:
 * it sets the bit, rings).  If the vCPU's clear could still land after
 * the ring, the event would wait with no doorbell, for ever.  The vCPU's
 * store is held in the modelled store buffer until a barrier drains it.
 */
static void test_timer_fires_while_doorbell_clears(bool lm)
{
	struct gfn_to_pfn_cache *shc = &kvm.arch.xen.shinfo_cache;
	struct kvm_vcpu *v = &vcpus[0];
	u64 r;

	CHECK(timer_port(v, 22) == 0);
	CHECK(xen_evtchn_hcall_set_timer_op(v, guest_now + 500, &r));
	shc->valid = false;
	atomic_set(&v->arch.xen.timer_pending, 1);	/* a stale ring */

	race_vcpu = v;
	race_steps = 0;
	shim_tso = true;
	shim_step_hook = timer_fires_on_other_cpu;
	vcpu_loop(v);
	shim_tso_drain();
	shim_tso = false;
	CHECK(!shim_step_hook);		/* the timer fired in the window */
	CHECK(test_bit(v->vcpu_idx, xvm.timer_waiting));
	CHECK(atomic_read(&v->arch.xen.timer_pending));

	vcpu_loop(v);
	CHECK(pending(22));
	CHECK(!test_bit(v->vcpu_idx, xvm.timer_waiting));
}

/*
 * Runstate: an area across a page, RS_LEN1 bytes in the first.  The
 * scheduler's preemption notifier (an update to runnable, in atomic
 * context) runs at the rs_point-th preemption point of a process-context
 * update, as when KVM sets the vCPU running on its way in.
 */
#define RS_LEN1		20
#define RS_GPA		(5 * PAGE_SIZE - RS_LEN1)

static u8 *rs_pages;
static int rs_point, rs_points, rs_preempted;

static void notifier_at_point(void)
{
	if (++rs_points != rs_point)
		return;
	shim_atomic = true;
	shim_preempt_count++;
	xen_evtchn_update_runstate(&vcpus[0], RUNSTATE_runnable);
	shim_preempt_count--;
	shim_atomic = false;
	/* The task then waits for a CPU: steal time. */
	current->sched_info.run_delay += 3000;
	shim_kvmclock += 3000;
	rs_preempted++;
}

static int runstate_set(struct kvm_vcpu *v, u16 type, u64 val)
{
	struct kvm_xen_vcpu_attr a = { .type = type, .u.gpa = val };

	return xen_evtchn_set_runstate_attr(v, &a);
}

/* The guest's area, as the vCPU's fields say it must be, adding up. */
static bool area_is_vcpu(struct kvm_vcpu *v, bool lm)
{
	struct kvm_vcpu_xen *vx = &v->arch.xen;
	size_t off = lm ? 8 : 4;
	u64 entry, t[4], sum = 0;
	u8 area[48];
	s32 state;
	int i;

	memcpy(area, rs_pages + PAGE_SIZE - RS_LEN1, sizeof(area));
	memcpy(&state, area, sizeof(state));
	memcpy(&entry, area + off, sizeof(entry));
	memcpy(t, area + off + 8, sizeof(t));
	for (i = 0; i < 4; i++) {
		if (t[i] != vx->runstate_times[i] || t[i] > BIT_ULL(40))
			return false;
		sum += t[i];
	}
	return state == vx->current_runstate &&
	       entry == vx->runstate_entry_time && entry == sum;
}

static void test_runstate_preempted_during_update(bool lm)
{
	struct kvm_vcpu *v = &vcpus[0];
	struct kvm_vcpu_xen *vx = &v->arch.xen;
	u64 before;

	rs_pages = aligned_alloc(PAGE_SIZE, 2 * PAGE_SIZE);
	kvm.arch.xen.runstate_update_flag = true;
	for (rs_point = 1; rs_point < 50; rs_point++) {
		memset(rs_pages, 0xa5, 2 * PAGE_SIZE);
		memset(vx->runstate_times, 0, sizeof(vx->runstate_times));
		vx->runstate_cache.khva = rs_pages + PAGE_SIZE - RS_LEN1;
		vx->runstate2_cache.khva = rs_pages + PAGE_SIZE;
		vx->runstate_entry_time = 0;
		CHECK(!runstate_set(v, KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADDR,
				    RS_GPA));
		xen_evtchn_update_runstate(v, RUNSTATE_running);
		CHECK(area_is_vcpu(v, lm));
		before = vx->runstate_entry_time;

		rs_points = 0;
		rs_preempted = 0;
		shim_preempt_hook = notifier_at_point;
		xen_evtchn_update_runstate(v, RUNSTATE_running);
		shim_preempt_hook = NULL;
		if (!area_is_vcpu(v, lm) || vx->runstate_entry_time < before) {
			printf("# preempted at point %d\n", rs_point);
			CHECK(area_is_vcpu(v, lm));
			CHECK(vx->runstate_entry_time >= before);
			break;
		}
		if (!rs_preempted)
			break;
	}
	/* It was preempted at one point at least, then at none. */
	CHECK(rs_point > 1 && !rs_preempted);
	free(rs_pages);
}

int main(void)
{
	static const struct {
		const char *name;
		void (*fn)(bool long_mode);
	} cases[] = {
		{ "unmasked delivery and coalescing", test_unmasked },
		{ "per-vCPU upcall vector", test_vector },
		{ "masked port stays pending, poller woken", test_masked },
		{ "port limits and unknown vCPU", test_limits },
		{ "shared_info unmapped: slow path", test_shinfo_unmapped },
		{ "irqfd worker borrows the VM's mm", test_irqfd_worker_borrows_mm },
		{ "VMM's address space gone: nothing written", test_vmm_gone },
		{ "address space referenced only from outside the VMM",
		  test_mm_reference },
		{ "counters: each delivery counted as what it was",
		  test_counters },
		{ "shadow selector while vcpu_info moves", test_shadow },
		{ "shadow words past the 32-bit ABI dropped on the switch",
		  test_shadow_words_dropped_on_switch_to_32bit },
		{ "selector resync for a pending port", test_resync_selector },
		{ "port table and EVTCHNOP_send", test_port_table },
		{ "pending port resync on assign", test_pending_port_resync_on_assign },
		{ "selector across a cache line (vcpu_info at +52)", test_selector_across_lines },
		{ "ABI flipped during a delivery", test_mode_flip_during_delivery },
		{ "route resolves its vCPU when set", test_route_resolves_vcpu },
		{ "timer: resume races a re-arm", test_timer_resume_races_rearm },
		{ "timer: event waits for shared_info", test_timer_waits_for_shared_info },
		{ "owed checks: one per port, no rescan per setup",
		  test_owed_checks_bounded },
		{ "timer: port past the ABI's limit waits for the width",
		  test_timer_port_past_limit_waits_for_width },
		{ "port assigned while another thread deassigns it",
		  test_assign_races_deassign },
		{ "timer fires while the vCPU clears its doorbell",
		  test_timer_fires_while_doorbell_clears },
		{ "runstate: preempted during a process-context update",
		  test_runstate_preempted_during_update },
	};
	unsigned int i;

	printf("TAP version 13\n1..%zu\n", 2 * ARRAY_SIZE(cases));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		run(cases[i].name, cases[i].fn, true);
		run(cases[i].name, cases[i].fn, false);
	}
	CHECK(live_eventfds == 0);
	printf("# %d of %d failed\n", failures, tests);
	return failures || test_failed;
}
