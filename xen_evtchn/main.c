// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen event channel accelerator for KVM: module entry points and the ops
 * that the KVM hook in the rebuilt kvm.ko calls (include/kvm/xen_accel.h).
 *
 * Owns the per-VM struct xen_evtchn_vm: created when a VM binds to the
 * accelerator (its first Xen ioctl), freed when the VM is destroyed.  The
 * hook holds a reference on this module for every bound VM, so the module
 * cannot be unloaded while a VM uses it.
 *
 * Context: module init and exit, bind and destroy run in process context.
 */

#include <linux/module.h>
#include <linux/slab.h>

#include <kvm/xen_accel.h>

#include "xen_evtchn.h"

static void *xen_evtchn_bind_vm(struct kvm *kvm)
{
	struct xen_evtchn_vm *xvm = kzalloc(sizeof(*xvm), GFP_KERNEL_ACCOUNT);

	if (!xvm)
		return ERR_PTR(-ENOMEM);
	xvm->kvm = kvm;
	xen_evtchn_ports_init(xvm);
	xa_init(&xvm->resync_owed);
	/* Last: it publishes the counters' file, which stays until the end. */
	if (xen_evtchn_stats_init(xvm)) {
		kfree(xvm);	/* the empty port table and xarray hold nothing */
		return ERR_PTR(-ENOMEM);
	}
	return xvm;
}

static void xen_evtchn_destroy_vm(struct kvm *kvm, void *data)
{
	struct xen_evtchn_vm *xvm = data;

	xen_evtchn_release_config(kvm);
	xen_evtchn_ports_destroy(xvm);
	xa_destroy(&xvm->resync_owed);
	xen_evtchn_stats_destroy(xvm);
	kfree(xvm);
}

static const struct kvm_xen_accel_ops xen_evtchn_ops = {
	.owner = THIS_MODULE,
	.bind_vm = xen_evtchn_bind_vm,
	.destroy_vm = xen_evtchn_destroy_vm,
	.hvm_config = xen_evtchn_hvm_config,
	.hvm_set_attr = xen_evtchn_hvm_set_attr,
	.hvm_get_attr = xen_evtchn_hvm_get_attr,
	.vcpu_set_attr = xen_evtchn_vcpu_set_attr,
	.vcpu_get_attr = xen_evtchn_vcpu_get_attr,
	.evtchn_send = xen_evtchn_send_ioctl,
	.setup_evtchn = xen_evtchn_setup_route,
	.set_evtchn_fast = xen_evtchn_set_fast,
	.write_hypercall_page = xen_evtchn_write_hypercall_page,
	.hypercall = xen_evtchn_hypercall,
	.has_interrupt = xen_evtchn_has_interrupt,
	.inject_pending_events = xen_evtchn_inject_pending_events,
	.inject_vcpu_vector = xen_evtchn_inject_vcpu_vector,
	.inject_timer_irqs = xen_evtchn_inject_timer_irqs,
	.timer_expired = xen_evtchn_timer_expired,
	.poll_timeout = xen_evtchn_poll_timeout,
	.update_runstate = xen_evtchn_update_runstate,
};

static int __init xen_evtchn_init(void)
{
	int ret = kvm_xen_accel_register(&xen_evtchn_ops);

	if (!ret)
		pr_info("xen_evtchn: registered with KVM\n");
	return ret;
}

static void __exit xen_evtchn_exit(void)
{
	kvm_xen_accel_unregister(&xen_evtchn_ops);
}

module_init(xen_evtchn_init);
module_exit(xen_evtchn_exit);

MODULE_DESCRIPTION("KVM Xen event channel accelerator");
MODULE_ALIAS(KVM_XEN_ACCEL_ALIAS);
MODULE_VERSION(XEN_ACCEL_VERSION);
MODULE_LICENSE("GPL");
