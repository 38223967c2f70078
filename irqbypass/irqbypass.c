// SPDX-License-Identifier: GPL-2.0-only
/*
 * IRQ bypass manager: pairs interrupt producers and consumers that share an
 * eventfd token.
 *
 * This is the module skeleton: it loads and unloads, and says so in the
 * kernel log.  The manager itself and its API come with their own change.
 *
 * Context: module init and exit only, process context.
 */

#include <linux/module.h>
#include <linux/printk.h>

static int __init irqbypass_init(void)
{
	pr_info("irqbypass: loaded (skeleton, no API yet)\n");
	return 0;
}

static void __exit irqbypass_exit(void)
{
	pr_info("irqbypass: unloaded\n");
}

module_init(irqbypass_init);
module_exit(irqbypass_exit);

MODULE_DESCRIPTION("IRQ bypass manager indexed by eventfd token");
MODULE_LICENSE("GPL");
