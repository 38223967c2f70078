/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen_evtchn.ko internals, shared by its files.
 *
 * The module keeps true the fields of struct kvm_xen, struct kvm_vcpu_xen
 * and kvm->arch.xen_hvm_config that KVM's own code and the inline helpers
 * of arch/x86/kvm/xen.h read; the rest of its state is in struct
 * xen_evtchn_vm, the per-VM data the KVM hook keeps for it.
 *
 * Lock order: the Xen lock (kvm_xen_accel_lock()), then the SRCU read side of
 * kvm->srcu, then a pfn cache's rwlock.
 */
#ifndef _XEN_EVTCHN_H
#define _XEN_EVTCHN_H

#include <linux/kvm_host.h>
#include <linux/mutex.h>
#include <linux/xarray.h>

#include <kvm/xen_accel.h>

#include "guest_abi.h"

/* What a send was, for the counters and the xen_evtchn_send tracepoint. */
enum xen_evtchn_send_kind {
	XEN_SEND_IPI,		/* the guest's, on an IPI port */
	XEN_SEND_LOOPBACK,	/* ... on an interdomain port looped back */
	XEN_SEND_EVENTFD,	/* ... on an interdomain port to an eventfd */
	XEN_SEND_TO_VMM,	/* ... on a port the kernel does not know */
	XEN_SEND_IOCTL,		/* the VMM's KVM_XEN_HVM_EVTCHN_SEND */
	XEN_SEND_KINDS
};

/* How the guest is told of pending events (xen_evtchn_upcall). */
enum xen_evtchn_upcall_via {
	XEN_UPCALL_VECTOR, XEN_UPCALL_CALLBACK, XEN_UPCALL_SHADOW,
};

/* What the Xen timer did (xen_evtchn_timer). */
enum xen_evtchn_timer_event { XEN_TIMER_ARM, XEN_TIMER_FIRE, XEN_TIMER_DEFER };

/* What SCHEDOP_poll did (xen_evtchn_poll). */
enum xen_evtchn_poll_event { XEN_POLL_BLOCK, XEN_POLL_WAKE };

/*
 * The per-VM counters (stats.c), read from xen_evtchn_stats in the VM's
 * debugfs directory.  The first XEN_SEND_KINDS count sends by kind.
 */
enum xen_evtchn_stat {
	XEN_STAT_SENDS,
	XEN_STAT_TO_VMM = XEN_STAT_SENDS + XEN_SEND_KINDS, /* hypercall exits */
	XEN_STAT_DELIVERED,		/* ports raised and signalled */
	XEN_STAT_ALREADY_PENDING,	/* raised again while pending */
	XEN_STAT_MASKED,		/* raised while masked */
	XEN_STAT_SLOW_PATH,		/* shared_info had to be mapped first */
	XEN_STAT_SHADOW,		/* selector bits kept in the shadow */
	XEN_STAT_UPCALL_VECTOR,		/* upcall vectors injected */
	XEN_STAT_TIMER_FIRED,
	XEN_STAT_POLL_BLOCKED,
	XEN_STAT_NR
};

/* One CPU's share of a VM's counters. */
struct xen_evtchn_stats {
	u64 count[XEN_STAT_NR];
};

/**
 * struct xen_evtchn_vm - the accelerator's own state of one VM
 * @kvm: the VM
 * @ports_lock: serializes changes to @ports
 * @ports: the outbound port table (ports.c): send port to struct
 *	xen_evtchn_port; entries are read under kvm->srcu, never changed
 *	once published, and freed after an SRCU grace period
 * @timer_waiting: by vCPU index, a timer event that fired but is not in
 *	shared_info yet (timer.c)
 * @resync_owed: the "pending at setup" checks owed to the next setup of
 *	shared_info (resync.c)
 * @stats: the VM's counters, per CPU (stats.c)
 */
struct xen_evtchn_vm {
	struct kvm *kvm;
	struct mutex ports_lock;	/* serializes changes to @ports */
	struct xarray ports;
	struct xarray resync_owed;
	unsigned long timer_waiting[BITS_TO_LONGS(KVM_MAX_VCPUS)];
	struct xen_evtchn_stats __percpu *stats;
};

/* Count one @stat for @kvm, a bound VM.  Any context. */
static inline void xen_evtchn_count(struct kvm *kvm, enum xen_evtchn_stat stat)
{
	struct xen_evtchn_vm *xvm = kvm_xen_accel_bound_data(kvm);

	this_cpu_inc(xvm->stats->count[stat]);
}

/* The VM's 2-level ABI, read once: the guest may switch it at any time. */
static inline const struct xen_2l_abi *xen_evtchn_abi(struct kvm *kvm)
{
	return xen_2l_abi(READ_ONCE(kvm->arch.xen.long_mode));
}

/**
 * xen_evtchn_max_port() - the number of ports of the VM's 2-level ABI
 * @kvm: the VM
 *
 * Return: 4096 in the 64-bit ABI, 1024 in the 32-bit one.
 */
static inline unsigned int xen_evtchn_max_port(struct kvm *kvm)
{
	return xen_evtchn_abi(kvm)->ports;
}

/*
 * Map @gpc again, for process context.  A cache that was never activated
 * has neither a GPA nor an HVA, and KVM WARNs when asked to refresh one
 * (a VMM may send events before it sets up shared_info or vcpu_info):
 * only an active cache is refreshed.  A deactivation racing with this
 * only makes KVM's refresh fail; an activation that moves the cache
 * meanwhile is not undone: the refresh maps the cache's address as it is
 * under the refresh's lock (6.12: the cache's own; 6.1: the hook's
 * gpc_lock, compat/include/kvm/xen_accel_compat.h).
 */
static inline int xen_evtchn_gpc_refresh(struct kvm *kvm,
					 struct gfn_to_pfn_cache *gpc,
					 unsigned long len)
{
	might_sleep();
	if (!READ_ONCE(gpc->active))
		return -EINVAL;
	return kvm_xen_accel_gpc_refresh(kvm, gpc, len);
}

/* stats.c */
int xen_evtchn_stats_init(struct xen_evtchn_vm *xvm);
void xen_evtchn_stats_destroy(struct xen_evtchn_vm *xvm);

/* deliver.c */
int xen_evtchn_vcpu_idx(struct kvm *kvm, u32 vcpu_id);
int xen_evtchn_set_fast(struct kvm_xen_evtchn *xe, struct kvm *kvm);
int xen_evtchn_set(struct kvm_xen_evtchn *xe, struct kvm *kvm);
int xen_evtchn_set_vmm(struct kvm_xen_evtchn *xe, struct kvm *kvm);
int xen_evtchn_sync_selector(struct kvm *kvm, struct kvm_xen_evtchn *xe);
int xen_evtchn_send_ioctl(struct kvm *kvm,
			  struct kvm_irq_routing_xen_evtchn *evt);

/* vcpu_info.c */
void xen_evtchn_inject_pending_events(struct kvm_vcpu *vcpu);
int xen_evtchn_has_interrupt(struct kvm_vcpu *vcpu);
void xen_evtchn_inject_vcpu_vector(struct kvm_vcpu *vcpu);
int xen_evtchn_set_vcpu_info(struct kvm_vcpu *vcpu,
			     const struct kvm_xen_vcpu_attr *data);
void xen_evtchn_get_vcpu_info(struct kvm_vcpu *vcpu,
			      struct kvm_xen_vcpu_attr *data);

/* shared_info.c */
int xen_evtchn_set_long_mode(struct kvm *kvm, bool long_mode, bool always);
int xen_evtchn_set_shared_info(struct kvm *kvm,
			       const struct kvm_xen_hvm_attr *data);
void xen_evtchn_get_shared_info(struct kvm *kvm, struct kvm_xen_hvm_attr *data);

/* routes.c */
int xen_evtchn_setup_route(struct kvm *kvm,
			   struct kvm_kernel_irq_routing_entry *e,
			   const struct kvm_irq_routing_entry *ue);

/* ports.c */
void xen_evtchn_ports_init(struct xen_evtchn_vm *xvm);
void xen_evtchn_ports_destroy(struct xen_evtchn_vm *xvm);
int xen_evtchn_set_port(struct kvm *kvm, struct kvm_xen_hvm_attr *data);
bool xen_evtchn_hcall_send(struct kvm_vcpu *vcpu, u64 arg, u64 *result);

/* timer.c */
enum hrtimer_restart xen_evtchn_timer_expired(struct kvm_vcpu *vcpu);
void xen_evtchn_inject_timer_irqs(struct kvm_vcpu *vcpu);
void xen_evtchn_timer_resume(struct kvm *kvm);
int xen_evtchn_set_timer_attr(struct kvm_vcpu *vcpu,
			      struct kvm_xen_vcpu_attr *data);
void xen_evtchn_get_timer_attr(struct kvm_vcpu *vcpu,
			       struct kvm_xen_vcpu_attr *data);
bool xen_evtchn_hcall_set_timer_op(struct kvm_vcpu *vcpu, u64 deadline,
				   u64 *result);
bool xen_evtchn_hcall_vcpu_op(struct kvm_vcpu *vcpu, bool is_64bit, int cmd,
			      int vcpu_id, u64 arg, u64 *result);

/* sched_poll.c */
void xen_evtchn_wake_polling(struct kvm_vcpu *vcpu, unsigned int port);
void xen_evtchn_poll_timeout(struct kvm_vcpu *vcpu);
bool xen_evtchn_hcall_sched_op(struct kvm_vcpu *vcpu, bool is_64bit, int cmd,
			       u64 arg, u64 *result);

/**
 * xen_evtchn_wake_poller() - port @port of @vcpu's VM became pending
 * @vcpu: the port's target vCPU
 * @port: the port
 *
 * Wakes @vcpu if it blocks in SCHEDOP_poll on @port (sched_poll.c).  The
 * test is inline: every delivery makes it, and it is almost never true.
 *
 * Context: any; does not sleep.
 */
static inline void xen_evtchn_wake_poller(struct kvm_vcpu *vcpu,
					  unsigned int port)
{
	int polled = READ_ONCE(vcpu->arch.xen.poll_evtchn);

	if (unlikely(polled == port || polled == -1))
		xen_evtchn_wake_polling(vcpu, port);
}

/* runstate.c */
void xen_evtchn_update_runstate(struct kvm_vcpu *vcpu, int state);
int xen_evtchn_set_runstate_attr(struct kvm_vcpu *vcpu,
				 const struct kvm_xen_vcpu_attr *data);
int xen_evtchn_get_runstate_attr(struct kvm_vcpu *vcpu,
				 struct kvm_xen_vcpu_attr *data);

/* resync.c */
void xen_evtchn_sync_at_setup(struct kvm *kvm, struct kvm_xen_evtchn *xe);
void xen_evtchn_resync(struct kvm *kvm);

/* hypercall.c */
int xen_evtchn_hvm_config(struct kvm *kvm, struct kvm_xen_hvm_config *xhc);
int xen_evtchn_write_hypercall_page(struct kvm_vcpu *vcpu, u64 data);
void xen_evtchn_release_config(struct kvm *kvm);
int xen_evtchn_hypercall(struct kvm_vcpu *vcpu);

/* attr.c */
int xen_evtchn_hvm_set_attr(struct kvm *kvm, struct kvm_xen_hvm_attr *data);
int xen_evtchn_hvm_get_attr(struct kvm *kvm, struct kvm_xen_hvm_attr *data);
int xen_evtchn_vcpu_set_attr(struct kvm_vcpu *vcpu,
			     struct kvm_xen_vcpu_attr *data);
int xen_evtchn_vcpu_get_attr(struct kvm_vcpu *vcpu,
			     struct kvm_xen_vcpu_attr *data);

#endif /* _XEN_EVTCHN_H */
