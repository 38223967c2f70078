// SPDX-License-Identifier: GPL-2.0-only
/*
 * Raising a 2-level event channel port: for the kernel's senders (routes,
 * the port table, the timer) and for the VMM's KVM_XEN_HVM_EVTCHN_SEND.
 *
 * Raising port P: set bit P of evtchn_pending in shared_info; unless it was
 * set already or bit P of evtchn_mask is set, have the target vCPU's
 * selector bit P / word_bits set (vcpu_info.c: in its vcpu_info, or in the
 * shadow selector while vcpu_info cannot be written) and its upcall
 * raised.  The guest's ABI (guest_abi.h) is read once per operation: the
 * guest switches it at will, and a port checked against one ABI's limit
 * must be placed with the same one.
 *
 * Delivery and the selector resync hold the VMM's address space
 * (mm_users) while they write, whatever the context; it matters for those
 * that run outside the VMM's own tasks (the Xen timer, an irqfd wakeup,
 * the irqfd worker): when the VMM exits, its memory is freed before its VM
 * is destroyed, and KVM's MMU notifier is gone by then, so the pfn caches
 * still map the freed pages.  An event that finds the address space gone
 * is not delivered (-ESRCH): the VM is on its way out.  The VMM's own
 * tasks hold it already: KVM runs its VM and vCPU ioctls, KVM_RUN's
 * hypercalls included, in no other task, and their senders
 * (xen_evtchn_set_vmm(), the ioctl) skip the test.
 *
 * Delivery outside the vCPU does not mark shared_info or vcpu_info dirty,
 * as upstream's does not: KVM tracks dirty pages for a running vCPU only
 * (mark_page_dirty_in_slot() WARNs otherwise).  A VMM that migrates a Xen
 * guest must send those pages last, as it must for upstream's KVM.
 *
 * Owns nothing; the senders (routes, port table, timer) own their
 * struct kvm_xen_evtchn; the ioctl's is on its stack.  Locking:
 * shared_info's pfn cache rwlock, read side, inside kvm->srcu; never
 * xen_lock.
 *
 * Context: xen_evtchn_set_fast() in any context: an irqfd's wakeup under
 * the eventfd's wait-queue lock (hard-IRQ context when a device's
 * interrupt handler signals the eventfd; on PREEMPT_RT, where the pfn
 * caches' rwlocks sleep, interrupt handlers are threaded), the Xen timer's
 * softirq.  It returns -EWOULDBLOCK when shared_info is not mapped;
 * xen_evtchn_set() is its process-context fallback that maps it.
 * xen_evtchn_set_vmm() and xen_evtchn_send_ioctl() in the VMM's own task
 * (a vCPU or VM ioctl).
 */

#include <linux/kthread.h>
#include <linux/kvm_host.h>
#include <linux/sched/mm.h>

#include <kvm/xen_accel.h>

#include "xen_evtchn.h"
#include "selector.h"

#include <trace/events/xen_evtchn.h>

/* The VM's 2-level ABI now; see the file's comment. */
static __always_inline const struct xen_2l_abi *abi_now(struct kvm *kvm)
{
	/* Every selector word of either ABI fits the shadow selector. */
	BUILD_BUG_ON(64 > BITS_PER_LONG);
	xen_guest_abi_check();
	return xen_evtchn_abi(kvm);
}

/**
 * xen_evtchn_vcpu_idx() - the index of the vCPU whose APIC ID is @vcpu_id
 * @kvm: the VM
 * @vcpu_id: the APIC ID that a route, a port or the VMM names
 *
 * Senders resolve their target once, when they are set up, so that an
 * event does not search the vCPUs (O(n), possibly in hard-IRQ context).
 *
 * Return: the index, or -1 if no such vCPU exists (yet).
 */
int xen_evtchn_vcpu_idx(struct kvm *kvm, u32 vcpu_id)
{
	struct kvm_vcpu *vcpu = kvm_get_vcpu_by_id(kvm, vcpu_id);

	return vcpu ? vcpu->vcpu_idx : -1;
}

/*
 * The vCPU an event targets.  A sender set up before its vCPU existed has
 * no index: such an event searches, and finds the vCPU once it exists.
 */
static __always_inline struct kvm_vcpu *
target_vcpu(struct kvm *kvm, const struct kvm_xen_evtchn *xe)
{
	if (xe->vcpu_idx >= 0)
		return kvm_get_vcpu(kvm, xe->vcpu_idx);
	return kvm_get_vcpu_by_id(kvm, xe->vcpu_id);
}

/*
 * Hold the VMM's address space for a write (see the file's comment).  A
 * task that runs in it holds it already: the VMM's own threads, a kernel
 * thread that borrowed it, and a task interrupted there, which cannot drop
 * its reference before the interrupt returns.  @vmm: the caller is such a
 * task by construction, and need not test it (the bench counted the test
 * at about 20 instructions).  Anyone else takes a reference.  Returns
 * whether it took one, for vm_mm_put(), or -ESRCH if the address space is
 * gone.
 */
static __always_inline int vm_mm_get(struct kvm *kvm, bool vmm)
{
	if (vmm) {
		lockdep_assert(current->mm == kvm->mm);
		return 0;
	}
	if (current->mm == kvm->mm)
		return 0;
	return mmget_not_zero(kvm->mm) ? 1 : -ESRCH;
}

/* Any context: the last reference, if it is, is dropped later. */
static __always_inline void vm_mm_put(struct kvm *kvm, int taken)
{
	if (taken)
		mmput_async(kvm->mm);
}

static __always_inline void kick_vcpu(struct kvm_vcpu *vcpu)
{
	kvm_make_request(KVM_REQ_UNBLOCK, vcpu);
	kvm_vcpu_kick(vcpu);
}

static __always_inline void count_delivery(struct kvm *kvm, bool slow,
					   int ret)
{
	if (slow)
		xen_evtchn_count(kvm, XEN_STAT_SLOW_PATH);
	if (ret == 1)
		xen_evtchn_count(kvm, XEN_STAT_DELIVERED);
	else if (ret == 0)
		xen_evtchn_count(kvm, XEN_STAT_ALREADY_PENDING);
	else if (ret == -ENOTCONN)
		xen_evtchn_count(kvm, XEN_STAT_MASKED);
}

/*
 * Raise @xe's port, if shared_info is mapped; @slow: it was just mapped,
 * in process context, after a first try found it unmapped; @vmm: the
 * caller runs in the VMM's own task (see vm_mm_get()).  Returns as
 * xen_evtchn_set_fast().  Inlined into each entry point, with the
 * selector's helpers, so that a delivery is one function: the bench
 * showed each call and return on this path (Documentation/
 * performance.rst).
 */
static __always_inline int set_evtchn(struct kvm_xen_evtchn *xe,
				      struct kvm *kvm, bool slow, bool vmm)
{
	const struct xen_2l_abi *abi = abi_now(kvm);
	struct gfn_to_pfn_cache *gpc = &kvm->arch.xen.shinfo_cache;
	unsigned long flags;
	struct kvm_vcpu *vcpu;
	bool kick = false;
	int idx, ret, mm_ref;

	vcpu = target_vcpu(kvm, xe);
	if (!vcpu || xe->port >= abi->ports) {
		ret = -EINVAL;
		goto out;
	}
	mm_ref = vm_mm_get(kvm, vmm);
	if (mm_ref < 0) {
		ret = mm_ref;
		goto out;
	}

	idx = srcu_read_lock(&kvm->srcu);
	read_lock_irqsave(&gpc->lock, flags);
	if (!kvm_xen_accel_gpc_check(kvm, gpc, PAGE_SIZE)) {
		read_unlock_irqrestore(&gpc->lock, flags);
		srcu_read_unlock(&kvm->srcu, idx);
		vm_mm_put(kvm, mm_ref);
		ret = -EWOULDBLOCK;
		goto out;
	}

	if (test_and_set_bit(xe->port, gpc->khva + abi->pending_off))
		ret = 0;
	else if (test_bit(xe->port, gpc->khva + abi->mask_off))
		ret = -ENOTCONN;
	else
		ret = 1;
	read_unlock_irqrestore(&gpc->lock, flags);

	if (ret == 1)
		kick = xen_evtchn_raise_selector(vcpu, abi,
						 xe->port / abi->word_bits);
	srcu_read_unlock(&kvm->srcu, idx);
	vm_mm_put(kvm, mm_ref);

	/* A vCPU polling the port wakes, masked or not. */
	if (ret != 0)
		xen_evtchn_wake_poller(vcpu, xe->port);

	if (kick)
		kick_vcpu(vcpu);
	count_delivery(kvm, slow, ret);
out:
	trace_xen_evtchn_deliver(xe->port, xe->vcpu_id, slow, ret);
	return ret;
}

/**
 * xen_evtchn_set_fast() - raise an event channel, in any context
 * @xe: the port, its target vCPU and priority
 * @kvm: the VM
 *
 * Context: any; does not sleep.
 * Return: 1 if delivered, 0 if already pending, -ENOTCONN if masked (it
 * stays pending), -EINVAL for a port past the ABI's limit or a target vCPU
 * that does not exist, -EWOULDBLOCK if shared_info is not mapped now,
 * -ESRCH if the VMM's address space is gone (the VM is being destroyed).
 */
int xen_evtchn_set_fast(struct kvm_xen_evtchn *xe, struct kvm *kvm)
{
	return set_evtchn(xe, kvm, false, false);
}

static int set_evtchn_slow(struct kvm_xen_evtchn *xe, struct kvm *kvm)
{
	return set_evtchn(xe, kvm, true, false);
}

/*
 * Map shared_info, in process context, and run @fn; again after each
 * refresh, until it no longer asks for one.  From a kernel thread (the
 * irqfd workqueue), borrow the VM's mm for the refresh.
 */
static int with_shared_info(struct kvm *kvm, struct kvm_xen_evtchn *xe,
			    int (*fn)(struct kvm_xen_evtchn *xe, struct kvm *kvm))
{
	bool borrowed = false;
	int idx, ret;

	if (current->mm != kvm->mm) {
		/* Only a kernel thread may borrow the VM's mm, while it lives. */
		if (current->mm)
			return -EINVAL;
		if (!mmget_not_zero(kvm->mm))
			return -ESRCH;
		kthread_use_mm(kvm->mm);
		borrowed = true;
	}
	do {
		idx = srcu_read_lock(&kvm->srcu);
		ret = xen_evtchn_gpc_refresh(kvm, &kvm->arch.xen.shinfo_cache,
					     PAGE_SIZE);
		srcu_read_unlock(&kvm->srcu, idx);
		if (ret)
			break;
		ret = fn(xe, kvm);
	} while (ret == -EWOULDBLOCK);
	if (borrowed) {
		kthread_unuse_mm(kvm->mm);
		mmput(kvm->mm);
	}
	return ret;
}

/*
 * xen_evtchn_set() but for its might_sleep(), inline for the ioctl below;
 * @vmm as for set_evtchn().  Process context.  The ioctl is so by
 * construction and leaves the check out: might_sleep() is also a
 * voluntary preemption point, which cost the ioctl about as much as its
 * counters (Documentation/performance.rst).  The slow path's mapping
 * takes a mutex, which makes the check itself.
 */
static __always_inline int set_evtchn_mapping(struct kvm_xen_evtchn *xe,
					      struct kvm *kvm, bool vmm)
{
	int ret;

	ret = set_evtchn(xe, kvm, false, vmm);
	if (ret != -EWOULDBLOCK)
		return ret;
	return with_shared_info(kvm, xe, set_evtchn_slow);
}

/**
 * xen_evtchn_set() - raise an event channel, in process context
 * @xe: the port, its target vCPU and priority
 * @kvm: the VM
 *
 * As xen_evtchn_set_fast(), mapping shared_info when needed.
 *
 * Context: process context or a kernel thread; may sleep.
 * Return: as xen_evtchn_set_fast(), or the error of mapping shared_info
 * instead of -EWOULDBLOCK.
 */
int xen_evtchn_set(struct kvm_xen_evtchn *xe, struct kvm *kvm)
{
	might_sleep();
	return set_evtchn_mapping(xe, kvm, false);
}

/**
 * xen_evtchn_set_vmm() - raise an event channel, from the VMM's own task
 * @xe: the port, its target vCPU and priority
 * @kvm: the VM
 *
 * As xen_evtchn_set(), for a caller that KVM runs in the VMM's task only:
 * a vCPU ioctl, KVM_RUN's hypercalls included.
 *
 * Context: the VMM's task, process context; may sleep.
 * Return: as xen_evtchn_set().
 */
int xen_evtchn_set_vmm(struct kvm_xen_evtchn *xe, struct kvm *kvm)
{
	might_sleep();
	return set_evtchn_mapping(xe, kvm, true);
}

/**
 * xen_evtchn_send_ioctl() - KVM_XEN_HVM_EVTCHN_SEND
 * @kvm: the VM
 * @evt: the port, the target vCPU (its APIC ID) and the priority
 *
 * The VMM raises a port of the guest, one it emulates itself or any other,
 * as a send from outside would.  Here rather than in a file of its own so
 * that the ioctl runs the delivery inline.
 *
 * Context: process context; may sleep.
 * Return: 0 when the event is pending (delivered now, already pending, or
 * masked); -EINVAL for port 0, a port past the ABI's limit, a priority
 * other than 2-level, or a vCPU that does not exist; or the error of
 * mapping shared_info (-EINVAL when none is set).
 */
int xen_evtchn_send_ioctl(struct kvm *kvm, struct kvm_irq_routing_xen_evtchn *evt)
{
	struct kvm_xen_evtchn xe = {
		.port = evt->port,
		.vcpu_id = evt->vcpu,
		.vcpu_idx = -1,
		.priority = evt->priority,
	};
	int ret;

	if (!evt->port || evt->port >= xen_evtchn_max_port(kvm) ||
	    evt->priority != KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL)
		return -EINVAL;

	ret = set_evtchn_mapping(&xe, kvm, true);
	xen_evtchn_count(kvm, XEN_STAT_SENDS + XEN_SEND_IOCTL);
	trace_xen_evtchn_send(evt->port, XEN_SEND_IOCTL, ret);
	return ret >= 0 || ret == -ENOTCONN ? 0 : ret;
}

/*
 * If @xe's port is pending and unmasked in shared_info, make sure its
 * selector bit is set for its target vCPU.  -EWOULDBLOCK if shared_info is
 * not mapped now; 0 otherwise (also when there is nothing to do).
 */
static int sync_selector_fast(struct kvm_xen_evtchn *xe, struct kvm *kvm)
{
	const struct xen_2l_abi *abi = abi_now(kvm);
	struct gfn_to_pfn_cache *gpc = &kvm->arch.xen.shinfo_cache;
	struct kvm_vcpu *vcpu;
	bool raise, kick = false;
	unsigned long flags;
	int idx, mm_ref;

	vcpu = target_vcpu(kvm, xe);
	if (!vcpu || xe->port >= abi->ports)
		return -ENODATA;
	mm_ref = vm_mm_get(kvm, false);
	if (mm_ref < 0)
		return 0;

	idx = srcu_read_lock(&kvm->srcu);
	read_lock_irqsave(&gpc->lock, flags);
	if (!kvm_xen_accel_gpc_check(kvm, gpc, PAGE_SIZE)) {
		read_unlock_irqrestore(&gpc->lock, flags);
		srcu_read_unlock(&kvm->srcu, idx);
		vm_mm_put(kvm, mm_ref);
		return gpc->active ? -EWOULDBLOCK : -ENODATA;
	}
	raise = test_bit(xe->port, gpc->khva + abi->pending_off) &&
		!test_bit(xe->port, gpc->khva + abi->mask_off);
	read_unlock_irqrestore(&gpc->lock, flags);

	if (raise)
		kick = xen_evtchn_raise_selector(vcpu, abi,
						 xe->port / abi->word_bits);
	srcu_read_unlock(&kvm->srcu, idx);
	vm_mm_put(kvm, mm_ref);

	if (kick)
		kick_vcpu(vcpu);
	return 0;
}

/**
 * xen_evtchn_sync_selector() - set a pending port's selector bit again
 * @kvm: the VM
 * @xe: the port and its target vCPU
 *
 * If @xe's port is pending and unmasked in shared_info, make sure its
 * selector bit (and the upcall) is set for its target vCPU.  See resync.c
 * for when that is needed.
 *
 * Context: process context; may sleep.
 * Return: 0, also when there was nothing to do; -ENODATA if it cannot be
 * known yet: no shared_info, no such vCPU (yet), or a port past the ABI's
 * limit; or the error of mapping shared_info.
 */
int xen_evtchn_sync_selector(struct kvm *kvm, struct kvm_xen_evtchn *xe)
{
	int ret;

	might_sleep();
	ret = sync_selector_fast(xe, kvm);
	if (ret != -EWOULDBLOCK)
		return ret;
	return with_shared_info(kvm, xe, sync_selector_fast);
}
