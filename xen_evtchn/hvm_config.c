// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_XEN_HVM_CONFIG and the hypercall page.
 *
 * Owns kvm->arch.xen_hvm_config (read by KVM's MSR and hypercall paths)
 * and this VM's count in the kvm_xen_enabled static key: one while the
 * hypercall MSR is configured.
 *
 * Locking: kvm->arch.xen.xen_lock serializes configuration.
 * Context: process context (the VM ioctl; the guest's write of the
 * hypercall MSR, in vCPU context).
 */

#include <linux/kvm_host.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/unaligned.h>

#include <kvm/xen_accel.h>

#include "xen_evtchn.h"

/* Flags a VMM may set; the others are capabilities only. */
#define XEN_EVTCHN_CONFIG_FLAGS (KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL |	\
				 KVM_XEN_HVM_CONFIG_EVTCHN_SEND |	\
				 KVM_XEN_HVM_CONFIG_PVCLOCK_TSC_UNSTABLE)

/* One hypercall page entry: mov $nr, %eax; vmcall; ret; int3 padding. */
#define HCALL_ENTRY_SIZE 32

/**
 * xen_evtchn_hvm_config() - KVM_XEN_HVM_CONFIG
 * @kvm: the VM
 * @xhc: the configuration, copied from userspace
 *
 * Return: 0; -EINVAL for a flag a VMM may not set, or a hypercall page
 * blob together with hypercall interception (KVM writes the page then).
 */
int xen_evtchn_hvm_config(struct kvm *kvm, struct kvm_xen_hvm_config *xhc)
{
	u32 old_flags;

	if (xhc->flags & ~XEN_EVTCHN_CONFIG_FLAGS)
		return -EINVAL;
	if ((xhc->flags & KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL) &&
	    (xhc->blob_addr_32 || xhc->blob_addr_64 ||
	     xhc->blob_size_32 || xhc->blob_size_64))
		return -EINVAL;

	mutex_lock(&kvm->arch.xen.xen_lock);
	if (xhc->msr && !kvm->arch.xen_hvm_config.msr)
		static_branch_inc(&kvm_xen_enabled.key);
	else if (!xhc->msr && kvm->arch.xen_hvm_config.msr)
		static_branch_slow_dec_deferred(&kvm_xen_enabled);
	old_flags = kvm->arch.xen_hvm_config.flags;
	kvm->arch.xen_hvm_config = *xhc;
	mutex_unlock(&kvm->arch.xen.xen_lock);

	/* The flag changes what KVM writes into the guest's pvclocks. */
	if ((old_flags ^ xhc->flags) & KVM_XEN_HVM_CONFIG_PVCLOCK_TSC_UNSTABLE)
		kvm_make_all_cpus_request(kvm, KVM_REQ_CLOCK_UPDATE);
	return 0;
}

/**
 * xen_evtchn_release_config() - drop the VM's kvm_xen_enabled count
 * @kvm: the VM being destroyed
 */
void xen_evtchn_release_config(struct kvm *kvm)
{
	if (kvm->arch.xen_hvm_config.msr)
		static_branch_slow_dec_deferred(&kvm_xen_enabled);
}

/* Fill the guest page at @gpa with entries that trap to KVM. */
static int write_intercept_page(struct kvm_vcpu *vcpu, gpa_t gpa)
{
	u8 entry[HCALL_ENTRY_SIZE];
	u32 nr;

	memset(entry, 0xcc, sizeof(entry));		/* int3 */
	entry[0] = 0xb8;				/* mov $imm32, %eax */
	kvm_xen_accel_patch_hypercall(vcpu, &entry[5]);	/* vmcall */
	entry[8] = 0xc3;				/* ret */

	for (nr = 0; nr < PAGE_SIZE / HCALL_ENTRY_SIZE; nr++) {
		put_unaligned_le32(nr, &entry[1]);
		if (kvm_vcpu_write_guest(vcpu, gpa + nr * HCALL_ENTRY_SIZE,
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
