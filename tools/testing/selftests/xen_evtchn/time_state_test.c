// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest-visible time state of a Xen guest, so that upstream's in-kernel
 * Xen and xen_evtchn.ko can be compared in one boot: the pvclock that KVM
 * writes into vcpu_info and vcpu_time_info, the TSC leaves of the Xen
 * CPUID range, the wallclock in shared_info and whether KVM's master clock
 * is in use.
 *
 * The guest writes the hypercall MSR twice in the same mode, as a guest
 * that sets up its hypercall page again does.  After each write the test
 * checks what must hold on any KVM (a pvclock in both areas that agrees
 * with the CPUID leaves and with KVM_GET_CLOCK, a wallclock that, added
 * to kvmclock, is the host's real time) and prints, as "state:" lines, the
 * values that depend only on the guest's and the VMM's actions.  The VM
 * test runs it on both KVMs and requires the same lines.
 *
 * A second test runs the vCPU before the VMM's first Xen ioctl, as a VMM
 * may (its first clock update then comes before it), and checks that the
 * Xen CPUID time leaf is filled all the same.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>

#include "xen_test.h"
#include "../harness.h"

#define TIME_INFO_GPA		(DATA_GPA + 0x100)
#define CPUID_OUT_GPA		(DATA_GPA + 0x200)
#define XEN_CPUID_BASE		0x40000000
#define XEN_CPUID_TIME		(XEN_CPUID_BASE + 3)
#define WC_64			0xc00
#define PVCLOCK_TSC_STABLE	BIT(0)

struct wallclock {
	uint32_t version;
	uint32_t sec;
	uint32_t nsec;
};

/* What the guest reads from the Xen time leaf, sub-leaves 1 and 2. */
struct time_leaf {
	uint32_t mul;
	uint32_t shift;
	uint32_t tsc_khz;
};

/* In the guest: read the Xen time leaf into @out. */
static void read_time_leaf(struct time_leaf *out)
{
	uint32_t eax, ebx, ecx, edx;

	__cpuid(XEN_CPUID_TIME, 1, &eax, &ebx, &ecx, &edx);
	WRITE_ONCE(out->mul, ecx);
	WRITE_ONCE(out->shift, edx);
	__cpuid(XEN_CPUID_TIME, 2, &eax, &ebx, &ecx, &edx);
	WRITE_ONCE(out->tsc_khz, eax);
}

static void guest_code(void)
{
	int i;

	for (i = 1; i <= 2; i++) {
		wrmsr(XEN_HYPERCALL_MSR, HCALL_GPA);
		read_time_leaf((void *)CPUID_OUT_GPA);
		GUEST_SYNC(i);
	}
	GUEST_DONE();
}

/* Xen's CPUID signature at 0x40000000, with the time leaf (3). */
static void set_xen_cpuid(struct kvm_vcpu *vcpu)
{
	const struct kvm_cpuid2 *old = vcpu->cpuid;
	struct kvm_cpuid2 *cpuid = allocate_kvm_cpuid2(old->nent + 3);
	struct kvm_cpuid_entry2 *e = cpuid->entries;
	uint32_t i, sig[3];

	memcpy(sig, "XenVMMXenVMM", sizeof(sig));
	for (i = 0; i < old->nent; i++)
		if (old->entries[i].function < XEN_CPUID_BASE ||
		    old->entries[i].function > XEN_CPUID_BASE + 0xff)
			*e++ = old->entries[i];
	*e++ = (struct kvm_cpuid_entry2) {
		.function = XEN_CPUID_BASE, .eax = XEN_CPUID_TIME,
		.ebx = sig[0], .ecx = sig[1], .edx = sig[2],
	};
	for (i = 0; i <= 2; i++)
		*e++ = (struct kvm_cpuid_entry2) {
			.function = XEN_CPUID_TIME, .index = i,
			.flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
		};
	cpuid->nent = e - cpuid->entries;
	vcpu_init_cpuid(vcpu, cpuid);
	vcpu_set_cpuid(vcpu);
	free(cpuid);
}

static int64_t ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

struct state_ctx {
	struct __test_metadata *_metadata;
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	uint8_t *region;
	int stage;
};

/*
 * Whether KVM fills Xen's CPUID time leaf: 6.12's does; 6.1's keeps no Xen
 * CPUID state and leaves the leaf as the VMM set it (no flag says so:
 * Documentation/kernels.rst).
 */
static bool kernel_fills_time_leaf(void)
{
	struct utsname u;

	return uname(&u) || strncmp(u.release, "6.1.", 4);
}

/* Check one snapshot after the guest's write number @stage; print it. */
static void check_state(uint64_t stage, void *ctx)
{
	struct state_ctx *st = ctx;
	struct __test_metadata *_metadata = st->_metadata;
	struct kvm_vcpu *vcpu = st->vcpu;
	struct kvm_vm *vm = st->vm;
	uint8_t *region = st->region;
	const struct pvclock *vi = (void *)(region + VCPU_INFO_GPA - REGION_GPA +
					     VCPU_INFO_TIME_OFF);
	const struct pvclock *ti = (void *)(region + TIME_INFO_GPA - REGION_GPA);
	const struct wallclock *wc = (void *)(region + WC_64);
	const struct time_leaf *leaf = (void *)(region + CPUID_OUT_GPA -
						 REGION_GPA);
	struct kvm_clock_data clock = {};
	int64_t epoch, skew;
	int khz;

	ASSERT_EQ(stage, ++st->stage);

	/* KVM writes the same pvclock into both areas, even versions. */
	ASSERT_EQ(vi->version % 2, 0);
	ASSERT_NE(vi->version, 0);
	ASSERT_EQ(ti->version % 2, 0);
	ASSERT_EQ(vi->tsc_to_system_mul, ti->tsc_to_system_mul);
	ASSERT_EQ(vi->tsc_shift, ti->tsc_shift);
	ASSERT_EQ(vi->flags, ti->flags);

	/*
	 * The Xen time leaf matches the pvclock and the vCPU's TSC rate, or
	 * stays as the VMM set it (zero).
	 */
	khz = __vcpu_ioctl(vcpu, KVM_GET_TSC_KHZ, NULL);
	ASSERT_GT(khz, 0);
	if (kernel_fills_time_leaf()) {
		ASSERT_EQ(leaf->mul, vi->tsc_to_system_mul);
		ASSERT_EQ((int8_t)leaf->shift, vi->tsc_shift);
		ASSERT_EQ(leaf->tsc_khz, (uint32_t)khz);
	} else {
		ASSERT_EQ(leaf->mul, 0);
		ASSERT_EQ(leaf->shift, 0);
		ASSERT_EQ(leaf->tsc_khz, 0);
	}

	/* Master clock in use if and only if the pvclock says TSC stable. */
	vm_ioctl(vm, KVM_GET_CLOCK, &clock);
	ASSERT_EQ(!!(clock.flags & KVM_CLOCK_TSC_STABLE),
		  !!(vi->flags & PVCLOCK_TSC_STABLE));

	/* Wallclock: complete, and the epoch of kvmclock in real time. */
	ASSERT_EQ(wc->version % 2, 0);
	ASSERT_NE(wc->version, 0);
	if (clock.flags & KVM_CLOCK_REALTIME) {
		epoch = wc->sec * 1000000000LL + wc->nsec;
		skew = (int64_t)clock.realtime - (int64_t)clock.clock - epoch;
	} else {
		struct timespec now;

		clock_gettime(CLOCK_REALTIME, &now);
		epoch = wc->sec * 1000000000LL + wc->nsec;
		skew = ts_ns(&now) - (int64_t)clock.clock - epoch;
	}
	ASSERT_LT(llabs(skew), 1000000000LL) {
		TH_LOG("wallclock %u.%09u is %lld ns off", wc->sec, wc->nsec,
		       (long long)skew);
	}

	printf("state: write %d: wallclock version %u, master clock %s, ",
	       st->stage, wc->version,
	       clock.flags & KVM_CLOCK_TSC_STABLE ? "on" : "off");
	printf("pvclock flags %#x, tsc_khz %d, mul %#x, shift %d\n",
	       vi->flags, khz, vi->tsc_to_system_mul, vi->tsc_shift);
}

TEST(time_state)
{
	struct kvm_xen_hvm_config cfg = {
		.flags = KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL,
		.msr = XEN_HYPERCALL_MSR,
	};
	struct kvm_xen_vcpu_attr time_info = {
		.type = KVM_XEN_VCPU_ATTR_TYPE_VCPU_TIME_INFO,
		.u.gpa = TIME_INFO_GPA,
	};
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint8_t *region;
	struct state_ctx st;

	vm = xen_vm_create(&vcpu, guest_code, &region);
	set_xen_cpuid(vcpu);
	vm_ioctl(vm, KVM_XEN_HVM_CONFIG, &cfg);
	hvm_set_value(vm, KVM_XEN_ATTR_TYPE_SHARED_INFO, SHINFO_GPA / PAGE_SIZE);
	vcpu_info_at(vcpu, VCPU_INFO_GPA);
	vcpu_ioctl(vcpu, KVM_XEN_VCPU_SET_ATTR, &time_info);

	st = (struct state_ctx) {
		._metadata = _metadata, .vm = vm, .vcpu = vcpu, .region = region,
	};
	ASSERT_EQ(2, run_guest_syncs(vcpu, check_state, &st));
	ASSERT_EQ(2, st.stage);
	kvm_vm_free(vm);
}

/* Runs before any Xen ioctl, then reads the time leaf after the first. */
static void guest_leaf_code(void)
{
	GUEST_SYNC(1);
	read_time_leaf((void *)CPUID_OUT_GPA);
	GUEST_SYNC(2);
	GUEST_DONE();
}

struct leaf_ctx {
	struct __test_metadata *_metadata;
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	const struct time_leaf *leaf;
};

/*
 * Sync 1: the vCPU has run, its clock is set up; the VMM's first Xen
 * ioctl now.  Sync 2: the guest has read the leaf.
 */
static void check_leaf(uint64_t stage, void *ctx)
{
	struct kvm_xen_hvm_config cfg = {
		.flags = KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL,
		.msr = XEN_HYPERCALL_MSR,
	};
	struct leaf_ctx *lc = ctx;
	struct __test_metadata *_metadata = lc->_metadata;
	const struct time_leaf *leaf = lc->leaf;
	int khz;

	if (stage == 1) {
		vm_ioctl(lc->vm, KVM_XEN_HVM_CONFIG, &cfg);
		return;
	}
	ASSERT_EQ(2, stage);
	khz = __vcpu_ioctl(lc->vcpu, KVM_GET_TSC_KHZ, NULL);
	ASSERT_GT(khz, 0);
	if (kernel_fills_time_leaf()) {
		EXPECT_NE(0, leaf->mul);
		EXPECT_EQ((uint32_t)khz, leaf->tsc_khz);
	} else {
		EXPECT_EQ(0, leaf->mul);
		EXPECT_EQ(0, leaf->shift);
		EXPECT_EQ(0, leaf->tsc_khz);
	}
	printf("state: time leaf set before Xen: mul %#x, shift %d, tsc_khz %u\n",
	       leaf->mul, (int8_t)leaf->shift, leaf->tsc_khz);
}

TEST(time_leaf_before_xen)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint8_t *region;
	struct leaf_ctx lc;

	vm = xen_vm_create(&vcpu, guest_leaf_code, &region);
	set_xen_cpuid(vcpu);
	lc = (struct leaf_ctx) {
		._metadata = _metadata, .vm = vm, .vcpu = vcpu,
		.leaf = (void *)(region + CPUID_OUT_GPA - REGION_GPA),
	};
	ASSERT_EQ(2, run_guest_syncs(vcpu, check_leaf, &lc));
	kvm_vm_free(vm);
}

TEST_HARNESS_MAIN
