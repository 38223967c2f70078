// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen runstate: how long each vCPU has been running, runnable (which
 * includes the time it was ready but the host did not run it: steal time),
 * blocked and offline, in the VM's kvmclock nanoseconds, kept by KVM's
 * calls on every vCPU load and put, and copied into the guest's struct
 * vcpu_runstate_info when the VMM set one up; and the vCPU attributes
 * RUNSTATE_ADDR, RUNSTATE_CURRENT, RUNSTATE_DATA and RUNSTATE_ADJUST, with
 * the HVM attribute RUNSTATE_UPDATE_FLAG.
 *
 * The guest's area is 48 bytes (64-bit ABI) or 44 (32-bit, packed) and may
 * cross a page: runstate_cache maps the part in the first page, a second
 * cache the rest (kvm_xen_accel_runstate2_cache(): runstate2_cache on
 * 6.12, the hook's own on 6.1).  With the update flag on, the top bit of
 * state_entry_time (XEN_RUNSTATE_UPDATE) is set while the area is being
 * written, so that the guest can tell a torn read.
 *
 * Owns current_runstate, runstate_entry_time, runstate_times, last_steal
 * and the two runstate caches.  Steal time comes from the
 * vCPU task's sched_info.run_delay, so all of it needs sched_info_on().
 *
 * Locking: the caches' rwlocks, read side.  For an area across a page,
 * both are held, always the first page's cache, then the second's: the
 * only place that holds two pfn-cache locks at once (a lockdep subclass
 * says so).  From process context: the first with the lock's own irqsave
 * (a sleeping lock on PREEMPT_RT), the second blocking, so that a writer
 * holding it (an invalidation) gets the waiter's priority on PREEMPT_RT.
 * When the vCPU is preempted (atomic, from the scheduler's preemption
 * notifier): trylocks inside local_irq_save(), never waiting; and on
 * PREEMPT_RT no lock at all: there, releasing a contended rwlock may take
 * its slow path (re-enable interrupts, wake the writer) inside the
 * scheduler.  Then the area is not written: the times are kept in the
 * vCPU and written at its next update, which the next vCPU load makes
 * (KVM's steal-time update sets the vCPU running).
 *
 * In KVM_RUN the preemption notifier's update may run in the middle of a
 * process-context one: KVM sets the vCPU running on its way into the
 * guest with preemption enabled.  So update_runstate() does its
 * accounting with preemption disabled, and each write of the area takes
 * the fields, and writes them, with preemption disabled: the area never
 * mixes two updates, nor goes back to an older one.  The attributes need
 * not: they run under vcpu->mutex, outside KVM_RUN, where a preemption
 * changes no runstate (kvm_xen_update_runstate() in the hook).
 * Context: update_runstate runs in vCPU context, atomic when the vCPU is
 * preempted (then a cache that needs refreshing is left for the next
 * update); the attributes in process context, with vcpu->mutex held.
 */

#include <linux/kvm_host.h>
#include <linux/sched/stat.h>

#include <kvm/xen_accel.h>

#include "xen_evtchn.h"

#define RS_SIZE_64	XEN_RUNSTATE_SIZE_64
#define RS_SIZE_32	XEN_RUNSTATE_SIZE_32
#define RS_FLAG_BYTE	XEN_RUNSTATE_FLAG_BYTE

/* Copy @len bytes of @src to offset @off of the area split at @len1. */
static void area_write(void *part1, void *part2, size_t len1, size_t off,
		       const void *src, size_t len)
{
	for (; len; len--, off++, src++) {
		u8 *dst = off < len1 ? part1 + off : part2 + (off - len1);

		WRITE_ONCE(*dst, *(const u8 *)src);
	}
}

/*
 * Write @image (@size bytes) to the area; with @flag, set
 * XEN_RUNSTATE_UPDATE in state_entry_time (at @entry_off) first and clear
 * it last, so that the guest can tell a torn read.
 */
static void area_update(void *part1, void *part2, size_t len1, u8 *image,
			size_t size, size_t entry_off, bool flag)
{
	size_t flag_off = entry_off + RS_FLAG_BYTE;
	u8 flag_byte = image[flag_off];

	if (!flag) {
		area_write(part1, part2, len1, 0, image, size);
		return;
	}
	image[flag_off] |= XEN_RUNSTATE_UPDATE >> 56;
	area_write(part1, part2, len1, flag_off, &image[flag_off], 1);
	smp_wmb();	/* the flag before the data */
	area_write(part1, part2, len1, 0, image, size);
	smp_wmb();	/* the data before the flag goes */
	area_write(part1, part2, len1, flag_off, &flag_byte, 1);
}

/*
 * Write the vCPU's runstate as it is now to the area, with preemption
 * disabled from the read of the fields to the last byte written, so that
 * the preemption notifier's update lands before or after, not in between.
 */
static void write_now(struct kvm_vcpu_xen *vx, void *part1, void *part2,
		      size_t len1, size_t size, size_t entry_off, bool flag)
{
	u8 image[RS_SIZE_64] = {};
	s32 state;
	u64 entry;

	BUILD_BUG_ON(sizeof_field(struct kvm_vcpu_xen, runstate_times) !=
		     4 * sizeof(u64));
	preempt_disable();
	state = vx->current_runstate;
	entry = vx->runstate_entry_time;
	memcpy(image, &state, sizeof(state));
	memcpy(image + entry_off, &entry, sizeof(entry));
	memcpy(image + entry_off + sizeof(entry), vx->runstate_times,
	       sizeof(vx->runstate_times));
	area_update(part1, part2, len1, image, size, entry_off, flag);
	preempt_enable();
}

/*
 * Unlock the first page's cache, as write_guest_area() locked it: when
 * atomic, a trylock inside local_irq_save(); otherwise the lock's own
 * irqsave.  On PREEMPT_RT the lock sleeps, its irqsave leaves interrupts
 * on and its irqrestore restores nothing, so the two must not be mixed.
 */
static void unlock_first(struct gfn_to_pfn_cache *gpc, bool atomic,
			 unsigned long flags)
	__releases(&gpc->lock)
{
	if (atomic) {
		read_unlock(&gpc->lock);
		local_irq_restore(flags);
	} else {
		read_unlock_irqrestore(&gpc->lock, flags);
	}
}

/* Copy the vCPU's runstate into the guest's area, if it has one. */
static void write_guest_area(struct kvm_vcpu *vcpu, bool atomic)
{
	struct kvm_vcpu_xen *vx = &vcpu->arch.xen;
	struct kvm *kvm = vcpu->kvm;
	struct gfn_to_pfn_cache *gpc1 = &vx->runstate_cache;
	struct gfn_to_pfn_cache *gpc2;
	bool long_mode = vcpu->kvm->arch.xen.long_mode;
	size_t size = long_mode ? RS_SIZE_64 : RS_SIZE_32;
	size_t entry_off = long_mode ? XEN_RUNSTATE_ENTRY_OFF_64 :
				       XEN_RUNSTATE_ENTRY_OFF_32;
	size_t len1 = min_t(size_t, size, PAGE_SIZE - offset_in_page(gpc1->gpa));
	bool flag = kvm_xen_accel_runstate_flag(kvm);
	unsigned long flags;

	if (atomic && IS_ENABLED(CONFIG_PREEMPT_RT))
		return;		/* the next update writes it */
	if (!atomic)
		might_sleep();

retry:
	if (atomic) {
		/* Preempted: never wait, and keep interrupts off meanwhile. */
		local_irq_save(flags);
		lockdep_assert_irqs_disabled();
		if (!read_trylock(&gpc1->lock)) {
			local_irq_restore(flags);
			return;
		}
	} else {
		/* Not local_irq_save(): on PREEMPT_RT this lock sleeps. */
		read_lock_irqsave(&gpc1->lock, flags);
	}
	if (!kvm_xen_accel_gpc_check(kvm, gpc1, len1)) {
		unlock_first(gpc1, atomic, flags);
		if (atomic || kvm_xen_accel_gpc_refresh(kvm, gpc1, len1))
			return;
		goto retry;
	}

	if (len1 == size) {
		write_now(vx, gpc1->khva, NULL, len1, size, entry_off, flag);
		kvm_xen_accel_gpc_mark_dirty(kvm, gpc1);
		unlock_first(gpc1, atomic, flags);
		return;
	}

	/*
	 * The second page's cache, which set_runstate_addr() made before it
	 * activated the first.  Taken after the first (the subclass tells
	 * lockdep that both locks, of one class, nest in this order only);
	 * blocking from process context, trylock when preempted.
	 */
	gpc2 = kvm_xen_accel_runstate2_cache(vcpu, false);
	if (!gpc2) {
		unlock_first(gpc1, atomic, flags);
		return;
	}
	lock_set_subclass(&gpc1->lock.dep_map, 1, _THIS_IP_);
	if (atomic) {
		if (!read_trylock(&gpc2->lock)) {
			unlock_first(gpc1, atomic, flags);
			return;
		}
	} else {
		read_lock(&gpc2->lock);
	}
	if (!kvm_xen_accel_gpc_check(kvm, gpc2, size - len1)) {
		read_unlock(&gpc2->lock);
		unlock_first(gpc1, atomic, flags);
		/*
		 * Activate, not refresh: an area set up in the 32-bit ABI may
		 * reach the next page only now that the guest is 64-bit, and
		 * have no second cache yet.
		 */
		if (atomic || kvm_xen_accel_gpc_activate(kvm, gpc2,
							 gpc1->gpa + len1,
							 size - len1))
			return;
		goto retry;
	}
	write_now(vx, gpc1->khva, gpc2->khva, len1, size, entry_off, flag);
	kvm_xen_accel_gpc_mark_dirty(kvm, gpc2);
	read_unlock(&gpc2->lock);
	kvm_xen_accel_gpc_mark_dirty(kvm, gpc1);
	unlock_first(gpc1, atomic, flags);
}

/**
 * xen_evtchn_update_runstate() - the vCPU enters runstate @state
 * @vcpu: the vCPU
 * @state: RUNSTATE_running, _runnable, _blocked or _offline
 *
 * The time since the last change goes to the old state, less the time
 * the task waited to run while "running", which is steal time and goes to
 * runnable.  A vCPU that never had a runstate starts offline.
 *
 * Context: vCPU context; atomic when @state is runnable (preempted).
 */
void xen_evtchn_update_runstate(struct kvm_vcpu *vcpu, int state)
{
	struct kvm_vcpu_xen *vx = &vcpu->arch.xen;
	u64 now, run_delay, elapsed, waited;
	int was;

	/* The notifier's update before or after this one, not inside it. */
	preempt_disable();
	now = get_kvmclock_ns(vcpu->kvm);
	run_delay = current->sched_info.run_delay;
	elapsed = now - vx->runstate_entry_time;
	waited = run_delay - vx->last_steal;
	was = vx->runstate_entry_time ? vx->current_runstate : RUNSTATE_offline;

	/* Only a "running" vCPU that waited for its CPU had time stolen. */
	if (was != RUNSTATE_running)
		waited = 0;
	vx->runstate_times[RUNSTATE_runnable] += waited;
	vx->runstate_times[was] += elapsed - waited;
	vx->last_steal = run_delay;
	vx->current_runstate = state;
	vx->runstate_entry_time = now;
	preempt_enable();

	if (vx->runstate_cache.active)
		write_guest_area(vcpu, state == RUNSTATE_runnable);
}

static int set_runstate_addr(struct kvm_vcpu *vcpu, u64 gpa)
{
	struct kvm_vcpu_xen *vx = &vcpu->arch.xen;
	size_t size = vcpu->kvm->arch.xen.long_mode ? RS_SIZE_64 : RS_SIZE_32;
	size_t len1 = PAGE_SIZE - offset_in_page(gpa);
	struct kvm *kvm = vcpu->kvm;
	struct gfn_to_pfn_cache *gpc2;
	int ret;

	if (gpa == KVM_XEN_INVALID_GPA) {
		kvm_xen_accel_gpc_deactivate(kvm, &vx->runstate_cache);
		gpc2 = kvm_xen_accel_runstate2_cache(vcpu, false);
		if (gpc2)
			kvm_xen_accel_gpc_deactivate(kvm, gpc2);
		return 0;
	}
	gpc2 = kvm_xen_accel_runstate2_cache(vcpu, true);
	if (!gpc2)
		return -ENOMEM;

	/* The rest of the first page: room for either ABI's layout. */
	ret = kvm_xen_accel_gpc_activate(kvm, &vx->runstate_cache, gpa, len1);
	if (!ret && len1 < size)
		ret = kvm_xen_accel_gpc_activate(kvm, gpc2, gpa + len1,
						 size - len1);
	else if (!ret)
		kvm_xen_accel_gpc_deactivate(kvm, gpc2);
	if (ret) {
		kvm_xen_accel_gpc_deactivate(kvm, &vx->runstate_cache);
		kvm_xen_accel_gpc_deactivate(kvm, gpc2);
		return ret;
	}
	write_guest_area(vcpu, false);
	return 0;
}

/* RUNSTATE_DATA and RUNSTATE_ADJUST: the times must add up to the entry
 * time, and the entry time must not be in the future.
 */
static int check_runstate_data(struct kvm_vcpu *vcpu,
			       const struct kvm_xen_vcpu_attr *data, u64 base)
{
	u64 sum = data->u.runstate.time_running + data->u.runstate.time_runnable +
		  data->u.runstate.time_blocked + data->u.runstate.time_offline;

	if (data->u.runstate.state_entry_time != sum)
		return -EINVAL;
	if (get_kvmclock_ns(vcpu->kvm) < base + data->u.runstate.state_entry_time)
		return -EINVAL;
	return 0;
}

static void copy_times(u64 *times, const struct kvm_xen_vcpu_attr *data,
		       bool add)
{
	const u64 t[4] = {
		[RUNSTATE_running] = data->u.runstate.time_running,
		[RUNSTATE_runnable] = data->u.runstate.time_runnable,
		[RUNSTATE_blocked] = data->u.runstate.time_blocked,
		[RUNSTATE_offline] = data->u.runstate.time_offline,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		times[i] = add ? times[i] + t[i] : t[i];
}

/**
 * xen_evtchn_set_runstate_attr() - set a RUNSTATE_* vCPU attribute
 * @vcpu: the vCPU
 * @data: the attribute
 *
 * Context: process context, vcpu->mutex and xen_lock held.
 * Return: 0; -EOPNOTSUPP without sched_info; -EINVAL for a state past
 * offline (ADJUST also takes -1: keep the state), times that do not add up
 * to the entry time, an entry time in the future, or an area the VM cannot
 * map (-EFAULT outside its memory); -ENOMEM if the cache for an area's
 * second page cannot be allocated (6.1).
 */
int xen_evtchn_set_runstate_attr(struct kvm_vcpu *vcpu,
				 const struct kvm_xen_vcpu_attr *data)
{
	struct kvm_vcpu_xen *vx = &vcpu->arch.xen;
	u64 state = data->u.runstate.state;
	int ret;

	lockdep_assert_held(kvm_xen_accel_lock(vcpu->kvm));
	if (!sched_info_on())
		return -EOPNOTSUPP;

	switch (data->type) {
	case KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADDR:
		return set_runstate_addr(vcpu, data->u.gpa);
	case KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_CURRENT:
		if (state > RUNSTATE_offline)
			return -EINVAL;
		xen_evtchn_update_runstate(vcpu, state);
		return 0;
	case KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_DATA:
		if (state > RUNSTATE_offline)
			return -EINVAL;
		ret = check_runstate_data(vcpu, data, 0);
		if (ret)
			return ret;
		vx->current_runstate = state;
		vx->runstate_entry_time = data->u.runstate.state_entry_time;
		copy_times(vx->runstate_times, data, false);
		vx->last_steal = current->sched_info.run_delay;
		return 0;
	case KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADJUST:
		if (state > RUNSTATE_offline && state != (u64)-1)
			return -EINVAL;
		ret = check_runstate_data(vcpu, data, vx->runstate_entry_time);
		if (ret)
			return ret;
		vx->runstate_entry_time += data->u.runstate.state_entry_time;
		copy_times(vx->runstate_times, data, true);
		if (state <= RUNSTATE_offline)
			xen_evtchn_update_runstate(vcpu, state);
		else if (vx->runstate_cache.active)
			write_guest_area(vcpu, false);
		return 0;
	default:
		return -ENOENT;
	}
}

/**
 * xen_evtchn_get_runstate_attr() - get a RUNSTATE_* vCPU attribute
 * @vcpu: the vCPU
 * @data: the attribute; its value is filled in
 *
 * Context: process context, vcpu->mutex and xen_lock held.
 * Return: 0; -EOPNOTSUPP without sched_info; -ENOENT for RUNSTATE_ADDR
 * when no area is set; -EINVAL for RUNSTATE_ADJUST, which is set-only.
 */
int xen_evtchn_get_runstate_attr(struct kvm_vcpu *vcpu,
				 struct kvm_xen_vcpu_attr *data)
{
	struct kvm_vcpu_xen *vx = &vcpu->arch.xen;

	lockdep_assert_held(kvm_xen_accel_lock(vcpu->kvm));
	if (!sched_info_on())
		return -EOPNOTSUPP;

	switch (data->type) {
	case KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADDR:
		if (!vx->runstate_cache.active)
			return -ENOENT;
		data->u.gpa = vx->runstate_cache.gpa;
		return 0;
	case KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_DATA:
		data->u.runstate.state_entry_time = vx->runstate_entry_time;
		data->u.runstate.time_running = vx->runstate_times[RUNSTATE_running];
		data->u.runstate.time_runnable = vx->runstate_times[RUNSTATE_runnable];
		data->u.runstate.time_blocked = vx->runstate_times[RUNSTATE_blocked];
		data->u.runstate.time_offline = vx->runstate_times[RUNSTATE_offline];
		fallthrough;
	case KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_CURRENT:
		data->u.runstate.state = vx->current_runstate;
		return 0;
	case KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADJUST:
		return -EINVAL;
	default:
		return -ENOENT;
	}
}
