// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_XEN_VCPU_SET_ATTR / KVM_XEN_VCPU_GET_ATTR: where a vCPU's vcpu_info
 * and vcpu_time_info are, its Xen vCPU id and its upcall vector; and the
 * Xen CPUID leaf that reports the vCPU's TSC frequency.
 *
 * Owns those fields of vcpu->arch.xen.  KVM's clock update writes the
 * pvclock data into vcpu_info and vcpu_time_info itself, through their pfn
 * caches, once they are active: a change of either requests one.
 *
 * Locking: kvm->arch.xen.xen_lock, then kvm->srcu, as everywhere; the
 * ioctls also hold vcpu->mutex.
 * Context: process context (vCPU ioctls); update_tsc_info in vCPU context.
 */

#include <linux/kvm_host.h>

#include <kvm/xen_accel.h>
#include <xen/interface/xen.h>

#include "xen_evtchn.h"

/* The lowest vector an upcall may use: 0-15 are exceptions. */
#define XEN_MIN_UPCALL_VECTOR 0x10

/* Map (or with KVM_XEN_INVALID_GPA / a zero HVA, unmap) a vcpu_info. */
static int set_vcpu_info(struct kvm_vcpu *vcpu, struct kvm_xen_vcpu_attr *data)
{
	struct gfn_to_pfn_cache *gpc = &vcpu->arch.xen.vcpu_info_cache;
	bool by_gpa = data->type == KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO;
	u64 addr = by_gpa ? data->u.gpa : data->u.hva;
	int ret;

	if (by_gpa ? addr == KVM_XEN_INVALID_GPA : !addr) {
		kvm_gpc_deactivate(gpc);
		return 0;
	}
	if (!IS_ALIGNED(addr, sizeof(u32)))
		return -ENXIO;
	if (by_gpa)
		ret = kvm_gpc_activate(gpc, addr, sizeof(struct vcpu_info));
	else
		ret = kvm_gpc_activate_hva(gpc, addr, sizeof(struct vcpu_info));
	if (!ret)
		kvm_make_request(KVM_REQ_CLOCK_UPDATE, vcpu);
	return ret;
}

static int set_vcpu_time_info(struct kvm_vcpu *vcpu, u64 gpa)
{
	struct gfn_to_pfn_cache *gpc = &vcpu->arch.xen.vcpu_time_info_cache;
	int ret;

	if (gpa == KVM_XEN_INVALID_GPA) {
		kvm_gpc_deactivate(gpc);
		return 0;
	}
	ret = kvm_gpc_activate(gpc, gpa, sizeof(struct pvclock_vcpu_time_info));
	if (!ret)
		kvm_make_request(KVM_REQ_CLOCK_UPDATE, vcpu);
	return ret;
}

/**
 * xen_evtchn_vcpu_set_attr() - KVM_XEN_VCPU_SET_ATTR
 * @vcpu: the vCPU
 * @data: the attribute, copied from userspace
 *
 * Return: 0; -ENOENT for an unknown type; -ENXIO for a vcpu_info address
 * not 4-byte aligned; -EINVAL for an area that crosses a page, a Xen vCPU
 * id of KVM_MAX_VCPUS or more, or an upcall vector below 0x10 (other than
 * 0, none); -EFAULT for an area outside the VM's memory; for the timer
 * and runstate, see xen_evtchn_set_timer_attr() and
 * xen_evtchn_set_runstate_attr().
 */
int xen_evtchn_vcpu_set_attr(struct kvm_vcpu *vcpu,
			     struct kvm_xen_vcpu_attr *data)
{
	struct kvm *kvm = vcpu->kvm;
	int idx, ret;

	mutex_lock(&kvm->arch.xen.xen_lock);
	idx = srcu_read_lock(&kvm->srcu);
	switch (data->type) {
	case KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO:
	case KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO_HVA:
		ret = set_vcpu_info(vcpu, data);
		break;
	case KVM_XEN_VCPU_ATTR_TYPE_VCPU_TIME_INFO:
		ret = set_vcpu_time_info(vcpu, data->u.gpa);
		break;
	case KVM_XEN_VCPU_ATTR_TYPE_VCPU_ID:
		ret = data->u.vcpu_id < KVM_MAX_VCPUS ? 0 : -EINVAL;
		if (!ret)
			vcpu->arch.xen.vcpu_id = data->u.vcpu_id;
		break;
	case KVM_XEN_VCPU_ATTR_TYPE_TIMER:
		ret = xen_evtchn_set_timer_attr(vcpu, data);
		break;
	case KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADDR:
	case KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_CURRENT:
	case KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_DATA:
	case KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADJUST:
		ret = xen_evtchn_set_runstate_attr(vcpu, data);
		break;
	case KVM_XEN_VCPU_ATTR_TYPE_UPCALL_VECTOR:
		ret = -EINVAL;
		if (!data->u.vector || data->u.vector >= XEN_MIN_UPCALL_VECTOR) {
			vcpu->arch.xen.upcall_vector = data->u.vector;
			ret = 0;
		}
		break;
	default:
		ret = -ENOENT;
	}
	srcu_read_unlock(&kvm->srcu, idx);
	mutex_unlock(&kvm->arch.xen.xen_lock);

	/* A new vcpu_info gets the selectors of the ports pending for it. */
	if (!ret && (data->type == KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO ||
		     data->type == KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO_HVA) &&
	    vcpu->arch.xen.vcpu_info_cache.active)
		xen_evtchn_resync(kvm);
	return ret;
}

/**
 * xen_evtchn_vcpu_get_attr() - KVM_XEN_VCPU_GET_ATTR
 * @vcpu: the vCPU
 * @data: the attribute; its value is filled in
 *
 * Return: 0, or -ENOENT for an unknown type.
 */
int xen_evtchn_vcpu_get_attr(struct kvm_vcpu *vcpu,
			     struct kvm_xen_vcpu_attr *data)
{
	struct kvm_vcpu_xen *vx = &vcpu->arch.xen;
	int ret = 0;

	/* Outside xen_lock: it may deliver a timer event that waited. */
	if (data->type == KVM_XEN_VCPU_ATTR_TYPE_TIMER) {
		xen_evtchn_get_timer_attr(vcpu, data);
		return 0;
	}

	mutex_lock(&vcpu->kvm->arch.xen.xen_lock);
	switch (data->type) {
	case KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO:
		data->u.gpa = kvm_gpc_is_gpa_active(&vx->vcpu_info_cache) ?
			      vx->vcpu_info_cache.gpa : KVM_XEN_INVALID_GPA;
		break;
	case KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO_HVA:
		data->u.hva = kvm_gpc_is_hva_active(&vx->vcpu_info_cache) ?
			      vx->vcpu_info_cache.uhva : 0;
		break;
	case KVM_XEN_VCPU_ATTR_TYPE_VCPU_TIME_INFO:
		data->u.gpa = vx->vcpu_time_info_cache.active ?
			      vx->vcpu_time_info_cache.gpa : KVM_XEN_INVALID_GPA;
		break;
	case KVM_XEN_VCPU_ATTR_TYPE_VCPU_ID:
		data->u.vcpu_id = vx->vcpu_id;
		break;
	case KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADDR:
	case KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_CURRENT:
	case KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_DATA:
	case KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADJUST:
		ret = xen_evtchn_get_runstate_attr(vcpu, data);
		break;
	case KVM_XEN_VCPU_ATTR_TYPE_UPCALL_VECTOR:
		data->u.vector = vx->upcall_vector;
		break;
	default:
		ret = -ENOENT;
	}
	mutex_unlock(&vcpu->kvm->arch.xen.xen_lock);
	return ret;
}

/**
 * xen_evtchn_update_tsc_info() - report the vCPU's TSC in Xen's CPUID
 * @vcpu: the vCPU, whose TSC frequency or scaling changed
 *
 * Xen's CPUID leaf 3 (base + 3), sub-leaves 1 and 2, tell the guest the
 * TSC-to-nanoseconds scaling and the TSC frequency in kHz, when the VMM
 * exposes that leaf.
 *
 * Context: vCPU context.
 */
void xen_evtchn_update_tsc_info(struct kvm_vcpu *vcpu)
{
	struct kvm_hypervisor_cpuid *xen = &vcpu->arch.xen.cpuid;
	struct kvm_cpuid_entry2 *e;
	u32 leaf = xen->base + 3;

	if (!xen->base || leaf > xen->limit)
		return;

	e = kvm_find_cpuid_entry_index(vcpu, leaf, 1);
	if (e) {
		e->ecx = vcpu->arch.hv_clock.tsc_to_system_mul;
		e->edx = vcpu->arch.hv_clock.tsc_shift;
	}
	e = kvm_find_cpuid_entry_index(vcpu, leaf, 2);
	if (e)
		e->eax = vcpu->arch.hw_tsc_khz;
}
