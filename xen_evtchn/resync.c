// SPDX-License-Identifier: GPL-2.0-only
/*
 * Selector resync after a restore, whatever order the VMM restores in.
 *
 * A port that is pending and unmasked in shared_info also needs its bit in
 * the target vCPU's evtchn_pending_sel, and evtchn_upcall_pending, or the
 * guest never looks at it.  Both can be lost across a save and restore:
 * the bit may have waited in the shadow selector, which is not saved, or
 * the VMM may set things up in an order where the guest memory it restored
 * is not yet where KVM looks (shared_info or vcpu_info not set yet, or the
 * guest's ABI not yet known).  So each time one of those becomes known,
 * and each time a sender is set up (routes.c, ports.c, timer.c), the
 * selector of every port that a sender in the kernel targets is set again
 * where it is pending and unmasked.  Setting it twice does no harm: at
 * worst the guest scans a word for nothing.
 *
 * Ports that only the VMM raises (KVM_XEN_HVM_EVTCHN_SEND) have no sender
 * here: their target is known only at the time of the send.  A send while
 * vcpu_info is away puts the bit in the shadow, which survives until the
 * vCPU next enters with a vcpu_info; across a save, the VMM that raised
 * them restores them.
 *
 * Owns nothing.  Context: process context (VM and vCPU ioctls), no Xen
 * lock held; may sleep.
 */

#include <linux/kvm_host.h>

#include "xen_evtchn.h"

/* Every KVM_IRQ_ROUTING_XEN_EVTCHN route of the current routing table. */
static void resync_routes(struct kvm *kvm)
{
	struct kvm_kernel_irq_routing_entry *e;
	struct kvm_irq_routing_table *table;
	u32 gsi;
	int idx;

	idx = srcu_read_lock(&kvm->irq_srcu);
	table = srcu_dereference(kvm->irq_routing, &kvm->irq_srcu);
	for (gsi = 0; table && gsi < table->nr_rt_entries; gsi++)
		hlist_for_each_entry(e, &table->map[gsi], link)
			if (e->type == KVM_IRQ_ROUTING_XEN_EVTCHN)
				xen_evtchn_sync_selector(kvm, &e->xen_evtchn);
	srcu_read_unlock(&kvm->irq_srcu, idx);
}

/**
 * xen_evtchn_resync() - set again the selector of every pending port
 * @kvm: the VM, whose shared_info, a vcpu_info or whose ABI was just set
 *
 * For each route, each port of the port table that raises a port of this
 * guest, and each vCPU's timer VIRQ: see xen_evtchn_sync_selector().
 *
 * Context: process context, no Xen lock held; may sleep.
 */
void xen_evtchn_resync(struct kvm *kvm)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	might_sleep();
	resync_routes(kvm);
	xen_evtchn_ports_sync_selectors(kvm);
	kvm_for_each_vcpu(i, vcpu, kvm)
		xen_evtchn_timer_sync_selector(vcpu);
}
