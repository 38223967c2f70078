// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Xen timer VIRQ of each vCPU: KVM_XEN_VCPU_ATTR_TYPE_TIMER, and the
 * guest's set_timer_op, VCPUOP_set_singleshot_timer and
 * VCPUOP_stop_singleshot_timer.
 *
 * A deadline is in the guest's kvmclock nanoseconds; vcpu->arch.xen.timer,
 * a soft hrtimer on CLOCK_MONOTONIC, fires at the matching host time and
 * raises the timer's port on its vCPU through the atomic delivery path.
 * timer_expires is the deadline of the event not yet in shared_info, 0
 * when there is none.
 *
 * When the event cannot be raised at once, it waits: the vCPU's bit in
 * struct xen_evtchn_vm's timer_waiting says so, and the vCPU tries again
 * on its way into the guest.  If that fails too (shared_info not set up,
 * its memory not mapped, or the port past the current ABI's limit, as in
 * a restore that sets the timer before LONG_MODE), the event keeps
 * waiting, deadline and all, until the VMM sets shared_info or the ABI's
 * width changes: then xen_evtchn_timer_resume() tells the vCPU to try
 * again.  A TIMER get meanwhile returns the (past) deadline, so that a
 * saved and restored timer fires again at once.  The event is never
 * dropped, except by the guest's or the VMM's own re-arm or stop, or with
 * the vCPU.
 *
 * Owns timer_virq and timer_expires of vcpu->arch.xen, and timer_waiting.
 * timer_pending, which KVM reads to know that the vCPU must call
 * inject_timer_irqs, is only a doorbell here: ringing it wrongly costs a
 * call that finds nothing waiting.  Only the vCPU (its loop, its
 * hypercalls, its ioctls under vcpu->mutex) changes the timer's state;
 * the hrtimer callback runs only while the timer is armed, and the vCPU
 * cancels it (waiting for a running callback) before touching the state.
 * timer_resume, on the VM ioctl's thread, only rings doorbells.
 *
 * Context: the hrtimer callback in softirq context (a soft hrtimer, also
 * on PREEMPT_RT, where delivery's rwlocks may sleep; it does not sleep
 * itself); or, for a deadline already past, in vCPU context.  Everything
 * else in vCPU or process context.
 */

#include <linux/hrtimer.h>
#include <linux/kvm_host.h>

#include <kvm/xen_accel.h>

#include "xen_evtchn.h"

#include <trace/events/xen_evtchn.h>

/* Beyond this far ahead (2^50 ns, 13 days), a deadline is a guest bug. */
#define XEN_TIMER_SANE_DELTA	BIT_ULL(50)
/* Xen's replacement for a bogus deadline from set_timer_op. */
#define XEN_TIMER_BOGUS_DELAY	(100 * NSEC_PER_MSEC)

static struct kvm_xen_evtchn timer_event(struct kvm_vcpu *vcpu)
{
	return (struct kvm_xen_evtchn) {
		.port = READ_ONCE(vcpu->arch.xen.timer_virq),
		.vcpu_id = vcpu->vcpu_id,
		.vcpu_idx = vcpu->vcpu_idx,
		.priority = KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL,
	};
}

static unsigned long *timer_waiting(struct kvm_vcpu *vcpu)
{
	struct xen_evtchn_vm *xvm = kvm_xen_accel_bound_data(vcpu->kvm);

	return xvm->timer_waiting;
}

/* The event is in shared_info: newly, already pending, or masked. */
static bool delivered(int ret)
{
	return ret >= 0 || ret == -ENOTCONN;
}

static void ring_doorbell(struct kvm_vcpu *vcpu)
{
	atomic_set(&vcpu->arch.xen.timer_pending, 1);
	kvm_make_request(KVM_REQ_UNBLOCK, vcpu);
	kvm_vcpu_kick(vcpu);
}

/**
 * xen_evtchn_timer_expired() - the vCPU's Xen timer fired
 * @vcpu: the vCPU
 *
 * Context: softirq context (or the vCPU, for a deadline already past).
 * Return: HRTIMER_NORESTART.
 */
enum hrtimer_restart xen_evtchn_timer_expired(struct kvm_vcpu *vcpu)
{
	struct kvm_xen_evtchn e = timer_event(vcpu);

	xen_evtchn_count(vcpu->kvm, XEN_STAT_TIMER_FIRED);
	trace_xen_evtchn_timer(vcpu->arch.xen.vcpu_id, XEN_TIMER_FIRE,
			       vcpu->arch.xen.timer_expires);
	if (!delivered(xen_evtchn_set_fast(&e, vcpu->kvm))) {
		/* Not in shared_info: the vCPU tries again. */
		trace_xen_evtchn_timer(vcpu->arch.xen.vcpu_id, XEN_TIMER_DEFER,
				       vcpu->arch.xen.timer_expires);
		set_bit(vcpu->vcpu_idx, timer_waiting(vcpu));
		/*
		 * Waiting before the doorbell, fully ordered: pairs with the
		 * vCPU's atomic_xchg() of the doorbell before its test of
		 * the waiting bit (xen_evtchn_inject_timer_irqs()).  Either
		 * the vCPU sees the bit, or its clear of the doorbell is
		 * ordered before this ring.
		 */
		smp_mb__after_atomic();
		ring_doorbell(vcpu);
	} else {
		vcpu->arch.xen.timer_expires = 0;
	}
	return HRTIMER_NORESTART;
}

/**
 * xen_evtchn_inject_timer_irqs() - raise a timer event that had to wait
 * @vcpu: the vCPU, on its way into the guest (or reading its timer)
 *
 * If it still cannot be raised, it keeps waiting, with its deadline, for
 * xen_evtchn_timer_resume().
 *
 * Context: vCPU context (vcpu->mutex held); may sleep.
 */
void xen_evtchn_inject_timer_irqs(struct kvm_vcpu *vcpu)
{
	struct kvm_xen_evtchn e = timer_event(vcpu);

	might_sleep();
	lockdep_assert_held(&vcpu->mutex);
	/*
	 * Clear the doorbell, then look for a waiting event: a full barrier
	 * between the two (a plain store could still sit in the store
	 * buffer when the bit is read, and land after the callback's ring:
	 * an event waiting with no doorbell).  Pairs with the callback's
	 * smp_mb__after_atomic() between setting the bit and ringing.
	 */
	atomic_xchg(&vcpu->arch.xen.timer_pending, 0);
	if (!test_bit(vcpu->vcpu_idx, timer_waiting(vcpu)))
		return;
	if (!delivered(xen_evtchn_set_vmm(&e, vcpu->kvm)))
		return;
	clear_bit(vcpu->vcpu_idx, timer_waiting(vcpu));
	vcpu->arch.xen.timer_expires = 0;
}

/**
 * xen_evtchn_timer_resume() - retry waiting timer events
 * @kvm: the VM, whose shared_info was set or whose ABI width changed
 *
 * Rings the doorbell of each vCPU whose timer event waits; the vCPU itself
 * raises the event on its way in.  A vCPU that re-armed or stopped its
 * timer meanwhile finds nothing waiting.
 *
 * Context: process context (the VM ioctl that set shared_info).
 */
void xen_evtchn_timer_resume(struct kvm *kvm)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	kvm_for_each_vcpu(i, vcpu, kvm)
		if (test_bit(vcpu->vcpu_idx, timer_waiting(vcpu)))
			ring_doorbell(vcpu);
}

/* Disarm, and forget an event that waits: vCPU context only. */
static void stop_timer(struct kvm_vcpu *vcpu)
{
	lockdep_assert_held(&vcpu->mutex);
	hrtimer_cancel(&vcpu->arch.xen.timer);
	clear_bit(vcpu->vcpu_idx, timer_waiting(vcpu));
	vcpu->arch.xen.timer_expires = 0;
}

/*
 * Arm the timer for @deadline, guest kvmclock nanoseconds.  With
 * @fix_bogus, a deadline that is negative or 13 days away or more becomes
 * 100ms from now, as Xen does for set_timer_op (old Linux guests computed
 * such values from an overflowing jiffies).
 */
static void start_timer(struct kvm_vcpu *vcpu, u64 deadline, bool fix_bogus)
{
	ktime_t mono;
	u64 now = kvm_xen_accel_guest_clock(vcpu, &mono);
	s64 delta = deadline - now;

	if (fix_bogus && ((s64)deadline < 0 ||
			  (delta > 0 && delta >= XEN_TIMER_SANE_DELTA))) {
		delta = XEN_TIMER_BOGUS_DELAY;
		deadline = now + delta;
	}

	stop_timer(vcpu);
	vcpu->arch.xen.timer_expires = deadline;
	trace_xen_evtchn_timer(vcpu->arch.xen.vcpu_id, XEN_TIMER_ARM, deadline);
	if (delta <= 0)
		xen_evtchn_timer_expired(vcpu);
	else
		hrtimer_start(&vcpu->arch.xen.timer, ktime_add_ns(mono, delta),
			      HRTIMER_MODE_ABS_SOFT);
}

/**
 * xen_evtchn_set_timer_attr() - KVM_XEN_VCPU_ATTR_TYPE_TIMER, set
 * @vcpu: the vCPU
 * @data: port (0: no timer VIRQ), priority, and deadline (0: not armed)
 *
 * A deadline in the past fires at once.  If the port is already pending
 * and unmasked, its selector bit is set again (see resync.c).
 *
 * Context: process context, vcpu->mutex held.
 * Return: 0, or -EINVAL for a port with a priority other than 2-level.
 */
int xen_evtchn_set_timer_attr(struct kvm_vcpu *vcpu,
			      struct kvm_xen_vcpu_attr *data)
{
	struct kvm_xen_evtchn e;

	if (data->u.timer.port &&
	    data->u.timer.priority != KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL)
		return -EINVAL;

	stop_timer(vcpu);
	WRITE_ONCE(vcpu->arch.xen.timer_virq, data->u.timer.port);
	if (!data->u.timer.port)
		return 0;

	e = timer_event(vcpu);
	xen_evtchn_sync_at_setup(vcpu->kvm, &e);
	if (data->u.timer.expires_ns)
		start_timer(vcpu, data->u.timer.expires_ns, false);
	return 0;
}

/**
 * xen_evtchn_get_timer_attr() - KVM_XEN_VCPU_ATTR_TYPE_TIMER, get
 * @vcpu: the vCPU
 * @data: filled with the port, priority and pending deadline
 *
 * A timer event that waits is raised first, so that the state returned is
 * either a deadline still to come or an event in shared_info, never one
 * lost in between.  An event that still waits for shared_info keeps its
 * (past) deadline: restored, it fires at once.
 *
 * Context: process context, vcpu->mutex held; no Xen lock held (delivery
 * may take them).
 */
void xen_evtchn_get_timer_attr(struct kvm_vcpu *vcpu,
			       struct kvm_xen_vcpu_attr *data)
{
	bool armed = false;

	if (vcpu->arch.xen.timer_expires) {
		armed = hrtimer_cancel(&vcpu->arch.xen.timer);
		xen_evtchn_inject_timer_irqs(vcpu);
	}
	data->u.timer.port = vcpu->arch.xen.timer_virq;
	data->u.timer.priority = KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL;
	data->u.timer.expires_ns = vcpu->arch.xen.timer_expires;

	/* Still to come: arm it again (the snapshot is taken). */
	if (armed)
		hrtimer_start_expires(&vcpu->arch.xen.timer,
				      HRTIMER_MODE_ABS_SOFT);
}

/**
 * xen_evtchn_hcall_set_timer_op() - the guest's set_timer_op
 * @vcpu: the vCPU
 * @deadline: guest kvmclock nanoseconds; 0 stops the timer
 * @result: the hypercall's result
 *
 * Return: true if handled (the vCPU has a timer VIRQ), else false.
 */
bool xen_evtchn_hcall_set_timer_op(struct kvm_vcpu *vcpu, u64 deadline,
				   u64 *result)
{
	if (!vcpu->arch.xen.timer_virq)
		return false;
	if (deadline)
		start_timer(vcpu, deadline, true);
	else
		stop_timer(vcpu);
	*result = 0;
	return true;
}

/**
 * xen_evtchn_hcall_vcpu_op() - the guest's VCPUOP_*_singleshot_timer
 * @vcpu: the vCPU
 * @is_64bit: the hypercall's ABI
 * @cmd: the VCPUOP
 * @vcpu_id: the Xen vCPU the op is for: only the caller itself
 *
 * @cmd and @vcpu_id are ints in Xen's ABI: the upper half of a 64-bit
 * guest's registers is ignored.
 * @arg: guest virtual address of struct vcpu_set_singleshot_timer
 * @result: the hypercall's result
 *
 * Return: true if handled (the vCPU has a timer VIRQ and @cmd is one of
 * the two), else false.
 */
bool xen_evtchn_hcall_vcpu_op(struct kvm_vcpu *vcpu, bool is_64bit, int cmd,
			      int vcpu_id, u64 arg, u64 *result)
{
	struct vcpu_set_singleshot_timer t;
	unsigned int len = is_64bit ? sizeof(t) : XEN_COMPAT_SINGLESHOT_SIZE;

	if (!vcpu->arch.xen.timer_virq)
		return false;
	if (cmd != VCPUOP_set_singleshot_timer &&
	    cmd != VCPUOP_stop_singleshot_timer)
		return false;

	if ((u32)vcpu_id != vcpu->arch.xen.vcpu_id) {
		*result = -EINVAL;
		return true;
	}
	if (cmd == VCPUOP_stop_singleshot_timer) {
		stop_timer(vcpu);
		*result = 0;
		return true;
	}

	if (kvm_xen_accel_read_guest_virt(vcpu, arg, &t, len)) {
		*result = -EFAULT;
		return true;
	}
	start_timer(vcpu, t.timeout_abs_ns, false);
	*result = 0;
	return true;
}
