// SPDX-License-Identifier: GPL-2.0-only
/*
 * The outbound port table and the guest's EVTCHNOP_send.
 *
 * The VMM describes, with KVM_XEN_ATTR_TYPE_EVTCHN, what the guest's send
 * on a port does: raise the same port again (an IPI, possibly to another
 * vCPU), raise another port of this guest (interdomain looped back), or
 * signal an eventfd (interdomain to a backend; with an irqfd on the other
 * side, another VM's event channel).  A send to a port not in the table
 * exits to the VMM.
 *
 * Owns struct xen_evtchn_vm's port table: an xarray indexed by send port.
 * Entries are never changed once published: an update publishes a new
 * entry.  The old
 * one, and a removed one, is freed (and its eventfd put) after an SRCU
 * grace period of kvm->srcu, under which the hypercall path reads them;
 * that wait is never done with a lock held.
 *
 * Locking: ports_lock (a mutex) serializes writers.
 * Context: the attribute in process context (VM ioctl); the hypercall in
 * vCPU context, kvm->srcu held.
 */

#include <linux/eventfd.h>
#include <linux/kvm_host.h>
#include <linux/slab.h>

#include <kvm/xen_accel.h>
#include <xen/interface/event_channel.h>

#include "xen_evtchn.h"

#include <trace/events/xen_evtchn.h>

/**
 * struct xen_evtchn_port - what a send on one port does
 * @type: EVTCHNSTAT_ipi or EVTCHNSTAT_interdomain
 * @eventfd: for an interdomain port to an eventfd, the eventfd; else NULL
 * @target: else the port raised, with its vCPU and priority
 */
struct xen_evtchn_port {
	u32 type;
	struct eventfd_ctx *eventfd;
	struct kvm_xen_evtchn target;
};

static struct xen_evtchn_vm *vm_of(struct kvm *kvm)
{
	return kvm_xen_accel_bound_data(kvm);
}

static void free_port(struct xen_evtchn_port *p)
{
	if (p->eventfd)
		eventfd_ctx_put(p->eventfd);
	kfree(p);
}

/* Check a target port from userspace and fill in @p's target. */
static int set_target(struct kvm *kvm, struct xen_evtchn_port *p,
		      const struct kvm_xen_hvm_attr *data)
{
	if (data->u.evtchn.deliver.port.priority !=
	    KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL)
		return -EINVAL;
	p->target.port = data->u.evtchn.deliver.port.port;
	p->target.vcpu_id = data->u.evtchn.deliver.port.vcpu;
	p->target.vcpu_idx = xen_evtchn_vcpu_idx(kvm, p->target.vcpu_id);
	p->target.priority = data->u.evtchn.deliver.port.priority;
	return 0;
}

/* A new entry from an ASSIGN request, or an ERR_PTR. */
static struct xen_evtchn_port *new_port(struct kvm *kvm,
					const struct kvm_xen_hvm_attr *data)
{
	u32 send_port = data->u.evtchn.send_port;
	u32 to_port = data->u.evtchn.deliver.port.port;
	struct xen_evtchn_port *p;
	int ret = -EINVAL;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return ERR_PTR(-ENOMEM);
	p->type = data->u.evtchn.type;

	switch (p->type) {
	case EVTCHNSTAT_ipi:
		/* An IPI raises the port it is sent on. */
		if (to_port != send_port)
			goto fail;
		ret = set_target(kvm, p, data);
		break;
	case EVTCHNSTAT_interdomain:
		if (to_port) {
			if (to_port >= xen_evtchn_max_port(kvm))
				goto fail;
			ret = set_target(kvm, p, data);
			break;
		}
		p->eventfd = eventfd_ctx_fdget(data->u.evtchn.deliver.eventfd.fd);
		if (IS_ERR(p->eventfd)) {
			ret = PTR_ERR(p->eventfd);
			p->eventfd = NULL;
			goto fail;
		}
		ret = 0;
		break;
	default:
		break;
	}
	if (ret)
		goto fail;
	return p;
fail:
	free_port(p);
	return ERR_PTR(ret);
}

/*
 * Replace (or with @p NULL, remove) the entry of @send_port, which must
 * exist; free the old one once no hypercall can be reading it.
 */
static void replace_port(struct xen_evtchn_vm *xvm, u32 send_port,
			 struct xen_evtchn_port *p)
{
	struct xen_evtchn_port *old;

	lockdep_assert_held(&xvm->ports_lock);
	old = xa_store(&xvm->ports, send_port, p, GFP_KERNEL);
	mutex_unlock(&xvm->ports_lock);
	synchronize_srcu(&xvm->kvm->srcu);
	free_port(old);
}

/*
 * Once published and the lock dropped, the entry belongs to the table: a
 * concurrent DEASSIGN, UPDATE or RESET may free it at any time.  What the
 * pending-at-setup check needs is copied before it is published.
 */
static int assign_port(struct xen_evtchn_vm *xvm,
		       const struct kvm_xen_hvm_attr *data)
{
	struct xen_evtchn_port *p = new_port(xvm->kvm, data);
	struct kvm_xen_evtchn target;
	bool has_target;
	int ret;

	if (IS_ERR(p))
		return PTR_ERR(p);
	has_target = !p->eventfd;
	target = p->target;
	mutex_lock(&xvm->ports_lock);
	ret = xa_insert(&xvm->ports, data->u.evtchn.send_port, p, GFP_KERNEL);
	mutex_unlock(&xvm->ports_lock);
	if (ret) {
		free_port(p);
		return ret == -EBUSY ? -EEXIST : ret;
	}
	if (has_target)
		xen_evtchn_sync_at_setup(xvm->kvm, &target);
	return 0;
}

/* Only the target vCPU and the priority of a port entry may change. */
static int update_port(struct xen_evtchn_vm *xvm,
		       const struct kvm_xen_hvm_attr *data)
{
	u32 send_port = data->u.evtchn.send_port;
	struct xen_evtchn_port *old, *p;
	struct kvm_xen_evtchn target;
	int ret;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;

	mutex_lock(&xvm->ports_lock);
	old = xa_load(&xvm->ports, send_port);
	ret = -ENOENT;
	if (!old)
		goto fail;
	ret = -EINVAL;
	if (old->eventfd || old->type != data->u.evtchn.type ||
	    old->target.port != data->u.evtchn.deliver.port.port)
		goto fail;
	p->type = old->type;
	ret = set_target(xvm->kvm, p, data);
	if (ret)
		goto fail;
	target = p->target;
	replace_port(xvm, send_port, p);	/* unlocks */
	xen_evtchn_sync_at_setup(xvm->kvm, &target);
	return 0;
fail:
	mutex_unlock(&xvm->ports_lock);
	kfree(p);
	return ret;
}

static int deassign_port(struct xen_evtchn_vm *xvm, u32 send_port)
{
	mutex_lock(&xvm->ports_lock);
	if (!xa_load(&xvm->ports, send_port)) {
		mutex_unlock(&xvm->ports_lock);
		return -ENOENT;
	}
	replace_port(xvm, send_port, NULL);	/* unlocks */
	return 0;
}

/* Empty the table: unpublish all, wait once, then free. */
static int reset_ports(struct xen_evtchn_vm *xvm)
{
	struct xen_evtchn_port *p;
	struct xarray gone;
	unsigned long port;
	int ret = 0;

	xa_init(&gone);
	mutex_lock(&xvm->ports_lock);
	xa_for_each(&xvm->ports, port, p) {
		ret = xa_err(xa_store(&gone, port, p, GFP_KERNEL));
		if (ret)
			break;
		xa_erase(&xvm->ports, port);
	}
	mutex_unlock(&xvm->ports_lock);

	synchronize_srcu(&xvm->kvm->srcu);
	xa_for_each(&gone, port, p)
		free_port(p);
	xa_destroy(&gone);
	return ret;
}

/**
 * xen_evtchn_set_port() - KVM_XEN_ATTR_TYPE_EVTCHN
 * @kvm: the VM
 * @data: the request: flags 0 (assign), KVM_XEN_EVTCHN_UPDATE,
 *	KVM_XEN_EVTCHN_DEASSIGN or KVM_XEN_EVTCHN_RESET
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for send port 0 or past the ABI's limit, unknown
 * flags, a type other than IPI or interdomain, an IPI whose target port is
 * not its send port, a target port past the limit, a priority other than
 * 2-level, or an update that changes more than the vCPU and priority (or
 * of an eventfd port); -EBADF or -EINVAL for an fd that is not an eventfd;
 * -EEXIST if the port is assigned already; -ENOENT to update or deassign
 * a port not assigned; -ENOMEM.
 */
int xen_evtchn_set_port(struct kvm *kvm, struct kvm_xen_hvm_attr *data)
{
	struct xen_evtchn_vm *xvm = vm_of(kvm);
	u32 send_port = data->u.evtchn.send_port;

	if (data->u.evtchn.flags == KVM_XEN_EVTCHN_RESET)
		return reset_ports(xvm);
	if (!send_port || send_port >= xen_evtchn_max_port(kvm))
		return -EINVAL;

	switch (data->u.evtchn.flags) {
	case 0:
		return assign_port(xvm, data);
	case KVM_XEN_EVTCHN_UPDATE:
		return update_port(xvm, data);
	case KVM_XEN_EVTCHN_DEASSIGN:
		return deassign_port(xvm, send_port);
	default:
		return -EINVAL;
	}
}

/*
 * Count and trace a guest's send; @ret: what raising the port returned.
 * Inline: a call and return per send showed in the bench.
 */
static __always_inline void note_send(struct kvm *kvm, u32 port,
				      enum xen_evtchn_send_kind kind, int ret)
{
	xen_evtchn_count(kvm, XEN_STAT_SENDS + kind);
	trace_xen_evtchn_send(port, kind, ret);
}

/**
 * xen_evtchn_hcall_send() - the guest's EVTCHNOP_send
 * @vcpu: the sending vCPU
 * @arg: guest virtual address of its struct evtchn_send
 * @result: the hypercall's result, when handled
 *
 * Context: vCPU context, kvm->srcu held.
 * Return: true if handled in the kernel (the port is in the table and its
 * target could be raised or signalled, or the argument could not be read:
 * -EFAULT to the guest); false to let the VMM handle it.
 */
bool xen_evtchn_hcall_send(struct kvm_vcpu *vcpu, u64 arg, u64 *result)
{
	struct xen_evtchn_vm *xvm = vm_of(vcpu->kvm);
	struct evtchn_send send;
	struct xen_evtchn_port *p;
	int ret;

	BUILD_BUG_ON(sizeof(send) != 4);	/* the same in both ABIs */
	if (kvm_xen_accel_read_guest_virt(vcpu, arg, &send, sizeof(send))) {
		*result = -EFAULT;
		return true;
	}

	p = xa_load(&xvm->ports, send.port);
	if (!p) {
		note_send(vcpu->kvm, send.port, XEN_SEND_TO_VMM, 0);
		return false;
	}
	if (p->eventfd) {
		kvm_xen_accel_eventfd_signal(p->eventfd);
		note_send(vcpu->kvm, send.port, XEN_SEND_EVENTFD, 0);
	} else {
		ret = xen_evtchn_set_vmm(&p->target, vcpu->kvm);
		note_send(vcpu->kvm, send.port, p->type == EVTCHNSTAT_ipi ?
			  XEN_SEND_IPI : XEN_SEND_LOOPBACK, ret);
		if (ret < 0 && ret != -ENOTCONN)
			return false;
	}
	*result = 0;
	return true;
}

/**
 * xen_evtchn_ports_init() - an empty port table
 * @xvm: the VM's state
 */
void xen_evtchn_ports_init(struct xen_evtchn_vm *xvm)
{
	mutex_init(&xvm->ports_lock);
	xa_init(&xvm->ports);
}

/**
 * xen_evtchn_ports_destroy() - free the port table of a VM being destroyed
 * @xvm: the VM's state; no vCPU can send any more
 */
void xen_evtchn_ports_destroy(struct xen_evtchn_vm *xvm)
{
	struct xen_evtchn_port *p;
	unsigned long port;

	xa_for_each(&xvm->ports, port, p)
		free_port(p);
	xa_destroy(&xvm->ports);
}
