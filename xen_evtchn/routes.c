// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_IRQ_ROUTING_XEN_EVTCHN routing entries: an irqfd, or any injection
 * through KVM's routing table, raises an event channel port.
 *
 * Owns nothing beyond the routing entries' Xen fields, which KVM's routing
 * table holds.  An irqfd wakeup raises the event in atomic context through
 * kvm_arch_set_irq_inatomic() and the hook (xen_evtchn_set_fast()); when
 * that cannot map shared_info, KVM retries from its irqfd workqueue through
 * the entry's set() callback here, in process context.
 *
 * Context: setup in process context, with no KVM lock held (KVM fills a
 * new routing table before it takes kvm->irq_lock to publish it);
 * route_set() in process context or a kernel thread.
 */

#include <linux/kvm_host.h>

#include "xen_evtchn.h"

static int route_set(struct kvm_kernel_irq_routing_entry *e, struct kvm *kvm,
		     int irq_source_id, int level, bool line_status)
{
	/* Events are edges: only the raising of the line counts. */
	if (!level)
		return -EINVAL;
	return xen_evtchn_set(&e->xen_evtchn, kvm);
}

/**
 * xen_evtchn_setup_route() - a KVM_IRQ_ROUTING_XEN_EVTCHN entry is being set
 * @kvm: the VM
 * @e: KVM's entry, to fill in
 * @ue: the entry from userspace
 *
 * The port is not checked against the ABI's limit, nor the vCPU for
 * existence: a VMM restoring a VM may set routes before the guest's mode or
 * its vCPUs; events to an invalid target are not delivered until it is
 * valid.  The target vCPU's index is resolved here, once, if the vCPU
 * exists.  If the port is already pending and unmasked, its selector bit
 * is set again (see resync.c).
 *
 * Context: process context, no KVM lock held; may sleep.
 * Return: 0, or -EINVAL for a priority other than 2-level.
 */
int xen_evtchn_setup_route(struct kvm *kvm,
			   struct kvm_kernel_irq_routing_entry *e,
			   const struct kvm_irq_routing_entry *ue)
{
	might_sleep();
	if (ue->u.xen_evtchn.priority != KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL)
		return -EINVAL;

	e->xen_evtchn.port = ue->u.xen_evtchn.port;
	e->xen_evtchn.vcpu_id = ue->u.xen_evtchn.vcpu;
	e->xen_evtchn.vcpu_idx = xen_evtchn_vcpu_idx(kvm, e->xen_evtchn.vcpu_id);
	e->xen_evtchn.priority = ue->u.xen_evtchn.priority;
	e->set = route_set;

	xen_evtchn_sync_at_setup(kvm, &e->xen_evtchn);
	return 0;
}
