/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What differs between the kernels the project supports, in one place
 * (Documentation/kernels.rst): Linux 6.12, and Linux 6.1 (Debian 12's
 * default kernel, whose KVM is built without CONFIG_KVM_XEN; the rebuilt
 * kvm.ko compiles KVM's Xen call sites in and links the hook in place of
 * xen.o, see kvm/rebuild-kvm.sh).  Debian 12's and Debian 13's 6.12
 * kernels have the same source, so both take the 6.12 branch; what
 * differs between them is the compiler they were built with, which the
 * build provides (tools/build/build-root.sh), not this header.
 *
 * Included through <kvm/xen_accel.h> by the hook and by the accelerator,
 * which use the kernel's KVM internals only through what is defined here
 * where the two kernels differ:
 *  - pfn caches: 6.12's caches know their VM and can map an HVA; 6.1's
 *    take the VM and the GPA on each call and have no HVA mode;
 *  - per-VM and per-vCPU Xen state that 6.1's struct kvm_xen and struct
 *    kvm_vcpu_xen have no field for (the Xen lock, the runstate update
 *    flag, the second runstate cache): on 6.1 the hook keeps it in its
 *    per-VM struct, which on 6.12 holds only the accelerator's data;
 *  - the 6.12 UAPI fields that 6.1's structs lack, which sit at the same
 *    offsets as fields they have;
 *  - small API renames (eventfd_signal(), <linux/unaligned.h>, the
 *    kvm_x86_ops calls, the runstate entry point of xen.h), and whether
 *    KVM's kvm_xen_hypercall tracepoint takes the guest's CPL.
 * Features a kernel cannot support are left out of what the accelerator
 * accepts and of what KVM_CAP_XEN_HVM reports there.
 *
 * Context and locking: as for the KVM functions each helper wraps.
 */
#ifndef _KVM_XEN_ACCEL_COMPAT_H
#define _KVM_XEN_ACCEL_COMPAT_H

#include <linux/eventfd.h>
#include <linux/xarray.h>
#include <linux/kvm_host.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/version.h>

#include <uapi/xen_accel/kvm_xen.h>

/*
 * What the hook keeps per VM (struct kvm_xen_accel_vm, defined per
 * kernel below), in the VM's kvm->arch.xen.evtchn_ports.  That field is
 * an IDR only by type: the hook initializes its tree as a plain xarray
 * (an IDR's struct radix_tree_root is a struct xarray) and stores one
 * entry, at index 0, in the empty array.  An xarray whose only entry is
 * at index 0 holds it in its head (<linux/xarray.h>, struct xarray), so
 * reading it is one load; idr_find() would be three calls and a radix
 * tree node deep, on every event.  Nothing else in KVM touches the field.
 */
struct kvm_xen_accel_vm;

static inline struct xarray *kvm_xen_accel_slots(struct kvm *kvm)
{
	return &kvm->arch.xen.evtchn_ports.idr_rt;
}

/*
 * The hook's struct of a bound VM, or NULL.  Stored before the VM binds
 * and erased when it is destroyed, when nothing can call this any more,
 * so no RCU read side is needed; the loads through it are ordered after
 * the store that published it.  The hook reads the data back through it
 * when the VM binds.  Any context.
 */
static inline struct kvm_xen_accel_vm *kvm_xen_accel_vm(struct kvm *kvm)
{
	return rcu_dereference_raw(kvm_xen_accel_slots(kvm)->xa_head);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)

#include <linux/unaligned.h>

/* The flags a VMM may set in KVM_XEN_HVM_CONFIG. */
#define KVM_XEN_ACCEL_CONFIG_FLAGS (KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL | \
				    KVM_XEN_HVM_CONFIG_EVTCHN_SEND |	 \
				    KVM_XEN_HVM_CONFIG_PVCLOCK_TSC_UNSTABLE)
/* shared_info and vcpu_info may be given by HVA. */
#define KVM_XEN_ACCEL_HAVE_HVA true
/*
 * The Xen lock and the second runstate cache are fields of struct kvm_xen
 * and struct kvm_vcpu_xen, which the hook initializes.
 */
#define KVM_XEN_ACCEL_IN_KVM_XEN
/*
 * KVM keeps the Xen CPUID leaves and calls kvm_xen_update_tsc_info(),
 * which fills the TSC leaf.
 */
#define KVM_XEN_ACCEL_HAVE_TSC_INFO
/*
 * kvm.ko keeps the pfn cache API and kvm_get_wall_clock_epoch() to
 * itself: the hook exports them.
 */
#define KVM_XEN_ACCEL_EXPORT_KVM_INTERNALS
/* KVM's kvm_xen_hypercall tracepoint records the guest's CPL. */
#define KVM_XEN_ACCEL_TRACE_HCALL_CPL

/* shared_info's wallclock: the VM's epoch, in real-time nanoseconds. */
u64 kvm_get_wall_clock_epoch(struct kvm *kvm);

/* The 6.12 fields of the attribute structs. */
#define xen_accel_hvm_attr_hva(d)		((d)->u.shared_info.hva)
#define xen_accel_hvm_attr_runstate_flag(d)	((d)->u.runstate_update_flag)
#define xen_accel_vcpu_attr_hva(d)		((d)->u.hva)

/* On 6.12 the Xen state is all in struct kvm_xen: the hook keeps the data. */
struct kvm_xen_accel_vm {
	void *data;
};

static inline void kvm_xen_accel_vm_init(struct kvm_xen_accel_vm *hv)
{
}

static inline void kvm_xen_accel_vm_release(struct kvm *kvm,
					    struct kvm_xen_accel_vm *hv)
{
}

static inline struct mutex *kvm_xen_accel_lock(struct kvm *kvm)
{
	return &kvm->arch.xen.xen_lock;
}

static inline bool kvm_xen_accel_runstate_flag(struct kvm *kvm)
{
	return kvm->arch.xen.runstate_update_flag;
}

static inline void kvm_xen_accel_set_runstate_flag(struct kvm *kvm, bool on)
{
	kvm->arch.xen.runstate_update_flag = on;
}

/* @create: unused, the cache is part of struct kvm_vcpu_xen. */
static inline struct gfn_to_pfn_cache *
kvm_xen_accel_runstate2_cache(struct kvm_vcpu *vcpu, bool create)
{
	return &vcpu->arch.xen.runstate2_cache;
}

static inline void kvm_xen_accel_gpc_init(struct kvm *kvm,
					  struct gfn_to_pfn_cache *gpc)
{
	kvm_gpc_init(gpc, kvm);
}

static inline int kvm_xen_accel_gpc_activate(struct kvm *kvm,
					     struct gfn_to_pfn_cache *gpc,
					     gpa_t gpa, unsigned long len)
{
	return kvm_gpc_activate(gpc, gpa, len);
}

static inline int kvm_xen_accel_gpc_activate_hva(struct kvm *kvm,
						 struct gfn_to_pfn_cache *gpc,
						 unsigned long hva,
						 unsigned long len)
{
	return kvm_gpc_activate_hva(gpc, hva, len);
}

static inline void kvm_xen_accel_gpc_deactivate(struct kvm *kvm,
						struct gfn_to_pfn_cache *gpc)
{
	kvm_gpc_deactivate(gpc);
}

static inline bool kvm_xen_accel_gpc_check(struct kvm *kvm,
					   struct gfn_to_pfn_cache *gpc,
					   unsigned long len)
{
	return kvm_gpc_check(gpc, len);
}

static inline int kvm_xen_accel_gpc_refresh(struct kvm *kvm,
					    struct gfn_to_pfn_cache *gpc,
					    unsigned long len)
{
	return kvm_gpc_refresh(gpc, len);
}

static inline void kvm_xen_accel_gpc_mark_dirty(struct kvm *kvm,
						struct gfn_to_pfn_cache *gpc)
{
	kvm_gpc_mark_dirty_in_slot(gpc);
}

static inline bool kvm_xen_accel_gpc_gpa_active(struct gfn_to_pfn_cache *gpc)
{
	return kvm_gpc_is_gpa_active(gpc);
}

static inline bool kvm_xen_accel_gpc_hva_active(struct gfn_to_pfn_cache *gpc)
{
	return kvm_gpc_is_hva_active(gpc);
}

static inline void kvm_xen_accel_eventfd_signal(struct eventfd_ctx *ctx)
{
	eventfd_signal(ctx);
}

#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0) && \
	LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)

#include <asm/unaligned.h>

/*
 * No PVCLOCK_TSC_UNSTABLE: 6.1's x86.c would not clear the stable bit in
 * the Xen pvclocks.
 */
#define KVM_XEN_ACCEL_CONFIG_FLAGS (KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL | \
				    KVM_XEN_HVM_CONFIG_EVTCHN_SEND)
/* 6.1's pfn caches map GPAs only. */
#define KVM_XEN_ACCEL_HAVE_HVA false

/*
 * 6.1's attribute structs lack these fields; each is the first bytes of
 * the union, as the field named here is.
 */
#define xen_accel_hvm_attr_hva(d)		((d)->u.shared_info.gfn)
#define xen_accel_hvm_attr_runstate_flag(d)	((d)->u.long_mode)
#define xen_accel_vcpu_attr_hva(d)		((d)->u.gpa)

/* 6.1's KVM has no such helper; this is how its xen.c computes it. */
static inline u64 kvm_get_wall_clock_epoch(struct kvm *kvm)
{
	return ktime_get_real_ns() - get_kvmclock_ns(kvm);
}

/* 6.1's xen.h names the runstate entry point so. */
#define kvm_xen_update_runstate kvm_xen_update_runstate_guest

/* 6.1 calls kvm_x86_ops through static calls of their own names. */
#ifndef kvm_x86_call
#define kvm_x86_call(func) static_call(kvm_x86_##func)
#endif

/**
 * struct kvm_xen_accel_vm - what the hook keeps per VM on 6.1
 * @data: the accelerator's data, NULL until bind_vm() returned it
 * @xen_lock: what 6.12 has as kvm->arch.xen.xen_lock
 * @runstate_update_flag: what 6.12 has in struct kvm_xen
 * @runstate2: by vCPU index, what 6.12 has as runstate2_cache: allocated
 *	when the vCPU's runstate area is first set, freed with the VM
 * @gpc_lock: serializes the accelerator's activations and refreshes of
 *	the VM's pfn caches (6.1's refresh takes the address to map, which
 *	must not be read before an activation that moves the cache)
 *
 * 6.12 has the first three in struct kvm_xen and struct kvm_vcpu_xen.
 */
struct kvm_xen_accel_vm {
	void *data;
	struct mutex xen_lock;		/* as 6.12's kvm->arch.xen.xen_lock */
	struct mutex gpc_lock;		/* activations vs. refreshes */
	bool runstate_update_flag;
	struct gfn_to_pfn_cache *runstate2[KVM_MAX_VCPUS];
};

static inline void kvm_xen_accel_vm_init(struct kvm_xen_accel_vm *hv)
{
	mutex_init(&hv->xen_lock);
	mutex_init(&hv->gpc_lock);
}

/* Process context; the VM's vCPUs are gone or it never bound. */
static inline void kvm_xen_accel_vm_release(struct kvm *kvm,
					    struct kvm_xen_accel_vm *hv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(hv->runstate2); i++) {
		if (hv->runstate2[i])
			kvm_gpc_deactivate(kvm, hv->runstate2[i]);
		kfree(hv->runstate2[i]);
	}
	mutex_destroy(&hv->gpc_lock);
	mutex_destroy(&hv->xen_lock);
}

static inline struct mutex *kvm_xen_accel_lock(struct kvm *kvm)
{
	return &kvm_xen_accel_vm(kvm)->xen_lock;
}

static inline bool kvm_xen_accel_runstate_flag(struct kvm *kvm)
{
	return READ_ONCE(kvm_xen_accel_vm(kvm)->runstate_update_flag);
}

static inline void kvm_xen_accel_set_runstate_flag(struct kvm *kvm, bool on)
{
	WRITE_ONCE(kvm_xen_accel_vm(kvm)->runstate_update_flag, on);
}

/*
 * The vCPU's second runstate cache; with @create (process context,
 * vcpu->mutex held) allocated if it does not exist yet.  NULL when it does
 * not exist, or could not be allocated.
 */
static inline struct gfn_to_pfn_cache *
kvm_xen_accel_runstate2_cache(struct kvm_vcpu *vcpu, bool create)
{
	struct kvm_xen_accel_vm *hv = kvm_xen_accel_vm(vcpu->kvm);
	struct gfn_to_pfn_cache *gpc = READ_ONCE(hv->runstate2[vcpu->vcpu_idx]);

	if (gpc || !create)
		return gpc;
	lockdep_assert_held(&vcpu->mutex);
	gpc = kzalloc(sizeof(*gpc), GFP_KERNEL_ACCOUNT);
	if (gpc) {
		kvm_gpc_init(gpc);
		WRITE_ONCE(hv->runstate2[vcpu->vcpu_idx], gpc);
	}
	return gpc;
}

static inline void kvm_xen_accel_gpc_init(struct kvm *kvm,
					  struct gfn_to_pfn_cache *gpc)
{
	kvm_gpc_init(gpc);
}

/*
 * 6.1's refresh takes the GPA to map and stores it: a refresh that read
 * the cache's GPA before an activation moved it (the VMM moving
 * shared_info while an event takes the slow path) would map the old page
 * again.  So the accelerator's activations and refreshes of a VM's caches
 * run one at a time, the GPA read under the same lock (6.12's refresh
 * reads it under the cache's own).  Process context, for a bound VM; the
 * lock nests inside xen_lock.
 */
static inline int kvm_xen_accel_gpc_activate(struct kvm *kvm,
					     struct gfn_to_pfn_cache *gpc,
					     gpa_t gpa, unsigned long len)
{
	struct kvm_xen_accel_vm *hv = kvm_xen_accel_vm(kvm);
	int ret;

	mutex_lock(&hv->gpc_lock);
	ret = kvm_gpc_activate(kvm, gpc, NULL, KVM_HOST_USES_PFN, gpa, len);
	mutex_unlock(&hv->gpc_lock);
	return ret;
}

/* Not reached: without KVM_XEN_ACCEL_HAVE_HVA no HVA is accepted. */
static inline int kvm_xen_accel_gpc_activate_hva(struct kvm *kvm,
						 struct gfn_to_pfn_cache *gpc,
						 unsigned long hva,
						 unsigned long len)
{
	return -EINVAL;
}

static inline void kvm_xen_accel_gpc_deactivate(struct kvm *kvm,
						struct gfn_to_pfn_cache *gpc)
{
	kvm_gpc_deactivate(kvm, gpc);
}

static inline bool kvm_xen_accel_gpc_check(struct kvm *kvm,
					   struct gfn_to_pfn_cache *gpc,
					   unsigned long len)
{
	return kvm_gfn_to_pfn_cache_check(kvm, gpc, gpc->gpa, len);
}

static inline int kvm_xen_accel_gpc_refresh(struct kvm *kvm,
					    struct gfn_to_pfn_cache *gpc,
					    unsigned long len)
{
	struct kvm_xen_accel_vm *hv = kvm_xen_accel_vm(kvm);
	int ret;

	mutex_lock(&hv->gpc_lock);
	ret = kvm_gfn_to_pfn_cache_refresh(kvm, gpc, gpc->gpa, len);
	mutex_unlock(&hv->gpc_lock);
	return ret;
}

static inline void kvm_xen_accel_gpc_mark_dirty(struct kvm *kvm,
						struct gfn_to_pfn_cache *gpc)
{
	mark_page_dirty_in_slot(kvm, gpc->memslot, gpa_to_gfn(gpc->gpa));
}

static inline bool kvm_xen_accel_gpc_gpa_active(struct gfn_to_pfn_cache *gpc)
{
	return gpc->active;
}

static inline bool kvm_xen_accel_gpc_hva_active(struct gfn_to_pfn_cache *gpc)
{
	return false;
}

static inline void kvm_xen_accel_eventfd_signal(struct eventfd_ctx *ctx)
{
	eventfd_signal(ctx, 1);
}

#else
#error "xen-evtchn-accel supports Linux 6.1 and 6.12 (Documentation/kernels.rst)"
#endif

/*
 * The accelerator's per-VM data of a VM bound to it.  For the accelerator,
 * which the hook calls for bound VMs only, so that its events test
 * nothing.  Any context.
 */
static inline void *kvm_xen_accel_bound_data(struct kvm *kvm)
{
	return READ_ONCE(kvm_xen_accel_vm(kvm)->data);
}

/* The accelerator's per-VM data; NULL if the VM is not bound.  Any context. */
static inline void *kvm_xen_accel_vm_data(struct kvm *kvm)
{
	struct kvm_xen_accel_vm *hv = kvm_xen_accel_vm(kvm);

	return hv ? READ_ONCE(hv->data) : NULL;
}

/*
 * The slot's life, for the hook: made before bind_vm(), so that nothing
 * can fail once it succeeded; filled with its result; freed when the VM
 * is destroyed or bind_vm() failed.  Process context, the hook's binding
 * lock held.
 */
static inline int kvm_xen_accel_slot_reserve(struct kvm *kvm)
{
	struct kvm_xen_accel_vm *hv = kvzalloc(sizeof(*hv), GFP_KERNEL_ACCOUNT);
	int ret;

	if (!hv)
		return -ENOMEM;
	kvm_xen_accel_vm_init(hv);
	ret = xa_err(xa_store(kvm_xen_accel_slots(kvm), 0, hv,
			      GFP_KERNEL_ACCOUNT));
	if (ret)
		kvfree(hv);
	return ret;
}

static inline void kvm_xen_accel_slot_fill(struct kvm *kvm, void *data)
{
	WRITE_ONCE(kvm_xen_accel_vm(kvm)->data, data);
}

static inline void kvm_xen_accel_slot_free(struct kvm *kvm)
{
	struct kvm_xen_accel_vm *hv = xa_erase(kvm_xen_accel_slots(kvm), 0);

	kvm_xen_accel_vm_release(kvm, hv);
	kvfree(hv);
}

#endif /* _KVM_XEN_ACCEL_COMPAT_H */
