/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen_evtchn.ko internals, shared by its files.
 *
 * The module keeps true the fields of struct kvm_xen, struct kvm_vcpu_xen
 * and kvm->arch.xen_hvm_config that KVM's own code and the inline helpers
 * of arch/x86/kvm/xen.h read; the rest of its state is in struct
 * xen_evtchn_vm, the per-VM data the KVM hook keeps for it.
 *
 * Lock order: kvm->arch.xen.xen_lock, then the SRCU read side of
 * kvm->srcu, then a pfn cache's rwlock.
 */
#ifndef _XEN_EVTCHN_H
#define _XEN_EVTCHN_H

#include <linux/kvm_host.h>
#include <linux/mutex.h>
#include <linux/xarray.h>
#include <asm/pvclock-abi.h>
#include <xen/interface/xen.h>

/* Ports of the 2-level ABI: 64 words of 64 bits, or 32 of 32 bits. */
#define XEN_EVTCHN_2L_PORTS_64 4096
#define XEN_EVTCHN_2L_PORTS_32 1024

/**
 * struct xen_evtchn_vm - the accelerator's own state of one VM
 * @kvm: the VM
 * @ports_lock: serializes changes to @ports
 * @ports: the outbound port table (ports.c): send port to struct
 *	xen_evtchn_port; entries are read under kvm->srcu, never changed
 *	once published, and freed after an SRCU grace period
 * @timer_waiting: by vCPU index, a timer event that fired but is not in
 *	shared_info yet (timer.c)
 */
struct xen_evtchn_vm {
	struct kvm *kvm;
	struct mutex ports_lock;	/* serializes changes to @ports */
	struct xarray ports;
	unsigned long timer_waiting[BITS_TO_LONGS(KVM_MAX_VCPUS)];
};

/*
 * The 32-bit guest ABI's vcpu_info and shared_info.  The 64-bit ones are
 * <xen/interface/xen.h>'s.  Offsets are checked in compat_layout_check().
 */
struct xen_compat_vcpu_info {
	u8 evtchn_upcall_pending;
	u8 evtchn_upcall_mask;
	u16 pad;
	u32 evtchn_pending_sel;
	u32 arch_cr2;
	u32 arch_pad[5];
	struct pvclock_vcpu_time_info time;
};

/* vCPUs whose vcpu_info is in shared_info */
#define XEN_COMPAT_LEGACY_VCPUS 32

struct xen_compat_shared_info {
	struct xen_compat_vcpu_info vcpu_info[XEN_COMPAT_LEGACY_VCPUS];
	u32 evtchn_pending[32];
	u32 evtchn_mask[32];
	struct pvclock_wall_clock wc;
	u32 arch_max_pfn;
	u32 arch_pfn_to_mfn_frame_list_list;
	u32 arch_nmi_reason;
	u32 arch_p2m_cr3;
	u32 arch_p2m_vaddr;
	u32 arch_p2m_generation;
	u32 arch_wc_sec_hi;
};

/* deliver.c */
unsigned int xen_evtchn_max_port(struct kvm *kvm);
int xen_evtchn_vcpu_idx(struct kvm *kvm, u32 vcpu_id);
int xen_evtchn_set_fast(struct kvm_xen_evtchn *xe, struct kvm *kvm);
int xen_evtchn_set(struct kvm_xen_evtchn *xe, struct kvm *kvm);
void xen_evtchn_sync_selector(struct kvm *kvm, struct kvm_xen_evtchn *xe);
void xen_evtchn_inject_pending_events(struct kvm_vcpu *vcpu);
int xen_evtchn_has_interrupt(struct kvm_vcpu *vcpu);
void xen_evtchn_inject_vcpu_vector(struct kvm_vcpu *vcpu);

/* routes.c */
int xen_evtchn_setup_route(struct kvm *kvm,
			   struct kvm_kernel_irq_routing_entry *e,
			   const struct kvm_irq_routing_entry *ue);
int xen_evtchn_send_ioctl(struct kvm *kvm,
			  struct kvm_irq_routing_xen_evtchn *evt);

/* ports.c */
void xen_evtchn_ports_init(struct xen_evtchn_vm *xvm);
void xen_evtchn_ports_destroy(struct xen_evtchn_vm *xvm);
int xen_evtchn_set_port(struct kvm *kvm, struct kvm_xen_hvm_attr *data);
bool xen_evtchn_hcall_send(struct kvm_vcpu *vcpu, u64 arg, u64 *result);
void xen_evtchn_ports_sync_selectors(struct kvm *kvm);

/* timer.c */
enum hrtimer_restart xen_evtchn_timer_expired(struct kvm_vcpu *vcpu);
void xen_evtchn_inject_timer_irqs(struct kvm_vcpu *vcpu);
void xen_evtchn_timer_resume(struct kvm *kvm);
void xen_evtchn_timer_sync_selector(struct kvm_vcpu *vcpu);
int xen_evtchn_set_timer_attr(struct kvm_vcpu *vcpu,
			      struct kvm_xen_vcpu_attr *data);
void xen_evtchn_get_timer_attr(struct kvm_vcpu *vcpu,
			       struct kvm_xen_vcpu_attr *data);
bool xen_evtchn_hcall_set_timer_op(struct kvm_vcpu *vcpu, u64 deadline,
				   u64 *result);
bool xen_evtchn_hcall_vcpu_op(struct kvm_vcpu *vcpu, bool is_64bit, u64 cmd,
			      u64 vcpu_id, u64 arg, u64 *result);

/* sched_op.c */
void xen_evtchn_wake_poller(struct kvm_vcpu *vcpu, unsigned int port);
void xen_evtchn_poll_timeout(struct kvm_vcpu *vcpu);
bool xen_evtchn_hcall_sched_op(struct kvm_vcpu *vcpu, bool is_64bit, u64 cmd,
			       u64 arg, u64 *result);

/* runstate.c */
void xen_evtchn_update_runstate(struct kvm_vcpu *vcpu, int state);
int xen_evtchn_set_runstate_attr(struct kvm_vcpu *vcpu,
				 struct kvm_xen_vcpu_attr *data);
int xen_evtchn_get_runstate_attr(struct kvm_vcpu *vcpu,
				 struct kvm_xen_vcpu_attr *data);

/* resync.c */
void xen_evtchn_resync(struct kvm *kvm);

/* hvm_config.c */
int xen_evtchn_hvm_config(struct kvm *kvm, struct kvm_xen_hvm_config *xhc);
int xen_evtchn_write_hypercall_page(struct kvm_vcpu *vcpu, u64 data);
void xen_evtchn_release_config(struct kvm *kvm);

/* hypercall.c */
int xen_evtchn_hypercall(struct kvm_vcpu *vcpu);

/* hvm_attr.c */
int xen_evtchn_hvm_set_attr(struct kvm *kvm, struct kvm_xen_hvm_attr *data);
int xen_evtchn_hvm_get_attr(struct kvm *kvm, struct kvm_xen_hvm_attr *data);
int xen_evtchn_set_long_mode(struct kvm *kvm, bool long_mode, bool always);

/* vcpu_attr.c */
int xen_evtchn_vcpu_set_attr(struct kvm_vcpu *vcpu,
			     struct kvm_xen_vcpu_attr *data);
int xen_evtchn_vcpu_get_attr(struct kvm_vcpu *vcpu,
			     struct kvm_xen_vcpu_attr *data);
void xen_evtchn_update_tsc_info(struct kvm_vcpu *vcpu);

#endif /* _XEN_EVTCHN_H */
