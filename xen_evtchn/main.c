// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen event channel accelerator for KVM: module entry points.
 *
 * This is the module skeleton: it loads and unloads, and says so in the
 * kernel log.  Attaching to KVM through the hook in the rebuilt kvm.ko comes
 * with its own change.
 *
 * Context: module init and exit only, process context.
 */

#include <linux/module.h>
#include <linux/printk.h>

static int __init xen_evtchn_init(void)
{
	pr_info("xen_evtchn: loaded (skeleton, not attached to KVM)\n");
	return 0;
}

static void __exit xen_evtchn_exit(void)
{
	pr_info("xen_evtchn: unloaded\n");
}

module_init(xen_evtchn_init);
module_exit(xen_evtchn_exit);

MODULE_DESCRIPTION("KVM Xen event channel accelerator");
MODULE_LICENSE("GPL");
