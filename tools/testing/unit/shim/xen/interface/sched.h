/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in: the 64-bit struct sched_poll (Xen's sched.h). */
#ifndef SHIM_XEN_SCHED_H
#define SHIM_XEN_SCHED_H

#include "kernel_shim.h"

struct sched_poll {
	u64 ports;
	unsigned int nr_ports;
	u64 timeout;
};

#endif
