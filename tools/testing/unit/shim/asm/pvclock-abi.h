/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in: the pvclock structs of the guest ABI. */
#ifndef SHIM_PVCLOCK_ABI_H
#define SHIM_PVCLOCK_ABI_H

#include "kernel_shim.h"

struct pvclock_vcpu_time_info {
	u32 version;
	u32 pad0;
	u64 tsc_timestamp;
	u64 system_time;
	u32 tsc_to_system_mul;
	int8_t tsc_shift;
	u8 flags;
	u8 pad[2];
};

struct pvclock_wall_clock {
	u32 version;
	u32 sec;
	u32 nsec;
};

BUILD_BUG_ON(sizeof(struct pvclock_vcpu_time_info) != 32);
BUILD_BUG_ON(sizeof(struct pvclock_wall_clock) != 12);

#endif
