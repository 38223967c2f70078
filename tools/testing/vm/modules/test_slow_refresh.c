// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-only module: widens the window in which a pfn cache refresh has
 * its arguments but not yet the cache's refresh lock.  A kprobe on the
 * entry of KVM's refresh function (@symbol: kvm_gfn_to_pfn_cache_refresh
 * on 6.1, kvm_gpc_refresh on 6.12) busy-waits @delay_us there, for the
 * task named @comm only (the test's sender thread: a VMM's activation,
 * which refreshes too, must not wait as well), so that the VMM's move of
 * the cache (an activation at another address) lands in that window
 * often, not once in many millions: on 6.1, whose refresh
 * takes the address as an argument, a caller that read the old address
 * first maps the old page again unless activations and refreshes are
 * serialized (tools/testing/vm/tests/50-shinfo_move.sh).  Never
 * installed.
 *
 * Context: the probe's handler runs with preemption disabled; it only
 * spins.  Init and exit in process context.
 */

#include <linux/delay.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/string.h>

static char *symbol = "kvm_gfn_to_pfn_cache_refresh";
module_param(symbol, charp, 0444);
MODULE_PARM_DESC(symbol, "KVM's pfn cache refresh function");

static char *comm = "shinfo_sender";
module_param(comm, charp, 0444);
MODULE_PARM_DESC(comm, "the task whose refreshes wait");

static uint delay_us = 200;
module_param(delay_us, uint, 0444);
MODULE_PARM_DESC(delay_us, "how long each refresh waits at its entry");

static int slow_entry(struct kprobe *p, struct pt_regs *regs)
{
	if (!strncmp(current->comm, comm, TASK_COMM_LEN))
		udelay(delay_us);
	return 0;
}

static struct kprobe probe = {
	.pre_handler = slow_entry,
};

static int __init test_slow_refresh_init(void)
{
	probe.symbol_name = symbol;
	return register_kprobe(&probe);
}

static void __exit test_slow_refresh_exit(void)
{
	unregister_kprobe(&probe);
}

module_init(test_slow_refresh_init);
module_exit(test_slow_refresh_exit);

MODULE_DESCRIPTION("Widen the window before a pfn cache refresh takes its lock (test only)");
MODULE_LICENSE("GPL");
