// SPDX-License-Identifier: GPL-2.0-only
/*
 * Inbound events from the VMM and from other sources: KVM_IRQ_ROUTING_XEN_EVTCHN
 * routing entries (so that an irqfd or KVM_SIGNAL_MSI-style injection
 * raises an event channel) and KVM_XEN_HVM_EVTCHN_SEND.
 *
 * Owns nothing beyond the routing entries' Xen fields, which KVM's routing
 * table holds.  An irqfd wakeup raises the event in atomic context through
 * kvm_arch_set_irq_inatomic() and the hook (xen_evtchn_set_fast()); when
 * that cannot map shared_info, KVM retries from its irqfd workqueue through
 * the entry's set() callback here, in process context.
 *
 * Context: setup in process context, with no KVM lock held (KVM fills a
 * new routing table before it takes kvm->irq_lock to publish it);
 * route_set() in process context or a kernel thread; the ioctl in process
 * context.
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

	xen_evtchn_sync_selector(kvm, &e->xen_evtchn);
	return 0;
}

/**
 * xen_evtchn_send_ioctl() - KVM_XEN_HVM_EVTCHN_SEND
 * @kvm: the VM
 * @evt: the port, the target vCPU (its APIC ID) and the priority
 *
 * Context: process context; may sleep.
 * Return: 0 when the event is pending (delivered now, already pending, or
 * masked); -EINVAL for port 0, a port past the ABI's limit, a priority
 * other than 2-level, or a vCPU that does not exist; or the error of
 * mapping shared_info (-EINVAL when none is set).
 */
int xen_evtchn_send_ioctl(struct kvm *kvm, struct kvm_irq_routing_xen_evtchn *evt)
{
	struct kvm_xen_evtchn xe = {
		.port = evt->port,
		.vcpu_id = evt->vcpu,
		.vcpu_idx = -1,
		.priority = evt->priority,
	};
	int ret;

	if (!evt->port || evt->port >= xen_evtchn_max_port(kvm) ||
	    evt->priority != KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL)
		return -EINVAL;

	ret = xen_evtchn_set(&xe, kvm);
	return ret >= 0 || ret == -ENOTCONN ? 0 : ret;
}
