// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's hypercalls: KVM_XEN_HVM_CONFIG (the hypercall MSR, and
 * whether KVM intercepts hypercalls), the hypercall page the guest asks for
 * by writing that MSR, and the dispatch of each hypercall.
 *
 * With interception, the hypercalls the kernel accelerates are handled
 * here; every other one, and every one made at a guest CPL other than 0,
 * exits to the VMM as KVM_EXIT_XEN, whose result is returned to the guest
 * on the next KVM_RUN if the guest's RIP has not moved meanwhile.
 *
 * Owns kvm->arch.xen_hvm_config (read by KVM's MSR and hypercall paths),
 * this VM's count in the kvm_xen_enabled static key (one while the
 * hypercall MSR is configured), vcpu->arch.xen.hypercall_rip and the
 * vCPU's complete_userspace_io while a hypercall is with the VMM.
 *
 * Locking: xen_lock serializes configuration.
 * Context: the VM ioctl in process context; the MSR write and the
 * hypercalls in vCPU context.
 */

#include <linux/kvm_host.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <kvm/xen_accel.h>
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/version.h>

#include "xen_evtchn.h"

/* One count in kvm_xen_enabled per VM whose hypercall MSR is configured. */
static void count_msr(bool had, bool has)
{
	if (has && !had)
		static_branch_inc(&kvm_xen_enabled.key);
	else if (had && !has)
		static_branch_slow_dec_deferred(&kvm_xen_enabled);
}

/**
 * xen_evtchn_hvm_config() - KVM_XEN_HVM_CONFIG
 * @kvm: the VM
 * @xhc: the configuration, copied from userspace
 *
 * Context: process context; takes xen_lock.
 * Return: 0; -EINVAL for a flag a VMM may not set (on this kernel: any
 * but KVM_XEN_ACCEL_CONFIG_FLAGS), or a hypercall page blob together
 * with hypercall interception (KVM writes the page then).
 */
int xen_evtchn_hvm_config(struct kvm *kvm, struct kvm_xen_hvm_config *xhc)
{
	struct kvm_xen_hvm_config *cur = &kvm->arch.xen_hvm_config;
	bool blob = xhc->blob_addr_32 || xhc->blob_addr_64 ||
		    xhc->blob_size_32 || xhc->blob_size_64;
	bool clock_flag_moved;

	might_sleep();
	if (xhc->flags & ~KVM_XEN_ACCEL_CONFIG_FLAGS)
		return -EINVAL;
	if (blob && (xhc->flags & KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL))
		return -EINVAL;

	mutex_lock(kvm_xen_accel_lock(kvm));
	count_msr(cur->msr, xhc->msr);
	clock_flag_moved = (cur->flags ^ xhc->flags) &
			   KVM_XEN_HVM_CONFIG_PVCLOCK_TSC_UNSTABLE;
	*cur = *xhc;
	mutex_unlock(kvm_xen_accel_lock(kvm));

	/* The flag changes what KVM writes into the guest's pvclocks. */
	if (clock_flag_moved)
		kvm_make_all_cpus_request(kvm, KVM_REQ_CLOCK_UPDATE);
	return 0;
}

/**
 * xen_evtchn_release_config() - drop the VM's kvm_xen_enabled count
 * @kvm: the VM being destroyed
 *
 * Context: process context.
 */
void xen_evtchn_release_config(struct kvm *kvm)
{
	count_msr(kvm->arch.xen_hvm_config.msr, false);
}

/* Fill the guest page at @gpa with entries that trap to KVM. */
static int write_intercept_page(struct kvm_vcpu *vcpu, gpa_t gpa)
{
	u8 entry[XEN_HCALL_ENTRY_SIZE];
	u32 nr;

	memset(entry, 0xcc, sizeof(entry));		/* int3 */
	entry[0] = 0xb8;				/* mov $imm32, %eax */
	kvm_xen_accel_patch_hypercall(vcpu, &entry[5]);	/* vmcall */
	entry[8] = 0xc3;				/* ret */

	for (nr = 0; nr < PAGE_SIZE / XEN_HCALL_ENTRY_SIZE; nr++) {
		put_unaligned_le32(nr, &entry[1]);
		if (kvm_vcpu_write_guest(vcpu, gpa + nr * XEN_HCALL_ENTRY_SIZE,
					 entry, sizeof(entry)))
			return 1;
	}
	return 0;
}

/* Copy page @index of the VMM's blob for the guest's mode to @gpa. */
static int write_blob_page(struct kvm_vcpu *vcpu, gpa_t gpa, u32 index,
			   bool long_mode)
{
	struct kvm_xen_hvm_config *cfg = &vcpu->kvm->arch.xen_hvm_config;
	u64 blob = long_mode ? cfg->blob_addr_64 : cfg->blob_addr_32;
	u8 pages = long_mode ? cfg->blob_size_64 : cfg->blob_size_32;
	void *page;
	int ret;

	if (index >= pages)
		return 1;
	page = memdup_user(u64_to_user_ptr(blob + (u64)index * PAGE_SIZE),
			   PAGE_SIZE);
	if (IS_ERR(page))
		return PTR_ERR(page);
	ret = kvm_vcpu_write_guest(vcpu, gpa, page, PAGE_SIZE) ? 1 : 0;
	kfree(page);
	return ret;
}

/**
 * xen_evtchn_write_hypercall_page() - the guest wrote the hypercall MSR
 * @vcpu: the vCPU
 * @data: the page's guest physical address, with the page index in the
 *	low bits
 *
 * The guest's mode at this point is its mode from now on (a change of mode
 * moves the wallclock, see xen_evtchn_set_long_mode()).  With hypercall
 * interception, KVM writes its own page (index 0 only); otherwise it copies
 * the page of the VMM's 64-bit or 32-bit blob.
 *
 * Context: vCPU context.
 * Return: 0; 1 to inject #GP; or a negative errno for the MSR write.
 */
int xen_evtchn_write_hypercall_page(struct kvm_vcpu *vcpu, u64 data)
{
	struct kvm *kvm = vcpu->kvm;
	bool long_mode = kvm_xen_accel_long_mode(vcpu);
	u32 index = data & ~PAGE_MASK;
	gpa_t gpa = data & PAGE_MASK;

	if (xen_evtchn_set_long_mode(kvm, long_mode, false))
		return 1;

	if (kvm->arch.xen_hvm_config.flags & KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL)
		return index ? 1 : write_intercept_page(vcpu, gpa);
	return write_blob_page(vcpu, gpa, index, long_mode);
}

/*
 * Where the hypercall number and then its six arguments are: in the 32-bit
 * ABI, and in the 64-bit ABI.
 */
static const u8 hcall_regs[2][KVM_XEN_ACCEL_HCALL_REGS] = {
	{ VCPU_REGS_RAX, VCPU_REGS_RBX, VCPU_REGS_RCX, VCPU_REGS_RDX,
	  VCPU_REGS_RSI, VCPU_REGS_RDI, VCPU_REGS_RBP },
	{ VCPU_REGS_RAX, VCPU_REGS_RDI, VCPU_REGS_RSI, VCPU_REGS_RDX,
	  VCPU_REGS_R10, VCPU_REGS_R8, VCPU_REGS_R9 },
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
	struct kvm_run *run = vcpu->run;
	struct kvm_xen_accel_hcall hc;
	const u64 *args = &hc.val[1];
	u64 result;
	int i;

	lockdep_assert_held(&vcpu->mutex);
	kvm_xen_accel_read_hcall(vcpu, hcall_regs, &hc);

	/* Guest user space may make a few hypercalls: the VMM sorts those. */
	if (hc.cpl == 0 &&
	    handle_in_kernel(vcpu, hc.is_64bit, hc.val[0], args, &result))
		return kvm_xen_accel_complete_hypercall(vcpu, result);

	xen_evtchn_count(vcpu->kvm, XEN_STAT_TO_VMM);
	run->exit_reason = KVM_EXIT_XEN;
	run->xen.type = KVM_EXIT_XEN_HCALL;
	run->xen.u.hcall.longmode = hc.is_64bit;
	run->xen.u.hcall.cpl = hc.cpl;
	run->xen.u.hcall.input = hc.val[0];
	for (i = 0; i < ARRAY_SIZE(run->xen.u.hcall.params); i++)
		run->xen.u.hcall.params[i] = args[i];
	vcpu->arch.xen.hypercall_rip = kvm_xen_accel_read_rip(vcpu);
	vcpu->arch.complete_userspace_io = complete_hypercall_from_vmm;
	return 0;
}
