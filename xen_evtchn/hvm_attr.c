// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_XEN_HVM_SET_ATTR / KVM_XEN_HVM_GET_ATTR, and the shared_info page.
 *
 * Owns the VM-wide fields of kvm->arch.xen: long_mode, xen_version,
 * upcall_vector, runstate_update_flag and shinfo_cache (whose wallclock it writes when the page
 * or the guest's mode changes).
 *
 * Locking: kvm->arch.xen.xen_lock serializes changes to those fields; the
 * shared_info pfn cache's rwlock is taken inside it, under kvm->srcu.
 * Context: process context (VM ioctls; the hypercall MSR write).
 */

#include <linux/kvm_host.h>
#include <linux/sched/stat.h>

#include <kvm/xen_accel.h>

#include "xen_evtchn.h"

/* The lowest vector an upcall may use: 0-15 are exceptions. */
#define XEN_MIN_UPCALL_VECTOR 0x10

static void compat_layout_check(void)
{
	BUILD_BUG_ON(sizeof(struct xen_compat_vcpu_info) != 64);
	BUILD_BUG_ON(offsetof(struct xen_compat_vcpu_info, evtchn_pending_sel) != 4);
	BUILD_BUG_ON(offsetof(struct xen_compat_vcpu_info, time) != 32);
	BUILD_BUG_ON(offsetof(struct xen_compat_shared_info, evtchn_pending) != 0x800);
	BUILD_BUG_ON(offsetof(struct xen_compat_shared_info, evtchn_mask) != 0x880);
	BUILD_BUG_ON(offsetof(struct xen_compat_shared_info, wc) != 0x900);
	BUILD_BUG_ON(offsetof(struct xen_compat_shared_info, arch_wc_sec_hi) != 0x924);
	BUILD_BUG_ON(sizeof(struct vcpu_info) != 64);
	BUILD_BUG_ON(offsetof(struct vcpu_info, evtchn_pending_sel) != 8);
	BUILD_BUG_ON(offsetof(struct vcpu_info, time) != 32);
	BUILD_BUG_ON(offsetof(struct shared_info, evtchn_pending) != 0x800);
	BUILD_BUG_ON(offsetof(struct shared_info, evtchn_mask) != 0xa00);
	BUILD_BUG_ON(offsetof(struct shared_info, wc) != 0xc00);
	BUILD_BUG_ON(offsetof(struct shared_info, wc_sec_hi) != 0xc0c);
}

/*
 * Write the VM's wallclock into shared_info, where the guest's mode puts
 * it, with the version protocol of pvclock_wall_clock (odd while
 * updating).  Called with xen_lock held and the cache active.
 */
static int write_wallclock(struct kvm *kvm)
{
	struct gfn_to_pfn_cache *gpc = &kvm->arch.xen.shinfo_cache;
	struct pvclock_wall_clock *wc;
	u32 *sec_hi, version;
	u64 now, ns;
	int idx, ret = 0;

	compat_layout_check();
	idx = srcu_read_lock(&kvm->srcu);
	read_lock_irq(&gpc->lock);
	while (!kvm_gpc_check(gpc, PAGE_SIZE)) {
		read_unlock_irq(&gpc->lock);
		ret = kvm_gpc_refresh(gpc, PAGE_SIZE);
		if (ret)
			goto out;
		read_lock_irq(&gpc->lock);
	}

	if (kvm->arch.xen.long_mode) {
		struct shared_info *si = gpc->khva;

		wc = &si->wc;
		sec_hi = &si->wc_sec_hi;
	} else {
		struct xen_compat_shared_info *si = gpc->khva;

		wc = &si->wc;
		sec_hi = &si->arch_wc_sec_hi;
	}

	now = kvm_get_wall_clock_epoch(kvm);
	ns = do_div(now, NSEC_PER_SEC);
	version = (wc->version + 1) | 1;
	WRITE_ONCE(wc->version, version);
	/* The odd version is visible before the time changes... */
	smp_wmb();
	wc->sec = (u32)now;
	wc->nsec = ns;
	*sec_hi = now >> 32;
	/* ...and the new time before the even version says it is done. */
	smp_wmb();
	WRITE_ONCE(wc->version, version + 1);
	read_unlock_irq(&gpc->lock);

	kvm_make_all_cpus_request(kvm, KVM_REQ_MASTERCLOCK_UPDATE);
out:
	srcu_read_unlock(&kvm->srcu, idx);
	return ret;
}

/**
 * xen_evtchn_set_long_mode() - the guest's mode, 64-bit or 32-bit
 * @kvm: the VM
 * @long_mode: true for the 64-bit ABI
 * @always: rewrite the wallclock even when the mode stays the same
 *
 * Where the wallclock lives in shared_info depends on the mode, so a new
 * mode rewrites it, which bumps its version and updates every vCPU's
 * master clock.  The VMM's LONG_MODE attribute rewrites it in any case,
 * as upstream's KVM does; the guest's hypercall MSR write only when the
 * mode changes, so that a guest that writes the MSR again sees nothing
 * move (and gets no #GP if shared_info cannot be mapped right now).
 *
 * Context: process context; takes xen_lock.
 * Return: 0, or the error of mapping shared_info.
 */
int xen_evtchn_set_long_mode(struct kvm *kvm, bool long_mode, bool always)
{
	int ret = 0;
	bool moved = false;

	mutex_lock(&kvm->arch.xen.xen_lock);
	if (always || kvm->arch.xen.long_mode != long_mode) {
		WRITE_ONCE(kvm->arch.xen.long_mode, long_mode);
		moved = kvm->arch.xen.shinfo_cache.active;
		if (moved)
			ret = write_wallclock(kvm);
	}
	mutex_unlock(&kvm->arch.xen.xen_lock);

	/* Pending ports now have their selectors where this ABI has them. */
	if (moved && !ret)
		xen_evtchn_resync(kvm);
	return ret;
}

static int set_shared_info(struct kvm *kvm, struct kvm_xen_hvm_attr *data)
{
	struct gfn_to_pfn_cache *gpc = &kvm->arch.xen.shinfo_cache;
	int idx, ret = 0;

	mutex_lock(&kvm->arch.xen.xen_lock);
	idx = srcu_read_lock(&kvm->srcu);
	if (data->type == KVM_XEN_ATTR_TYPE_SHARED_INFO) {
		if (data->u.shared_info.gfn == KVM_XEN_INVALID_GFN)
			kvm_gpc_deactivate(gpc);
		else
			ret = kvm_gpc_activate(gpc,
					       gfn_to_gpa(data->u.shared_info.gfn),
					       PAGE_SIZE);
	} else {
		u64 hva = data->u.shared_info.hva;

		if (!PAGE_ALIGNED(hva))
			ret = -EINVAL;
		else if (!hva)
			kvm_gpc_deactivate(gpc);
		else
			ret = kvm_gpc_activate_hva(gpc, hva, PAGE_SIZE);
	}
	srcu_read_unlock(&kvm->srcu, idx);

	if (!ret && gpc->active)
		ret = write_wallclock(kvm);
	mutex_unlock(&kvm->arch.xen.xen_lock);

	/* Timer events that found no shared_info can go now. */
	if (!ret && gpc->active) {
		xen_evtchn_timer_resume(kvm);
		xen_evtchn_resync(kvm);
	}
	return ret;
}

/**
 * xen_evtchn_hvm_set_attr() - KVM_XEN_HVM_SET_ATTR
 * @kvm: the VM
 * @data: the attribute, copied from userspace
 *
 * Return: 0; -ENOENT for an unknown type; -EINVAL for an upcall vector
 * below 0x10 (other than 0, none) or a shared_info HVA not page aligned;
 * the error of mapping shared_info (-EFAULT for a GFN outside the VM's
 * memory); for KVM_XEN_ATTR_TYPE_EVTCHN, see xen_evtchn_set_port().
 */
int xen_evtchn_hvm_set_attr(struct kvm *kvm, struct kvm_xen_hvm_attr *data)
{
	switch (data->type) {
	case KVM_XEN_ATTR_TYPE_LONG_MODE:
		return xen_evtchn_set_long_mode(kvm, !!data->u.long_mode,
						true);
	case KVM_XEN_ATTR_TYPE_SHARED_INFO:
	case KVM_XEN_ATTR_TYPE_SHARED_INFO_HVA:
		return set_shared_info(kvm, data);
	case KVM_XEN_ATTR_TYPE_UPCALL_VECTOR:
		if (data->u.vector && data->u.vector < XEN_MIN_UPCALL_VECTOR)
			return -EINVAL;
		mutex_lock(&kvm->arch.xen.xen_lock);
		kvm->arch.xen.upcall_vector = data->u.vector;
		mutex_unlock(&kvm->arch.xen.xen_lock);
		return 0;
	case KVM_XEN_ATTR_TYPE_XEN_VERSION:
		mutex_lock(&kvm->arch.xen.xen_lock);
		kvm->arch.xen.xen_version = data->u.xen_version;
		mutex_unlock(&kvm->arch.xen.xen_lock);
		return 0;
	case KVM_XEN_ATTR_TYPE_EVTCHN:
		return xen_evtchn_set_port(kvm, data);
	case KVM_XEN_ATTR_TYPE_RUNSTATE_UPDATE_FLAG:
		if (!sched_info_on())
			return -EOPNOTSUPP;
		mutex_lock(&kvm->arch.xen.xen_lock);
		kvm->arch.xen.runstate_update_flag = !!data->u.runstate_update_flag;
		mutex_unlock(&kvm->arch.xen.xen_lock);
		return 0;
	default:
		return -ENOENT;
	}
}

/**
 * xen_evtchn_hvm_get_attr() - KVM_XEN_HVM_GET_ATTR
 * @kvm: the VM
 * @data: the attribute; its value is filled in
 *
 * Return: 0; -ENOENT for an unknown type (and for KVM_XEN_ATTR_TYPE_EVTCHN,
 * which is set-only); -EOPNOTSUPP for the runstate update flag without
 * sched_info.
 */
int xen_evtchn_hvm_get_attr(struct kvm *kvm, struct kvm_xen_hvm_attr *data)
{
	struct gfn_to_pfn_cache *gpc = &kvm->arch.xen.shinfo_cache;
	int ret = 0;

	mutex_lock(&kvm->arch.xen.xen_lock);
	switch (data->type) {
	case KVM_XEN_ATTR_TYPE_LONG_MODE:
		data->u.long_mode = kvm->arch.xen.long_mode;
		break;
	case KVM_XEN_ATTR_TYPE_SHARED_INFO:
		data->u.shared_info.gfn = kvm_gpc_is_gpa_active(gpc) ?
					  gpa_to_gfn(gpc->gpa) :
					  KVM_XEN_INVALID_GFN;
		break;
	case KVM_XEN_ATTR_TYPE_SHARED_INFO_HVA:
		data->u.shared_info.hva = kvm_gpc_is_hva_active(gpc) ?
					  gpc->uhva : 0;
		break;
	case KVM_XEN_ATTR_TYPE_UPCALL_VECTOR:
		data->u.vector = kvm->arch.xen.upcall_vector;
		break;
	case KVM_XEN_ATTR_TYPE_XEN_VERSION:
		data->u.xen_version = kvm->arch.xen.xen_version;
		break;
	case KVM_XEN_ATTR_TYPE_RUNSTATE_UPDATE_FLAG:
		if (sched_info_on())
			data->u.runstate_update_flag =
				kvm->arch.xen.runstate_update_flag;
		else
			ret = -EOPNOTSUPP;
		break;
	default:
		ret = -ENOENT;
	}
	mutex_unlock(&kvm->arch.xen.xen_lock);
	return ret;
}
