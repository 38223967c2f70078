// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_XEN_HVM_SET_ATTR / GET_ATTR and KVM_XEN_VCPU_SET_ATTR / GET_ATTR:
 * thin dispatchers to the files that own each attribute, and the small
 * values that have no file of their own (the VM's and the vCPU's upcall
 * vectors, the Xen version, the runstate update flag, the Xen vCPU id).
 *
 * Locking: xen_lock around each attribute, but for shared_info and long
 * mode (which take it themselves), the port table (its own mutex) and the
 * timer (the vCPU's own, under vcpu->mutex).
 * Context: process context; the vCPU attributes hold vcpu->mutex.
 */

#include <linux/kvm_host.h>
#include <linux/sched/stat.h>

#include "xen_evtchn.h"

static bool vector_ok(u8 vector)
{
	return !vector || vector >= XEN_MIN_UPCALL_VECTOR;
}

/* Attribute types this kernel has: no HVAs where pfn caches lack them. */
static bool known_hvm_attr(u16 type)
{
	return KVM_XEN_ACCEL_HAVE_HVA || type != KVM_XEN_ATTR_TYPE_SHARED_INFO_HVA;
}

/* The VM's small values, under xen_lock. */
static int set_vm_value(struct kvm *kvm, const struct kvm_xen_hvm_attr *data)
{
	struct kvm_xen *xen = &kvm->arch.xen;
	bool on;

	lockdep_assert_held(kvm_xen_accel_lock(kvm));
	switch (data->type) {
	case KVM_XEN_ATTR_TYPE_UPCALL_VECTOR:
		if (!vector_ok(data->u.vector))
			return -EINVAL;
		xen->upcall_vector = data->u.vector;
		return 0;
	case KVM_XEN_ATTR_TYPE_XEN_VERSION:
		xen->xen_version = data->u.xen_version;
		return 0;
	case KVM_XEN_ATTR_TYPE_RUNSTATE_UPDATE_FLAG:
		if (!sched_info_on())
			return -EOPNOTSUPP;
		on = !!xen_accel_hvm_attr_runstate_flag(data);
		kvm_xen_accel_set_runstate_flag(kvm, on);
		return 0;
	default:
		return -ENOENT;
	}
}

/**
 * xen_evtchn_hvm_set_attr() - KVM_XEN_HVM_SET_ATTR
 * @kvm: the VM
 * @data: the attribute, copied from userspace
 *
 * Context: process context; may sleep.
 * Return: 0; -ENOENT for an unknown type (SHARED_INFO_HVA is unknown
 * where pfn caches map no HVA: 6.1); -EINVAL for an upcall vector
 * below 0x10 (other than 0, none); -EOPNOTSUPP for the runstate update
 * flag without sched_info; for the others, see
 * xen_evtchn_set_long_mode(), xen_evtchn_set_shared_info() and
 * xen_evtchn_set_port().
 */
int xen_evtchn_hvm_set_attr(struct kvm *kvm, struct kvm_xen_hvm_attr *data)
{
	int ret;

	might_sleep();
	if (!known_hvm_attr(data->type))
		return -ENOENT;
	switch (data->type) {
	case KVM_XEN_ATTR_TYPE_LONG_MODE:
		return xen_evtchn_set_long_mode(kvm, !!data->u.long_mode, true);
	case KVM_XEN_ATTR_TYPE_SHARED_INFO:
	case KVM_XEN_ATTR_TYPE_SHARED_INFO_HVA:
		return xen_evtchn_set_shared_info(kvm, data);
	case KVM_XEN_ATTR_TYPE_EVTCHN:
		return xen_evtchn_set_port(kvm, data);
	default:
		mutex_lock(kvm_xen_accel_lock(kvm));
		ret = set_vm_value(kvm, data);
		mutex_unlock(kvm_xen_accel_lock(kvm));
		return ret;
	}
}

/**
 * xen_evtchn_hvm_get_attr() - KVM_XEN_HVM_GET_ATTR
 * @kvm: the VM
 * @data: the attribute; its value is filled in
 *
 * Context: process context; may sleep.
 * Return: 0; -ENOENT for an unknown type, as for the set (and for
 * KVM_XEN_ATTR_TYPE_EVTCHN, which is set-only); -EOPNOTSUPP for the
 * runstate update flag without sched_info.
 */
int xen_evtchn_hvm_get_attr(struct kvm *kvm, struct kvm_xen_hvm_attr *data)
{
	struct kvm_xen *xen = &kvm->arch.xen;
	int ret = 0;

	might_sleep();
	if (!known_hvm_attr(data->type))
		return -ENOENT;
	mutex_lock(kvm_xen_accel_lock(kvm));
	switch (data->type) {
	case KVM_XEN_ATTR_TYPE_LONG_MODE:
		data->u.long_mode = xen->long_mode;
		break;
	case KVM_XEN_ATTR_TYPE_SHARED_INFO:
	case KVM_XEN_ATTR_TYPE_SHARED_INFO_HVA:
		xen_evtchn_get_shared_info(kvm, data);
		break;
	case KVM_XEN_ATTR_TYPE_UPCALL_VECTOR:
		data->u.vector = xen->upcall_vector;
		break;
	case KVM_XEN_ATTR_TYPE_XEN_VERSION:
		data->u.xen_version = xen->xen_version;
		break;
	case KVM_XEN_ATTR_TYPE_RUNSTATE_UPDATE_FLAG:
		if (sched_info_on())
			xen_accel_hvm_attr_runstate_flag(data) =
				kvm_xen_accel_runstate_flag(kvm);
		else
			ret = -EOPNOTSUPP;
		break;
	default:
		ret = -ENOENT;
	}
	mutex_unlock(kvm_xen_accel_lock(kvm));
	return ret;
}

static bool is_vcpu_info(u16 type)
{
	return type == KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO ||
	       (KVM_XEN_ACCEL_HAVE_HVA &&
		type == KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO_HVA);
}

static bool is_runstate(u16 type)
{
	return type == KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADDR ||
	       type == KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_CURRENT ||
	       type == KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_DATA ||
	       type == KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADJUST;
}

/* The vCPU's attributes that xen_lock covers. */
static int set_vcpu_locked(struct kvm_vcpu *vcpu,
			   const struct kvm_xen_vcpu_attr *data)
{
	if (is_vcpu_info(data->type) ||
	    data->type == KVM_XEN_VCPU_ATTR_TYPE_VCPU_TIME_INFO)
		return xen_evtchn_set_vcpu_info(vcpu, data);
	if (is_runstate(data->type))
		return xen_evtchn_set_runstate_attr(vcpu, data);

	switch (data->type) {
	case KVM_XEN_VCPU_ATTR_TYPE_VCPU_ID:
		if (data->u.vcpu_id >= KVM_MAX_VCPUS)
			return -EINVAL;
		vcpu->arch.xen.vcpu_id = data->u.vcpu_id;
		return 0;
	case KVM_XEN_VCPU_ATTR_TYPE_UPCALL_VECTOR:
		if (!vector_ok(data->u.vector))
			return -EINVAL;
		vcpu->arch.xen.upcall_vector = data->u.vector;
		return 0;
	default:
		return -ENOENT;
	}
}

/**
 * xen_evtchn_vcpu_set_attr() - KVM_XEN_VCPU_SET_ATTR
 * @vcpu: the vCPU
 * @data: the attribute, copied from userspace
 *
 * Context: process context, vcpu->mutex held; may sleep.
 * Return: 0; -ENOENT for an unknown type (VCPU_INFO_HVA is unknown where
 * pfn caches map no HVA: 6.1); -EINVAL for a Xen vCPU id of
 * KVM_MAX_VCPUS or more, or an upcall vector below 0x10 (other than 0,
 * none); for the others, see xen_evtchn_set_vcpu_info(),
 * xen_evtchn_set_timer_attr() and xen_evtchn_set_runstate_attr().
 */
int xen_evtchn_vcpu_set_attr(struct kvm_vcpu *vcpu,
			     struct kvm_xen_vcpu_attr *data)
{
	struct kvm *kvm = vcpu->kvm;
	int idx, ret;

	might_sleep();
	lockdep_assert_held(&vcpu->mutex);
	if (data->type == KVM_XEN_VCPU_ATTR_TYPE_TIMER)
		return xen_evtchn_set_timer_attr(vcpu, data);

	mutex_lock(kvm_xen_accel_lock(kvm));
	idx = srcu_read_lock(&kvm->srcu);
	ret = set_vcpu_locked(vcpu, data);
	srcu_read_unlock(&kvm->srcu, idx);
	mutex_unlock(kvm_xen_accel_lock(kvm));
	return ret;
}

/**
 * xen_evtchn_vcpu_get_attr() - KVM_XEN_VCPU_GET_ATTR
 * @vcpu: the vCPU
 * @data: the attribute; its value is filled in
 *
 * Context: process context, vcpu->mutex held; may sleep.
 * Return: 0; -ENOENT for an unknown type, as for the set; for the
 * runstate, see xen_evtchn_get_runstate_attr().
 */
int xen_evtchn_vcpu_get_attr(struct kvm_vcpu *vcpu,
			     struct kvm_xen_vcpu_attr *data)
{
	struct kvm_vcpu_xen *vx = &vcpu->arch.xen;
	int ret = 0;

	might_sleep();
	lockdep_assert_held(&vcpu->mutex);
	/* Outside xen_lock: it may raise a timer event that waited. */
	if (data->type == KVM_XEN_VCPU_ATTR_TYPE_TIMER) {
		xen_evtchn_get_timer_attr(vcpu, data);
		return 0;
	}

	mutex_lock(kvm_xen_accel_lock(vcpu->kvm));
	if (is_vcpu_info(data->type) ||
	    data->type == KVM_XEN_VCPU_ATTR_TYPE_VCPU_TIME_INFO)
		xen_evtchn_get_vcpu_info(vcpu, data);
	else if (is_runstate(data->type))
		ret = xen_evtchn_get_runstate_attr(vcpu, data);
	else if (data->type == KVM_XEN_VCPU_ATTR_TYPE_VCPU_ID)
		data->u.vcpu_id = vx->vcpu_id;
	else if (data->type == KVM_XEN_VCPU_ATTR_TYPE_UPCALL_VECTOR)
		data->u.vector = vx->upcall_vector;
	else
		ret = -ENOENT;
	mutex_unlock(kvm_xen_accel_lock(vcpu->kvm));
	return ret;
}
