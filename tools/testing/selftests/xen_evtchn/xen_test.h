/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the project's Xen selftests: the guest memory layout,
 * a VM set up for Xen (one vCPU or more), the attribute ioctls returning
 * -errno, and the guest's reading of its pvclock.
 */
#ifndef XEN_TEST_H
#define XEN_TEST_H

#include <errno.h>
#include <stdint.h>

#include "kvm_util.h"
#include "processor.h"

/* Guest memory, identity-mapped: shared_info, vcpu_info, hypercalls, data. */
#define REGION_GPA	0xc0000000ULL
#define REGION_SLOT	10
#define REGION_PAGES	4
#define SHINFO_GPA	REGION_GPA
#define VCPU_INFO_GPA	(REGION_GPA + PAGE_SIZE + 0x40)
#define HCALL_GPA	(REGION_GPA + 2 * PAGE_SIZE)
#define DATA_GPA	(REGION_GPA + 3 * PAGE_SIZE)
#define UNMAPPED_GPA	0x1000000000ULL
/* A vcpu_info (either ABI), and how many fit from VCPU_INFO_GPA on. */
#define VCPU_INFO_SIZE	64
#define VCPU_INFO_MAX	((2 * PAGE_SIZE - VCPU_INFO_GPA + REGION_GPA) / \
			 VCPU_INFO_SIZE)

#define XEN_HYPERCALL_MSR	0x40000000
#define HCALL_ENTRY_SIZE	32
#define PENDING_OFF		0x800
#define MASK_OFF		0xa00	/* evtchn_mask, 64-bit layout */

/*
 * Xen's hypercall numbers, and the commands and port states the tests use,
 * checked against Xen's headers at build time (xen_abi_check.c).
 */
#include "xen_abi.h"

/* struct sched_poll of the 64-bit ABI. */
struct sched_poll64 {
	uint64_t ports;
	uint32_t nr_ports;
	uint32_t pad;
	uint64_t timeout;
};

#define PRIO			KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL

/* The pvclock KVM keeps in a vcpu_info (at VCPU_INFO_TIME_OFF). */
#define VCPU_INFO_TIME_OFF	32

struct pvclock {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad[2];
};

/*
 * In the guest: the time in ns of @pv's clock now, and in *@tsc the TSC it
 * is the time of (read within the version check: never before the
 * pvclock's own TSC stamp).
 */
static inline uint64_t pvclock_read(const struct pvclock *pv, uint64_t *tsc)
{
	uint32_t version;
	uint64_t delta, ns;
	int8_t shift;

	do {
		version = READ_ONCE(pv->version);
		*tsc = rdtsc();
		delta = *tsc - READ_ONCE(pv->tsc_timestamp);
		shift = READ_ONCE(pv->tsc_shift);
		delta = shift < 0 ? delta >> -shift : delta << shift;
		ns = READ_ONCE(pv->system_time) +
		     (uint64_t)(((__uint128_t)delta *
				 READ_ONCE(pv->tsc_to_system_mul)) >> 32);
	} while ((version & 1) || version != READ_ONCE(pv->version));
	return ns;
}

/*
 * Whether the kernel reports @flag in KVM_CAP_XEN_HVM: not every supported
 * kernel can do everything (Documentation/kernels.rst).
 */
static inline bool xen_cap(uint32_t flag)
{
	return kvm_check_cap(KVM_CAP_XEN_HVM) & flag;
}

static inline int hvm_set(struct kvm_vm *vm, struct kvm_xen_hvm_attr *a)
{
	return __vm_ioctl(vm, KVM_XEN_HVM_SET_ATTR, a) ? -errno : 0;
}

static inline int hvm_get(struct kvm_vm *vm, struct kvm_xen_hvm_attr *a)
{
	return __vm_ioctl(vm, KVM_XEN_HVM_GET_ATTR, a) ? -errno : 0;
}

static inline int vcpu_set(struct kvm_vcpu *vcpu, struct kvm_xen_vcpu_attr *a)
{
	return __vcpu_ioctl(vcpu, KVM_XEN_VCPU_SET_ATTR, a) ? -errno : 0;
}

static inline int vcpu_get(struct kvm_vcpu *vcpu, struct kvm_xen_vcpu_attr *a)
{
	return __vcpu_ioctl(vcpu, KVM_XEN_VCPU_GET_ATTR, a) ? -errno : 0;
}

/* Set an HVM attribute whose value is the union's first field. */
static inline void hvm_set_value(struct kvm_vm *vm, uint16_t type, uint64_t val)
{
	struct kvm_xen_hvm_attr a = { .type = type };

	a.u.pad[0] = val;
	vm_ioctl(vm, KVM_XEN_HVM_SET_ATTR, &a);
}

static inline void vcpu_info_at(struct kvm_vcpu *vcpu, uint64_t gpa)
{
	struct kvm_xen_vcpu_attr a = {
		.type = KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO,
		.u.gpa = gpa,
	};

	vcpu_ioctl(vcpu, KVM_XEN_VCPU_SET_ATTR, &a);
}

/*
 * In the guest: hypercall @nr through the hypercall page (not a direct
 * VMCALL, as the selftest library's xen_hypercall() makes), 64-bit ABI,
 * with two arguments; returns its result.
 */
static inline unsigned long xen_page_hypercall(unsigned long nr,
					       unsigned long a0,
					       unsigned long a1)
{
	unsigned long entry = HCALL_GPA + nr * HCALL_ENTRY_SIZE, ret;

	asm volatile("call *%[entry]"
		     : "=a"(ret), "+D"(a0), "+S"(a1)
		     : [entry] "r"(entry)
		     : "memory", "cc", "rdx", "r10", "r8", "r9");
	return ret;
}

/*
 * Port @send of the port table: of @type, raising port @to of vCPU @vcpu
 * (an APIC ID), or, with @fd >= 0, signalling that eventfd.
 */
static inline void xen_set_port(struct kvm_vm *vm, uint32_t send,
				uint32_t type, uint32_t to, uint32_t vcpu,
				int fd)
{
	struct kvm_xen_hvm_attr a = {
		.type = KVM_XEN_ATTR_TYPE_EVTCHN,
		.u.evtchn = {
			.send_port = send, .type = type,
			.deliver.port = { .port = to, .vcpu = vcpu,
					  .priority = PRIO },
		},
	};

	if (fd >= 0)
		a.u.evtchn.deliver.eventfd.fd = fd;
	vm_ioctl(vm, KVM_XEN_HVM_SET_ATTR, &a);
}

/* A VM with @nr vCPUs and the guest memory above, mapped at @region. */
static inline struct kvm_vm *xen_vm_create_vcpus(int nr,
						 struct kvm_vcpu **vcpus,
						 void *guest_code,
						 uint8_t **region)
{
	struct kvm_vm *vm = vm_create_with_vcpus(nr, guest_code, vcpus);

	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, REGION_GPA,
				    REGION_SLOT, REGION_PAGES, 0);
	virt_map(vm, REGION_GPA, REGION_GPA, REGION_PAGES);
	*region = addr_gpa2hva(vm, REGION_GPA);
	return vm;
}

/* ...with one vCPU. */
static inline struct kvm_vm *xen_vm_create(struct kvm_vcpu **vcpu,
					   void *guest_code, uint8_t **region)
{
	return xen_vm_create_vcpus(1, vcpu, guest_code, region);
}

/*
 * Enable Xen in @vm: hypercall interception and EVTCHN_SEND, and the ABI
 * (@long_mode); neither shared_info nor vcpu_info yet.
 */
static inline void xen_vm_enable(struct kvm_vm *vm, bool long_mode)
{
	struct kvm_xen_hvm_config cfg = {
		.flags = KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL |
			 KVM_XEN_HVM_CONFIG_EVTCHN_SEND,
		.msr = XEN_HYPERCALL_MSR,
	};

	vm_ioctl(vm, KVM_XEN_HVM_CONFIG, &cfg);
	hvm_set_value(vm, KVM_XEN_ATTR_TYPE_LONG_MODE, long_mode);
}

/* xen_vm_create() and xen_vm_enable(). */
static inline struct kvm_vm *xen_vm_create_bare(struct kvm_vcpu **vcpu,
						void *guest_code,
						uint8_t **region,
						bool long_mode)
{
	struct kvm_vm *vm = xen_vm_create(vcpu, guest_code, region);

	xen_vm_enable(vm, long_mode);
	return vm;
}

/*
 * @nr vCPUs, Xen enabled, shared_info in place and each vCPU's vcpu_info:
 * vCPU i's at VCPU_INFO_GPA + i * VCPU_INFO_SIZE.
 */
static inline struct kvm_vm *xen_vm_create_ready_vcpus(int nr,
						       struct kvm_vcpu **vcpus,
						       void *guest_code,
						       uint8_t **region,
						       bool long_mode)
{
	struct kvm_vm *vm = xen_vm_create_vcpus(nr, vcpus, guest_code, region);
	int i;

	TEST_ASSERT(nr <= VCPU_INFO_MAX, "%d vcpu_info do not fit", nr);
	xen_vm_enable(vm, long_mode);
	hvm_set_value(vm, KVM_XEN_ATTR_TYPE_SHARED_INFO, SHINFO_GPA / PAGE_SIZE);
	for (i = 0; i < nr; i++)
		vcpu_info_at(vcpus[i], VCPU_INFO_GPA + i * VCPU_INFO_SIZE);
	return vm;
}

/* ...with one vCPU. */
static inline struct kvm_vm *xen_vm_create_ready(struct kvm_vcpu **vcpu,
						 void *guest_code,
						 uint8_t **region,
						 bool long_mode)
{
	return xen_vm_create_ready_vcpus(1, vcpu, guest_code, region,
					 long_mode);
}

/*
 * Make GSI @gsi the VM's only route: to Xen port @port of vCPU @vcpu (its
 * APIC ID).  Returns 0 or -errno.
 */
static inline int xen_route(struct kvm_vm *vm, uint32_t gsi, uint32_t port,
			    uint32_t vcpu, uint32_t prio)
{
	struct {
		struct kvm_irq_routing info;
		struct kvm_irq_routing_entry entry;
	} r = {
		.info.nr = 1,
		.entry = {
			.gsi = gsi,
			.type = KVM_IRQ_ROUTING_XEN_EVTCHN,
			.u.xen_evtchn = { .port = port, .vcpu = vcpu,
					  .priority = prio },
		},
	};

	return __vm_ioctl(vm, KVM_SET_GSI_ROUTING, &r.info) ? -errno : 0;
}

/*
 * Run @vcpu until the guest's GUEST_DONE, calling @sync with the value of
 * each GUEST_SYNC on the way; a guest assertion fails the test.  Returns
 * how many GUEST_SYNCs there were.
 */
static inline int run_guest_syncs(struct kvm_vcpu *vcpu,
				  void (*sync)(uint64_t value, void *ctx),
				  void *ctx)
{
	struct ucall uc;
	int syncs = 0;

	for (;;) {
		vcpu_run(vcpu);
		TEST_ASSERT_KVM_EXIT_REASON(vcpu, KVM_EXIT_IO);
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC:
			syncs++;
			sync(uc.args[1], ctx);
			break;
		case UCALL_DONE:
			return syncs;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		default:
			TEST_FAIL("unexpected ucall");
		}
	}
}

#endif /* XEN_TEST_H */
