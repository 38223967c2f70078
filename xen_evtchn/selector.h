/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vCPU's selector bits and its upcall: setting the selector bit of a
 * port that became pending, in the vCPU's vcpu_info if it is mapped, else
 * in the shadow selector (vcpu_info.c explains the shadow and owns both),
 * and telling the vCPU.
 *
 * Inline, so that a delivery (deliver.c) runs in one function: each call
 * and return on that path showed in the bench (Documentation/
 * performance.rst).  vcpu_info.c uses the same helpers to move the shadow
 * into vcpu_info.
 *
 * Locking: vcpu_info's cache rwlock, read side, inside kvm->srcu.
 * Context: any; nothing here sleeps.
 */
#ifndef _XEN_EVTCHN_SELECTOR_H
#define _XEN_EVTCHN_SELECTOR_H

#include <linux/kvm_host.h>

#include <kvm/xen_accel.h>

#include "xen_evtchn.h"

#include <trace/events/xen_evtchn.h>

/* evtchn_upcall_pending: byte 0 of vcpu_info in both ABIs. */
static inline u8 *upcall_pending(void *vi)
{
	return vi;
}

/*
 * Set bit @word of the selector of the vcpu_info at @vi; true if it was
 * clear.  Only the aligned 32-bit half that holds the bit is touched (see
 * vcpu_info.c on split locks).
 */
static __always_inline bool set_selector_bit(void *vi,
					     const struct xen_2l_abi *abi,
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

/*
 * Tell the vCPU of its pending events: by its own upcall vector if it has
 * one (the APIC then kicks it), else by the VM-wide callback, for which
 * the caller kicks it.  True if the vector was injected.
 */
static __always_inline bool upcall(struct kvm_vcpu *vcpu)
{
	u8 vector = vcpu->arch.xen.upcall_vector;

	trace_xen_evtchn_upcall(vcpu->arch.xen.vcpu_id, vector ?
				XEN_UPCALL_VECTOR : XEN_UPCALL_CALLBACK);
	if (!vector)
		return false;
	xen_evtchn_count(vcpu->kvm, XEN_STAT_UPCALL_VECTOR);
	kvm_xen_accel_deliver_vector(vcpu, vector);
	return true;
}

/**
 * xen_evtchn_raise_selector() - set a selector bit of a vCPU
 * @vcpu: the target vCPU
 * @abi: the ABI the port was checked against
 * @word: the bit, a port's word in @abi (below 64)
 *
 * In the vCPU's vcpu_info if it is mapped, with evtchn_upcall_pending and
 * the vCPU's own upcall vector if it has one; else in the shadow.
 *
 * Context: any; the caller holds kvm->srcu.
 * Return: true if the vCPU must be kicked for the upcall.
 */
static __always_inline bool
xen_evtchn_raise_selector(struct kvm_vcpu *vcpu, const struct xen_2l_abi *abi,
			  unsigned int word)
{
	struct gfn_to_pfn_cache *gpc = &vcpu->arch.xen.vcpu_info_cache;
	unsigned long flags;
	bool kick;

	read_lock_irqsave(&gpc->lock, flags);
	if (!kvm_xen_accel_gpc_check(vcpu->kvm, gpc,
				     sizeof(struct vcpu_info))) {
		read_unlock_irqrestore(&gpc->lock, flags);
		kick = !test_and_set_bit(word, &vcpu->arch.xen.evtchn_pending_sel);
		if (kick) {
			xen_evtchn_count(vcpu->kvm, XEN_STAT_SHADOW);
			trace_xen_evtchn_upcall(vcpu->arch.xen.vcpu_id,
						XEN_UPCALL_SHADOW);
		}
		return kick;
	}
	kick = set_selector_bit(gpc->khva, abi, word);
	if (kick)
		WRITE_ONCE(*upcall_pending(gpc->khva), 1);
	read_unlock_irqrestore(&gpc->lock, flags);

	if (kick)
		kick = !upcall(vcpu);
	return kick;
}

#endif /* _XEN_EVTCHN_SELECTOR_H */
