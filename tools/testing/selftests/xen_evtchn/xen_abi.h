/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The numbers of Xen's guest ABI that the project's selftests use:
 * hypercalls, their commands and the port states, with no include of its
 * own.  xen_abi_check.c reads it after Xen's public headers (the kernel
 * tree's include/xen/interface/) and fails the selftests' build if any
 * number here is not Xen's.  Other tests take their numbers from here.
 */
#ifndef XEN_ABI_H
#define XEN_ABI_H

/* Hypercalls (Xen's __HYPERVISOR_*). */
#define HC_SET_TIMER_OP		15
#define HC_XEN_VERSION		17
#define HC_VCPU_OP		24
#define HC_SCHED_OP		29
#define HC_EVENT_CHANNEL_OP	32

/* Commands of sched_op, vcpu_op, event_channel_op and xen_version. */
#define SCHEDOP_yield		0
#define SCHEDOP_block		1
#define SCHEDOP_poll		3
#define VCPUOP_set_periodic_timer	6
#define VCPUOP_stop_periodic_timer	7
#define VCPUOP_set_singleshot_timer	8
#define VCPUOP_stop_singleshot_timer	9
#define EVTCHNOP_send		4
#define XENVER_version		0

/* Port states, as KVM_XEN_ATTR_TYPE_EVTCHN takes them. */
#define EVTCHNSTAT_interdomain	2
#define EVTCHNSTAT_ipi		5

#endif /* XEN_ABI_H */
