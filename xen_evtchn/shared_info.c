// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VM's shared_info page and what depends on where it is and on the
 * guest's width: KVM_XEN_ATTR_TYPE_SHARED_INFO and SHARED_INFO_HVA,
 * LONG_MODE, and the wallclock, which each width keeps at its own offset
 * of shared_info.
 *
 * Owns kvm->arch.xen.shinfo_cache and kvm->arch.xen.long_mode.  A new
 * page, or a new width, rewrites the wallclock (its version bumped, as the
 * pvclock_wall_clock protocol wants: odd while it changes) and asks every
 * vCPU for a master clock update; then timer events that waited for
 * shared_info are retried (timer.c) and pending ports get their selectors
 * (resync.c).
 *
 * Locking: xen_lock serializes changes; the cache's rwlock, read side,
 * inside kvm->srcu.
 * Context: process context: the VM ioctls, and the guest's write of the
 * hypercall MSR (vCPU context).
 */

#include <linux/kvm_host.h>
#include <linux/math64.h>

#include <kvm/xen_accel.h>

#include "xen_evtchn.h"

/* Where the mapped shared_info @si keeps the wallclock, for @long_mode. */
static void wallclock_fields(void *si, bool long_mode,
			     struct pvclock_wall_clock **wc, u32 **sec_hi)
{
	struct xen_compat_shared_info *si32 = si;
	struct shared_info *si64 = si;

	*wc = long_mode ? &si64->wc : &si32->wc;
	*sec_hi = long_mode ? &si64->wc_sec_hi : &si32->arch_wc_sec_hi;
}

/* Publish @epoch_ns, nanoseconds since 1970, with the version protocol. */
static void publish_wallclock(struct pvclock_wall_clock *wc, u32 *sec_hi,
			      u64 epoch_ns)
{
	u32 version = (READ_ONCE(wc->version) + 1) | 1;
	u32 nsec;
	u64 sec = div_u64_rem(epoch_ns, NSEC_PER_SEC, &nsec);

	WRITE_ONCE(wc->version, version);
	smp_wmb();	/* odd before the fields change */
	wc->sec = lower_32_bits(sec);
	wc->nsec = nsec;
	*sec_hi = upper_32_bits(sec);
	smp_wmb();	/* the fields before it is even again */
	WRITE_ONCE(wc->version, version + 1);
}

/* Rewrite the wallclock where the guest's width puts it. */
static int write_wallclock(struct kvm *kvm)
{
	struct gfn_to_pfn_cache *gpc = &kvm->arch.xen.shinfo_cache;
	struct pvclock_wall_clock *wc;
	u32 *sec_hi;
	int idx, ret = 0;

	lockdep_assert_held(kvm_xen_accel_lock(kvm));
	idx = srcu_read_lock(&kvm->srcu);
	for (;;) {
		read_lock_irq(&gpc->lock);
		if (kvm_xen_accel_gpc_check(kvm, gpc, PAGE_SIZE))
			break;
		read_unlock_irq(&gpc->lock);
		ret = kvm_xen_accel_gpc_refresh(kvm, gpc, PAGE_SIZE);
		if (ret)
			goto out;
	}
	wallclock_fields(gpc->khva, kvm->arch.xen.long_mode, &wc, &sec_hi);
	publish_wallclock(wc, sec_hi, kvm_get_wall_clock_epoch(kvm));
	read_unlock_irq(&gpc->lock);
	kvm_make_all_cpus_request(kvm, KVM_REQ_MASTERCLOCK_UPDATE);
out:
	srcu_read_unlock(&kvm->srcu, idx);
	return ret;
}

/* shared_info was set up, or moved, or the width changed. */
static void shared_info_changed(struct kvm *kvm)
{
	xen_evtchn_timer_resume(kvm);
	xen_evtchn_resync(kvm);
}

/**
 * xen_evtchn_set_long_mode() - the guest's width, 64-bit or 32-bit
 * @kvm: the VM
 * @long_mode: true for the 64-bit ABI
 * @always: rewrite the wallclock even when the width stays the same
 *
 * The VMM's LONG_MODE attribute rewrites the wallclock in any case, as
 * upstream's KVM does; the guest's hypercall MSR write only when the width
 * changes, so that a guest that writes the MSR again sees nothing move
 * (and gets no #GP if shared_info cannot be mapped right now).
 *
 * Context: process context; takes xen_lock.
 * Return: 0, or the error of mapping shared_info.
 */
int xen_evtchn_set_long_mode(struct kvm *kvm, bool long_mode, bool always)
{
	bool rewrite;
	int ret = 0;

	might_sleep();
	mutex_lock(kvm_xen_accel_lock(kvm));
	rewrite = always || kvm->arch.xen.long_mode != long_mode;
	WRITE_ONCE(kvm->arch.xen.long_mode, long_mode);
	rewrite = rewrite && kvm->arch.xen.shinfo_cache.active;
	if (rewrite)
		ret = write_wallclock(kvm);
	mutex_unlock(kvm_xen_accel_lock(kvm));

	if (rewrite && !ret)
		shared_info_changed(kvm);
	return ret;
}

/**
 * xen_evtchn_set_shared_info() - SHARED_INFO and SHARED_INFO_HVA
 * @kvm: the VM
 * @data: the attribute: a GFN (KVM_XEN_INVALID_GFN: none) or a page
 *	aligned HVA (0: none)
 *
 * Context: process context; takes xen_lock.
 * Return: 0; -EINVAL for an HVA not page aligned; the error of mapping
 * the page (-EFAULT for a GFN outside the VM's memory).
 */
int xen_evtchn_set_shared_info(struct kvm *kvm,
			       const struct kvm_xen_hvm_attr *data)
{
	struct gfn_to_pfn_cache *gpc = &kvm->arch.xen.shinfo_cache;
	bool by_hva = data->type == KVM_XEN_ATTR_TYPE_SHARED_INFO_HVA;
	u64 hva = xen_accel_hvm_attr_hva(data), gfn = data->u.shared_info.gfn;
	int idx, ret = 0;

	might_sleep();
	if (by_hva && !PAGE_ALIGNED(hva))
		return -EINVAL;

	mutex_lock(kvm_xen_accel_lock(kvm));
	idx = srcu_read_lock(&kvm->srcu);
	if (by_hva ? !hva : gfn == KVM_XEN_INVALID_GFN)
		kvm_xen_accel_gpc_deactivate(kvm, gpc);
	else if (by_hva)
		ret = kvm_xen_accel_gpc_activate_hva(kvm, gpc, hva, PAGE_SIZE);
	else
		ret = kvm_xen_accel_gpc_activate(kvm, gpc, gfn_to_gpa(gfn),
						 PAGE_SIZE);
	srcu_read_unlock(&kvm->srcu, idx);
	if (!ret && gpc->active)
		ret = write_wallclock(kvm);
	mutex_unlock(kvm_xen_accel_lock(kvm));

	if (!ret && gpc->active)
		shared_info_changed(kvm);
	return ret;
}

/**
 * xen_evtchn_get_shared_info() - read SHARED_INFO or SHARED_INFO_HVA
 * @kvm: the VM
 * @data: the attribute; the GFN (KVM_XEN_INVALID_GFN) or HVA (0) is
 *	filled in, "none" when set the other way or not at all
 *
 * Context: process context, xen_lock held.
 */
void xen_evtchn_get_shared_info(struct kvm *kvm, struct kvm_xen_hvm_attr *data)
{
	struct gfn_to_pfn_cache *gpc = &kvm->arch.xen.shinfo_cache;

	lockdep_assert_held(kvm_xen_accel_lock(kvm));
	if (data->type == KVM_XEN_ATTR_TYPE_SHARED_INFO_HVA)
		xen_accel_hvm_attr_hva(data) =
			kvm_xen_accel_gpc_hva_active(gpc) ? gpc->uhva : 0;
	else
		data->u.shared_info.gfn = kvm_xen_accel_gpc_gpa_active(gpc) ?
					  gpa_to_gfn(gpc->gpa) :
					  KVM_XEN_INVALID_GFN;
}
