/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in for xen_evtchn's tracepoints: they trace nothing. */
#ifndef _TRACE_XEN_EVTCHN_H
#define _TRACE_XEN_EVTCHN_H

#include "kernel_shim.h"

static inline void trace_xen_evtchn_send(u32 port, int kind, int result) {}
static inline void trace_xen_evtchn_deliver(u32 port, u32 vcpu_id, bool slow,
					    int result) {}
static inline void trace_xen_evtchn_upcall(u32 vcpu_id, int via) {}
static inline void trace_xen_evtchn_timer(u32 vcpu_id, int event,
					  u64 deadline) {}
static inline void trace_xen_evtchn_poll(u32 vcpu_id, int event, int port) {}

#endif
