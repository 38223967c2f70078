/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in: the 64-bit guest ABI's vcpu_info and shared_info. */
#ifndef SHIM_XEN_H
#define SHIM_XEN_H

#include "kernel_shim.h"
#include <asm/pvclock-abi.h>

struct vcpu_info {
	u8 evtchn_upcall_pending;
	u8 evtchn_upcall_mask;
	unsigned long evtchn_pending_sel;
	unsigned long arch_cr2;
	unsigned long arch_pfec;
	struct pvclock_vcpu_time_info time;
};

struct shared_info {
	struct vcpu_info vcpu_info[32];
	unsigned long evtchn_pending[64];
	unsigned long evtchn_mask[64];
	struct pvclock_wall_clock wc;
	u32 wc_sec_hi;
	u8 arch[64];
};

BUILD_BUG_ON(sizeof(struct vcpu_info) != 64);
BUILD_BUG_ON(offsetof(struct vcpu_info, evtchn_pending_sel) != 8);
BUILD_BUG_ON(offsetof(struct shared_info, evtchn_pending) != 0x800);
BUILD_BUG_ON(offsetof(struct shared_info, evtchn_mask) != 0xa00);
BUILD_BUG_ON(offsetof(struct shared_info, wc) != 0xc00);

#endif
