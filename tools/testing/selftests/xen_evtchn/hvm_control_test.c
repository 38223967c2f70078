// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Xen HVM control plane of xen_evtchn.ko, behind the KVM hook:
 * KVM_XEN_HVM_CONFIG, the HVM and vCPU attributes with their bad input,
 * the wallclock in shared_info (64-bit and 32-bit layouts), the hypercall
 * page (and its MSR written again in the same mode), hypercalls handled in
 * the kernel and hypercalls exiting to the VMM.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xen_test.h"
#include "../harness.h"

#define UNMAPPED_GFN	(UNMAPPED_GPA / PAGE_SIZE)
#define SOME_HYPERCALL		40	/* not one the kernel handles */
#define TEST_XEN_VERSION	0x4000b

/* Offsets in the guest ABI's shared_info. */
#define WC_64		0xc00
#define WC_SEC_HI_64	0xc0c
#define WC_32		0x900
#define WC_SEC_HI_32	0x924

struct wallclock {
	uint32_t version;
	uint32_t sec;
	uint32_t nsec;
};

static unsigned long guest_hypercall(unsigned long nr, unsigned long a0,
				     unsigned long a1, unsigned long a2)
{
	unsigned long entry = HCALL_GPA + nr * HCALL_ENTRY_SIZE;
	unsigned long ret;

	asm volatile("call *%[entry]"
		     : "=a"(ret), "+D"(a0), "+S"(a1), "+d"(a2)
		     : [entry] "r"(entry)
		     : "memory", "cc");
	return ret;
}

/* Stage 0: install the hypercall page; 1: a hypercall to the VMM; 2 and
 * 3: xen_version with and without the kernel knowing the version.
 */
static void guest_code(void)
{
	unsigned long ret;

	wrmsr(XEN_HYPERCALL_MSR, HCALL_GPA);
	GUEST_SYNC(0);

	ret = guest_hypercall(SOME_HYPERCALL, 1, 2, 3);
	GUEST_ASSERT_EQ(ret, 0x1234);
	GUEST_SYNC(1);

	ret = guest_hypercall(HC_XEN_VERSION, XENVER_version, 0, 0);
	GUEST_ASSERT_EQ(ret, TEST_XEN_VERSION);
	GUEST_SYNC(2);

	ret = guest_hypercall(HC_XEN_VERSION, XENVER_version, 0, 0);
	GUEST_ASSERT_EQ(ret, 0x5678);
	GUEST_DONE();
}

/* The page index is in the low bits of the MSR value: only 0 exists. */
static void guest_bad_page_index(void)
{
	GUEST_ASSERT_EQ(wrmsr_safe(XEN_HYPERCALL_MSR, HCALL_GPA | 1),
			GP_VECTOR);
	GUEST_DONE();
}

/*
 * The hypercall MSR written again in the mode the VMM already set: the
 * wallclock stays where it is, so shared_info need not be mapped.
 */
static void guest_msr_same_mode(void)
{
	GUEST_ASSERT_EQ(wrmsr_safe(XEN_HYPERCALL_MSR, HCALL_GPA), 0);
	GUEST_ASSERT_EQ(wrmsr_safe(XEN_HYPERCALL_MSR, HCALL_GPA), 0);
	GUEST_DONE();
}

/* SCHEDOP_yield: handled in the kernel, so the vCPU enters again. */
static void guest_yield(void)
{
	unsigned long ret, cmd = 0;

	asm volatile("vmcall" : "=a"(ret), "+D"(cmd) : "a"(29) : "memory");
	GUEST_DONE();
}

/* Page 1 of the VMM's blob, then a page index past the blob. */
static void guest_blob_pages(void)
{
	wrmsr(XEN_HYPERCALL_MSR, HCALL_GPA | 1);
	GUEST_ASSERT_EQ(wrmsr_safe(XEN_HYPERCALL_MSR, HCALL_GPA | 2),
			GP_VECTOR);
	GUEST_DONE();
}

FIXTURE(xen) {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	uint8_t *region;
};

FIXTURE_SETUP(xen)
{
	self->vm = xen_vm_create(&self->vcpu, guest_code, &self->region);
}

FIXTURE_TEARDOWN(xen)
{
	kvm_vm_free(self->vm);
}

static int hvm_config(struct kvm_vm *vm, uint32_t flags, uint32_t msr)
{
	struct kvm_xen_hvm_config c = { .flags = flags, .msr = msr };

	return __vm_ioctl(vm, KVM_XEN_HVM_CONFIG, &c) ? -errno : 0;
}

TEST_F(xen, config_flags)
{
	struct kvm_xen_hvm_config blob = {
		.flags = KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL,
		.msr = XEN_HYPERCALL_MSR,
		.blob_size_64 = 1,
	};
	uint32_t clock = KVM_XEN_HVM_CONFIG_PVCLOCK_TSC_UNSTABLE;

	/* Capability bits are not settable, nor are unknown ones. */
	EXPECT_EQ(-EINVAL, hvm_config(self->vm, KVM_XEN_HVM_CONFIG_SHARED_INFO, 0));
	EXPECT_EQ(-EINVAL, hvm_config(self->vm, KVM_XEN_HVM_CONFIG_HYPERCALL_MSR, 0));
	EXPECT_EQ(-EINVAL, hvm_config(self->vm, 1u << 31, 0));
	/* KVM writes the page itself when it intercepts: no blob then. */
	EXPECT_EQ(-1, __vm_ioctl(self->vm, KVM_XEN_HVM_CONFIG, &blob));
	EXPECT_EQ(EINVAL, errno);

	EXPECT_EQ(0, hvm_config(self->vm, KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL |
				KVM_XEN_HVM_CONFIG_EVTCHN_SEND,
				XEN_HYPERCALL_MSR));
	/* The pvclock flag is settable where it is reported, only. */
	EXPECT_EQ(xen_cap(clock) ? 0 : -EINVAL,
		  hvm_config(self->vm, KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL |
			     KVM_XEN_HVM_CONFIG_EVTCHN_SEND | clock,
			     XEN_HYPERCALL_MSR));
	/* And off again: the static key count goes back down. */
	EXPECT_EQ(0, hvm_config(self->vm, 0, 0));
}

TEST_F(xen, hvm_attributes)
{
	struct kvm_xen_hvm_attr a = { .type = KVM_XEN_ATTR_TYPE_XEN_VERSION,
				      .u.xen_version = TEST_XEN_VERSION };

	ASSERT_EQ(0, hvm_set(self->vm, &a));
	memset(&a.u, 0, sizeof(a.u));
	ASSERT_EQ(0, hvm_get(self->vm, &a));
	EXPECT_EQ(TEST_XEN_VERSION, a.u.xen_version);

	a.type = KVM_XEN_ATTR_TYPE_LONG_MODE;
	a.u.long_mode = 1;
	ASSERT_EQ(0, hvm_set(self->vm, &a));
	a.u.long_mode = 0;
	ASSERT_EQ(0, hvm_get(self->vm, &a));
	EXPECT_EQ(1, a.u.long_mode);

	a.type = KVM_XEN_ATTR_TYPE_UPCALL_VECTOR;
	a.u.vector = 0x0f;
	EXPECT_EQ(-EINVAL, hvm_set(self->vm, &a));
	a.u.vector = 0x10;
	ASSERT_EQ(0, hvm_set(self->vm, &a));
	a.u.vector = 0;
	ASSERT_EQ(0, hvm_get(self->vm, &a));
	EXPECT_EQ(0x10, a.u.vector);

	a.type = KVM_XEN_ATTR_TYPE_SHARED_INFO;
	a.u.shared_info.gfn = SHINFO_GPA / PAGE_SIZE;
	ASSERT_EQ(0, hvm_set(self->vm, &a));
	a.u.shared_info.gfn = 0;
	ASSERT_EQ(0, hvm_get(self->vm, &a));
	EXPECT_EQ(SHINFO_GPA / PAGE_SIZE, a.u.shared_info.gfn);

	a.u.shared_info.gfn = KVM_XEN_INVALID_GFN;
	ASSERT_EQ(0, hvm_set(self->vm, &a));
	a.u.shared_info.gfn = 0;
	ASSERT_EQ(0, hvm_get(self->vm, &a));
	EXPECT_EQ(KVM_XEN_INVALID_GFN, a.u.shared_info.gfn);

	a.type = KVM_XEN_ATTR_TYPE_SHARED_INFO_HVA;
	a.u.shared_info.hva = (uintptr_t)self->region;
	if (!xen_cap(KVM_XEN_HVM_CONFIG_SHARED_INFO_HVA)) {
		/* Unknown where it is not reported (6.1). */
		EXPECT_EQ(-ENOENT, hvm_set(self->vm, &a));
		EXPECT_EQ(-ENOENT, hvm_get(self->vm, &a));
		return;
	}
	ASSERT_EQ(0, hvm_set(self->vm, &a));
	a.u.shared_info.hva = 0;
	ASSERT_EQ(0, hvm_get(self->vm, &a));
	EXPECT_EQ((uintptr_t)self->region, a.u.shared_info.hva);
	/* Mapped by HVA, it has no GFN. */
	a.type = KVM_XEN_ATTR_TYPE_SHARED_INFO;
	ASSERT_EQ(0, hvm_get(self->vm, &a));
	EXPECT_EQ(KVM_XEN_INVALID_GFN, a.u.shared_info.gfn);
}

TEST_F(xen, hvm_attributes_bad_input)
{
	struct kvm_xen_hvm_attr a = { .type = 0xffff };

	EXPECT_EQ(-ENOENT, hvm_set(self->vm, &a));
	EXPECT_EQ(-ENOENT, hvm_get(self->vm, &a));

	a.type = KVM_XEN_ATTR_TYPE_SHARED_INFO_HVA;
	a.u.shared_info.hva = (uintptr_t)self->region + 8;
	EXPECT_EQ(xen_cap(KVM_XEN_HVM_CONFIG_SHARED_INFO_HVA) ? -EINVAL : -ENOENT,
		  hvm_set(self->vm, &a));

	/* A GFN outside every memslot cannot be mapped. */
	a.type = KVM_XEN_ATTR_TYPE_SHARED_INFO;
	a.u.shared_info.gfn = UNMAPPED_GFN;
	EXPECT_EQ(-EFAULT, hvm_set(self->vm, &a));
	/* (As upstream, GET then reports that GFN: the cache stays set up.) */
}

static void check_wallclock(struct __test_metadata *_metadata, uint8_t *shinfo,
			    int wc_off, int sec_hi_off)
{
	struct wallclock *wc = (struct wallclock *)(shinfo + wc_off);
	uint32_t sec_hi = *(uint32_t *)(shinfo + sec_hi_off);

	EXPECT_NE(0, wc->version);
	EXPECT_EQ(0, wc->version & 1);
	EXPECT_LT(wc->nsec, 1000000000u);
	/* The VM's epoch is boot-relative: some time, not far in the past. */
	EXPECT_EQ(0, sec_hi);
}

TEST_F(xen, wallclock_in_shared_info)
{
	struct kvm_xen_hvm_attr mode = { .type = KVM_XEN_ATTR_TYPE_LONG_MODE,
					 .u.long_mode = 1 };
	struct kvm_xen_hvm_attr si = { .type = KVM_XEN_ATTR_TYPE_SHARED_INFO,
				       .u.shared_info.gfn = SHINFO_GPA / PAGE_SIZE };

	ASSERT_EQ(0, hvm_set(self->vm, &mode));
	ASSERT_EQ(0, hvm_set(self->vm, &si));
	check_wallclock(_metadata, self->region, WC_64, WC_SEC_HI_64);

	/* A 32-bit guest finds it elsewhere. */
	memset(self->region, 0, PAGE_SIZE);
	mode.u.long_mode = 0;
	ASSERT_EQ(0, hvm_set(self->vm, &mode));
	check_wallclock(_metadata, self->region, WC_32, WC_SEC_HI_32);
	EXPECT_EQ(0, ((struct wallclock *)(self->region + WC_64))->version);
}

TEST_F(xen, vcpu_attributes)
{
	struct kvm_xen_vcpu_attr a = { .type = KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO,
				       .u.gpa = VCPU_INFO_GPA };

	ASSERT_EQ(0, vcpu_set(self->vcpu, &a));
	a.u.gpa = 0;
	ASSERT_EQ(0, vcpu_get(self->vcpu, &a));
	EXPECT_EQ(VCPU_INFO_GPA, a.u.gpa);
	a.u.gpa = KVM_XEN_INVALID_GPA;
	ASSERT_EQ(0, vcpu_set(self->vcpu, &a));
	a.u.gpa = 0;
	ASSERT_EQ(0, vcpu_get(self->vcpu, &a));
	EXPECT_EQ(KVM_XEN_INVALID_GPA, a.u.gpa);

	a.type = KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO_HVA;
	a.u.hva = (uintptr_t)self->region + 0x40;
	if (xen_cap(KVM_XEN_HVM_CONFIG_SHARED_INFO_HVA)) {
		ASSERT_EQ(0, vcpu_set(self->vcpu, &a));
		a.u.hva = 0;
		ASSERT_EQ(0, vcpu_get(self->vcpu, &a));
		EXPECT_EQ((uintptr_t)self->region + 0x40, a.u.hva);
	} else {
		/* Unknown where it is not reported (6.1). */
		EXPECT_EQ(-ENOENT, vcpu_set(self->vcpu, &a));
		EXPECT_EQ(-ENOENT, vcpu_get(self->vcpu, &a));
	}

	a.type = KVM_XEN_VCPU_ATTR_TYPE_VCPU_TIME_INFO;
	a.u.gpa = REGION_GPA + PAGE_SIZE;
	ASSERT_EQ(0, vcpu_set(self->vcpu, &a));
	a.u.gpa = 0;
	ASSERT_EQ(0, vcpu_get(self->vcpu, &a));
	EXPECT_EQ(REGION_GPA + PAGE_SIZE, a.u.gpa);

	a.type = KVM_XEN_VCPU_ATTR_TYPE_VCPU_ID;
	a.u.vcpu_id = 5;
	ASSERT_EQ(0, vcpu_set(self->vcpu, &a));
	a.u.vcpu_id = 0;
	ASSERT_EQ(0, vcpu_get(self->vcpu, &a));
	EXPECT_EQ(5, a.u.vcpu_id);

	a.type = KVM_XEN_VCPU_ATTR_TYPE_UPCALL_VECTOR;
	a.u.vector = 0x20;
	ASSERT_EQ(0, vcpu_set(self->vcpu, &a));
	a.u.vector = 0;
	ASSERT_EQ(0, vcpu_get(self->vcpu, &a));
	EXPECT_EQ(0x20, a.u.vector);
}

TEST_F(xen, vcpu_attributes_bad_input)
{
	struct kvm_xen_vcpu_attr a = { .type = 0xffff };

	EXPECT_EQ(-ENOENT, vcpu_set(self->vcpu, &a));
	EXPECT_EQ(-ENOENT, vcpu_get(self->vcpu, &a));

	a.type = KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO;
	a.u.gpa = VCPU_INFO_GPA + 1;
	EXPECT_EQ(-ENXIO, vcpu_set(self->vcpu, &a));
	/* 64 bytes from 32 bytes before a page's end cross it. */
	a.u.gpa = REGION_GPA + PAGE_SIZE - 32;
	EXPECT_EQ(-EINVAL, vcpu_set(self->vcpu, &a));
	a.u.gpa = UNMAPPED_GFN * PAGE_SIZE;
	EXPECT_EQ(-EFAULT, vcpu_set(self->vcpu, &a));

	a.type = KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO_HVA;
	a.u.hva = (uintptr_t)self->region + 2;
	EXPECT_EQ(xen_cap(KVM_XEN_HVM_CONFIG_SHARED_INFO_HVA) ? -ENXIO : -ENOENT,
		  vcpu_set(self->vcpu, &a));

	a.type = KVM_XEN_VCPU_ATTR_TYPE_VCPU_TIME_INFO;
	a.u.gpa = REGION_GPA + PAGE_SIZE - 8;
	EXPECT_EQ(-EINVAL, vcpu_set(self->vcpu, &a));

	a.type = KVM_XEN_VCPU_ATTR_TYPE_VCPU_ID;
	a.u.vcpu_id = 4096;
	EXPECT_EQ(-EINVAL, vcpu_set(self->vcpu, &a));

	a.type = KVM_XEN_VCPU_ATTR_TYPE_UPCALL_VECTOR;
	a.u.vector = 0x0f;
	EXPECT_EQ(-EINVAL, vcpu_set(self->vcpu, &a));
}

static void run_to_sync(struct __test_metadata *_metadata,
			struct kvm_vcpu *vcpu, uint64_t stage)
{
	struct ucall uc;

	vcpu_run(vcpu);
	ASSERT_EQ(KVM_EXIT_IO, vcpu->run->exit_reason);
	switch (get_ucall(vcpu, &uc)) {
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT(uc);
		break;
	case UCALL_SYNC:
		ASSERT_EQ(stage, uc.args[1]);
		break;
	case UCALL_DONE:
		ASSERT_EQ(stage, ~0ull);
		break;
	default:
		ASSERT_TRUE(false);
	}
}

static void run_to_hypercall_exit(struct __test_metadata *_metadata,
				  struct kvm_vcpu *vcpu, uint64_t nr,
				  uint64_t result)
{
	struct kvm_run *run = vcpu->run;

	vcpu_run(vcpu);
	ASSERT_EQ(KVM_EXIT_XEN, run->exit_reason);
	ASSERT_EQ(KVM_EXIT_XEN_HCALL, run->xen.type);
	EXPECT_EQ(nr, run->xen.u.hcall.input);
	EXPECT_EQ(1, run->xen.u.hcall.longmode);
	EXPECT_EQ(0, run->xen.u.hcall.cpl);
	run->xen.u.hcall.result = result;
}

TEST_F(xen, hypercall_page_and_hypercalls)
{
	struct kvm_xen_hvm_attr ver = { .type = KVM_XEN_ATTR_TYPE_XEN_VERSION,
					.u.xen_version = TEST_XEN_VERSION };
	uint8_t *page = self->region + 2 * PAGE_SIZE;
	int nr, i;

	ASSERT_EQ(0, hvm_config(self->vm, KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL,
				XEN_HYPERCALL_MSR));
	run_to_sync(_metadata, self->vcpu, 0);

	/* Each entry: mov $nr, %eax; vmcall or vmmcall; ret; int3s. */
	for (nr = 0; nr < PAGE_SIZE / HCALL_ENTRY_SIZE; nr++) {
		uint8_t *e = page + nr * HCALL_ENTRY_SIZE;
		uint32_t imm;

		memcpy(&imm, e + 1, sizeof(imm));
		ASSERT_EQ(0xb8, e[0]);
		ASSERT_EQ(nr, imm);
		ASSERT_EQ(0x0f, e[5]);
		ASSERT_EQ(0x01, e[6]);
		ASSERT_TRUE(e[7] == 0xc1 || e[7] == 0xd9);
		ASSERT_EQ(0xc3, e[8]);
		for (i = 9; i < HCALL_ENTRY_SIZE; i++)
			ASSERT_EQ(0xcc, e[i]);
	}

	/* A hypercall the kernel does not take goes to the VMM... */
	run_to_hypercall_exit(_metadata, self->vcpu, SOME_HYPERCALL, 0x1234);
	EXPECT_EQ(1, self->vcpu->run->xen.u.hcall.params[0]);
	EXPECT_EQ(2, self->vcpu->run->xen.u.hcall.params[1]);
	EXPECT_EQ(3, self->vcpu->run->xen.u.hcall.params[2]);
	/* ...whose result the guest gets. */
	run_to_sync(_metadata, self->vcpu, 1);

	/* xen_version: answered in the kernel once the VMM set it... */
	ASSERT_EQ(0, hvm_set(self->vm, &ver));
	run_to_sync(_metadata, self->vcpu, 2);

	/* ...and by the VMM when it did not. */
	ver.u.xen_version = 0;
	ASSERT_EQ(0, hvm_set(self->vm, &ver));
	run_to_hypercall_exit(_metadata, self->vcpu, HC_XEN_VERSION,
			      0x5678);
	run_to_sync(_metadata, self->vcpu, ~0ull);
}

TEST_F(xen, hypercall_page_from_vmm_blob)
{
	uint8_t *blob = malloc(2 * PAGE_SIZE);
	struct kvm_xen_hvm_config cfg = {
		.msr = XEN_HYPERCALL_MSR,
		.blob_addr_64 = (uintptr_t)blob,
		.blob_size_64 = 2,
	};

	ASSERT_NE(NULL, blob);
	memset(blob, 0x11, PAGE_SIZE);
	memset(blob + PAGE_SIZE, 0x22, PAGE_SIZE);
	vcpu_arch_set_entry_point(self->vcpu, guest_blob_pages);
	vm_ioctl(self->vm, KVM_XEN_HVM_CONFIG, &cfg);
	run_to_sync(_metadata, self->vcpu, ~0ull);
	/* The 64-bit guest got the blob's second page. */
	EXPECT_EQ(0, memcmp(self->region + 2 * PAGE_SIZE, blob + PAGE_SIZE,
			    PAGE_SIZE));
	free(blob);
}

TEST_F(xen, hypercall_page_index_out_of_range)
{
	vcpu_arch_set_entry_point(self->vcpu, guest_bad_page_index);
	ASSERT_EQ(0, hvm_config(self->vm, KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL,
				XEN_HYPERCALL_MSR));
	run_to_sync(_metadata, self->vcpu, ~0ull);
}

/*
 * shared_info in a memslot of its own that goes away: the cache stays
 * active but cannot be mapped.  A hypercall MSR write that does not change
 * the guest's mode must not need it (upstream's KVM behaves so).
 */
TEST_F(xen, hypercall_msr_same_mode_needs_no_shared_info)
{
	const uint64_t gpa = 0xd0000000ULL;
	const uint32_t slot = REGION_SLOT + 1;

	vm_userspace_mem_region_add(self->vm, VM_MEM_SRC_ANONYMOUS, gpa, slot,
				    1, 0);
	vcpu_arch_set_entry_point(self->vcpu, guest_msr_same_mode);
	ASSERT_EQ(0, hvm_config(self->vm, KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL,
				XEN_HYPERCALL_MSR));
	hvm_set_value(self->vm, KVM_XEN_ATTR_TYPE_SHARED_INFO, gpa / PAGE_SIZE);
	hvm_set_value(self->vm, KVM_XEN_ATTR_TYPE_LONG_MODE, 1);
	vm_mem_region_delete(self->vm, slot);
	run_to_sync(_metadata, self->vcpu, ~0ull);
}

/*
 * An event sent before the VMM ever set up the vCPU's vcpu_info waits in
 * the shadow selector; the vCPU's next entry must leave it there, not ask
 * KVM to map a cache that has no address (KVM WARNs then).  Found by
 * xen_fuzz.
 */
TEST_F(xen, event_before_any_vcpu_info)
{
	struct kvm_irq_routing_xen_evtchn e = {
		.port = 5, .vcpu = 0, .priority = PRIO,
	};

	vcpu_arch_set_entry_point(self->vcpu, guest_yield);
	ASSERT_EQ(0, hvm_config(self->vm, KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL |
				KVM_XEN_HVM_CONFIG_EVTCHN_SEND,
				XEN_HYPERCALL_MSR));
	hvm_set_value(self->vm, KVM_XEN_ATTR_TYPE_SHARED_INFO,
		      SHINFO_GPA / PAGE_SIZE);
	ASSERT_EQ(0, __vm_ioctl(self->vm, KVM_XEN_HVM_EVTCHN_SEND, &e));
	run_to_sync(_metadata, self->vcpu, ~0ull);
}

TEST_HARNESS_MAIN
