// SPDX-License-Identifier: GPL-2.0-only
/*
 * A VMM's userspace timer against a vCPU that spins on its TSC, on one host
 * CPU: the situation of a Linux guest's early check of its timer interrupt
 * (timer_irq_works() wants 5 PIT ticks within 40e9 / HZ TSC cycles) under
 * a VMM whose PIT is in userspace (QEMU's kernel-irqchip=split).  The vCPU
 * thread and a "PIT" thread that injects a tick (an MSI) every 4 ms are
 * pinned to the same CPU, so each tick needs the host's scheduler to
 * switch from the running vCPU to the PIT thread and back.  The VM is a
 * Xen guest with shared_info, a vcpu_info, a runstate area and the VM-wide
 * upcall vector, as a Linux guest has them then, so that each of the
 * vCPU's entries, loads and puts goes through the Xen code.
 *
 * The guest spins for WINDOW_CYCLES with interrupts on, WINDOWS times, and
 * counts the ticks of each window.  The test prints how many windows got
 * the 5 ticks Linux wants, and the ticks in all; the VM test runs it on
 * the stock KVM and on ours in one boot and compares them.
 */

#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <linux/compiler.h>

#include "apic.h"
#include "xen_test.h"
#include "../harness.h"

#define TICK_VECTOR	0x30
#define TICK_NS		4000000		/* a 250 Hz PIT */
#define WINDOW_CYCLES	160000000ULL	/* 40e9 / HZ at HZ=250 */
#define WINDOWS		10
#define TICKS_WANTED	5		/* what timer_irq_works() needs */
#define UPCALL_VECTOR	0xf3
#define RUNSTATE_GPA	(DATA_GPA + 0x100)

static uint32_t ticks;

static void tick_handler(struct ex_regs *regs)
{
	WRITE_ONCE(ticks, READ_ONCE(ticks) + 1);
	x2apic_write_reg(APIC_EOI, 0);
}

/* Each window's tick count goes to the host with GUEST_SYNC. */
static void guest_code(void)
{
	uint64_t start;
	int i;

	x2apic_enable();
	for (i = 0; i < WINDOWS; i++) {
		WRITE_ONCE(ticks, 0);
		start = rdtsc();
		asm volatile("sti");
		while (rdtsc() - start < WINDOW_CYCLES)
			asm volatile("pause");
		asm volatile("cli");
		GUEST_SYNC(READ_ONCE(ticks));
	}
	GUEST_DONE();
}

struct pit {
	struct kvm_vm *vm;
	bool stop;
	pthread_t thread;
};

static void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	TEST_ASSERT(!sched_setaffinity(0, sizeof(set), &set),
		    "sched_setaffinity");
}

/* The VMM's PIT: an MSI to the vCPU every TICK_NS, late ones not doubled. */
static void *pit_thread(void *arg)
{
	struct kvm_msi msi = {
		.address_lo = 0xfee00000,
		.data = TICK_VECTOR,
	};
	struct pit *pit = arg;
	struct timespec next, now;

	pin_to_cpu(0);
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!READ_ONCE(pit->stop)) {
		next.tv_nsec += TICK_NS;
		if (next.tv_nsec >= 1000000000) {
			next.tv_nsec -= 1000000000;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > next.tv_sec ||
		    (now.tv_sec == next.tv_sec && now.tv_nsec > next.tv_nsec))
			next = now;
		/* Returns how many vCPUs took it: 0 if still pending. */
		TEST_ASSERT(__vm_ioctl(pit->vm, KVM_SIGNAL_MSI, &msi) >= 0,
			    "KVM_SIGNAL_MSI");
	}
	return NULL;
}

struct tick_count {
	int windows_ok;
	int total;
};

static void count_window(uint64_t ticks_seen, void *ctx)
{
	struct tick_count *count = ctx;

	count->total += ticks_seen;
	count->windows_ok += ticks_seen >= TICKS_WANTED;
}

TEST(ticks_to_a_spinning_vcpu)
{
	struct kvm_xen_hvm_config cfg = {
		.flags = KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL,
		.msr = XEN_HYPERCALL_MSR,
	};
	struct tick_count count = {};
	int stage;
	struct kvm_xen_vcpu_attr runstate = {
		.type = KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADDR,
		.u.gpa = RUNSTATE_GPA,
	};
	struct kvm_vcpu *vcpu;
	struct pit pit = {};
	uint8_t *region;

	pit.vm = xen_vm_create(&vcpu, guest_code, &region);
	vm_install_exception_handler(pit.vm, TICK_VECTOR, tick_handler);
	vm_ioctl(pit.vm, KVM_XEN_HVM_CONFIG, &cfg);
	hvm_set_value(pit.vm, KVM_XEN_ATTR_TYPE_LONG_MODE, 1);
	hvm_set_value(pit.vm, KVM_XEN_ATTR_TYPE_SHARED_INFO,
		      SHINFO_GPA / PAGE_SIZE);
	hvm_set_value(pit.vm, KVM_XEN_ATTR_TYPE_UPCALL_VECTOR, UPCALL_VECTOR);
	vcpu_info_at(vcpu, VCPU_INFO_GPA);
	vcpu_ioctl(vcpu, KVM_XEN_VCPU_SET_ATTR, &runstate);

	pin_to_cpu(0);
	ASSERT_EQ(0, pthread_create(&pit.thread, NULL, pit_thread, &pit));
	stage = run_guest_syncs(vcpu, count_window, &count);
	WRITE_ONCE(pit.stop, true);
	pthread_join(pit.thread, NULL);

	ASSERT_EQ(WINDOWS, stage);
	/* The ticks reach the guest at all (the harness works). */
	ASSERT_GT(count.total, 0);
	printf("ticks: %d of %d windows got %d ticks, %d ticks in all\n",
	       count.windows_ok, WINDOWS, TICKS_WANTED, count.total);
	kvm_vm_free(pit.vm);
}

TEST_HARNESS_MAIN
