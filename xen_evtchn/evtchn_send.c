// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KVM_XEN_HVM_EVTCHN_SEND ioctl: the VMM raises a port of the guest,
 * one it emulates itself or any other, as a send from outside would.
 *
 * Owns nothing: the event is raised through deliver.c and, while the
 * target's vcpu_info is away, waits in its shadow selector (vcpu_info.c).
 *
 * Context: process context (the VM ioctl); may sleep.
 */

#include <linux/kvm_host.h>

#include "xen_evtchn.h"

#include <trace/events/xen_evtchn.h>

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
	xen_evtchn_count(kvm, XEN_STAT_SENDS + XEN_SEND_IOCTL);
	trace_xen_evtchn_send(evt->port, XEN_SEND_IOCTL, ret);
	return ret >= 0 || ret == -ENOTCONN ? 0 : ret;
}
