// SPDX-License-Identifier: GPL-2.0-only
/*
 * What operators can see of a VM's event channels: per-VM counters, read
 * from xen_evtchn_stats in the VM's KVM debugfs directory
 * (/sys/kernel/debug/kvm/<pid>-<vm fd>/), and the xen_evtchn tracepoints
 * (include/trace/events/xen_evtchn.h), which this file instantiates.
 *
 * Owns struct xen_evtchn_vm's counters.  They are per CPU, so that
 * counting (xen_evtchn_count()) is one increment without a lock or a
 * shared cache line, in any context; a read sums them, and may miss
 * increments made while it sums.  The debugfs file goes before the
 * counters: KVM removes the VM's directory with it, and waits for its
 * readers, before the VM is destroyed.
 *
 * Context: init and destroy in process context (binding and destroying a
 * VM); reads in process context.
 */

#include <linux/debugfs.h>
#include <linux/kvm_host.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>

#include "xen_evtchn.h"

#define CREATE_TRACE_POINTS
#include <trace/events/xen_evtchn.h>

static const char *const stat_names[XEN_STAT_NR] = {
	[XEN_STAT_SENDS + XEN_SEND_IPI] = "send_ipi",
	[XEN_STAT_SENDS + XEN_SEND_LOOPBACK] = "send_loopback",
	[XEN_STAT_SENDS + XEN_SEND_EVENTFD] = "send_eventfd",
	[XEN_STAT_SENDS + XEN_SEND_TO_VMM] = "send_to_vmm",
	[XEN_STAT_SENDS + XEN_SEND_IOCTL] = "send_ioctl",
	[XEN_STAT_TO_VMM] = "hypercalls_to_vmm",
	[XEN_STAT_DELIVERED] = "delivered",
	[XEN_STAT_ALREADY_PENDING] = "already_pending",
	[XEN_STAT_MASKED] = "masked",
	[XEN_STAT_SLOW_PATH] = "slow_path",
	[XEN_STAT_SHADOW] = "shadow_selector",
	[XEN_STAT_UPCALL_VECTOR] = "upcall_vector",
	[XEN_STAT_TIMER_FIRED] = "timer_fired",
	[XEN_STAT_POLL_BLOCKED] = "poll_blocked",
};

static int stats_show(struct seq_file *m, void *unused)
{
	struct xen_evtchn_vm *xvm = m->private;
	unsigned int i;
	int cpu;

	for (i = 0; i < XEN_STAT_NR; i++) {
		u64 sum = 0;

		for_each_possible_cpu(cpu)
			sum += per_cpu_ptr(xvm->stats, cpu)->count[i];
		seq_printf(m, "%s %llu\n", stat_names[i], sum);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/**
 * xen_evtchn_stats_init() - zeroed counters for a VM being bound
 * @xvm: the VM's state
 *
 * The file is left out, silently, when KVM has no debugfs directory for
 * the VM (no debugfs, or creating it failed): the counters still count.
 *
 * Context: process context.
 * Return: 0 or -ENOMEM (then nothing is left to undo).
 */
int xen_evtchn_stats_init(struct xen_evtchn_vm *xvm)
{
	struct dentry *dir = xvm->kvm->debugfs_dentry;

	BUILD_BUG_ON(ARRAY_SIZE(stat_names) != XEN_STAT_NR);
	xvm->stats = alloc_percpu(struct xen_evtchn_stats);
	if (!xvm->stats)
		return -ENOMEM;
	if (!IS_ERR_OR_NULL(dir))
		debugfs_create_file("xen_evtchn_stats", 0444, dir, xvm,
				    &stats_fops);
	return 0;
}

/**
 * xen_evtchn_stats_destroy() - free a destroyed VM's counters
 * @xvm: the VM's state
 *
 * Their file went with the VM's debugfs directory.
 *
 * Context: process context.
 */
void xen_evtchn_stats_destroy(struct xen_evtchn_vm *xvm)
{
	free_percpu(xvm->stats);
}
