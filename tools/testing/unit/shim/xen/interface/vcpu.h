/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in: the vCPU ABI of Xen's vcpu.h that guest_abi.h uses. */
#ifndef SHIM_XEN_VCPU_H
#define SHIM_XEN_VCPU_H

#include "kernel_shim.h"

#define VCPUOP_set_singleshot_timer	4
#define VCPUOP_stop_singleshot_timer	5

struct vcpu_set_singleshot_timer {
	u64 timeout_abs_ns;
	u32 flags;
};

#define RUNSTATE_running	0
#define RUNSTATE_runnable	1
#define RUNSTATE_blocked	2
#define RUNSTATE_offline	3
#define XEN_RUNSTATE_UPDATE	BIT_ULL(63)

struct vcpu_runstate_info {
	int state;
	u64 state_entry_time;
	u64 time[4];
};

#endif
