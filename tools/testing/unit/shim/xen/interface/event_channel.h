/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in: the event channel ABI numbers ports.c uses. */
#ifndef SHIM_EVENT_CHANNEL_H
#define SHIM_EVENT_CHANNEL_H

#include "kernel_shim.h"

#define EVTCHNOP_send		4
#define EVTCHNSTAT_closed	0
#define EVTCHNSTAT_interdomain	2
#define EVTCHNSTAT_ipi		5

struct evtchn_send {
	u32 port;
};

#endif
