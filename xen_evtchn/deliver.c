// SPDX-License-Identifier: GPL-2.0-only
/*
 * 2-level event channel delivery into the guest.
 *
 * Raising port P: set bit P of evtchn_pending in shared_info; unless it was
 * set already or bit P of evtchn_mask is set, set bit P / BITS_PER_WORD of
 * the target vCPU's evtchn_pending_sel in its vcpu_info and its
 * evtchn_upcall_pending, then raise the upcall: the vCPU's own vector as a
 * fixed APIC interrupt, or else a kick so that KVM sees the global callback
 * vector pending (has_interrupt).  Words are 64 bits in the 64-bit ABI (4096
 * ports), 32 bits in the 32-bit one (1024 ports).
 *
 * While the vCPU's vcpu_info cannot be written (its pfn cache is invalid, or
 * deactivated while the VMM moves it), the selector bit goes to the shadow
 * vcpu->arch.xen.evtchn_pending_sel and the vCPU is kicked; on its way into
 * the guest, KVM sees the shadow non-zero and calls inject_pending_events,
 * which moves the bits into vcpu_info once it can be mapped.
 *
 * Delivery and the selector resync hold the VMM's address space
 * (mm_users) while they write, whatever the context; it matters for those
 * that run outside the VMM's own tasks (the Xen timer, an irqfd wakeup,
 * the irqfd worker): when the VMM exits, its memory is freed before its VM
 * is destroyed, and KVM's MMU notifier is gone by then, so the pfn caches
 * still map the freed pages.  An event that finds the address space gone
 * is not delivered (-ESRCH): the VM is on its way out.
 *
 * Delivery outside the vCPU does not mark shared_info or vcpu_info dirty,
 * as upstream's does not: KVM tracks dirty pages for a running vCPU only
 * (mark_page_dirty_in_slot() WARNs otherwise).  A VMM that migrates a Xen
 * guest must send those pages last, as it must for upstream's KVM.
 *
 * Owns: the shadow evtchn_pending_sel (set here in any context, cleared only
 * by its vCPU).  Locking: the pfn caches' rwlocks, read side, inside
 * kvm->srcu; never xen_lock.
 *
 * Context: xen_evtchn_set_fast() runs in atomic context (an irqfd's wakeup
 * under the eventfd's wait-queue lock, which is hard-IRQ context when a
 * device's interrupt handler signals the eventfd; the timer's softirq) and
 * returns -EWOULDBLOCK when shared_info is not mapped.  On PREEMPT_RT,
 * where the pfn caches' rwlocks sleep, interrupt handlers are threaded and
 * the timer is a soft hrtimer, so it never runs in hard-IRQ context there.
 * xen_evtchn_set() is its process-context fallback that maps shared_info;
 * inject_pending_events and has_interrupt run in vCPU context.
 */

#include <linux/kthread.h>
#include <linux/kvm_host.h>
#include <linux/sched/mm.h>

#include <kvm/xen_accel.h>

#include "xen_evtchn.h"

/**
 * xen_evtchn_max_port() - the number of ports of the VM's 2-level ABI
 * @kvm: the VM
 *
 * Return: 4096 in the 64-bit ABI, 1024 in the 32-bit one.
 */
unsigned int xen_evtchn_max_port(struct kvm *kvm)
{
	return kvm->arch.xen.long_mode ? XEN_EVTCHN_2L_PORTS_64 :
					 XEN_EVTCHN_2L_PORTS_32;
}

static unsigned int bits_per_word(struct kvm *kvm)
{
	return kvm->arch.xen.long_mode ? 64 : 32;
}

/* evtchn_pending and evtchn_mask in the mapped shared_info @khva. */
static void shared_info_bitmaps(struct kvm *kvm, void *khva,
				unsigned long **pending, unsigned long **mask)
{
	if (kvm->arch.xen.long_mode) {
		struct shared_info *si = khva;

		*pending = (unsigned long *)si->evtchn_pending;
		*mask = (unsigned long *)si->evtchn_mask;
	} else {
		struct xen_compat_shared_info *si = khva;

		*pending = (unsigned long *)si->evtchn_pending;
		*mask = (unsigned long *)si->evtchn_mask;
	}
}

/* The vCPU an event targets; caches its index for the next time. */
static struct kvm_vcpu *target_vcpu(struct kvm *kvm, struct kvm_xen_evtchn *xe)
{
	int idx = READ_ONCE(xe->vcpu_idx);
	struct kvm_vcpu *vcpu;

	if (idx >= 0)
		return kvm_get_vcpu(kvm, idx);
	vcpu = kvm_get_vcpu_by_id(kvm, xe->vcpu_id);
	if (vcpu)
		WRITE_ONCE(xe->vcpu_idx, vcpu->vcpu_idx);
	return vcpu;
}

/*
 * Set bit @nr of a 32-bit ABI selector; true if it was clear.  That
 * selector is only 4-byte aligned (at offset 4 of a vcpu_info that itself
 * need only be 4-byte aligned): a 64-bit bit operation on it could split
 * a cache line, so it gets a 32-bit one.
 */
static bool set_selector32(u32 *sel, unsigned int nr)
{
	u32 old = READ_ONCE(*sel);

	do {
		if (old & BIT(nr))
			return false;
	} while (!try_cmpxchg(sel, &old, old | BIT(nr)));
	return true;
}

/*
 * Set selector bit @word for @vcpu: in its vcpu_info if mapped, else in the
 * shadow.  Returns true if the vCPU must be kicked for the upcall.  Any
 * context; the caller holds kvm->srcu.
 */
static bool raise_selector(struct kvm_vcpu *vcpu, unsigned int word)
{
	struct gfn_to_pfn_cache *gpc = &vcpu->arch.xen.vcpu_info_cache;
	unsigned long flags;
	bool kick;

	read_lock_irqsave(&gpc->lock, flags);
	if (!kvm_gpc_check(gpc, sizeof(struct vcpu_info))) {
		read_unlock_irqrestore(&gpc->lock, flags);
		return !test_and_set_bit(word, &vcpu->arch.xen.evtchn_pending_sel);
	}

	if (vcpu->kvm->arch.xen.long_mode) {
		struct vcpu_info *vi = gpc->khva;

		kick = !test_and_set_bit(word, &vi->evtchn_pending_sel);
		if (kick)
			WRITE_ONCE(vi->evtchn_upcall_pending, 1);
	} else {
		struct xen_compat_vcpu_info *vi = gpc->khva;

		kick = set_selector32(&vi->evtchn_pending_sel, word);
		if (kick)
			WRITE_ONCE(vi->evtchn_upcall_pending, 1);
	}
	read_unlock_irqrestore(&gpc->lock, flags);

	/* The vCPU's own upcall vector needs no kick: the APIC does it. */
	if (kick && vcpu->arch.xen.upcall_vector) {
		kvm_xen_accel_deliver_vector(vcpu, vcpu->arch.xen.upcall_vector);
		kick = false;
	}
	return kick;
}

/*
 * Map @gpc again, for process context.  A cache that was never activated
 * has neither a GPA nor an HVA, and KVM WARNs when asked to refresh one
 * (a VMM may send events before it sets up shared_info or vcpu_info):
 * only an active cache is refreshed.  Once activated, a cache keeps its
 * address, so a deactivation racing with this only makes KVM's refresh
 * fail.
 */
static int refresh_active(struct gfn_to_pfn_cache *gpc, unsigned long len)
{
	if (!READ_ONCE(gpc->active))
		return -EINVAL;
	return kvm_gpc_refresh(gpc, len);
}

static void kick_vcpu(struct kvm_vcpu *vcpu)
{
	kvm_make_request(KVM_REQ_UNBLOCK, vcpu);
	kvm_vcpu_kick(vcpu);
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
	struct gfn_to_pfn_cache *gpc = &kvm->arch.xen.shinfo_cache;
	unsigned long *pending, *mask, flags;
	struct kvm_vcpu *vcpu;
	bool kick = false;
	int idx, ret;

	vcpu = target_vcpu(kvm, xe);
	if (!vcpu || xe->port >= xen_evtchn_max_port(kvm))
		return -EINVAL;
	if (!mmget_not_zero(kvm->mm))
		return -ESRCH;

	idx = srcu_read_lock(&kvm->srcu);
	read_lock_irqsave(&gpc->lock, flags);
	if (!kvm_gpc_check(gpc, PAGE_SIZE)) {
		read_unlock_irqrestore(&gpc->lock, flags);
		srcu_read_unlock(&kvm->srcu, idx);
		mmput_async(kvm->mm);
		return -EWOULDBLOCK;
	}

	shared_info_bitmaps(kvm, gpc->khva, &pending, &mask);

	if (test_and_set_bit(xe->port, pending))
		ret = 0;
	else if (test_bit(xe->port, mask))
		ret = -ENOTCONN;
	else
		ret = 1;
	read_unlock_irqrestore(&gpc->lock, flags);

	if (ret == 1)
		kick = raise_selector(vcpu, xe->port / bits_per_word(kvm));
	srcu_read_unlock(&kvm->srcu, idx);
	/* Any context: the last reference, if it is, is dropped later. */
	mmput_async(kvm->mm);

	/* A vCPU polling the port wakes, masked or not. */
	if (ret != 0)
		xen_evtchn_wake_poller(vcpu, xe->port);

	if (kick)
		kick_vcpu(vcpu);
	return ret;
}

/*
 * Run @fn in process context with shared_info mapped: retry it after each
 * refresh of the cache, until it no longer asks for one.  From a kernel
 * thread (the irqfd workqueue), borrow the VM's mm for the refresh.
 */
static int with_shared_info(struct kvm *kvm, struct kvm_xen_evtchn *xe,
			    int (*fn)(struct kvm_xen_evtchn *xe, struct kvm *kvm))
{
	bool borrowed = false;
	int idx, ret;

	ret = fn(xe, kvm);
	if (ret != -EWOULDBLOCK)
		return ret;

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
		ret = refresh_active(&kvm->arch.xen.shinfo_cache, PAGE_SIZE);
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
	return with_shared_info(kvm, xe, xen_evtchn_set_fast);
}

/*
 * If @xe's port is pending and unmasked in shared_info, make sure its
 * selector bit is set for its target vCPU.  -EWOULDBLOCK if shared_info is
 * not mapped now; 0 otherwise (also when there is nothing to do).
 */
static int sync_selector_fast(struct kvm_xen_evtchn *xe, struct kvm *kvm)
{
	struct gfn_to_pfn_cache *gpc = &kvm->arch.xen.shinfo_cache;
	unsigned long *pending, *mask, flags;
	struct kvm_vcpu *vcpu;
	bool raise, kick = false;
	int idx;

	vcpu = target_vcpu(kvm, xe);
	if (!vcpu || xe->port >= xen_evtchn_max_port(kvm))
		return 0;
	if (!mmget_not_zero(kvm->mm))
		return 0;

	idx = srcu_read_lock(&kvm->srcu);
	read_lock_irqsave(&gpc->lock, flags);
	if (!kvm_gpc_check(gpc, PAGE_SIZE)) {
		read_unlock_irqrestore(&gpc->lock, flags);
		srcu_read_unlock(&kvm->srcu, idx);
		mmput(kvm->mm);
		return gpc->active ? -EWOULDBLOCK : 0;
	}
	shared_info_bitmaps(kvm, gpc->khva, &pending, &mask);
	raise = test_bit(xe->port, pending) && !test_bit(xe->port, mask);
	read_unlock_irqrestore(&gpc->lock, flags);

	if (raise)
		kick = raise_selector(vcpu, xe->port / bits_per_word(kvm));
	srcu_read_unlock(&kvm->srcu, idx);
	mmput(kvm->mm);

	if (kick)
		kick_vcpu(vcpu);
	return 0;
}

/**
 * xen_evtchn_sync_selector() - a port now has a sender again
 * @kvm: the VM
 * @xe: the port and its target vCPU
 *
 * When a route, an outbound port or the timer is set up for a port that is
 * already pending and unmasked in shared_info (restored by the VMM after a
 * save, say), the selector bit that goes with it may be lost: it lived in
 * a vcpu_info or shadow that was not saved.  Set it again, so that the
 * guest sees the event.
 *
 * Context: process context; may sleep.
 */
void xen_evtchn_sync_selector(struct kvm *kvm, struct kvm_xen_evtchn *xe)
{
	with_shared_info(kvm, xe, sync_selector_fast);
}

/**
 * xen_evtchn_inject_pending_events() - move the shadow selector to vcpu_info
 * @vcpu: the vCPU, on its way into the guest
 *
 * Bits raised in the shadow meanwhile stay there for the next time.
 *
 * Context: vCPU context, kvm->srcu held; may sleep to map vcpu_info.
 */
void xen_evtchn_inject_pending_events(struct kvm_vcpu *vcpu)
{
	struct gfn_to_pfn_cache *gpc = &vcpu->arch.xen.vcpu_info_cache;
	unsigned long *shadow = &vcpu->arch.xen.evtchn_pending_sel;
	unsigned long bits = READ_ONCE(*shadow), flags;
	unsigned int word;

	if (!bits)
		return;

	read_lock_irqsave(&gpc->lock, flags);
	while (!kvm_gpc_check(gpc, sizeof(struct vcpu_info))) {
		read_unlock_irqrestore(&gpc->lock, flags);
		/* Not mapped (or deactivated): the bits wait in the shadow. */
		if (refresh_active(gpc, sizeof(struct vcpu_info)))
			return;
		read_lock_irqsave(&gpc->lock, flags);
	}

	if (vcpu->kvm->arch.xen.long_mode) {
		struct vcpu_info *vi = gpc->khva;

		for_each_set_bit(word, &bits, BITS_PER_LONG) {
			set_bit(word, &vi->evtchn_pending_sel);
			clear_bit(word, shadow);
		}
		WRITE_ONCE(vi->evtchn_upcall_pending, 1);
	} else {
		struct xen_compat_vcpu_info *vi = gpc->khva;

		/* Words past 31 (raised before a switch to 32-bit) go. */
		for_each_set_bit(word, &bits, BITS_PER_LONG) {
			if (word < 32)
				set_selector32(&vi->evtchn_pending_sel, word);
			clear_bit(word, shadow);
		}
		WRITE_ONCE(vi->evtchn_upcall_pending, 1);
	}
	kvm_gpc_mark_dirty_in_slot(gpc);
	read_unlock_irqrestore(&gpc->lock, flags);

	if (vcpu->arch.xen.upcall_vector)
		kvm_xen_accel_deliver_vector(vcpu, vcpu->arch.xen.upcall_vector);
}

/**
 * xen_evtchn_has_interrupt() - is the vCPU's evtchn_upcall_pending set?
 * @vcpu: the vCPU
 *
 * For the global callback vector: KVM injects it while this is true.
 *
 * Context: vCPU context, possibly atomic (from the halt path, with the task
 * no longer running): then, if vcpu_info is not mapped, it answers 1 so
 * that the vCPU wakes and asks again where it can map it.
 * Return: 1 if an upcall is pending, else 0.
 */
int xen_evtchn_has_interrupt(struct kvm_vcpu *vcpu)
{
	struct gfn_to_pfn_cache *gpc = &vcpu->arch.xen.vcpu_info_cache;
	unsigned long flags;
	int idx, ret;

	/* Same offset in both ABIs (checked in compat_layout_check()). */
	idx = srcu_read_lock(&vcpu->kvm->srcu);
	read_lock_irqsave(&gpc->lock, flags);
	while (!kvm_gpc_check(gpc, sizeof(struct vcpu_info))) {
		read_unlock_irqrestore(&gpc->lock, flags);
		if (!preemptible() || !task_is_running(current)) {
			ret = 1;
			goto out;
		}
		if (refresh_active(gpc, sizeof(struct vcpu_info))) {
			ret = 0;
			goto out;
		}
		read_lock_irqsave(&gpc->lock, flags);
	}
	ret = !!READ_ONCE(((struct vcpu_info *)gpc->khva)->evtchn_upcall_pending);
	read_unlock_irqrestore(&gpc->lock, flags);
out:
	srcu_read_unlock(&vcpu->kvm->srcu, idx);
	return ret;
}

/**
 * xen_evtchn_inject_vcpu_vector() - raise the vCPU's own upcall vector
 * @vcpu: the vCPU (its local APIC was just enabled, with an upcall pending)
 *
 * Context: vCPU context.
 */
void xen_evtchn_inject_vcpu_vector(struct kvm_vcpu *vcpu)
{
	kvm_xen_accel_deliver_vector(vcpu, vcpu->arch.xen.upcall_vector);
}
