/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of xen_evtchn.ko, for operators: what each send did, how an
 * event was delivered, how the guest was told, the Xen timer and
 * SCHEDOP_poll.  They are instantiated by xen_evtchn/stats.c; disabled,
 * each costs a patched-out branch.  The enums they print by name are in
 * xen_evtchn/xen_evtchn.h, which every user includes first.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xen_evtchn

#if !defined(_TRACE_XEN_EVTCHN_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_XEN_EVTCHN_H

#include <linux/tracepoint.h>

/* The enums printed by name, for tools that read the events' formats. */
TRACE_DEFINE_ENUM(XEN_SEND_IPI);
TRACE_DEFINE_ENUM(XEN_SEND_LOOPBACK);
TRACE_DEFINE_ENUM(XEN_SEND_EVENTFD);
TRACE_DEFINE_ENUM(XEN_SEND_TO_VMM);
TRACE_DEFINE_ENUM(XEN_SEND_IOCTL);
TRACE_DEFINE_ENUM(XEN_UPCALL_VECTOR);
TRACE_DEFINE_ENUM(XEN_UPCALL_CALLBACK);
TRACE_DEFINE_ENUM(XEN_UPCALL_SHADOW);
TRACE_DEFINE_ENUM(XEN_TIMER_ARM);
TRACE_DEFINE_ENUM(XEN_TIMER_FIRE);
TRACE_DEFINE_ENUM(XEN_TIMER_DEFER);
TRACE_DEFINE_ENUM(XEN_POLL_BLOCK);
TRACE_DEFINE_ENUM(XEN_POLL_WAKE);

/* A send: the guest's EVTCHNOP_send or the VMM's KVM_XEN_HVM_EVTCHN_SEND. */
TRACE_EVENT(xen_evtchn_send,
	    TP_PROTO(u32 port, int kind, int result),
	    TP_ARGS(port, kind, result),
	    TP_STRUCT__entry(__field(u32, port)
			     __field(int, kind)
			     __field(int, result)),
	    TP_fast_assign(__entry->port = port;
			   __entry->kind = kind;
			   __entry->result = result;),
	    TP_printk("port=%u kind=%s result=%d",
		      __entry->port,
		      __print_symbolic(__entry->kind,
				       { XEN_SEND_IPI, "ipi" },
				       { XEN_SEND_LOOPBACK, "loopback" },
				       { XEN_SEND_EVENTFD, "eventfd" },
				       { XEN_SEND_TO_VMM, "to_vmm" },
				       { XEN_SEND_IOCTL, "ioctl" }),
		      __entry->result)
);

/*
 * A port raised in shared_info: on the fast path (shared_info mapped), or
 * on the slow one (mapped first, in process context).  The result is what
 * xen_evtchn_set_fast() returns, by name.
 */
TRACE_EVENT(xen_evtchn_deliver,
	    TP_PROTO(u32 port, u32 vcpu_id, bool slow, int result),
	    TP_ARGS(port, vcpu_id, slow, result),
	    TP_STRUCT__entry(__field(u32, port)
			     __field(u32, vcpu_id)
			     __field(bool, slow)
			     __field(int, result)),
	    TP_fast_assign(__entry->port = port;
			   __entry->vcpu_id = vcpu_id;
			   __entry->slow = slow;
			   __entry->result = result;),
	    TP_printk("port=%u vcpu=%u path=%s result=%s",
		      __entry->port,
		      __entry->vcpu_id,
		      __entry->slow ? "slow" : "fast",
		      __print_symbolic(__entry->result,
				       { 1, "delivered" },
				       { 0, "already_pending" },
				       { -ENOTCONN, "masked" },
				       { -EWOULDBLOCK, "unmapped" },
				       { -EINVAL, "invalid" },
				       { -ESRCH, "vm_exiting" }))
);

/*
 * The guest is told of pending events: by its own upcall vector, by the
 * VM-wide callback (evtchn_upcall_pending, and a kick), or later, from
 * the shadow selector, when its vcpu_info is back.
 */
TRACE_EVENT(xen_evtchn_upcall,
	    TP_PROTO(u32 vcpu_id, int via),
	    TP_ARGS(vcpu_id, via),
	    TP_STRUCT__entry(__field(u32, vcpu_id)
			     __field(int, via)),
	    TP_fast_assign(__entry->vcpu_id = vcpu_id;
			   __entry->via = via;),
	    TP_printk("vcpu=%u via=%s",
		      __entry->vcpu_id,
		      __print_symbolic(__entry->via,
				       { XEN_UPCALL_VECTOR, "vector" },
				       { XEN_UPCALL_CALLBACK, "callback" },
				       { XEN_UPCALL_SHADOW, "shadow" }))
);

/*
 * The Xen timer: armed for a deadline (guest kvmclock ns), fired, or its
 * event deferred until shared_info is mapped.
 */
TRACE_EVENT(xen_evtchn_timer,
	    TP_PROTO(u32 vcpu_id, int event, u64 deadline),
	    TP_ARGS(vcpu_id, event, deadline),
	    TP_STRUCT__entry(__field(u32, vcpu_id)
			     __field(int, event)
			     __field(u64, deadline)),
	    TP_fast_assign(__entry->vcpu_id = vcpu_id;
			   __entry->event = event;
			   __entry->deadline = deadline;),
	    TP_printk("vcpu=%u event=%s deadline=%llu",
		      __entry->vcpu_id,
		      __print_symbolic(__entry->event,
				       { XEN_TIMER_ARM, "arm" },
				       { XEN_TIMER_FIRE, "fire" },
				       { XEN_TIMER_DEFER, "defer" }),
		      __entry->deadline)
);

/* SCHEDOP_poll: a vCPU blocks on a port (-1: several), or is woken. */
TRACE_EVENT(xen_evtchn_poll,
	    TP_PROTO(u32 vcpu_id, int event, int port),
	    TP_ARGS(vcpu_id, event, port),
	    TP_STRUCT__entry(__field(u32, vcpu_id)
			     __field(int, event)
			     __field(int, port)),
	    TP_fast_assign(__entry->vcpu_id = vcpu_id;
			   __entry->event = event;
			   __entry->port = port;),
	    TP_printk("vcpu=%u event=%s port=%d",
		      __entry->vcpu_id,
		      __print_symbolic(__entry->event,
				       { XEN_POLL_BLOCK, "block" },
				       { XEN_POLL_WAKE, "wake" }),
		      __entry->port)
);

#endif /* _TRACE_XEN_EVTCHN_H */

#include <trace/define_trace.h>
