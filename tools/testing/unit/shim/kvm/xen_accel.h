/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in for the hook's interface: see kernel_shim.h. */
#ifndef _KVM_XEN_ACCEL_H
#define _KVM_XEN_ACCEL_H

#include "kernel_shim.h"

/* As on 6.12 (compat/include/kvm/xen_accel_compat.h). */
#define KVM_XEN_ACCEL_HAVE_HVA true
#define xen_accel_vcpu_attr_hva(d) ((d)->u.hva)

static inline struct mutex *kvm_xen_accel_lock(struct kvm *kvm)
{
	return &kvm->arch.xen.xen_lock;
}

/* As on 6.12: the second runstate cache is KVM's own. */
static inline struct gfn_to_pfn_cache *
kvm_xen_accel_runstate2_cache(struct kvm_vcpu *vcpu, bool create)
{
	return &vcpu->arch.xen.runstate2_cache;
}

static inline bool kvm_xen_accel_runstate_flag(struct kvm *kvm)
{
	return kvm->arch.xen.runstate_update_flag;
}

void *kvm_xen_accel_bound_data(struct kvm *kvm);
int kvm_xen_accel_read_guest_virt(struct kvm_vcpu *vcpu, u64 gva, void *buf,
				  unsigned int len);
int kvm_xen_accel_deliver_vector(struct kvm_vcpu *vcpu, u8 vector);
u64 kvm_xen_accel_guest_clock(struct kvm_vcpu *vcpu, ktime_t *mono);

#endif
