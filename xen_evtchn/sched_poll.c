// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's SCHEDOP_poll and SCHEDOP_yield.
 *
 * SCHEDOP_poll blocks the vCPU until one of the listed ports is pending,
 * masked or not, or until its timeout: it returns at once if one is pending
 * already.  While it blocks, the vCPU's bit in kvm->arch.xen.poll_mask is
 * set and vcpu->arch.xen.poll_evtchn names the port (-1: several); the
 * delivery path (xen_evtchn_wake_poller(), inline in xen_evtchn.h) clears
 * the bit and wakes it, and so does the poll timer.  The VM needs an
 * in-kernel local APIC and KVM_XEN_HVM_CONFIG_EVTCHN_SEND for
 * SCHEDOP_poll; without, it yields.
 *
 * Owns poll_mask and poll_evtchn.  The vCPU does not hold kvm->srcu while
 * it blocks, so that writers waiting for an SRCU grace period (the port
 * table, memslot changes) do not wait for the poll.
 *
 * Context: the hypercall in vCPU context; xen_evtchn_wake_polling() in any
 * context; the poll timer's callback in softirq context.
 */

#include <linux/jiffies.h>
#include <linux/kvm_host.h>
#include <linux/slab.h>

#include <kvm/xen_accel.h>

#include "xen_evtchn.h"

#include <trace/events/xen_evtchn.h>

/* Is one of @ports pending?  Also true if shared_info is not mapped. */
static bool any_pending(struct kvm *kvm, const struct xen_2l_abi *abi,
			const u32 *ports, unsigned int n)
{
	struct gfn_to_pfn_cache *gpc = &kvm->arch.xen.shinfo_cache;
	unsigned long flags;
	bool ret = true;
	unsigned int i;
	int idx;

	idx = srcu_read_lock(&kvm->srcu);
	read_lock_irqsave(&gpc->lock, flags);
	if (kvm_xen_accel_gpc_check(kvm, gpc, PAGE_SIZE)) {
		ret = false;
		for (i = 0; i < n && !ret; i++)
			ret = test_bit(ports[i], gpc->khva + abi->pending_off);
	}
	read_unlock_irqrestore(&gpc->lock, flags);
	srcu_read_unlock(&kvm->srcu, idx);
	return ret;
}

/* Read the guest's struct sched_poll into its parts. */
static int read_poll_args(struct kvm_vcpu *vcpu, bool is_64bit, u64 arg,
			  u64 *ports, u32 *nr_ports, u64 *timeout)
{
	if (is_64bit) {
		struct sched_poll sp;

		if (kvm_xen_accel_read_guest_virt(vcpu, arg, &sp, sizeof(sp)))
			return -EFAULT;
		*ports = (unsigned long)sp.ports;
		*nr_ports = sp.nr_ports;
		*timeout = sp.timeout;
	} else {
		struct xen_compat_sched_poll sp;

		if (kvm_xen_accel_read_guest_virt(vcpu, arg, &sp, sizeof(sp)))
			return -EFAULT;
		*ports = sp.ports;
		*nr_ports = sp.nr_ports;
		*timeout = sp.timeout;
	}
	return 0;
}

static void block_until_event(struct kvm_vcpu *vcpu, u64 timeout)
{
	might_sleep();
	vcpu->arch.mp_state = KVM_MP_STATE_HALTED;
	if (timeout)
		mod_timer(&vcpu->arch.xen.poll_timer,
			  jiffies + nsecs_to_jiffies(timeout));
	kvm_vcpu_srcu_read_unlock(vcpu);
	kvm_vcpu_halt(vcpu);
	kvm_vcpu_srcu_read_lock(vcpu);
	if (timeout)
		del_timer(&vcpu->arch.xen.poll_timer);
	vcpu->arch.mp_state = KVM_MP_STATE_RUNNABLE;
}

static bool poll(struct kvm_vcpu *vcpu, bool is_64bit, u64 arg, u64 *result)
{
	struct kvm *kvm = vcpu->kvm;
	const struct xen_2l_abi *abi = xen_evtchn_abi(kvm);
	u64 ports_gva, timeout;
	u32 nr_ports, one, *ports = &one;
	unsigned int i;
	long ret;

	if (!vcpu->arch.apic ||
	    !(kvm->arch.xen_hvm_config.flags & KVM_XEN_HVM_CONFIG_EVTCHN_SEND))
		return false;

	ret = read_poll_args(vcpu, is_64bit, arg, &ports_gva, &nr_ports,
			     &timeout);
	if (ret)
		goto out;
	ret = -EINVAL;
	if (nr_ports > XEN_POLL_MAX_PORTS)
		goto out;
	if (nr_ports > 1) {
		ret = -ENOMEM;
		ports = kmalloc_array(nr_ports, sizeof(*ports), GFP_KERNEL);
		if (!ports)
			goto out;
	}
	ret = -EFAULT;
	if (kvm_xen_accel_read_guest_virt(vcpu, ports_gva, ports,
					  nr_ports * sizeof(*ports)))
		goto out_free;
	ret = -EINVAL;
	for (i = 0; i < nr_ports; i++)
		if (ports[i] >= abi->ports)
			goto out_free;

	vcpu->arch.xen.poll_evtchn = nr_ports == 1 ? ports[0] : -1;
	set_bit(vcpu->vcpu_idx, kvm->arch.xen.poll_mask);
	if (!any_pending(kvm, abi, ports, nr_ports)) {
		xen_evtchn_count(kvm, XEN_STAT_POLL_BLOCKED);
		trace_xen_evtchn_poll(vcpu->arch.xen.vcpu_id, XEN_POLL_BLOCK,
				      vcpu->arch.xen.poll_evtchn);
		block_until_event(vcpu, timeout);
	}
	clear_bit(vcpu->vcpu_idx, kvm->arch.xen.poll_mask);
	vcpu->arch.xen.poll_evtchn = 0;
	ret = 0;
out_free:
	if (ports != &one)
		kfree(ports);
out:
	*result = ret;
	return true;
}

/**
 * xen_evtchn_wake_polling() - wake @vcpu if it still blocks in its poll
 * @vcpu: a vCPU that polls @port, or several ports
 * @port: the port that became pending
 *
 * For xen_evtchn_wake_poller(), which tested poll_evtchn.
 *
 * Context: any; does not sleep.
 */
void xen_evtchn_wake_polling(struct kvm_vcpu *vcpu, unsigned int port)
{
	if (test_and_clear_bit(vcpu->vcpu_idx, vcpu->kvm->arch.xen.poll_mask)) {
		trace_xen_evtchn_poll(vcpu->arch.xen.vcpu_id, XEN_POLL_WAKE, port);
		kvm_make_request(KVM_REQ_UNBLOCK, vcpu);
		kvm_vcpu_kick(vcpu);
	}
}

/**
 * xen_evtchn_poll_timeout() - a SCHEDOP_poll's timeout passed
 * @vcpu: the polling vCPU
 *
 * Context: softirq context.
 */
void xen_evtchn_poll_timeout(struct kvm_vcpu *vcpu)
{
	trace_xen_evtchn_poll(vcpu->arch.xen.vcpu_id, XEN_POLL_WAKE, -1);
	kvm_make_request(KVM_REQ_UNBLOCK, vcpu);
	kvm_vcpu_kick(vcpu);
}

/**
 * xen_evtchn_hcall_sched_op() - the guest's sched_op hypercall
 * @vcpu: the vCPU
 * @is_64bit: the hypercall's ABI
 * @cmd: the SCHEDOP: an int in Xen's ABI, so the upper half of a 64-bit
 *	guest's register is ignored
 * @arg: its argument (for SCHEDOP_poll, a struct sched_poll's address)
 * @result: the hypercall's result
 *
 * Context: vCPU context, kvm->srcu held; may block.
 * Return: true if handled (SCHEDOP_poll and SCHEDOP_yield), else false.
 */
bool xen_evtchn_hcall_sched_op(struct kvm_vcpu *vcpu, bool is_64bit, int cmd,
			       u64 arg, u64 *result)
{
	/* A poll the VM cannot do (no APIC, no consent) becomes a yield. */
	bool handled = cmd == SCHEDOP_poll && poll(vcpu, is_64bit, arg, result);

	if (handled)
		return true;
	if (cmd != SCHEDOP_poll && cmd != SCHEDOP_yield)
		return false;
	kvm_vcpu_on_spin(vcpu, true);
	*result = 0;
	return true;
}
