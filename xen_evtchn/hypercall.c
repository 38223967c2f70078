// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's hypercalls, with hypercall interception on: those the kernel
 * accelerates are handled here; every other one, and every one made at a
 * guest CPL other than 0, exits to the VMM as KVM_EXIT_XEN, whose result is
 * returned to the guest on the next KVM_RUN if the guest's RIP has not
 * moved meanwhile.
 *
 * Owns vcpu->arch.xen.hypercall_rip and the vCPU's complete_userspace_io
 * while a hypercall is with the VMM.
 *
 * Context: vCPU context (the VM exit of VMCALL/VMMCALL; the next KVM_RUN).
 */

#include <linux/kvm_host.h>

#include <kvm/xen_accel.h>
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/version.h>

#include "xen_evtchn.h"

/* Where the arguments are, in the 64-bit and in the 32-bit ABI. */
static const int hcall_args_64[6] = {
	VCPU_REGS_RDI, VCPU_REGS_RSI, VCPU_REGS_RDX,
	VCPU_REGS_R10, VCPU_REGS_R8, VCPU_REGS_R9,
};

static const int hcall_args_32[6] = {
	VCPU_REGS_RBX, VCPU_REGS_RCX, VCPU_REGS_RDX,
	VCPU_REGS_RSI, VCPU_REGS_RDI, VCPU_REGS_RBP,
};

/*
 * Handle hypercall @nr in the kernel if it is one the accelerator takes;
 * returns true with the guest's result in @result if so.
 */
static bool handle_in_kernel(struct kvm_vcpu *vcpu, bool is_64bit, u64 nr,
			     const u64 *args, u64 *result)
{
	struct kvm *kvm = vcpu->kvm;

	switch (nr) {
	case __HYPERVISOR_sched_op:
		return xen_evtchn_hcall_sched_op(vcpu, is_64bit, args[0], args[1],
						 result);
	case __HYPERVISOR_vcpu_op:
		return xen_evtchn_hcall_vcpu_op(vcpu, is_64bit, args[0], args[1],
						args[2], result);
	case __HYPERVISOR_set_timer_op:
		/* In the 32-bit ABI the deadline is split over two arguments. */
		return xen_evtchn_hcall_set_timer_op(vcpu, is_64bit ? args[0] :
						     args[0] | args[1] << 32,
						     result);
	case __HYPERVISOR_event_channel_op:
		return args[0] == EVTCHNOP_send &&
		       xen_evtchn_hcall_send(vcpu, args[1], result);
	case __HYPERVISOR_xen_version:
		/* The version, if the VMM told KVM; all else is the VMM's. */
		if (args[0] != XENVER_version || !kvm->arch.xen.xen_version)
			return false;
		*result = kvm->arch.xen.xen_version;
		return true;
	default:
		return false;
	}
}

static int complete_hypercall_from_vmm(struct kvm_vcpu *vcpu)
{
	/* The VMM moved the guest on (or reset it): the result is stale. */
	if (kvm_xen_accel_read_rip(vcpu) != vcpu->arch.xen.hypercall_rip)
		return 1;
	return kvm_xen_accel_complete_hypercall(vcpu,
						vcpu->run->xen.u.hcall.result);
}

/**
 * xen_evtchn_hypercall() - a hypercall from the guest
 * @vcpu: the vCPU that made it
 *
 * Context: vCPU context.
 * Return: 1 to re-enter the guest, 0 to exit to the VMM (KVM_EXIT_XEN).
 */
int xen_evtchn_hypercall(struct kvm_vcpu *vcpu)
{
	bool is_64bit = kvm_xen_accel_hypercall_is_64bit(vcpu);
	const int *regs = is_64bit ? hcall_args_64 : hcall_args_32;
	int cpl = kvm_xen_accel_guest_cpl(vcpu);
	struct kvm_run *run = vcpu->run;
	u64 nr, args[6], result;
	int i;

	nr = kvm_xen_accel_read_gpr(vcpu, VCPU_REGS_RAX);
	for (i = 0; i < ARRAY_SIZE(args); i++)
		args[i] = kvm_xen_accel_read_gpr(vcpu, regs[i]);
	if (!is_64bit) {
		nr = (u32)nr;
		for (i = 0; i < ARRAY_SIZE(args); i++)
			args[i] = (u32)args[i];
	}

	/* Guest user space may make a few hypercalls: the VMM sorts those. */
	if (cpl == 0 && handle_in_kernel(vcpu, is_64bit, nr, args, &result))
		return kvm_xen_accel_complete_hypercall(vcpu, result);

	run->exit_reason = KVM_EXIT_XEN;
	run->xen.type = KVM_EXIT_XEN_HCALL;
	run->xen.u.hcall.longmode = is_64bit;
	run->xen.u.hcall.cpl = cpl;
	run->xen.u.hcall.input = nr;
	for (i = 0; i < ARRAY_SIZE(args); i++)
		run->xen.u.hcall.params[i] = args[i];
	vcpu->arch.xen.hypercall_rip = kvm_xen_accel_read_rip(vcpu);
	vcpu->arch.complete_userspace_io = complete_hypercall_from_vmm;
	return 0;
}
