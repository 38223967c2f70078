/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Xen guest ABI that xen_evtchn.ko implements, in both guest widths:
 * the 32-bit ("compat") layouts next to the 64-bit ones of
 * the headers in xen/interface/, the 2-level event channel geometry of each, the
 * upcall vector bounds, the hypercall page and hypercall registers, the
 * runstate area and the poll and timer arguments.  xen_guest_abi_check()
 * pins every offset the module relies on at build time.
 *
 * Only constants and layouts: no state, no locking, any context.
 */
#ifndef _XEN_EVTCHN_GUEST_ABI_H
#define _XEN_EVTCHN_GUEST_ABI_H

#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>
#include <asm/pvclock-abi.h>
#include <xen/interface/xen.h>
#include <xen/interface/sched.h>
#include <xen/interface/vcpu.h>

/* Vectors 0-15 are exceptions: an upcall vector is 0 (none) or above. */
#define XEN_MIN_UPCALL_VECTOR	0x10

/* Each entry of the hypercall page KVM writes: mov $nr,%eax; vmcall; ret. */
#define XEN_HCALL_ENTRY_SIZE	32

/* Xen's own limit on the ports of one SCHEDOP_poll. */
#define XEN_POLL_MAX_PORTS	128

/* The 32-bit layout of struct vcpu_info: 4-byte selector. */
struct xen_compat_vcpu_info {
	u8 evtchn_upcall_pending;
	u8 evtchn_upcall_mask;
	u16 pad;
	u32 evtchn_pending_sel;
	u32 arch_cr2;
	u32 arch_pad[5];
	struct pvclock_vcpu_time_info time;
};

/* vCPUs whose vcpu_info is in shared_info itself */
#define XEN_COMPAT_LEGACY_VCPUS	32

/* The 32-bit layout of struct shared_info: 32 words of 32 ports. */
struct xen_compat_shared_info {
	struct xen_compat_vcpu_info vcpu_info[XEN_COMPAT_LEGACY_VCPUS];
	u32 evtchn_pending[32];
	u32 evtchn_mask[32];
	struct pvclock_wall_clock wc;
	u32 arch_max_pfn;
	u32 arch_pfn_to_mfn_frame_list_list;
	u32 arch_nmi_reason;
	u32 arch_p2m_cr3;
	u32 arch_p2m_vaddr;
	u32 arch_p2m_generation;
	u32 arch_wc_sec_hi;
};

/* The 32-bit layout of struct sched_poll: a 4-byte guest pointer. */
struct xen_compat_sched_poll {
	u32 ports;
	u32 nr_ports;
	u64 timeout;
} __packed;

/*
 * The 32-bit struct vcpu_set_singleshot_timer has no tail padding: it
 * ends with flags.
 */
#define XEN_COMPAT_SINGLESHOT_SIZE					\
	offsetofend(struct vcpu_set_singleshot_timer, flags)

/*
 * struct vcpu_runstate_info: state, then state_entry_time and the four
 * times, 8-byte aligned in the 64-bit ABI, packed after state in the
 * 32-bit one.  XEN_RUNSTATE_UPDATE is the top bit of state_entry_time.
 */
#define XEN_RUNSTATE_ENTRY_OFF_64	8
#define XEN_RUNSTATE_ENTRY_OFF_32	4
#define XEN_RUNSTATE_SIZE_64		48
#define XEN_RUNSTATE_SIZE_32		44
#define XEN_RUNSTATE_FLAG_BYTE		7	/* of state_entry_time */

/**
 * struct xen_2l_abi - the 2-level event channel ABI of one guest width
 * @ports: how many ports there are
 * @word_bits: ports per selector bit (the width of a bitmap word)
 * @pending_off: evtchn_pending's offset in shared_info
 * @mask_off: evtchn_mask's offset in shared_info
 * @selector_off: evtchn_pending_sel's offset in vcpu_info
 */
struct xen_2l_abi {
	unsigned int ports;
	unsigned int word_bits;
	unsigned int pending_off;
	unsigned int mask_off;
	unsigned int selector_off;
};

/**
 * xen_2l_abi() - the 2-level ABI of a guest width
 * @long_mode: the 64-bit ABI, else the 32-bit one
 *
 * Return: the ABI's geometry; 4096 ports in 64 words of 64, or 1024 in
 * 32 words of 32.
 */
static inline const struct xen_2l_abi *xen_2l_abi(bool long_mode)
{
	static const struct xen_2l_abi abi64 = {
		.ports = 64 * 64,
		.word_bits = 64,
		.pending_off = offsetof(struct shared_info, evtchn_pending),
		.mask_off = offsetof(struct shared_info, evtchn_mask),
		.selector_off = offsetof(struct vcpu_info, evtchn_pending_sel),
	};
	static const struct xen_2l_abi abi32 = {
		.ports = 32 * 32,
		.word_bits = 32,
		.pending_off = offsetof(struct xen_compat_shared_info,
					evtchn_pending),
		.mask_off = offsetof(struct xen_compat_shared_info, evtchn_mask),
		.selector_off = offsetof(struct xen_compat_vcpu_info,
					 evtchn_pending_sel),
	};

	return long_mode ? &abi64 : &abi32;
}

/**
 * xen_guest_abi_check() - the layouts above are the guest's
 *
 * Offsets are those of Xen's public headers for x86, in both widths; a
 * build with a layout that drifted fails here.
 */
static inline void xen_guest_abi_check(void)
{
	/* vcpu_info: the upcall flag first, then the selector. */
	BUILD_BUG_ON(sizeof(struct vcpu_info) != 64);
	BUILD_BUG_ON(sizeof(struct xen_compat_vcpu_info) != 64);
	BUILD_BUG_ON(offsetof(struct vcpu_info, evtchn_upcall_pending) != 0);
	BUILD_BUG_ON(offsetof(struct xen_compat_vcpu_info,
			      evtchn_upcall_pending) != 0);
	BUILD_BUG_ON(offsetof(struct vcpu_info, evtchn_pending_sel) != 8);
	BUILD_BUG_ON(offsetof(struct xen_compat_vcpu_info,
			      evtchn_pending_sel) != 4);
	BUILD_BUG_ON(offsetof(struct vcpu_info, time) != 32);
	BUILD_BUG_ON(offsetof(struct xen_compat_vcpu_info, time) != 32);

	/* shared_info: the bitmaps, then the wallclock. */
	BUILD_BUG_ON(offsetof(struct shared_info, evtchn_pending) != 0x800);
	BUILD_BUG_ON(offsetof(struct xen_compat_shared_info,
			      evtchn_pending) != 0x800);
	BUILD_BUG_ON(offsetof(struct shared_info, evtchn_mask) != 0xa00);
	BUILD_BUG_ON(offsetof(struct xen_compat_shared_info,
			      evtchn_mask) != 0x880);
	BUILD_BUG_ON(offsetof(struct shared_info, wc) != 0xc00);
	BUILD_BUG_ON(offsetof(struct xen_compat_shared_info, wc) != 0x900);
	BUILD_BUG_ON(offsetof(struct shared_info, wc_sec_hi) != 0xc0c);
	BUILD_BUG_ON(offsetof(struct xen_compat_shared_info,
			      arch_wc_sec_hi) != 0x924);

	/* Poll and timer arguments. */
	BUILD_BUG_ON(sizeof(struct sched_poll) != 24);
	BUILD_BUG_ON(sizeof(struct xen_compat_sched_poll) != 16);
	BUILD_BUG_ON(sizeof(struct vcpu_set_singleshot_timer) != 16);
	BUILD_BUG_ON(XEN_COMPAT_SINGLESHOT_SIZE != 12);

	/* The runstate area. */
	BUILD_BUG_ON(offsetof(struct vcpu_runstate_info, state_entry_time) !=
		     XEN_RUNSTATE_ENTRY_OFF_64);
	BUILD_BUG_ON(sizeof(struct vcpu_runstate_info) != XEN_RUNSTATE_SIZE_64);
	BUILD_BUG_ON(BIT_ULL(XEN_RUNSTATE_FLAG_BYTE * 8 + 7) !=
		     XEN_RUNSTATE_UPDATE);
}

#endif /* _XEN_EVTCHN_GUEST_ABI_H */
