// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time check of xen_abi.h against Xen's public headers as the
 * kernel tree has them (include/xen/interface/): run through the
 * preprocessor alone, with -Werror and -D__ASSEMBLY__ (Xen's numbers,
 * none of its C declarations), before the selftests are built.
 *
 * Each name of xen_abi.h that is Xen's own must be defined by Xen's
 * headers (checked before xen_abi.h is read); xen_abi.h then defines it
 * again, and a redefinition with another value is a constraint violation
 * that the preprocessor must diagnose.  The hypercalls, which the tests
 * name HC_*, are compared one by one.
 */
#include <xen/interface/xen.h>
#include <xen/interface/sched.h>
#include <xen/interface/vcpu.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/version.h>

#if !defined(SCHEDOP_yield) || !defined(SCHEDOP_block) ||		\
	!defined(SCHEDOP_poll) || !defined(VCPUOP_set_periodic_timer) ||	\
	!defined(VCPUOP_stop_periodic_timer) ||				\
	!defined(VCPUOP_set_singleshot_timer) ||			\
	!defined(VCPUOP_stop_singleshot_timer) ||			\
	!defined(EVTCHNOP_send) || !defined(XENVER_version) ||		\
	!defined(EVTCHNSTAT_interdomain) || !defined(EVTCHNSTAT_ipi)
#error "a name of xen_abi.h is not in Xen's headers"
#endif

#include "xen_abi.h"

#if __HYPERVISOR_set_timer_op != HC_SET_TIMER_OP ||			\
	__HYPERVISOR_xen_version != HC_XEN_VERSION ||			\
	__HYPERVISOR_vcpu_op != HC_VCPU_OP ||				\
	__HYPERVISOR_sched_op != HC_SCHED_OP ||				\
	__HYPERVISOR_event_channel_op != HC_EVENT_CHANNEL_OP
#error "a hypercall number of xen_abi.h is not Xen's"
#endif
