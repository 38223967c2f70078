/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace stand-in: the pvclock structs, as far as the module's files
 * under test look into them (they only need the per-vCPU one's size).
 */
#ifndef SHIM_PVCLOCK_ABI_H
#define SHIM_PVCLOCK_ABI_H

#include "kernel_shim.h"

struct pvclock_vcpu_time_info {
	u8 opaque[32];
};

struct pvclock_wall_clock {
	u32 version, sec, nsec;
};

#endif
