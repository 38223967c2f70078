// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "pending at setup" resync: a port that is pending and unmasked when
 * its sender is set up gets its selector bit (and the upcall) again,
 * whatever order a restoring VMM sets things up in.
 *
 * A port pending and unmasked in shared_info also needs its bit in the
 * target vCPU's evtchn_pending_sel, or the guest never looks at it.  That
 * bit can be lost across a save and restore: it may have waited in the
 * shadow selector, which is not saved.  So when a route, a port-table
 * entry or the timer VIRQ is set up, its port's selector is set again if
 * the port is pending and unmasked (xen_evtchn_sync_at_setup()).  When
 * that cannot be known yet (no shared_info, or no such vCPU, or the port
 * past the current ABI's limit: the VMM restores those later), the check
 * is *owed*: recorded, and made when shared_info is next set up
 * (xen_evtchn_resync()), until it can be made.  Only owed checks are made
 * then: a port the guest was already told about, that it has not yet
 * cleared, is not raised again each time shared_info moves.
 *
 * Ports that only the VMM raises (KVM_XEN_HVM_EVTCHN_SEND) have no sender
 * here: raised while vcpu_info is away, the bit waits in the shadow until
 * the vCPU enters with a vcpu_info again; across a save, the VMM that
 * raised them restores them.  An owed check whose sender is gone by then
 * still sets the selector of a port that is pending and unmasked, which
 * costs the guest a look at that word.
 *
 * Owns struct xen_evtchn_vm's resync_owed: an xarray whose indices are
 * the owed (vCPU, port) pairs, the vCPU's APIC ID in the high 32 bits.
 * Context: process context (VM and vCPU ioctls), no Xen lock held.
 */

#include <linux/kvm_host.h>

#include <kvm/xen_accel.h>

#include "xen_evtchn.h"

static unsigned long owed_index(const struct kvm_xen_evtchn *xe)
{
	return (unsigned long)xe->vcpu_id << 32 | xe->port;
}

/**
 * xen_evtchn_sync_at_setup() - a sender of @xe's port was just set up
 * @kvm: the VM
 * @xe: the port and its target vCPU
 *
 * Sets the port's selector bit again if it is pending and unmasked; or, if
 * that cannot be known yet, owes the check to the next setup of
 * shared_info.
 *
 * Context: process context, no Xen lock held; may sleep.
 */
void xen_evtchn_sync_at_setup(struct kvm *kvm, struct kvm_xen_evtchn *xe)
{
	struct xen_evtchn_vm *xvm = kvm_xen_accel_bound_data(kvm);

	might_sleep();
	if (xen_evtchn_sync_selector(kvm, xe) != -ENODATA)
		return;
	if (xa_is_err(xa_store(&xvm->resync_owed, owed_index(xe),
			       xa_mk_value(0), GFP_KERNEL_ACCOUNT)))
		return;
	/* shared_info may have come meanwhile, its owed checks made. */
	if (READ_ONCE(kvm->arch.xen.shinfo_cache.active))
		xen_evtchn_resync(kvm);
}

/**
 * xen_evtchn_resync() - make the owed "pending at setup" checks
 * @kvm: the VM, whose shared_info (or ABI) was just set
 *
 * Each check that can be made now is made and forgotten; the others stay
 * owed.
 *
 * Context: process context, no Xen lock held; may sleep.
 */
void xen_evtchn_resync(struct kvm *kvm)
{
	struct xen_evtchn_vm *xvm = kvm_xen_accel_bound_data(kvm);
	unsigned long index;
	void *entry;

	might_sleep();
	xa_for_each(&xvm->resync_owed, index, entry) {
		struct kvm_xen_evtchn xe = {
			.port = lower_32_bits(index),
			.vcpu_id = upper_32_bits(index),
			.vcpu_idx = -1,
			.priority = KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL,
		};

		if (xen_evtchn_sync_selector(kvm, &xe) != -ENODATA)
			xa_erase(&xvm->resync_owed, index);
	}
}
