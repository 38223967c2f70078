/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interface between the KVM hook (kvm/xen_hook.c, built into a rebuilt
 * kvm.ko in place of upstream's xen.o) and a Xen accelerator module
 * (xen_evtchn.ko).
 *
 * The hook defines every function that arch/x86/kvm/xen.h declares and
 * forwards each one to the ops of the registered accelerator, for the VMs
 * bound to it.  A VM is bound on its first Xen ioctl (the hook loads the
 * accelerator module if none is registered) and stays bound, holding a
 * reference on the accelerator's module, until it is destroyed.  With no
 * accelerator, the Xen ioctls fail with -ENOTTY, as on a KVM built without
 * Xen support, and Xen routing entries with -EINVAL.
 *
 * The hook owns the lifetime of the Xen fields of struct kvm_xen and struct
 * kvm_vcpu_xen (mutex, pfn caches, timers); the accelerator owns what they
 * mean.
 *
 * Any op may be NULL: that entry point then behaves as if no accelerator
 * were bound.
 */
#ifndef _KVM_XEN_ACCEL_H
#define _KVM_XEN_ACCEL_H

#include <linux/hrtimer.h>
#include <linux/kvm_host.h>

/**
 * struct kvm_xen_accel_ops - what a Xen accelerator implements
 * @owner: the module, pinned while a VM is bound to it
 * @bind_vm: a VM's first Xen ioctl; returns the accelerator's per-VM data
 *	(kvm_xen_accel_vm_data() returns it) or an ERR_PTR.  Process context,
 *	kvm->arch.xen.xen_lock not held.
 * @destroy_vm: the VM is going (or its binding failed); free @data, what
 *	bind_vm() returned.  Its vCPUs are gone.
 * @hvm_config: KVM_XEN_HVM_CONFIG
 * @hvm_set_attr: KVM_XEN_HVM_SET_ATTR
 * @hvm_get_attr: KVM_XEN_HVM_GET_ATTR
 * @vcpu_set_attr: KVM_XEN_VCPU_SET_ATTR, vcpu->mutex held
 * @vcpu_get_attr: KVM_XEN_VCPU_GET_ATTR, vcpu->mutex held
 * @evtchn_send: KVM_XEN_HVM_EVTCHN_SEND
 * @setup_evtchn: a KVM_IRQ_ROUTING_XEN_EVTCHN routing entry is being set
 *	up, in a new routing table not yet published; process context, no
 *	KVM lock held (KVM_SET_GSI_ROUTING calls may run it concurrently)
 * @set_evtchn_fast: deliver an event from atomic context (irqfd wakeup);
 *	-EWOULDBLOCK asks KVM to retry from process context
 * @write_hypercall_page: the guest wrote the hypercall page MSR; non-zero
 *	injects #GP
 * @hypercall: the guest made a hypercall, with hypercall interception on
 * @has_interrupt: the vCPU's evtchn_upcall_pending, for the callback vector
 * @inject_pending_events: move the shadow evtchn_pending_sel to vcpu_info
 * @inject_vcpu_vector: deliver the vCPU's own upcall vector
 * @inject_timer_irqs: deliver an expired timer VIRQ (vCPU context)
 * @update_runstate: the vCPU enters runstate @state
 * @update_tsc_info: the vCPU's TSC frequency changed
 * @timer_expired: the vCPU's Xen timer (vcpu->arch.xen.timer) fired;
 *	softirq context
 * @poll_timeout: the vCPU's SCHEDOP_poll timeout (poll_timer) fired;
 *	softirq context
 */
struct kvm_xen_accel_ops {
	struct module *owner;
	void *(*bind_vm)(struct kvm *kvm);
	void (*destroy_vm)(struct kvm *kvm, void *data);
	int (*hvm_config)(struct kvm *kvm, struct kvm_xen_hvm_config *xhc);
	int (*hvm_set_attr)(struct kvm *kvm, struct kvm_xen_hvm_attr *data);
	int (*hvm_get_attr)(struct kvm *kvm, struct kvm_xen_hvm_attr *data);
	int (*vcpu_set_attr)(struct kvm_vcpu *vcpu,
			     struct kvm_xen_vcpu_attr *data);
	int (*vcpu_get_attr)(struct kvm_vcpu *vcpu,
			     struct kvm_xen_vcpu_attr *data);
	int (*evtchn_send)(struct kvm *kvm,
			   struct kvm_irq_routing_xen_evtchn *evt);
	int (*setup_evtchn)(struct kvm *kvm,
			    struct kvm_kernel_irq_routing_entry *e,
			    const struct kvm_irq_routing_entry *ue);
	int (*set_evtchn_fast)(struct kvm_xen_evtchn *xe, struct kvm *kvm);
	int (*write_hypercall_page)(struct kvm_vcpu *vcpu, u64 data);
	int (*hypercall)(struct kvm_vcpu *vcpu);
	int (*has_interrupt)(struct kvm_vcpu *vcpu);
	void (*inject_pending_events)(struct kvm_vcpu *vcpu);
	void (*inject_vcpu_vector)(struct kvm_vcpu *vcpu);
	void (*inject_timer_irqs)(struct kvm_vcpu *vcpu);
	void (*update_runstate)(struct kvm_vcpu *vcpu, int state);
	void (*update_tsc_info)(struct kvm_vcpu *vcpu);
	enum hrtimer_restart (*timer_expired)(struct kvm_vcpu *vcpu);
	void (*poll_timeout)(struct kvm_vcpu *vcpu);
};

int kvm_xen_accel_register(const struct kvm_xen_accel_ops *ops);
void kvm_xen_accel_unregister(const struct kvm_xen_accel_ops *ops);
void *kvm_xen_accel_vm_data(struct kvm *kvm);

/*
 * KVM internals the hook exports for the accelerator: either functions of
 * kvm.ko that upstream does not export, or wrappers of its internal inline
 * helpers.  kvm/xen_hook.c lists why each is needed.
 */
extern struct static_key_false_deferred kvm_xen_enabled;
u64 kvm_get_wall_clock_epoch(struct kvm *kvm);
u64 get_kvmclock_ns(struct kvm *kvm);
struct kvm_cpuid_entry2 *kvm_find_cpuid_entry_index(struct kvm_vcpu *vcpu,
						    u32 function, u32 index);

int kvm_xen_accel_guest_cpl(struct kvm_vcpu *vcpu);
bool kvm_xen_accel_hypercall_is_64bit(struct kvm_vcpu *vcpu);
bool kvm_xen_accel_long_mode(struct kvm_vcpu *vcpu);
unsigned long kvm_xen_accel_read_gpr(struct kvm_vcpu *vcpu, int reg);
unsigned long kvm_xen_accel_read_rip(struct kvm_vcpu *vcpu);
int kvm_xen_accel_complete_hypercall(struct kvm_vcpu *vcpu, u64 result);
void kvm_xen_accel_patch_hypercall(struct kvm_vcpu *vcpu, u8 *insn);
int kvm_xen_accel_read_guest_virt(struct kvm_vcpu *vcpu, u64 gva, void *buf,
				  unsigned int len);
int kvm_xen_accel_deliver_vector(struct kvm_vcpu *vcpu, u8 vector);
u64 kvm_xen_accel_guest_clock(struct kvm_vcpu *vcpu, ktime_t *mono);

#endif /* _KVM_XEN_ACCEL_H */
