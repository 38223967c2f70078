// SPDX-License-Identifier: GPL-2.0-only
/*
 * A vCPU's vcpu_info and how it moves: KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO
 * (by GPA or HVA) and VCPU_TIME_INFO, the selector bit that delivery sets
 * in vcpu_info, the shadow selector that holds those bits while vcpu_info
 * cannot be written, the upcall, and the Xen CPUID leaf that tells the
 * guest its TSC scaling.
 *
 * A VMM moves a vcpu_info by deactivating it, copying it and activating it
 * at the new place.  Meanwhile delivery sets selector bits in the shadow,
 * vcpu->arch.xen.evtchn_pending_sel, and kicks the vCPU; on its way into
 * the guest, KVM sees the shadow non-zero and calls
 * xen_evtchn_inject_pending_events(), which moves the bits into vcpu_info
 * once it can be mapped.  Nothing raised while it moves is lost.
 *
 * A vcpu_info need only be 4-byte aligned, so the 64-bit selector may
 * straddle a cache line (vcpu_info at +52 of a line: bytes 60-67).  A
 * locked 64-bit operation there would be a split lock, which raises #AC
 * in the kernel on hosts with split-lock detection: a selector bit is set
 * with a 32-bit compare-and-exchange on the naturally aligned half that
 * holds it, in either ABI.
 *
 * Owns vcpu_info_cache, vcpu_time_info_cache and the shadow selector of
 * vcpu->arch.xen; the shadow is set in any context, cleared only by its
 * vCPU.  KVM's clock update writes the pvclock data into vcpu_info and
 * vcpu_time_info itself, through their caches, once they are active.
 *
 * Locking: the caches' rwlocks, read side, inside kvm->srcu; the
 * attributes also hold xen_lock and vcpu->mutex.
 *
 * Setting a selector bit from a delivery (xen_evtchn_raise_selector()) is
 * inlined into the delivery paths, from selector.h.
 *
 * Context: the attributes in process context; the rest in vCPU context.
 */

#include <linux/kvm_host.h>

#include <kvm/xen_accel.h>

#include "xen_evtchn.h"
#include "selector.h"

#include <trace/events/xen_evtchn.h>

/**
 * xen_evtchn_inject_pending_events() - move the shadow selector to vcpu_info
 * @vcpu: the vCPU, on its way into the guest
 *
 * Bits raised in the shadow meanwhile stay there for the next time; words
 * the guest's ABI lacks (raised before a switch to 32-bit) are dropped.
 *
 * Context: vCPU context, kvm->srcu held; may sleep to map vcpu_info.
 */
void xen_evtchn_inject_pending_events(struct kvm_vcpu *vcpu)
{
	const struct xen_2l_abi *abi = xen_evtchn_abi(vcpu->kvm);
	struct gfn_to_pfn_cache *gpc = &vcpu->arch.xen.vcpu_info_cache;
	unsigned long *shadow = &vcpu->arch.xen.evtchn_pending_sel;
	unsigned long bits = READ_ONCE(*shadow), flags;
	unsigned int word;

	might_sleep();
	if (!bits)
		return;

	read_lock_irqsave(&gpc->lock, flags);
	while (!kvm_xen_accel_gpc_check(vcpu->kvm, gpc,
					sizeof(struct vcpu_info))) {
		read_unlock_irqrestore(&gpc->lock, flags);
		/* Not mapped (or deactivated): the bits wait in the shadow. */
		if (xen_evtchn_gpc_refresh(vcpu->kvm, gpc,
					   sizeof(struct vcpu_info)))
			return;
		read_lock_irqsave(&gpc->lock, flags);
	}

	for_each_set_bit(word, &bits, BITS_PER_LONG) {
		if (word < abi->ports / abi->word_bits)
			set_selector_bit(gpc->khva, abi, word);
		clear_bit(word, shadow);
	}
	WRITE_ONCE(*upcall_pending(gpc->khva), 1);
	kvm_xen_accel_gpc_mark_dirty(vcpu->kvm, gpc);
	read_unlock_irqrestore(&gpc->lock, flags);

	/* On its way into the guest: the callback needs no kick. */
	upcall(vcpu);
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
	while (!kvm_xen_accel_gpc_check(vcpu->kvm, gpc,
					sizeof(struct vcpu_info))) {
		read_unlock_irqrestore(&gpc->lock, flags);
		if (!preemptible() || !task_is_running(current)) {
			ret = 1;
			goto out;
		}
		if (xen_evtchn_gpc_refresh(vcpu->kvm, gpc,
					   sizeof(struct vcpu_info))) {
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

/**
 * xen_evtchn_set_vcpu_info() - VCPU_INFO, VCPU_INFO_HVA and VCPU_TIME_INFO
 * @vcpu: the vCPU
 * @data: the attribute; KVM_XEN_INVALID_GPA (or HVA 0) deactivates
 *
 * A new vcpu_info or vcpu_time_info gets the VM's clock at the next entry.
 *
 * Context: process context, vcpu->mutex and xen_lock held, in kvm->srcu.
 * Return: 0; -ENXIO for a vcpu_info not 4-byte aligned; -EINVAL for an
 * area that crosses a page; -EFAULT for one outside the VM's memory.
 */
int xen_evtchn_set_vcpu_info(struct kvm_vcpu *vcpu,
			     const struct kvm_xen_vcpu_attr *data)
{
	bool time_info = data->type == KVM_XEN_VCPU_ATTR_TYPE_VCPU_TIME_INFO;
	bool by_hva = data->type == KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO_HVA;
	struct gfn_to_pfn_cache *gpc = time_info ?
		&vcpu->arch.xen.vcpu_time_info_cache :
		&vcpu->arch.xen.vcpu_info_cache;
	unsigned long len = time_info ? sizeof(struct pvclock_vcpu_time_info) :
					sizeof(struct vcpu_info);
	u64 addr = by_hva ? xen_accel_vcpu_attr_hva(data) : data->u.gpa;
	int ret;

	lockdep_assert_held(kvm_xen_accel_lock(vcpu->kvm));
	if (by_hva ? !addr : addr == KVM_XEN_INVALID_GPA) {
		kvm_xen_accel_gpc_deactivate(vcpu->kvm, gpc);
		return 0;
	}
	if (!time_info && !IS_ALIGNED(addr, sizeof(u32)))
		return -ENXIO;
	ret = by_hva ?
	      kvm_xen_accel_gpc_activate_hva(vcpu->kvm, gpc, addr, len) :
	      kvm_xen_accel_gpc_activate(vcpu->kvm, gpc, addr, len);
	if (!ret)
		kvm_make_request(KVM_REQ_CLOCK_UPDATE, vcpu);
	return ret;
}

/**
 * xen_evtchn_get_vcpu_info() - read VCPU_INFO, VCPU_INFO_HVA or TIME_INFO
 * @vcpu: the vCPU
 * @data: the attribute; its address is filled in (KVM_XEN_INVALID_GPA or
 *	HVA 0 when not set, or set the other way)
 *
 * Context: process context, vcpu->mutex and xen_lock held.
 */
void xen_evtchn_get_vcpu_info(struct kvm_vcpu *vcpu,
			      struct kvm_xen_vcpu_attr *data)
{
	struct kvm_vcpu_xen *vx = &vcpu->arch.xen;

	lockdep_assert_held(kvm_xen_accel_lock(vcpu->kvm));
	switch (data->type) {
	case KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO:
		data->u.gpa = kvm_xen_accel_gpc_gpa_active(&vx->vcpu_info_cache) ?
			      vx->vcpu_info_cache.gpa : KVM_XEN_INVALID_GPA;
		break;
	case KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO_HVA:
		xen_accel_vcpu_attr_hva(data) =
			kvm_xen_accel_gpc_hva_active(&vx->vcpu_info_cache) ?
			vx->vcpu_info_cache.uhva : 0;
		break;
	default:
		data->u.gpa = vx->vcpu_time_info_cache.active ?
			      vx->vcpu_time_info_cache.gpa : KVM_XEN_INVALID_GPA;
	}
}
