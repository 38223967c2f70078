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
 * accelerator (none registered, none loadable), KVM_CAP_XEN_HVM is 0 and
 * the Xen ioctls fail as on a KVM built without Xen support (-ENOTTY for
 * the VM ioctls, -EINVAL for the vCPU ones), and Xen routing entries with
 * -EINVAL.
 *
 * The hook owns the lifetime of the Xen fields of struct kvm_xen and struct
 * kvm_vcpu_xen (mutex, pfn caches, timers); the accelerator owns what they
 * mean.
 *
 * bind_vm and destroy_vm are required (kvm_xen_accel_register() refuses
 * ops without them); any other op may be NULL, and that entry point then
 * behaves as if no accelerator were bound.
 *
 * The per-VM data of each bound VM is kept in the VM's own struct kvm_xen,
 * in evtchn_ports, the ID map where upstream's xen.o keeps its port table
 * and which nothing else in KVM touches: the hook uses its tree as an
 * xarray whose one entry, a struct of the hook's that holds the data, is
 * read with two loads (kvm_xen_accel_bound_data() in the accelerator, which
 * tests nothing; kvm_xen_accel_vm_data() in the hook, which tests whether
 * the VM is bound).  The rebuilt kvm.ko must keep the layout of struct kvm
 * that the distribution's headers give, since xen_evtchn.ko and every other
 * module that sees struct kvm is built against those headers, so it cannot
 * add a field of its own, and a global map keyed by the address of struct
 * kvm would cost a walk through a deep tree per event.
 * (On 6.1 that struct also holds the Xen state that 6.1's struct kvm_xen
 * lacks: compat/include/kvm/xen_accel_compat.h, included at the end,
 * which is also where everything that differs between the supported
 * kernels is.)
 *
 * The accelerator module is loaded on demand by its alias,
 * "kvm-xen-accel" (MODULE_ALIAS), not by a file name.
 */
#ifndef _KVM_XEN_ACCEL_H
#define _KVM_XEN_ACCEL_H

#include <linux/hrtimer.h>
#include <linux/xarray.h>
#include <linux/kvm_host.h>

/* The alias under which the hook asks for an accelerator module. */
#define KVM_XEN_ACCEL_ALIAS "kvm-xen-accel"

/**
 * struct kvm_xen_accel_ops - what a Xen accelerator implements
 * @owner: the module, pinned while a VM is bound to it
 * @bind_vm: a VM's first Xen ioctl or Xen routing entry.  Process context,
 *	no Xen lock held.  Returns the accelerator's per-VM data, which
 *	kvm_xen_accel_vm_data() returns from then on, or an ERR_PTR (the
 *	entry point then fails as without an accelerator).  Required.
 * @destroy_vm: the VM is being destroyed: its vCPUs, its irqfds and its
 *	debugfs directory are gone.  Free @data.  Process context.
 *	Required.
 * @hvm_config: KVM_XEN_HVM_CONFIG.  Process context, no lock held.
 *	Returns 0 or a negative errno for the ioctl.
 * @hvm_set_attr: KVM_XEN_HVM_SET_ATTR.  As @hvm_config.
 * @hvm_get_attr: KVM_XEN_HVM_GET_ATTR.  As @hvm_config.
 * @vcpu_set_attr: KVM_XEN_VCPU_SET_ATTR.  Process context, vcpu->mutex
 *	held.  Returns 0 or a negative errno for the ioctl.
 * @vcpu_get_attr: KVM_XEN_VCPU_GET_ATTR.  As @vcpu_set_attr.
 * @evtchn_send: KVM_XEN_HVM_EVTCHN_SEND.  As @hvm_config.
 * @setup_evtchn: a KVM_IRQ_ROUTING_XEN_EVTCHN entry is being set up in a
 *	new routing table, not yet published.  Process context; no KVM lock
 *	held (concurrent KVM_SET_GSI_ROUTING calls may run it at once).
 *	Returns 0 or a negative errno that fails the ioctl.
 * @set_evtchn_fast: raise an event from an irqfd's wakeup: any context,
 *	hard-IRQ included; must not sleep.  Returns what KVM's
 *	kvm_arch_set_irq_inatomic() returns: -EWOULDBLOCK asks KVM to retry
 *	from its irqfd workqueue through the entry's set().
 * @write_hypercall_page: the guest wrote the hypercall page MSR.  vCPU
 *	context.  Returns 0, 1 to inject #GP, or a negative errno.
 * @hypercall: a hypercall, with interception on.  vCPU context,
 *	kvm->srcu held.  Returns 1 to re-enter the guest, 0 to exit to
 *	userspace.
 * @has_interrupt: is the VM-wide callback vector pending for the vCPU?
 *	vCPU context, possibly atomic (from the halt path).  Returns 1 or 0.
 * @inject_pending_events: the vCPU's shadow evtchn_pending_sel is not
 *	empty, on its way into the guest.  vCPU context, kvm->srcu held.
 * @inject_vcpu_vector: deliver the vCPU's own upcall vector (its local
 *	APIC was just enabled).  vCPU context.
 * @inject_timer_irqs: the vCPU's timer_pending is set, on its way into the
 *	guest.  vCPU context, vcpu->mutex held.
 * @update_runstate: the vCPU enters runstate @state.  vCPU context;
 *	atomic, with preemption off, when the vCPU is being preempted.
 * @timer_expired: the vCPU's Xen timer (vcpu->arch.xen.timer, a soft
 *	hrtimer) fired.  Softirq context.  Returns the hrtimer's verdict.
 * @poll_timeout: the vCPU's SCHEDOP_poll timeout (poll_timer) fired.
 *	Softirq context.
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
	enum hrtimer_restart (*timer_expired)(struct kvm_vcpu *vcpu);
	void (*poll_timeout)(struct kvm_vcpu *vcpu);
};

int kvm_xen_accel_register(const struct kvm_xen_accel_ops *ops);
void kvm_xen_accel_unregister(const struct kvm_xen_accel_ops *ops);

/*
 * KVM internals the hook exports for the accelerator: either functions of
 * kvm.ko that upstream does not export, or wrappers of its internal inline
 * helpers.  kvm/xen_hook.c lists why each is needed.
 */
extern struct static_key_false_deferred kvm_xen_enabled;
u64 get_kvmclock_ns(struct kvm *kvm);

/* A hypercall's number and its six arguments: seven registers. */
#define KVM_XEN_ACCEL_HCALL_REGS 7

/**
 * struct kvm_xen_accel_hcall - the vCPU state a hypercall needs
 * @val: the registers the caller named, in its order; in 32-bit mode
 *	their low halves
 * @is_64bit: the guest makes hypercalls in the 64-bit ABI
 * @cpl: the guest's privilege level
 */
struct kvm_xen_accel_hcall {
	u64 val[KVM_XEN_ACCEL_HCALL_REGS];
	bool is_64bit;
	u8 cpl;
};

void kvm_xen_accel_read_hcall(struct kvm_vcpu *vcpu,
			      const u8 regs[2][KVM_XEN_ACCEL_HCALL_REGS],
			      struct kvm_xen_accel_hcall *hc);
bool kvm_xen_accel_long_mode(struct kvm_vcpu *vcpu);
unsigned long kvm_xen_accel_read_rip(struct kvm_vcpu *vcpu);
int kvm_xen_accel_complete_hypercall(struct kvm_vcpu *vcpu, u64 result);
void kvm_xen_accel_patch_hypercall(struct kvm_vcpu *vcpu, u8 *insn);
int kvm_xen_accel_read_guest_virt(struct kvm_vcpu *vcpu, u64 gva, void *buf,
				  unsigned int len);
int kvm_xen_accel_deliver_vector(struct kvm_vcpu *vcpu, u8 vector);
u64 kvm_xen_accel_guest_clock(struct kvm_vcpu *vcpu, ktime_t *mono);

/* Last: its helpers use the declarations above. */
#include <kvm/xen_accel_compat.h>

#endif /* _KVM_XEN_ACCEL_H */
