/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in: sched_info (see kernel_shim.h). */
#include "kernel_shim.h"
