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

/*
 * The VM's 2-level ABI, read once per operation: the guest switches it
 * whenever it writes the hypercall MSR from the other mode, so a port that
 * was checked against one ABI's limit is placed with that same ABI, or its
 * selector word could land beyond the 64-bit shadow.
 */
struct evtchn_abi {
	unsigned int ports;
	unsigned int word_bits;
	unsigned int pending_off;	/* in shared_info */
	unsigned int mask_off;
	unsigned int selector_off;	/* in vcpu_info */
};

static const struct evtchn_abi abi64 = {
	.ports = XEN_EVTCHN_2L_PORTS_64,
	.word_bits = 64,
	.pending_off = offsetof(struct shared_info, evtchn_pending),
	.mask_off = offsetof(struct shared_info, evtchn_mask),
	.selector_off = offsetof(struct vcpu_info, evtchn_pending_sel),
};

static const struct evtchn_abi abi32 = {
	.ports = XEN_EVTCHN_2L_PORTS_32,
	.word_bits = 32,
	.pending_off = offsetof(struct xen_compat_shared_info, evtchn_pending),
	.mask_off = offsetof(struct xen_compat_shared_info, evtchn_mask),
	.selector_off = offsetof(struct xen_compat_vcpu_info, evtchn_pending_sel),
};

static const struct evtchn_abi *abi_now(struct kvm *kvm)
{
	/* Every selector word of either ABI fits the shadow. */
	BUILD_BUG_ON(XEN_EVTCHN_2L_PORTS_64 / 64 > BITS_PER_LONG);
	BUILD_BUG_ON(XEN_EVTCHN_2L_PORTS_32 / 32 > BITS_PER_LONG);
	return READ_ONCE(kvm->arch.xen.long_mode) ? &abi64 : &abi32;
}

/**
 * xen_evtchn_max_port() - the number of ports of the VM's 2-level ABI
 * @kvm: the VM
 *
 * Return: 4096 in the 64-bit ABI, 1024 in the 32-bit one.
 */
unsigned int xen_evtchn_max_port(struct kvm *kvm)
{
	return abi_now(kvm)->ports;
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
static struct kvm_vcpu *target_vcpu(struct kvm *kvm,
				    const struct kvm_xen_evtchn *xe)
{
	if (xe->vcpu_idx >= 0)
		return kvm_get_vcpu(kvm, xe->vcpu_idx);
	return kvm_get_vcpu_by_id(kvm, xe->vcpu_id);
}

/*
 * Set bit @word of the selector at @vi + @abi's offset; true if it was
 * clear.  vcpu_info need only be 4-byte aligned, so the 64-bit selector
 * may straddle a cache line: a locked 64-bit operation on it would be a
 * split lock (#AC on hosts that detect them).  Only the naturally aligned
 * 32-bit half that holds the bit is touched, in either ABI.
 */
static bool set_selector_bit(void *vi, const struct evtchn_abi *abi,
			     unsigned int word)
{
	u32 *half = (u32 *)(vi + abi->selector_off) + word / 32;
	u32 bit = BIT(word % 32), old = READ_ONCE(*half);

	do {
		if (old & bit)
			return false;
	} while (!try_cmpxchg(half, &old, old | bit));
	return true;
}

/* evtchn_upcall_pending: byte 0 of vcpu_info in both ABIs. */
static u8 *upcall_pending(void *vi)
{
	BUILD_BUG_ON(offsetof(struct vcpu_info, evtchn_upcall_pending) != 0);
	BUILD_BUG_ON(offsetof(struct xen_compat_vcpu_info,
			      evtchn_upcall_pending) != 0);
	return vi;
}

/*
 * Set selector bit @word for @vcpu: in its vcpu_info if mapped, else in the
 * shadow.  Returns true if the vCPU must be kicked for the upcall.  Any
 * context; the caller holds kvm->srcu.
 */
static bool raise_selector(struct kvm_vcpu *vcpu, const struct evtchn_abi *abi,
			   unsigned int word)
{
	struct gfn_to_pfn_cache *gpc = &vcpu->arch.xen.vcpu_info_cache;
	unsigned long flags;
	bool kick;

	read_lock_irqsave(&gpc->lock, flags);
	if (!kvm_gpc_check(gpc, sizeof(struct vcpu_info))) {
		read_unlock_irqrestore(&gpc->lock, flags);
		return !test_and_set_bit(word, &vcpu->arch.xen.evtchn_pending_sel);
	}
	kick = set_selector_bit(gpc->khva, abi, word);
	if (kick)
		WRITE_ONCE(*upcall_pending(gpc->khva), 1);
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
	const struct evtchn_abi *abi = abi_now(kvm);
	struct gfn_to_pfn_cache *gpc = &kvm->arch.xen.shinfo_cache;
	unsigned long flags;
	struct kvm_vcpu *vcpu;
	bool kick = false;
	int idx, ret;

	vcpu = target_vcpu(kvm, xe);
	if (!vcpu || xe->port >= abi->ports)
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

	if (test_and_set_bit(xe->port, gpc->khva + abi->pending_off))
		ret = 0;
	else if (test_bit(xe->port, gpc->khva + abi->mask_off))
		ret = -ENOTCONN;
	else
		ret = 1;
	read_unlock_irqrestore(&gpc->lock, flags);

	if (ret == 1)
		kick = raise_selector(vcpu, abi, xe->port / abi->word_bits);
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
	const struct evtchn_abi *abi = abi_now(kvm);
	struct gfn_to_pfn_cache *gpc = &kvm->arch.xen.shinfo_cache;
	struct kvm_vcpu *vcpu;
	bool raise, kick = false;
	unsigned long flags;
	int idx;

	vcpu = target_vcpu(kvm, xe);
	if (!vcpu || xe->port >= abi->ports)
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
	raise = test_bit(xe->port, gpc->khva + abi->pending_off) &&
		!test_bit(xe->port, gpc->khva + abi->mask_off);
	read_unlock_irqrestore(&gpc->lock, flags);

	if (raise)
		kick = raise_selector(vcpu, abi, xe->port / abi->word_bits);
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
	const struct evtchn_abi *abi = abi_now(vcpu->kvm);
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

	/* Words the ABI lacks (raised before a switch to 32-bit) go. */
	for_each_set_bit(word, &bits, BITS_PER_LONG) {
		if (word < abi->ports / abi->word_bits)
			set_selector_bit(gpc->khva, abi, word);
		clear_bit(word, shadow);
	}
	WRITE_ONCE(*upcall_pending(gpc->khva), 1);
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
	ret = !!READ_ONCE(*upcall_pending(gpc->khva));
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
