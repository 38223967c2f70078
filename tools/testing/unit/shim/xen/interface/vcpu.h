/* SPDX-License-Identifier: GPL-2.0-only */
/* The VCPUOP ABI numbers and struct that timer.c uses (Xen's vcpu.h). */
#ifndef SHIM_XEN_VCPU_H
#define SHIM_XEN_VCPU_H

#include "kernel_shim.h"

#define VCPUOP_set_singleshot_timer	4
#define VCPUOP_stop_singleshot_timer	5

struct vcpu_set_singleshot_timer {
	u64 timeout_abs_ns;
	u32 flags;
};

#endif
