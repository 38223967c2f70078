/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A thin userspace stand-in for the kernel and KVM interfaces that
 * the xen_evtchn files the unit test builds use, so that those files,
 * unchanged, build into a userspace test with ASan and UBSan.  The KVM
 * side is a model: a VM with vCPUs, pfn caches that are valid or not as
 * the test says, and records of what the code asked KVM to do (kicks,
 * vectors, eventfd signals).  Single-threaded: locks do nothing but count
 * (and, with interrupts, say where the code could be preempted).
 */
#ifndef KERNEL_SHIM_H
#define KERNEL_SHIM_H

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kvm.h>	/* the UAPI, from the linux-source tree */

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;
typedef int32_t s32;
typedef int8_t s8;
typedef u64 gpa_t;

#define BITS_PER_LONG		64
#define U32_MAX			0xffffffffU
#define PAGE_SIZE		4096UL
#define KVM_MAX_VCPUS		16
#define BITS_TO_LONGS(n)	(((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define offsetofend(t, m)	(offsetof(t, m) + sizeof(((t *)0)->m))
#define IS_ALIGNED(x, a)	(((x) & ((typeof(x))(a) - 1)) == 0)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __packed		__attribute__((__packed__))
#define BUILD_BUG_ON(c)		static_assert(!(c), #c)
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

/* One "CPU": a per-CPU object is a plain one. */
#define __percpu
#define this_cpu_inc(x)		__atomic_add_fetch(&(x), 1, __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define BIT(n)			(1UL << (n))
#define lower_32_bits(n)	((u32)(n))
#define upper_32_bits(n)	((u32)((u64)(n) >> 32))
#define BIT_ULL(n)		(1ULL << (n))
#define NSEC_PER_MSEC		1000000L
#define CONFIG_PREEMPT_RT	0
#define IS_ENABLED(CONFIG_x)	(CONFIG_x)
#define sizeof_field(t, m)	(offsetofend(t, m) - offsetof(t, m))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define offset_in_page(p)	((unsigned long)(p) & (PAGE_SIZE - 1))
/* Orders the area's writes for the guest (runstate.c's update flag). */
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#define _THIS_IP_		0UL
#define __releases(...)		/* for sparse, which does not run here */
#define fallthrough		__attribute__((__fallthrough__))
#define GFP_KERNEL		0
#define GFP_KERNEL_ACCOUNT	0

#define MAX_ERRNO	4095

static inline void *ERR_PTR(long e)
{
	return (void *)e;
}

static inline long PTR_ERR(const void *p)
{
	return (long)p;
}

static inline bool IS_ERR(const void *p)
{
	return (unsigned long)p >= (unsigned long)-MAX_ERRNO;
}

static inline void *kzalloc(size_t n, int gfp)
{
	return calloc(1, n);
}

static inline void kfree(const void *p)
{
	free((void *)p);
}

/*
 * A test may run another CPU's action between two atomic operations of
 * the code under test: each atomic operation ends with a step.
 */
extern void (*shim_step_hook)(void);

static inline void shim_step(void)
{
	if (shim_step_hook)
		shim_step_hook();
}

/*
 * Atomic operations must be naturally aligned for their width: a locked
 * operation that splits a cache line raises #AC on hosts with split-lock
 * detection.  Each one here counts the misaligned ones it sees.
 */
extern int shim_misaligned_atomics;

#define shim_check_aligned(p)						\
	((uintptr_t)(p) % sizeof(*(p)) ? shim_misaligned_atomics++ : 0)

#define try_cmpxchg(p, oldp, new)					\
	(shim_check_aligned(p),						\
	 __atomic_compare_exchange_n((p), (oldp), (new), false,	\
				     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))

/*
 * x86's store buffer, for CPU 0 (the code under test): while shim_tso is
 * set, its atomic_set() is held in a one-entry buffer instead of reaching
 * memory, so that no load sees it yet; its locked operations and full
 * barriers drain the buffer, as on x86, and so may the test
 * (shim_tso_drain()).  A test runs another CPU's code from a step hook
 * with shim_cpu 1, whose stores reach memory at once.  This models the
 * one reordering x86 allows: a store, then a load of another location
 * that does not see the store yet.
 */
extern bool shim_tso;
extern int shim_cpu;

struct shim_atomic {
	int counter;
};

#define atomic_t struct shim_atomic

extern atomic_t *shim_tso_addr;
extern int shim_tso_val;

static inline void shim_tso_drain(void)
{
	if (shim_tso_addr) {
		shim_tso_addr->counter = shim_tso_val;
		shim_tso_addr = NULL;
	}
}

/* A full barrier drains CPU 0's store buffer. */
static inline void smp_mb(void)
{
	if (shim_cpu == 0)
		shim_tso_drain();
}

/* On x86 the atomic operations are locked: full barriers already. */
#define smp_mb__after_atomic()	smp_mb()	/* as smp_mb() */
#define smp_mb__before_atomic()	smp_mb()	/* as smp_mb() */

/* Bit operations on unsigned long arrays (x86 little-endian numbering). */
static inline bool test_bit(unsigned long nr, const unsigned long *a)
{
	bool set = a[nr / BITS_PER_LONG] & (1UL << (nr % BITS_PER_LONG));

	shim_step();
	return set;
}

static inline void set_bit(unsigned long nr, unsigned long *a)
{
	smp_mb();	/* lock bts: the store buffer drains */
	shim_check_aligned(&a[nr / BITS_PER_LONG]);
	a[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
	shim_step();
}

static inline void clear_bit(unsigned long nr, unsigned long *a)
{
	smp_mb();	/* lock btr: the store buffer drains */
	shim_check_aligned(&a[nr / BITS_PER_LONG]);
	a[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
	shim_step();
}

static inline bool test_and_set_bit(unsigned long nr, unsigned long *a)
{
	bool old = test_bit(nr, a);

	set_bit(nr, a);
	return old;
}

static inline bool test_and_clear_bit(unsigned long nr, unsigned long *a)
{
	bool old = test_bit(nr, a);

	clear_bit(nr, a);
	return old;
}

static inline unsigned long find_next_bit(const unsigned long *a,
					  unsigned long size,
					  unsigned long from)
{
	while (from < size && !test_bit(from, a))
		from++;
	return from;
}

#define for_each_set_bit(bit, addr, size)				\
	for ((bit) = find_next_bit((addr), (size), 0); (bit) < (size);	\
	     (bit) = find_next_bit((addr), (size), (bit) + 1))

static inline int atomic_read(const atomic_t *a)
{
	return a->counter;
}

static inline void atomic_set(atomic_t *a, int v)
{
	if (shim_tso && shim_cpu == 0) {
		shim_tso_drain();
		shim_tso_addr = a;
		shim_tso_val = v;
	} else {
		a->counter = v;
	}
	shim_step();
}

/* A locked operation: a full barrier. */
static inline int atomic_xchg(atomic_t *a, int v)
{
	int old;

	smp_mb();	/* a locked operation: the store buffer drains */
	old = a->counter;
	a->counter = v;
	shim_step();
	return old;
}

static inline void atomic_inc(atomic_t *a)
{
	a->counter++;
	shim_step();
}

/*
 * Preemption, for the runstate: a test may run the scheduler's preemption
 * notifier wherever the code under test could be preempted, at each
 * preemption point (before a lock is taken, after one is released or
 * preemption enabled again, after the clock is read) reached with
 * preemption and interrupts enabled, in process context.
 */
extern int shim_preempt_count, shim_irqs_off;
extern bool shim_atomic;
extern void (*shim_preempt_hook)(void);

static inline void shim_preempt_point(void)
{
	if (shim_preempt_hook && !shim_atomic && !shim_preempt_count &&
	    !shim_irqs_off)
		shim_preempt_hook();
}

#define preempt_disable()	(shim_preempt_count++)
#define preempt_enable()	(shim_preempt_count--, shim_preempt_point())
#define local_irq_save(f)	(shim_preempt_point(), shim_irqs_off++, (f) = 0)
#define local_irq_restore(f)	\
	(shim_irqs_off--, (void)(f), shim_preempt_point())

/* Locks and SRCU: single-threaded tests, nothing to wait for. */
struct shim_rwlock {
	int readers;
	int dep_map;
};

#define lock_set_subclass(map, sub, ip)	((void)(map), (void)(sub), (void)(ip))

#define rwlock_t struct shim_rwlock

struct mutex {
	int locked;
};

struct srcu_struct {
	int depth;
};

/* A test may act at the moment a lock is taken (another CPU's move). */
extern void (*shim_on_read_lock)(rwlock_t *lock);

#define read_lock_irqsave(l, f)						\
	(shim_preempt_point(), shim_irqs_off++, (l)->readers++, (f) = 0, \
	 shim_on_read_lock ? shim_on_read_lock(l) : (void)0)
#define read_unlock_irqrestore(l, f)					\
	((l)->readers--, (void)(f), shim_irqs_off--, shim_preempt_point())
#define read_trylock(l)		((l)->readers++, 1)
#define read_lock(l)		(shim_preempt_point(), (l)->readers++)
#define read_unlock(l)		((l)->readers--, shim_preempt_point())

/* Single-threaded: a rule about locks always holds. */
#define lockdep_assert_held(l)		((void)(l))
#define lockdep_assert_irqs_disabled()	((void)0)
/* A condition asserted for lockdep is checked. */
#define lockdep_assert(c)		assert(c)

static inline void mutex_init(struct mutex *m)
{
	m->locked = false;
}

static inline void mutex_lock(struct mutex *m)
{
	m->locked++;
}

/* A test may act just after a mutex is released (another thread's turn). */
extern void (*shim_on_mutex_unlock)(struct mutex *m);

static inline void mutex_unlock(struct mutex *m)
{
	m->locked--;
	if (shim_on_mutex_unlock)
		shim_on_mutex_unlock(m);
}

static inline int srcu_read_lock(struct srcu_struct *s)
{
	return s->depth++;
}

static inline void srcu_read_unlock(struct srcu_struct *s, int idx)
{
	s->depth--;
}

extern int shim_srcu_syncs;

static inline void synchronize_srcu(struct srcu_struct *s)
{
	shim_srcu_syncs++;
}

/*
 * A small xarray: any index, entries kept sorted by index in two arrays
 * (a linear model, enough for tests).  xa_count() is the shim's own, for
 * tests that bound a table's size.
 */
struct xarray {
	unsigned long *index;
	void **entry;
	size_t n, cap;
};

static inline void xa_init(struct xarray *xa)
{
	memset(xa, 0, sizeof(*xa));
}

static inline void xa_destroy(struct xarray *xa)
{
	free(xa->index);
	free(xa->entry);
	memset(xa, 0, sizeof(*xa));
}

/* The position of the first index >= @i. */
static inline size_t shim_xa_pos(const struct xarray *xa, unsigned long i)
{
	size_t k = 0;

	while (k < xa->n && xa->index[k] < i)
		k++;
	return k;
}

static inline void *xa_load(struct xarray *xa, unsigned long i)
{
	size_t k = shim_xa_pos(xa, i);

	return k < xa->n && xa->index[k] == i ? xa->entry[k] : NULL;
}

static inline void *xa_store(struct xarray *xa, unsigned long i, void *p,
			     int gfp)
{
	size_t k = shim_xa_pos(xa, i);
	void *old = NULL;

	if (k < xa->n && xa->index[k] == i) {
		old = xa->entry[k];
		if (p) {
			xa->entry[k] = p;
		} else {
			memmove(&xa->index[k], &xa->index[k + 1],
				(xa->n - k - 1) * sizeof(*xa->index));
			memmove(&xa->entry[k], &xa->entry[k + 1],
				(xa->n - k - 1) * sizeof(*xa->entry));
			xa->n--;
		}
		return old;
	}
	if (!p)
		return NULL;
	if (xa->n == xa->cap) {
		xa->cap = xa->cap ? 2 * xa->cap : 16;
		xa->index = realloc(xa->index, xa->cap * sizeof(*xa->index));
		xa->entry = realloc(xa->entry, xa->cap * sizeof(*xa->entry));
	}
	memmove(&xa->index[k + 1], &xa->index[k],
		(xa->n - k) * sizeof(*xa->index));
	memmove(&xa->entry[k + 1], &xa->entry[k],
		(xa->n - k) * sizeof(*xa->entry));
	xa->index[k] = i;
	xa->entry[k] = p;
	xa->n++;
	return NULL;
}

static inline int xa_insert(struct xarray *xa, unsigned long i, void *p,
			    int gfp)
{
	if (xa_load(xa, i))
		return -EBUSY;
	xa_store(xa, i, p, gfp);
	return 0;
}

static inline void *xa_erase(struct xarray *xa, unsigned long i)
{
	return xa_store(xa, i, NULL, 0);
}

static inline void *xa_cmpxchg(struct xarray *xa, unsigned long i, void *old,
			       void *p, int gfp)
{
	void *cur = xa_load(xa, i);

	if (cur == old)
		xa_store(xa, i, p, gfp);
	return cur;
}

static inline int xa_err(void *p)
{
	return 0;
}

static inline bool xa_is_err(const void *p)
{
	return false;
}

static inline void *xa_mk_value(unsigned long v)
{
	return (void *)(v << 1 | 1);
}

static inline unsigned long xa_to_value(const void *p)
{
	return (unsigned long)p >> 1;
}

static inline size_t xa_count(const struct xarray *xa)
{
	return xa->n;
}

/* The first used index from @i on (ULONG_MAX if none), its entry in @e. */
static inline unsigned long xa_next(struct xarray *xa, unsigned long i,
				    void **e)
{
	size_t k = shim_xa_pos(xa, i);

	*e = k < xa->n ? xa->entry[k] : NULL;
	return k < xa->n ? xa->index[k] : ~0UL;
}

#define xa_for_each(xa, index, entry)					\
	for ((index) = xa_next((xa), 0, (void **)&(entry));		\
	     (entry);							\
	     (index) = (index) == ~0UL ? ~0UL :				\
		       xa_next((xa), (index) + 1, (void **)&(entry)))

/* eventfd: the shim's contexts count their signals and references. */
struct eventfd_ctx {
	int fd;
	int signals;
	int refs;
};

struct eventfd_ctx *eventfd_ctx_fdget(int fd);
void eventfd_ctx_put(struct eventfd_ctx *ctx);
extern int shim_eventfd_signals;

static inline void kvm_xen_accel_eventfd_signal(struct eventfd_ctx *ctx)
{
	ctx->signals++;
	shim_eventfd_signals++;
}

/*
 * The task: a user task of the VM's process unless a test says not.  The
 * VM's address space counts its users, as the kernel's does; 0 means the
 * VMM has exited and its memory is being freed.
 */
struct mm_struct {
	int mm_users;
};

/* References taken with mmget_not_zero(), for the tests to check. */
extern int shim_mm_refs_taken;

static inline bool mmget_not_zero(struct mm_struct *mm)
{
	if (!mm->mm_users)
		return false;
	mm->mm_users++;
	shim_mm_refs_taken++;
	return true;
}

static inline void mmput(struct mm_struct *mm)
{
	mm->mm_users--;
}

#define mmput_async	mmput

struct sched_info {
	u64 run_delay;		/* time spent waiting on a runqueue */
};

struct task_struct {
	struct mm_struct *mm;
	struct sched_info sched_info;
};

#define sched_info_on()	true

extern struct task_struct *current;
extern bool shim_atomic;

static inline bool task_is_running(struct task_struct *t)
{
	return true;
}

#define preemptible()	(!shim_atomic)
#define might_sleep()	assert(!shim_atomic)
void kthread_use_mm(struct mm_struct *mm);
void kthread_unuse_mm(struct mm_struct *mm);

/*
 * KVM: pfn caches that are mapped (valid) or not, as the test sets; and
 * the hook's wrappers of them (compat/include/kvm/xen_accel_compat.h).
 */
struct kvm;
struct gfn_to_pfn_cache {
	rwlock_t lock;
	void *khva;
	u64 gpa;
	unsigned long uhva;
	bool active;
	bool valid;
	int refreshes;
};

/* Activation maps nothing: the test points khva where it wants. */
static inline int kvm_xen_accel_gpc_activate(struct kvm *kvm,
					     struct gfn_to_pfn_cache *gpc,
					     u64 gpa, unsigned long len)
{
	gpc->gpa = gpa;
	gpc->uhva = 0;
	gpc->active = true;
	gpc->valid = true;
	return 0;
}

static inline int kvm_xen_accel_gpc_activate_hva(struct kvm *kvm,
						 struct gfn_to_pfn_cache *gpc,
						 unsigned long uhva,
						 unsigned long len)
{
	gpc->gpa = ~0ULL;
	gpc->uhva = uhva;
	gpc->active = true;
	gpc->valid = true;
	return 0;
}

static inline void kvm_xen_accel_gpc_deactivate(struct kvm *kvm,
						struct gfn_to_pfn_cache *gpc)
{
	gpc->active = false;
	gpc->valid = false;
}

static inline bool kvm_xen_accel_gpc_gpa_active(struct gfn_to_pfn_cache *gpc)
{
	return gpc->active && !gpc->uhva;
}

static inline bool kvm_xen_accel_gpc_hva_active(struct gfn_to_pfn_cache *gpc)
{
	return gpc->active && gpc->uhva;
}

static inline bool kvm_xen_accel_gpc_check(struct kvm *kvm,
					   struct gfn_to_pfn_cache *gpc,
					   unsigned long len)
{
	return gpc->active && gpc->valid;
}

static inline int kvm_xen_accel_gpc_refresh(struct kvm *kvm,
					    struct gfn_to_pfn_cache *gpc,
					    unsigned long len)
{
	gpc->refreshes++;
	if (!gpc->active)
		return -EINVAL;
	gpc->valid = true;
	return 0;
}

static inline void kvm_xen_accel_gpc_mark_dirty(struct kvm *kvm,
						struct gfn_to_pfn_cache *gpc)
{
}

struct kvm_xen_evtchn {
	u32 port;
	u32 vcpu_id;
	int vcpu_idx;
	u32 priority;
};

/* hrtimers: armed or not; the test moves time and fires them. */
typedef s64 ktime_t;

enum hrtimer_mode {
	HRTIMER_MODE_ABS,
	HRTIMER_MODE_ABS_SOFT,
};

enum hrtimer_restart { HRTIMER_NORESTART, HRTIMER_RESTART };

struct hrtimer {
	bool queued;
	ktime_t expires;
	enum hrtimer_mode mode;
};

static inline ktime_t ktime_add_ns(ktime_t t, u64 ns)
{
	return t + ns;
}

static inline bool hrtimer_cancel(struct hrtimer *t)
{
	bool queued = t->queued;

	t->queued = false;
	return queued;
}

static inline void hrtimer_start(struct hrtimer *t, ktime_t when,
				 enum hrtimer_mode mode)
{
	t->queued = true;
	t->expires = when;
	t->mode = mode;
}

static inline void hrtimer_start_expires(struct hrtimer *t,
					 enum hrtimer_mode mode)
{
	t->queued = true;
	t->mode = mode;
}

struct kvm_hypervisor_cpuid {
	u32 base;
	u32 limit;
};

struct kvm_vcpu_xen {
	u8 upcall_vector;
	struct gfn_to_pfn_cache vcpu_info_cache;
	struct gfn_to_pfn_cache vcpu_time_info_cache;
	struct kvm_hypervisor_cpuid cpuid;
	unsigned long evtchn_pending_sel;
	u32 vcpu_id;
	int poll_evtchn;
	u32 timer_virq;
	u64 timer_expires;
	atomic_t timer_pending;
	struct hrtimer timer;
	struct gfn_to_pfn_cache runstate_cache;
	struct gfn_to_pfn_cache runstate2_cache;
	int current_runstate;
	u64 runstate_entry_time;
	u64 runstate_times[4];
	u64 last_steal;
};

struct pvclock_scale {
	u32 tsc_to_system_mul;
	s8 tsc_shift;
};

struct kvm_vcpu_arch {
	struct kvm_vcpu_xen xen;
	struct pvclock_scale hv_clock;
	u32 hw_tsc_khz;
};

struct kvm;
struct kvm_vcpu {
	struct kvm *kvm;
	struct mutex mutex;		/* held by its ioctls and KVM_RUN */
	int vcpu_id;
	int vcpu_idx;
	struct kvm_vcpu_arch arch;
	int kicks;
	int requests;
	int vectors;
};

struct kvm_xen {
	struct mutex xen_lock;		/* serializes the Xen attributes */
	bool long_mode;
	bool runstate_update_flag;
	struct gfn_to_pfn_cache shinfo_cache;
};

struct kvm_arch {
	struct kvm_xen xen;
};

struct kvm {
	struct kvm_arch arch;
	struct srcu_struct srcu;
	struct mm_struct *mm;
	struct kvm_vcpu *vcpus[KVM_MAX_VCPUS];
	int nr_vcpus;
};

#define KVM_REQ_UNBLOCK		0
#define KVM_REQ_CLOCK_UPDATE	1

static inline void kvm_make_request(int req, struct kvm_vcpu *vcpu)
{
	vcpu->requests++;
	shim_step();
}

static inline void kvm_vcpu_kick(struct kvm_vcpu *vcpu)
{
	vcpu->kicks++;
}

static inline struct kvm_vcpu *kvm_get_vcpu(struct kvm *kvm, int i)
{
	return i < kvm->nr_vcpus ? kvm->vcpus[i] : NULL;
}

#define kvm_for_each_vcpu(i, vcpu, kvm)					\
	for ((i) = 0; (i) < (unsigned long)(kvm)->nr_vcpus &&		\
		      ((vcpu) = (kvm)->vcpus[(i)]); (i)++)

/* Searches by APIC ID: O(n), counted. */
extern int shim_vcpu_searches;

static inline struct kvm_vcpu *kvm_get_vcpu_by_id(struct kvm *kvm, int id)
{
	int i;

	shim_vcpu_searches++;
	for (i = 0; i < kvm->nr_vcpus; i++)
		if (kvm->vcpus[i]->vcpu_id == id)
			return kvm->vcpus[i];
	return NULL;
}

/* KVM's routing entry: the Xen fields and the set() callback only. */
struct kvm_kernel_irq_routing_entry {
	u32 gsi;
	u32 type;
	int (*set)(struct kvm_kernel_irq_routing_entry *e, struct kvm *kvm,
		   int irq_source_id, int level, bool line_status);
	struct kvm_xen_evtchn xen_evtchn;
};

/*
 * The VM's kvmclock: the test's clock, moved on by each read; reading it
 * is a preemption point (the value read, then the task preempted).
 */
extern u64 shim_kvmclock;

static inline u64 get_kvmclock_ns(struct kvm *kvm)
{
	u64 now = shim_kvmclock += 1000;

	shim_preempt_point();
	return now;
}

/* Declared so that xen_evtchn.h's prototypes see them. */

#endif /* KERNEL_SHIM_H */
