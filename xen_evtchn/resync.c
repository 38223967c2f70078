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
 * The table of owed checks has one entry per port at most: a port is
 * bound to one vCPU, so a later sender's setup for the same port replaces
 * the earlier one's check (the last target set up wins).  A port that no
 * ABI has (4096 or more) is never owed.  So the table never holds more
 * than 4096 entries, however often the VMM rewrites its routes, and a
 * check that still cannot be made is retried alone, not with the table.
 *
 * Owns struct xen_evtchn_vm's resync_owed: an xarray indexed by port,
 * whose entries are the target vCPU's APIC ID (xa_mk_value()).  Writers
 * race only with each other (setups on the VM's and vCPUs' ioctls): an
 * entry is erased only if it still holds the check that was made.
 * Context: process context (VM and vCPU ioctls), no Xen lock held.
 */

#include <linux/kvm_host.h>

#include <kvm/xen_accel.h>

#include "xen_evtchn.h"

/* Ports of the widest 2-level ABI: no port past it is ever valid. */
#define XEN_2L_ALL_PORTS	(64 * 64)

/* Forget the check owed for @xe's port if it is still @xe's. */
static void owed_done(struct xen_evtchn_vm *xvm, const struct kvm_xen_evtchn *xe)
{
	xa_cmpxchg(&xvm->resync_owed, xe->port, xa_mk_value(xe->vcpu_id), NULL,
		   GFP_KERNEL_ACCOUNT);
}

/**
 * xen_evtchn_sync_at_setup() - a sender of @xe's port was just set up
 * @kvm: the VM
 * @xe: the port and its target vCPU
 *
 * Sets the port's selector bit again if it is pending and unmasked; or, if
 * that cannot be known yet, owes the check to the next setup of
 * shared_info (replacing a check owed for the same port).
 *
 * Context: process context, no Xen lock held; may sleep.
 */
void xen_evtchn_sync_at_setup(struct kvm *kvm, struct kvm_xen_evtchn *xe)
{
	struct xen_evtchn_vm *xvm = kvm_xen_accel_bound_data(kvm);

	might_sleep();
	if (xen_evtchn_sync_selector(kvm, xe) != -ENODATA)
		return;
	if (xe->port >= XEN_2L_ALL_PORTS)
		return;
	if (xa_is_err(xa_store(&xvm->resync_owed, xe->port,
			       xa_mk_value(xe->vcpu_id), GFP_KERNEL_ACCOUNT)))
		return;
	/*
	 * shared_info may have been set up meanwhile, its owed checks made
	 * before this one was recorded: make this one again.
	 */
	if (READ_ONCE(kvm->arch.xen.shinfo_cache.active) &&
	    xen_evtchn_sync_selector(kvm, xe) != -ENODATA)
		owed_done(xvm, xe);
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
	unsigned long port;
	void *entry;

	might_sleep();
	xa_for_each(&xvm->resync_owed, port, entry) {
		struct kvm_xen_evtchn xe = {
			.port = port,
			.vcpu_id = xa_to_value(entry),
			.vcpu_idx = -1,
			.priority = KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL,
		};

		if (xen_evtchn_sync_selector(kvm, &xe) != -ENODATA)
			owed_done(xvm, &xe);
	}
}
