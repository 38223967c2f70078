// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM hook for an out-of-tree Xen accelerator, built into a rebuilt kvm.ko
 * in place of upstream's xen.o (kvm/rebuild-kvm.sh).
 *
 * It defines each function that arch/x86/kvm/xen.h declares and forwards
 * it to the registered accelerator (include/kvm/xen_accel.h) for the VMs
 * bound to it.  A VM binds on its first Xen ioctl or Xen routing entry;
 * binding loads the accelerator module if none is registered, takes a
 * reference on it, and lasts until the VM is destroyed.  So a bound VM's
 * accelerator cannot go, and the calls for bound VMs need no further
 * protection; unregistering only has to exclude binding.  Without an
 * accelerator (none registered, and none can be loaded) KVM behaves as
 * one built without Xen support: KVM_CAP_XEN_HVM is 0, the Xen ioctls
 * fail (the VM ioctls with -ENOTTY, the vCPU ones with -EINVAL, x86 KVM's
 * answers to ioctls it does not know), routing entries of the Xen type
 * with -EINVAL, and a write of the hypercall page MSR with #GP.  An
 * accelerator may leave any op NULL: that entry point then behaves as if
 * no accelerator were bound.
 *
 * The hook owns the lifetime of the Xen fields of struct kvm_xen and
 * struct kvm_vcpu_xen that KVM's own code and xen.h's inline helpers read
 * (the mutex, the pfn caches, the timers): it initializes them for every
 * VM and vCPU and tears them down.  What they mean is the accelerator's.
 * What upstream's xen.o does for every VM, bound or not, it does itself:
 * the TSC leaf of the Xen CPUID range, and KVM's own tracepoint of Xen
 * hypercalls.  It also exports the KVM internals the accelerator needs,
 * listed below.
 * What differs between the kernels it is built for (6.1, 6.12) is in
 * compat/include/kvm/xen_accel_compat.h.
 *
 * Locking: xen_accel_lock (a mutex) protects xen_accel and serializes
 * binding.  A bound VM's per-VM data is in its own struct kvm_xen (see
 * kvm_xen_accel_vm_data()), stored once by binding and removed when the
 * VM is destroyed; lookups take no lock.
 *
 * Context: the ioctl forwards and kvm_xen_accel_available() run in
 * process context; set_evtchn_fast in atomic context (irqfd wakeup); the
 * timer trampolines in softirq context (the Xen timer is a soft hrtimer,
 * so that its delivery may take the pfn caches' rwlocks also on
 * PREEMPT_RT, where those sleep); the rest in vCPU context.
 */

#include <linux/kmod.h>
#include <linux/kvm_host.h>
#include <linux/module.h>
#include <linux/static_call.h>
#include <linux/xarray.h>

#include <asm/pvclock.h>
#include <kvm/xen_accel.h>

#include "hyperv.h"
#include "irq.h"
#include "kvm_cache_regs.h"
#include "lapic.h"
#include "trace.h"
#include "x86.h"
#include "xen.h"

DEFINE_STATIC_KEY_DEFERRED_FALSE(kvm_xen_enabled, HZ);

static DEFINE_MUTEX(xen_accel_lock);
static const struct kvm_xen_accel_ops *xen_accel;

/*
 * The entry points that run for each event, hypercall or guest entry call
 * the accelerator through static calls, which point at its ops from its
 * registration on: a direct call, where a call through the ops table is an
 * indirect one (a retpoline on most x86 hosts).  They are called only for
 * bound VMs, hence only while the accelerator is registered, and only
 * where its op is not NULL.
 *
 * An irqfd's event, the most frequent and the one entry point that runs in
 * any context, tests neither: Xen routing entries exist only in bound VMs
 * (kvm_xen_setup_evtchn() binds), and where the op is NULL its static call
 * points at no_set_evtchn_fast().
 */
static int no_set_evtchn_fast(struct kvm_xen_evtchn *xe, struct kvm *kvm)
{
	return -EINVAL;
}

DEFINE_STATIC_CALL_NULL(xen_accel_evtchn_send,
			*((struct kvm_xen_accel_ops *)0)->evtchn_send);
DEFINE_STATIC_CALL(xen_accel_set_evtchn_fast, no_set_evtchn_fast);
DEFINE_STATIC_CALL_NULL(xen_accel_hypercall,
			*((struct kvm_xen_accel_ops *)0)->hypercall);
DEFINE_STATIC_CALL_NULL(xen_accel_has_interrupt,
			*((struct kvm_xen_accel_ops *)0)->has_interrupt);
DEFINE_STATIC_CALL_NULL(xen_accel_inject_pending_events,
			*((struct kvm_xen_accel_ops *)0)->inject_pending_events);
DEFINE_STATIC_CALL_NULL(xen_accel_update_runstate,
			*((struct kvm_xen_accel_ops *)0)->update_runstate);
DEFINE_STATIC_CALL_NULL(xen_accel_timer_expired,
			*((struct kvm_xen_accel_ops *)0)->timer_expired);

/* Point the static calls at @ops' functions, or at their defaults. */
static void set_static_calls(const struct kvm_xen_accel_ops *ops)
{
	static const struct kvm_xen_accel_ops none;

	lockdep_assert_held(&xen_accel_lock);
	ops = ops ?: &none;
	static_call_update(xen_accel_evtchn_send, ops->evtchn_send);
	static_call_update(xen_accel_set_evtchn_fast,
			   ops->set_evtchn_fast ?: no_set_evtchn_fast);
	static_call_update(xen_accel_hypercall, ops->hypercall);
	static_call_update(xen_accel_has_interrupt, ops->has_interrupt);
	static_call_update(xen_accel_inject_pending_events,
			   ops->inject_pending_events);
	static_call_update(xen_accel_update_runstate, ops->update_runstate);
	static_call_update(xen_accel_timer_expired, ops->timer_expired);
}

/**
 * kvm_xen_accel_register() - register the Xen accelerator
 * @ops: its operations; must stay valid until unregistered
 *
 * Context: process context.
 * Return: 0; -EINVAL for ops without bind_vm or destroy_vm; -EBUSY if an
 * accelerator is already registered.
 */
int kvm_xen_accel_register(const struct kvm_xen_accel_ops *ops)
{
	int ret = 0;

	might_sleep();
	if (!ops->bind_vm || !ops->destroy_vm)
		return -EINVAL;
	mutex_lock(&xen_accel_lock);
	if (xen_accel) {
		ret = -EBUSY;
	} else {
		set_static_calls(ops);
		xen_accel = ops;
	}
	mutex_unlock(&xen_accel_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(kvm_xen_accel_register);

/**
 * kvm_xen_accel_unregister() - unregister the Xen accelerator
 * @ops: what kvm_xen_accel_register() registered
 *
 * Called from the accelerator's module exit: no VM is bound then, since
 * each holds a reference on the module, and a binding in flight cannot
 * take a new one once the module is going.
 *
 * Context: process context.
 */
void kvm_xen_accel_unregister(const struct kvm_xen_accel_ops *ops)
{
	mutex_lock(&xen_accel_lock);
	if (xen_accel == ops) {
		xen_accel = NULL;
		set_static_calls(NULL);
	}
	mutex_unlock(&xen_accel_lock);
}
EXPORT_SYMBOL_GPL(kvm_xen_accel_unregister);

/* The accelerator of a bound VM, or NULL. */
static const struct kvm_xen_accel_ops *accel_of(struct kvm *kvm)
{
	return kvm_xen_accel_vm_data(kvm) ? READ_ONCE(xen_accel) : NULL;
}

/*
 * Load the accelerator module by its alias if no accelerator is
 * registered; whether one is afterwards is the caller's to read.  Process
 * context; may sleep.
 */
static void load_accel(void)
{
	might_sleep();
	if (!READ_ONCE(xen_accel))
		request_module(KVM_XEN_ACCEL_ALIAS);
}

/**
 * kvm_xen_accel_available() - may KVM_CAP_XEN_HVM be reported?
 *
 * x86.c reports the capability only if this returns true (the patches in
 * compat/kvm-<version>/): without an accelerator every Xen ioctl fails,
 * and a KVM built without Xen reports 0.  The accelerator module is
 * loaded here if none is registered, as a VM's first Xen ioctl loads it,
 * because a VMM asks for the capability before that ioctl (QEMU does).
 * The answer holds for the moment of the query: it pins nothing, and an
 * accelerator unloaded afterwards is loaded again by the next binding.
 *
 * Context: process context; may sleep.
 * Return: whether an accelerator is registered.
 */
bool kvm_xen_accel_available(void)
{
	load_accel();
	return !!READ_ONCE(xen_accel);
}

/*
 * The accelerator of @kvm, binding @kvm to it first if needed (loading the
 * module if none is registered).  Process context; may sleep.
 */
static const struct kvm_xen_accel_ops *bind(struct kvm *kvm)
{
	const struct kvm_xen_accel_ops *ops = accel_of(kvm);
	void *data;

	if (ops)
		return ops;

	load_accel();
	mutex_lock(&xen_accel_lock);
	ops = xen_accel;
	if (!ops || kvm_xen_accel_vm_data(kvm))
		goto out;
	if (!try_module_get(ops->owner)) {
		ops = NULL;
		goto out;
	}
	/*
	 * The data's slot is taken first, empty, so that nothing can fail
	 * once bind_vm() succeeded: destroy_vm() is only ever called for a
	 * VM being destroyed.
	 */
	if (kvm_xen_accel_slot_reserve(kvm)) {
		data = NULL;
	} else {
		data = ops->bind_vm(kvm);
		if (IS_ERR_OR_NULL(data)) {
			kvm_xen_accel_slot_free(kvm);
		} else {
			kvm_xen_accel_slot_fill(kvm, data);
			/* Read back as events read it (xen_accel_compat.h). */
			WARN_ON_ONCE(kvm_xen_accel_vm_data(kvm) != data);
		}
	}
	if (IS_ERR_OR_NULL(data)) {
		module_put(ops->owner);
		ops = NULL;
	}
out:
	mutex_unlock(&xen_accel_lock);
	return ops;
}

void kvm_xen_init_vm(struct kvm *kvm)
{
#ifdef KVM_XEN_ACCEL_IN_KVM_XEN
	mutex_init(&kvm->arch.xen.xen_lock);
#endif
	xa_init(kvm_xen_accel_slots(kvm));
	kvm_xen_accel_gpc_init(kvm, &kvm->arch.xen.shinfo_cache);
}

void kvm_xen_destroy_vm(struct kvm *kvm)
{
	const struct kvm_xen_accel_ops *ops = accel_of(kvm);

	if (ops) {
		ops->destroy_vm(kvm, kvm_xen_accel_vm_data(kvm));
		kvm_xen_accel_slot_free(kvm);
		module_put(ops->owner);
	}
	xa_destroy(kvm_xen_accel_slots(kvm));
	kvm_xen_accel_gpc_deactivate(kvm, &kvm->arch.xen.shinfo_cache);
}

static enum hrtimer_restart xen_timer_trampoline(struct hrtimer *timer)
{
	struct kvm_vcpu *vcpu = container_of(timer, struct kvm_vcpu,
					     arch.xen.timer);
	const struct kvm_xen_accel_ops *ops = accel_of(vcpu->kvm);

	/* Only a bound VM's accelerator arms it. */
	return ops && ops->timer_expired ? static_call(xen_accel_timer_expired)(vcpu) :
					     HRTIMER_NORESTART;
}

static void poll_timer_trampoline(struct timer_list *t)
{
	struct kvm_vcpu *vcpu = from_timer(vcpu, t, arch.xen.poll_timer);
	const struct kvm_xen_accel_ops *ops = accel_of(vcpu->kvm);

	if (ops && ops->poll_timeout)
		ops->poll_timeout(vcpu);
}

void kvm_xen_init_vcpu(struct kvm_vcpu *vcpu)
{
	struct kvm_vcpu_xen *vx = &vcpu->arch.xen;

	/* Until the VMM says otherwise, the Xen vCPU id is KVM's index. */
	vx->vcpu_id = vcpu->vcpu_idx;
	kvm_xen_accel_gpc_init(vcpu->kvm, &vx->vcpu_info_cache);
	kvm_xen_accel_gpc_init(vcpu->kvm, &vx->vcpu_time_info_cache);
	kvm_xen_accel_gpc_init(vcpu->kvm, &vx->runstate_cache);
#ifdef KVM_XEN_ACCEL_IN_KVM_XEN
	kvm_xen_accel_gpc_init(vcpu->kvm, &vx->runstate2_cache);
#endif
	hrtimer_init(&vx->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	vx->timer.function = xen_timer_trampoline;
	timer_setup(&vx->poll_timer, poll_timer_trampoline, 0);
}

void kvm_xen_destroy_vcpu(struct kvm_vcpu *vcpu)
{
	struct kvm_vcpu_xen *vx = &vcpu->arch.xen;

	hrtimer_cancel(&vx->timer);
	del_timer_sync(&vx->poll_timer);
	kvm_xen_accel_gpc_deactivate(vcpu->kvm, &vx->vcpu_info_cache);
	kvm_xen_accel_gpc_deactivate(vcpu->kvm, &vx->vcpu_time_info_cache);
	kvm_xen_accel_gpc_deactivate(vcpu->kvm, &vx->runstate_cache);
#ifdef KVM_XEN_ACCEL_IN_KVM_XEN
	kvm_xen_accel_gpc_deactivate(vcpu->kvm, &vx->runstate2_cache);
#endif
}

int kvm_xen_hvm_config(struct kvm *kvm, struct kvm_xen_hvm_config *xhc)
{
	const struct kvm_xen_accel_ops *ops = bind(kvm);

	return ops && ops->hvm_config ? ops->hvm_config(kvm, xhc) : -ENOTTY;
}

int kvm_xen_hvm_set_attr(struct kvm *kvm, struct kvm_xen_hvm_attr *data)
{
	const struct kvm_xen_accel_ops *ops = bind(kvm);

	return ops && ops->hvm_set_attr ? ops->hvm_set_attr(kvm, data) : -ENOTTY;
}

int kvm_xen_hvm_get_attr(struct kvm *kvm, struct kvm_xen_hvm_attr *data)
{
	const struct kvm_xen_accel_ops *ops = bind(kvm);

	return ops && ops->hvm_get_attr ? ops->hvm_get_attr(kvm, data) : -ENOTTY;
}

int kvm_xen_vcpu_set_attr(struct kvm_vcpu *vcpu, struct kvm_xen_vcpu_attr *data)
{
	const struct kvm_xen_accel_ops *ops = bind(vcpu->kvm);

	return ops && ops->vcpu_set_attr ? ops->vcpu_set_attr(vcpu, data) : -EINVAL;
}

int kvm_xen_vcpu_get_attr(struct kvm_vcpu *vcpu, struct kvm_xen_vcpu_attr *data)
{
	const struct kvm_xen_accel_ops *ops = bind(vcpu->kvm);

	return ops && ops->vcpu_get_attr ? ops->vcpu_get_attr(vcpu, data) : -EINVAL;
}

int kvm_xen_hvm_evtchn_send(struct kvm *kvm,
			    struct kvm_irq_routing_xen_evtchn *evt)
{
	const struct kvm_xen_accel_ops *ops = bind(kvm);

	return ops && ops->evtchn_send ?
	       static_call(xen_accel_evtchn_send)(kvm, evt) : -ENOTTY;
}

int kvm_xen_setup_evtchn(struct kvm *kvm,
			 struct kvm_kernel_irq_routing_entry *e,
			 const struct kvm_irq_routing_entry *ue)
{
	const struct kvm_xen_accel_ops *ops = bind(kvm);

	return ops && ops->setup_evtchn ? ops->setup_evtchn(kvm, e, ue) : -EINVAL;
}

int kvm_xen_set_evtchn_fast(struct kvm_xen_evtchn *xe, struct kvm *kvm)
{
	return static_call(xen_accel_set_evtchn_fast)(xe, kvm);
}

/*
 * The rest is reached only for bound VMs, through state that only the
 * accelerator sets (the hypercall MSR, the intercept flag, vcpu_info,
 * the shadow evtchn_pending_sel, the timer); but update_tsc_info, which
 * KVM calls for every VM and which needs no accelerator.
 */
int kvm_xen_write_hypercall_page(struct kvm_vcpu *vcpu, u64 data)
{
	const struct kvm_xen_accel_ops *ops = accel_of(vcpu->kvm);

	return ops && ops->write_hypercall_page ? ops->write_hypercall_page(vcpu, data) : 1;
}

/*
 * kvm:kvm_xen_hypercall, KVM's own tracepoint, as upstream fires it: for
 * each Xen hypercall, whatever then handles it, with the guest's CPL, the
 * number and the six arguments of the guest's mode (their low halves in
 * 32-bit mode).  Only called while the tracepoint is enabled: the
 * accelerator reads the registers it needs itself.
 */
static void trace_hypercall(struct kvm_vcpu *vcpu)
{
	static const u8 regs[2][KVM_XEN_ACCEL_HCALL_REGS] = {
		{ VCPU_REGS_RAX, VCPU_REGS_RBX, VCPU_REGS_RCX, VCPU_REGS_RDX,
		  VCPU_REGS_RSI, VCPU_REGS_RDI, VCPU_REGS_RBP },
		{ VCPU_REGS_RAX, VCPU_REGS_RDI, VCPU_REGS_RSI, VCPU_REGS_RDX,
		  VCPU_REGS_R10, VCPU_REGS_R8, VCPU_REGS_R9 },
	};
	struct kvm_xen_accel_hcall hc;

	kvm_xen_accel_read_hcall(vcpu, regs, &hc);
#ifdef KVM_XEN_ACCEL_TRACE_HCALL_CPL
	trace_kvm_xen_hypercall(hc.cpl, hc.val[0], hc.val[1], hc.val[2],
				hc.val[3], hc.val[4], hc.val[5], hc.val[6]);
#else
	trace_kvm_xen_hypercall(hc.val[0], hc.val[1], hc.val[2], hc.val[3],
				hc.val[4], hc.val[5], hc.val[6]);
#endif
}

int kvm_xen_hypercall(struct kvm_vcpu *vcpu)
{
	const struct kvm_xen_accel_ops *ops = accel_of(vcpu->kvm);

	/* Hyper-V hypercalls have bit 31 set in EAX: KVM's own. */
	if ((kvm_rax_read(vcpu) & 0x80000000) && kvm_hv_hypercall_enabled(vcpu))
		return kvm_hv_hypercall(vcpu);

	if (trace_kvm_xen_hypercall_enabled())
		trace_hypercall(vcpu);

	if (!ops || !ops->hypercall) {
		kvm_queue_exception(vcpu, UD_VECTOR);
		return 1;
	}
	return static_call(xen_accel_hypercall)(vcpu);
}

int __kvm_xen_has_interrupt(struct kvm_vcpu *vcpu)
{
	const struct kvm_xen_accel_ops *ops = accel_of(vcpu->kvm);

	return ops && ops->has_interrupt ?
	       static_call(xen_accel_has_interrupt)(vcpu) : 0;
}

void kvm_xen_inject_pending_events(struct kvm_vcpu *vcpu)
{
	const struct kvm_xen_accel_ops *ops = accel_of(vcpu->kvm);

	if (ops && ops->inject_pending_events)
		static_call(xen_accel_inject_pending_events)(vcpu);
}

void kvm_xen_inject_vcpu_vector(struct kvm_vcpu *vcpu)
{
	const struct kvm_xen_accel_ops *ops = accel_of(vcpu->kvm);

	if (ops && ops->inject_vcpu_vector)
		ops->inject_vcpu_vector(vcpu);
}

void kvm_xen_inject_timer_irqs(struct kvm_vcpu *vcpu)
{
	const struct kvm_xen_accel_ops *ops = accel_of(vcpu->kvm);

	if (ops && ops->inject_timer_irqs)
		ops->inject_timer_irqs(vcpu);
}

/*
 * KVM calls this with RUNSTATE_runnable when the vCPU's task is preempted
 * (kvm_arch_vcpu_put()), and with RUNSTATE_running on the vCPU's way into
 * the guest.  6.12's KVM counts a vCPU as preempted only in KVM_RUN
 * (kvm_sched_out() tests wants_to_run); 6.1's does so in any of its
 * ioctls, which turns a runstate a VMM just set or read into runnable,
 * with a new entry time.  Here a preemption outside KVM_RUN changes
 * nothing, as on 6.12, on every kernel: the time the task waited still
 * goes to runnable, as steal time, at the next update.
 */
void kvm_xen_update_runstate(struct kvm_vcpu *vcpu, int state)
{
	const struct kvm_xen_accel_ops *ops = accel_of(vcpu->kvm);

	if (state == RUNSTATE_runnable && !READ_ONCE(vcpu->wants_to_run))
		return;
	if (ops && ops->update_runstate)
		static_call(xen_accel_update_runstate)(vcpu, state);
}

#ifdef KVM_XEN_ACCEL_HAVE_TSC_INFO
/*
 * Xen's CPUID leaf 3 (the VMM's Xen base + 3) gives the guest, in
 * sub-leaf 1, its pvclock's TSC-to-nanoseconds multiplier (ecx) and shift
 * (edx), and in sub-leaf 2 its TSC frequency in kHz (eax), where the VMM
 * placed those sub-leaves.  KVM calls this when the vCPU's TSC frequency
 * or scaling changes, the first time at the vCPU's first clock update,
 * which may well come before the VM's first Xen ioctl: so it is done here
 * for every VM, as upstream's xen.o does, not by the accelerator.
 */
static void set_tsc_leaf_reg(struct kvm_vcpu *vcpu, u32 leaf, u32 sub,
			     size_t reg, u32 val)
{
	struct kvm_cpuid_entry2 *e = kvm_find_cpuid_entry_index(vcpu, leaf, sub);

	/* @reg: the register's offset in the entry; no such sub-leaf: nothing. */
	if (e)
		*(u32 *)((u8 *)e + reg) = val;
}

void kvm_xen_update_tsc_info(struct kvm_vcpu *vcpu)
{
	const struct kvm_hypervisor_cpuid *xen = &vcpu->arch.xen.cpuid;
	u32 leaf = xen->base + 3;

	if (!xen->base || leaf > xen->limit)
		return;
	set_tsc_leaf_reg(vcpu, leaf, 1, offsetof(struct kvm_cpuid_entry2, ecx),
			 vcpu->arch.hv_clock.tsc_to_system_mul);
	set_tsc_leaf_reg(vcpu, leaf, 1, offsetof(struct kvm_cpuid_entry2, edx),
			 vcpu->arch.hv_clock.tsc_shift);
	set_tsc_leaf_reg(vcpu, leaf, 2, offsetof(struct kvm_cpuid_entry2, eax),
			 vcpu->arch.hw_tsc_khz);
}
#endif

/*
 * KVM internals for the accelerator, in one place.  Upstream's xen.c uses
 * them from inside kvm.ko; the accelerator is outside, so kvm.ko exports
 * them here.
 */

/* The Xen fast paths in KVM test this key; the accelerator counts users. */
EXPORT_SYMBOL_GPL(kvm_xen_enabled);

#ifdef KVM_XEN_ACCEL_EXPORT_KVM_INTERNALS
/*
 * shared_info, vcpu_info, vcpu_time_info and runstate are pfn caches, set
 * up by GPA or HVA from the attribute ioctls...
 */
EXPORT_SYMBOL_GPL(kvm_gpc_activate);
/* ...or, for shared_info and vcpu_info, by HVA... */
EXPORT_SYMBOL_GPL(kvm_gpc_activate_hva);
/* ...and torn down with KVM_XEN_INVALID_GPA or a zero HVA. */
EXPORT_SYMBOL_GPL(kvm_gpc_deactivate);
/* Event delivery in atomic context checks that a cache is still valid... */
EXPORT_SYMBOL_GPL(kvm_gpc_check);
/* ...and process context refreshes one that is not. */
EXPORT_SYMBOL_GPL(kvm_gpc_refresh);

/* shared_info's wallclock is the VM's epoch. */
EXPORT_SYMBOL_GPL(kvm_get_wall_clock_epoch);
#endif

/* Runstate times are in the VM's kvmclock nanoseconds. */
EXPORT_SYMBOL_GPL(get_kvmclock_ns);

/*
 * What a hypercall needs of the vCPU, read in one call: its privilege
 * level (hypercalls are taken at CPL 0 only), whether it is in 64-bit mode
 * for hypercalls, and the registers that @regs names for that mode
 * (@regs[0] for 32-bit mode, @regs[1] for 64-bit mode).  Which registers
 * hold what is Xen's ABI, the accelerator's business; only those are read
 * (the bench counted each read on every hypercall).
 */
void kvm_xen_accel_read_hcall(struct kvm_vcpu *vcpu,
			      const u8 regs[2][KVM_XEN_ACCEL_HCALL_REGS],
			      struct kvm_xen_accel_hcall *hc)
{
	u64 width;
	int i;

	hc->is_64bit = is_64_bit_hypercall(vcpu);
	hc->cpl = kvm_x86_call(get_cpl)(vcpu);
	width = hc->is_64bit ? U64_MAX : U32_MAX;
	for (i = 0; i < KVM_XEN_ACCEL_HCALL_REGS; i++)
		hc->val[i] = kvm_register_read_raw(vcpu,
						   regs[hc->is_64bit][i]) & width;
}
EXPORT_SYMBOL_GPL(kvm_xen_accel_read_hcall);

/* The hypercall page and the 2-level layout depend on long mode. */
bool kvm_xen_accel_long_mode(struct kvm_vcpu *vcpu)
{
	return is_long_mode(vcpu);
}
EXPORT_SYMBOL_GPL(kvm_xen_accel_long_mode);

/* A hypercall's result from the VMM applies only if RIP did not move. */
unsigned long kvm_xen_accel_read_rip(struct kvm_vcpu *vcpu)
{
	return kvm_get_linear_rip(vcpu);
}
EXPORT_SYMBOL_GPL(kvm_xen_accel_read_rip);

/* Return a hypercall's result in RAX and step over the instruction. */
int kvm_xen_accel_complete_hypercall(struct kvm_vcpu *vcpu, u64 result)
{
	kvm_rax_write(vcpu, result);
	return kvm_skip_emulated_instruction(vcpu);
}
EXPORT_SYMBOL_GPL(kvm_xen_accel_complete_hypercall);

/* The hypercall page holds this CPU's VMCALL or VMMCALL (3 bytes). */
void kvm_xen_accel_patch_hypercall(struct kvm_vcpu *vcpu, u8 *insn)
{
	kvm_x86_call(patch_hypercall)(vcpu, insn);
}
EXPORT_SYMBOL_GPL(kvm_xen_accel_patch_hypercall);

/* EVTCHNOP_send's argument is at a guest virtual address. */
int kvm_xen_accel_read_guest_virt(struct kvm_vcpu *vcpu, u64 gva, void *buf,
				  unsigned int len)
{
	struct x86_exception e;

	return kvm_read_guest_virt(vcpu, gva, buf, len, &e) ? -EFAULT : 0;
}
EXPORT_SYMBOL_GPL(kvm_xen_accel_read_guest_virt);

/*
 * Xen timers are absolute times of the guest's own kvmclock.  Read that
 * clock as the guest does (its TSC scaled through its pvclock data), with
 * CLOCK_MONOTONIC of the same moment in @mono, so that a deadline converts
 * to an hrtimer expiry.  Where the host's clocksource is the TSC, both
 * come from one TSC read.  Where two reads are needed, the guest's clock
 * is read first: whatever time passes between the two (an interrupt, a
 * preemption) then delays the expiry by as much, where the other order
 * would make the timer fire before its deadline.  Before the guest's
 * pvclock is set up, or without a stable TSC, KVM's own kvmclock read is
 * the only choice.
 */
u64 kvm_xen_accel_guest_clock(struct kvm_vcpu *vcpu, ktime_t *mono)
{
	u64 host_tsc, now;
	s64 mono_ns;

	if (!vcpu->arch.hv_clock.version || !vcpu->kvm->arch.use_master_clock ||
	    !static_cpu_has(X86_FEATURE_CONSTANT_TSC)) {
		now = get_kvmclock_ns(vcpu->kvm);
		*mono = ktime_get();
		return now;
	}
	if (kvm_get_monotonic_and_clockread(&mono_ns, &host_tsc)) {
		*mono = ns_to_ktime(mono_ns);
	} else {
		host_tsc = rdtsc();
		*mono = ktime_get();
	}
	return __pvclock_read_cycles(&vcpu->arch.hv_clock,
				     kvm_read_l1_tsc(vcpu, host_tsc));
}
EXPORT_SYMBOL_GPL(kvm_xen_accel_guest_clock);

/* The per-vCPU upcall vector is a fixed interrupt to the vCPU's APIC. */
int kvm_xen_accel_deliver_vector(struct kvm_vcpu *vcpu, u8 vector)
{
	struct kvm_lapic_irq irq = {
		.dest_id = vcpu->vcpu_id,
		.vector = vector,
		.dest_mode = APIC_DEST_PHYSICAL,
		.shorthand = APIC_DEST_NOSHORT,
		.delivery_mode = APIC_DM_FIXED,
		.level = 1,
	};

	return kvm_irq_delivery_to_apic(vcpu->kvm, NULL, &irq, NULL);
}
EXPORT_SYMBOL_GPL(kvm_xen_accel_deliver_vector);
