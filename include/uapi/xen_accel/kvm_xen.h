/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * KVM's Xen UAPI as of Linux 6.12, the part that older <linux/kvm.h>
 * headers lack.  xen_evtchn.ko implements 6.12's Xen ABI on every kernel it
 * supports (Documentation/kernels.rst); on 6.1 these numbers come from
 * here.  Each is the value 6.12 gives it, so a header that already has it
 * agrees.
 *
 * The 6.12 fields these types use sit at the same offsets as fields that
 * 6.1's structs have: include/kvm/xen_accel_compat.h names them there.
 */
#ifndef _UAPI_XEN_ACCEL_KVM_XEN_H
#define _UAPI_XEN_ACCEL_KVM_XEN_H

/* KVM_CAP_XEN_HVM flags (6.3 and 6.9). */
#ifndef KVM_XEN_HVM_CONFIG_RUNSTATE_UPDATE_FLAG
#define KVM_XEN_HVM_CONFIG_RUNSTATE_UPDATE_FLAG	(1 << 6)
#endif
#ifndef KVM_XEN_HVM_CONFIG_PVCLOCK_TSC_UNSTABLE
#define KVM_XEN_HVM_CONFIG_PVCLOCK_TSC_UNSTABLE	(1 << 7)
#endif
#ifndef KVM_XEN_HVM_CONFIG_SHARED_INFO_HVA
#define KVM_XEN_HVM_CONFIG_SHARED_INFO_HVA	(1 << 8)
#endif

/* "None" for shared_info's GFN and for a vCPU area's GPA (6.9's names). */
#ifndef KVM_XEN_INVALID_GFN
#define KVM_XEN_INVALID_GFN ((__u64)-1)
#endif
#ifndef KVM_XEN_INVALID_GPA
#define KVM_XEN_INVALID_GPA ((__u64)-1)
#endif

/* KVM_XEN_HVM_{GET,SET}_ATTR types (6.3 and 6.9). */
#ifndef KVM_XEN_ATTR_TYPE_RUNSTATE_UPDATE_FLAG
#define KVM_XEN_ATTR_TYPE_RUNSTATE_UPDATE_FLAG	0x5
#endif
#ifndef KVM_XEN_ATTR_TYPE_SHARED_INFO_HVA
#define KVM_XEN_ATTR_TYPE_SHARED_INFO_HVA	0x6
#endif

/* KVM_XEN_VCPU_{GET,SET}_ATTR type (6.9). */
#ifndef KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO_HVA
#define KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO_HVA	0x9
#endif

#endif /* _UAPI_XEN_ACCEL_KVM_XEN_H */
