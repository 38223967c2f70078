// SPDX-License-Identifier: GPL-2.0-only
/*
 * 2-level event channel delivery by xen_evtchn.ko, in the 64-bit and the
 * 32-bit shared_info/vcpu_info layouts: KVM_XEN_HVM_EVTCHN_SEND (unmasked,
 * masked, already pending, bad input), irqfd through a
 * KVM_IRQ_ROUTING_XEN_EVTCHN route, the shadow evtchn_pending_sel while
 * vcpu_info is deactivated, the selector bit set at once for a port already
 * pending when a route or a port entry is set up, the outbound port table
 * and its bad input, the guest's EVTCHNOP_send (IPI, loopback, eventfd,
 * unknown port) and the upcall vector in a running guest.
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "xen_test.h"
#include "../harness.h"

#define VCPU_INFO2_GPA	(REGION_GPA + PAGE_SIZE + 0x100)
#define UPCALL_VECTOR		0x10
#define IRQFD_GSI		32
#define EXTRA_GPA	0xd0000000ULL
#define EXTRA_SLOT	11

#define MASK_OFF_64	0xa00
#define MASK_OFF_32	0x880

FIXTURE(evtchn) {
	struct kvm_vm *vm;
	struct kvm_vcpu *vcpu;
	uint8_t *region;
	bool long_mode;
};

FIXTURE_VARIANT(evtchn) {
	bool long_mode;
};

FIXTURE_VARIANT_ADD(evtchn, abi64) {
	.long_mode = true,
};

FIXTURE_VARIANT_ADD(evtchn, abi32) {
	.long_mode = false,
};

static void guest_sync_loop(void)
{
	for (;;)
		GUEST_SYNC(0);
}

FIXTURE_SETUP(evtchn)
{
	self->long_mode = variant->long_mode;
	self->vm = xen_vm_create_ready(&self->vcpu, guest_sync_loop,
				       &self->region, self->long_mode);
}

FIXTURE_TEARDOWN(evtchn)
{
	kvm_vm_free(self->vm);
}

static bool test_bit_at(uint8_t *base, unsigned int bit)
{
	return base[bit / 8] & (1u << (bit % 8));
}

static void set_bit_at(uint8_t *base, unsigned int bit)
{
	base[bit / 8] |= 1u << (bit % 8);
}

static bool pending_in(uint8_t *region, unsigned int port)
{
	return test_bit_at(region + PENDING_OFF, port);
}

static void mask_in(uint8_t *region, bool long_mode, unsigned int port)
{
	set_bit_at(region + (long_mode ? MASK_OFF_64 : MASK_OFF_32), port);
}

/* The selector of the vcpu_info at @gpa: 8 bytes at 8, or 4 at 4. */
static uint64_t selector_in(uint8_t *region, bool long_mode, uint64_t gpa)
{
	uint8_t *vi = region + (gpa - REGION_GPA);

	if (long_mode)
		return *(uint64_t *)(vi + 8);
	return *(uint32_t *)(vi + 4);
}

/* Shorthands for the fixture's VM. */
#define pending(port)		pending_in(self->region, port)
#define mask(port)		mask_in(self->region, self->long_mode, port)
#define word_bits()		(self->long_mode ? 64 : 32)
#define selector_at(gpa)	selector_in(self->region, self->long_mode, gpa)
#define upcall_pending_at(gpa)	(self->region[(gpa) - REGION_GPA])

static int send(struct kvm_vm *vm, uint32_t port, uint32_t vcpu, uint32_t prio)
{
	struct kvm_irq_routing_xen_evtchn e = {
		.port = port, .vcpu = vcpu, .priority = prio,
	};

	return __vm_ioctl(vm, KVM_XEN_HVM_EVTCHN_SEND, &e) ? -errno : 0;
}

TEST_F(evtchn, send_unmasked)
{
	unsigned int port = self->long_mode ? 130 : 66;

	ASSERT_EQ(0, send(self->vm, port, 0, PRIO));
	EXPECT_TRUE(pending(port));
	EXPECT_EQ(1ull << (port / word_bits()),
		  selector_at(VCPU_INFO_GPA));
	EXPECT_EQ(1, upcall_pending_at(VCPU_INFO_GPA));
}

TEST_F(evtchn, send_masked_stays_pending)
{
	unsigned int port = 15;

	mask(port);
	ASSERT_EQ(0, send(self->vm, port, 0, PRIO));
	EXPECT_TRUE(pending(port));
	EXPECT_EQ(0, selector_at(VCPU_INFO_GPA));
	EXPECT_EQ(0, upcall_pending_at(VCPU_INFO_GPA));
}

TEST_F(evtchn, send_already_pending_coalesces)
{
	unsigned int port = 15;

	set_bit_at(self->region + PENDING_OFF, port);
	ASSERT_EQ(0, send(self->vm, port, 0, PRIO));
	/* Already pending: the guest has been told, nothing new to tell. */
	EXPECT_EQ(0, selector_at(VCPU_INFO_GPA));
	EXPECT_EQ(0, upcall_pending_at(VCPU_INFO_GPA));
}

TEST_F(evtchn, send_bad_input)
{
	unsigned int limit = self->long_mode ? 4096 : 1024;

	EXPECT_EQ(-EINVAL, send(self->vm, 0, 0, PRIO));
	EXPECT_EQ(-EINVAL, send(self->vm, limit, 0, PRIO));
	EXPECT_EQ(-EINVAL, send(self->vm, ~0u, 0, PRIO));
	EXPECT_EQ(-EINVAL, send(self->vm, 5, 0, PRIO + 1));
	EXPECT_EQ(-EINVAL, send(self->vm, 5, 99, PRIO));
	EXPECT_FALSE(pending(5));
	EXPECT_EQ(0, send(self->vm, limit - 1, 0, PRIO));
	EXPECT_TRUE(pending(limit - 1));

	/* Without shared_info there is nowhere to deliver. */
	hvm_set_value(self->vm, KVM_XEN_ATTR_TYPE_SHARED_INFO, KVM_XEN_INVALID_GFN);
	EXPECT_EQ(-EINVAL, send(self->vm, 5, 0, PRIO));
}

TEST_F(evtchn, irqfd_route)
{
	struct kvm_irqfd irqfd = { .gsi = IRQFD_GSI };
	uint64_t one = 1;
	int err, i;

	err = xen_route(self->vm, IRQFD_GSI, 20, 0, PRIO + 1);
	EXPECT_EQ(-EINVAL, err);
	err = xen_route(self->vm, IRQFD_GSI, 20, 0, PRIO);
	ASSERT_EQ(0, err);
	irqfd.fd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, irqfd.fd);
	vm_ioctl(self->vm, KVM_IRQFD, &irqfd);

	ASSERT_EQ(sizeof(one), write(irqfd.fd, &one, sizeof(one)));
	/* Delivered at once, or from KVM's irqfd workqueue. */
	for (i = 0; i < 100 && !pending(20); i++)
		usleep(10000);
	EXPECT_TRUE(pending(20));
	EXPECT_EQ(1, selector_at(VCPU_INFO_GPA));
	close(irqfd.fd);
}

static void run_once(struct __test_metadata *_metadata, struct kvm_vcpu *vcpu)
{
	struct ucall uc;

	vcpu_run(vcpu);
	ASSERT_EQ(KVM_EXIT_IO, vcpu->run->exit_reason);
	ASSERT_EQ(UCALL_SYNC, get_ucall(vcpu, &uc));
}

/* A new memslot invalidates the pfn caches: delivery must remap them. */
static void add_memslot(struct kvm_vm *vm)
{
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, EXTRA_GPA,
				    EXTRA_SLOT, 1, 0);
}

TEST_F(evtchn, send_after_memslot_change)
{
	add_memslot(self->vm);
	ASSERT_EQ(0, send(self->vm, 21, 0, PRIO));
	EXPECT_TRUE(pending(21));
	/* vcpu_info is unmapped too: the selector waits for the vCPU. */
	run_once(_metadata, self->vcpu);
	EXPECT_EQ(1, selector_at(VCPU_INFO_GPA));
}

TEST_F(evtchn, irqfd_after_memslot_change)
{
	struct kvm_irqfd irqfd = { .gsi = IRQFD_GSI };
	uint64_t one = 1;
	int err, i;

	err = xen_route(self->vm, IRQFD_GSI, 22, 0, PRIO);
	ASSERT_EQ(0, err);
	irqfd.fd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, irqfd.fd);
	vm_ioctl(self->vm, KVM_IRQFD, &irqfd);

	/* The atomic path cannot map the page: KVM's workqueue does. */
	add_memslot(self->vm);
	ASSERT_EQ(sizeof(one), write(irqfd.fd, &one, sizeof(one)));
	for (i = 0; i < 100 && !pending(22); i++)
		usleep(10000);
	EXPECT_TRUE(pending(22));
	run_once(_metadata, self->vcpu);
	EXPECT_EQ(1, selector_at(VCPU_INFO_GPA));
	close(irqfd.fd);
}

struct toggler {
	struct kvm_vm *vm;
	bool stop;
	int errors;
};

static void *toggle_shared_info(void *arg)
{
	struct toggler *t = arg;
	struct kvm_xen_hvm_attr a = { .type = KVM_XEN_ATTR_TYPE_SHARED_INFO };
	int i;

	for (i = 0; !READ_ONCE(t->stop); i++) {
		a.u.shared_info.gfn = i & 1 ? KVM_XEN_INVALID_GFN :
				      SHINFO_GPA / PAGE_SIZE;
		if (__vm_ioctl(t->vm, KVM_XEN_HVM_SET_ATTR, &a))
			t->errors++;
	}
	return NULL;
}

/* Sends racing with shared_info coming and going: no error but "there is
 * no shared_info now", and no splat (the runner checks the kernel log).
 */
TEST_F(evtchn, send_races_shared_info_changes)
{
	struct toggler t = { .vm = self->vm };
	pthread_t thread;
	int i, ret, delivered = 0;

	ASSERT_EQ(0, pthread_create(&thread, NULL, toggle_shared_info, &t));
	for (i = 0; i < 2000; i++) {
		ret = send(self->vm, 1 + i % 500, 0, PRIO);
		if (ret == 0)
			delivered++;
		else
			EXPECT_EQ(-EINVAL, ret);
	}
	WRITE_ONCE(t.stop, true);
	pthread_join(thread, NULL);
	EXPECT_EQ(0, t.errors);
	TH_LOG("%d of 2000 sends found shared_info", delivered);

	/* Whatever the interleaving, the state is sound afterwards. */
	hvm_set_value(self->vm, KVM_XEN_ATTR_TYPE_SHARED_INFO, SHINFO_GPA / PAGE_SIZE);
	memset(self->region + PENDING_OFF, 0, 0x200);
	ASSERT_EQ(0, send(self->vm, 600, 0, PRIO));
	EXPECT_TRUE(pending(600));
}

/* "Pending at setup" resync: a port pending before its sender is set up. */
TEST_F(evtchn, pending_port_gets_selector_on_route)
{
	int err;

	set_bit_at(self->region + PENDING_OFF, 77);
	err = xen_route(self->vm, IRQFD_GSI, 77, 0, PRIO);
	ASSERT_EQ(0, err);
	EXPECT_EQ(1ull << (77 / word_bits()), selector_at(VCPU_INFO_GPA));
	EXPECT_EQ(1, upcall_pending_at(VCPU_INFO_GPA));
}

static int set_port(struct kvm_vm *vm, uint32_t flags, uint32_t send_port,
		    uint32_t type, uint32_t to_port, int fd)
{
	struct kvm_xen_hvm_attr a = {
		.type = KVM_XEN_ATTR_TYPE_EVTCHN,
		.u.evtchn = {
			.send_port = send_port,
			.type = type,
			.flags = flags,
			.deliver.port = { .port = to_port, .vcpu = 0,
					  .priority = PRIO },
		},
	};

	if (fd >= 0)
		a.u.evtchn.deliver.eventfd.fd = fd;
	return hvm_set(vm, &a);
}

TEST_F(evtchn, pending_port_gets_selector_on_ipi_port)
{
	set_bit_at(self->region + PENDING_OFF, 40);
	ASSERT_EQ(0, set_port(self->vm, 0, 40, EVTCHNSTAT_ipi, 40, -1));
	EXPECT_EQ(1ull << (40 / word_bits()), selector_at(VCPU_INFO_GPA));
}

TEST_F(evtchn, pending_masked_port_gets_no_selector)
{
	int err;

	set_bit_at(self->region + PENDING_OFF, 41);
	mask(41);
	err = xen_route(self->vm, IRQFD_GSI, 41, 0, PRIO);
	ASSERT_EQ(0, err);
	EXPECT_EQ(0, selector_at(VCPU_INFO_GPA));
}

TEST_F(evtchn, shadow_while_vcpu_info_moves)
{
	unsigned int port = self->long_mode ? 200 : 100;
	uint64_t bit = 1ull << (port / word_bits());

	/* The VMM moves vcpu_info: off first, then copy, then on again. */
	vcpu_info_at(self->vcpu, KVM_XEN_INVALID_GPA);
	ASSERT_EQ(0, send(self->vm, port, 0, PRIO));
	EXPECT_TRUE(pending(port));
	/* Nothing written to the old place meanwhile: it is in the shadow. */
	EXPECT_EQ(0, selector_at(VCPU_INFO_GPA));

	memcpy(self->region + (VCPU_INFO2_GPA - REGION_GPA),
	       self->region + (VCPU_INFO_GPA - REGION_GPA), 64);
	vcpu_info_at(self->vcpu, VCPU_INFO2_GPA);
	EXPECT_EQ(0, selector_at(VCPU_INFO2_GPA));

	/* On its way into the guest, the vCPU writes it to vcpu_info. */
	run_once(_metadata, self->vcpu);
	EXPECT_EQ(bit, selector_at(VCPU_INFO2_GPA));
	EXPECT_EQ(1, upcall_pending_at(VCPU_INFO2_GPA));
}

TEST_F(evtchn, port_table_bad_input)
{
	unsigned int limit = self->long_mode ? 4096 : 1024;
	int efd = eventfd(0, EFD_CLOEXEC), nullfd = open("/dev/null", O_RDONLY);

	ASSERT_LE(0, efd);
	ASSERT_LE(0, nullfd);
	EXPECT_EQ(-EINVAL, set_port(self->vm, 0, 0, EVTCHNSTAT_ipi, 0, -1));
	EXPECT_EQ(-EINVAL, set_port(self->vm, 0, limit, EVTCHNSTAT_ipi, limit, -1));
	EXPECT_EQ(-EINVAL, set_port(self->vm, 0, 3, EVTCHNSTAT_ipi, 4, -1));
	EXPECT_EQ(-EINVAL, set_port(self->vm, 0, 3, EVTCHNSTAT_interdomain, limit, -1));
	EXPECT_EQ(-EINVAL, set_port(self->vm, 0, 3, 0 /* closed */, 3, -1));
	EXPECT_EQ(-EINVAL, set_port(self->vm, 0x80, 3, EVTCHNSTAT_ipi, 3, -1));
	EXPECT_EQ(-EBADF, set_port(self->vm, 0, 3, EVTCHNSTAT_interdomain, 0, 1000));
	EXPECT_EQ(-EINVAL, set_port(self->vm, 0, 3, EVTCHNSTAT_interdomain, 0, nullfd));
	EXPECT_EQ(-ENOENT, set_port(self->vm, KVM_XEN_EVTCHN_UPDATE, 3,
				    EVTCHNSTAT_ipi, 3, -1));
	EXPECT_EQ(-ENOENT, set_port(self->vm, KVM_XEN_EVTCHN_DEASSIGN, 3, 0, 0, -1));

	ASSERT_EQ(0, set_port(self->vm, 0, 3, EVTCHNSTAT_ipi, 3, -1));
	EXPECT_EQ(-EEXIST, set_port(self->vm, 0, 3, EVTCHNSTAT_ipi, 3, -1));
	/* An update may change the vCPU and priority only. */
	EXPECT_EQ(-EINVAL, set_port(self->vm, KVM_XEN_EVTCHN_UPDATE, 3,
				    EVTCHNSTAT_interdomain, 3, -1));
	EXPECT_EQ(0, set_port(self->vm, KVM_XEN_EVTCHN_UPDATE, 3,
			      EVTCHNSTAT_ipi, 3, -1));

	ASSERT_EQ(0, set_port(self->vm, 0, 4, EVTCHNSTAT_interdomain, 0, efd));
	EXPECT_EQ(-EINVAL, set_port(self->vm, KVM_XEN_EVTCHN_UPDATE, 4,
				    EVTCHNSTAT_interdomain, 0, efd));
	EXPECT_EQ(0, set_port(self->vm, KVM_XEN_EVTCHN_DEASSIGN, 4, 0, 0, -1));
	EXPECT_EQ(-ENOENT, set_port(self->vm, KVM_XEN_EVTCHN_DEASSIGN, 4, 0, 0, -1));

	EXPECT_EQ(0, set_port(self->vm, KVM_XEN_EVTCHN_RESET, 0, 0, 0, -1));
	EXPECT_EQ(-ENOENT, set_port(self->vm, KVM_XEN_EVTCHN_DEASSIGN, 3, 0, 0, -1));
	close(efd);
	close(nullfd);
}

/* The guest: install the hypercall page, then send on each of the ports
 * the host lists in DATA_GPA (zero-terminated), syncing after each with
 * the hypercall's result.
 */
static void guest_send(void)
{
	uint32_t *ports = (void *)DATA_GPA;
	uint32_t *arg = (void *)(DATA_GPA + 0x100);
	unsigned long ret;
	int i;

	wrmsr(XEN_HYPERCALL_MSR, HCALL_GPA);
	for (i = 0; READ_ONCE(ports[i]); i++) {
		unsigned long entry = HCALL_GPA +
			HC_EVENT_CHANNEL_OP * HCALL_ENTRY_SIZE;
		unsigned long cmd = EVTCHNOP_send;
		unsigned long a = (unsigned long)arg;

		*arg = ports[i];
		asm volatile("call *%[entry]"
			     : "=a"(ret), "+D"(cmd), "+S"(a)
			     : [entry] "r"(entry)
			     : "memory", "cc", "rdx");
		GUEST_SYNC(ret);
	}
	GUEST_DONE();
}

static void run_sync(struct __test_metadata *_metadata, struct kvm_vcpu *vcpu,
		     uint64_t result)
{
	struct ucall uc;

	vcpu_run(vcpu);
	ASSERT_EQ(UCALL_SYNC, get_ucall(vcpu, &uc));
	EXPECT_EQ(result, uc.args[1]);
}

TEST(guest_evtchnop_send_after_memslot_change)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint8_t *region;
	uint32_t *ports;

	vm = xen_vm_create_ready(&vcpu, guest_sync_loop, &region, true);
	vcpu_arch_set_entry_point(vcpu, guest_send);
	ASSERT_EQ(0, set_port(vm, 0, 10, EVTCHNSTAT_ipi, 10, -1));
	ports = (uint32_t *)(region + 3 * PAGE_SIZE);
	ports[0] = 10;
	ports[1] = 10;

	run_sync(_metadata, vcpu, 0);
	EXPECT_TRUE(test_bit_at(region + PENDING_OFF, 10));
	region[PENDING_OFF + 1] = 0;	/* the guest handled port 10 */

	add_memslot(vm);
	run_sync(_metadata, vcpu, 0);
	EXPECT_TRUE(test_bit_at(region + PENDING_OFF, 10));
	kvm_vm_free(vm);
}

TEST(guest_evtchnop_send)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint8_t *region;
	uint32_t *ports;
	struct ucall uc;
	uint64_t count;
	int efd;

	vm = xen_vm_create_ready(&vcpu, guest_sync_loop, &region, true);
	vcpu_arch_set_entry_point(vcpu, guest_send);
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, set_port(vm, 0, 10, EVTCHNSTAT_ipi, 10, -1));
	ASSERT_EQ(0, set_port(vm, 0, 11, EVTCHNSTAT_interdomain, 12, -1));
	ASSERT_EQ(0, set_port(vm, 0, 13, EVTCHNSTAT_interdomain, 0, efd));
	ports = (uint32_t *)(region + 3 * PAGE_SIZE);
	ports[0] = 10;
	ports[1] = 11;
	ports[2] = 13;
	ports[3] = 14;	/* not in the table */

	/* IPI: the same port raised, in the kernel. */
	vcpu_run(vcpu);
	ASSERT_EQ(UCALL_SYNC, get_ucall(vcpu, &uc));
	EXPECT_EQ(0, uc.args[1]);
	EXPECT_TRUE(test_bit_at(region + PENDING_OFF, 10));

	/* Loopback: another port of the guest. */
	vcpu_run(vcpu);
	ASSERT_EQ(UCALL_SYNC, get_ucall(vcpu, &uc));
	EXPECT_TRUE(test_bit_at(region + PENDING_OFF, 12));
	EXPECT_FALSE(test_bit_at(region + PENDING_OFF, 11));

	/* Eventfd: signalled. */
	vcpu_run(vcpu);
	ASSERT_EQ(UCALL_SYNC, get_ucall(vcpu, &uc));
	ASSERT_EQ(sizeof(count), read(efd, &count, sizeof(count)));
	EXPECT_EQ(1, count);

	/* Unknown port: to the VMM, whose result the guest gets. */
	vcpu_run(vcpu);
	ASSERT_EQ(KVM_EXIT_XEN, vcpu->run->exit_reason);
	EXPECT_EQ(HC_EVENT_CHANNEL_OP, vcpu->run->xen.u.hcall.input);
	EXPECT_EQ(EVTCHNOP_send, vcpu->run->xen.u.hcall.params[0]);
	vcpu->run->xen.u.hcall.result = -22;
	vcpu_run(vcpu);
	ASSERT_EQ(UCALL_SYNC, get_ucall(vcpu, &uc));
	EXPECT_EQ((uint64_t)-22, uc.args[1]);

	vcpu_run(vcpu);
	EXPECT_EQ(UCALL_DONE, get_ucall(vcpu, &uc));
	close(efd);
	kvm_vm_free(vm);
}

static bool guest_saw_upcall;

static void upcall_handler(struct ex_regs *regs)
{
	uint8_t *vi = (void *)VCPU_INFO_GPA;

	vi[0] = 0;	/* evtchn_upcall_pending */
	WRITE_ONCE(guest_saw_upcall, true);
}

static void guest_wait_upcall(void)
{
	asm volatile("sti; nop");
	GUEST_SYNC(0);
	while (!READ_ONCE(guest_saw_upcall))
		asm volatile("pause" ::: "memory");
	GUEST_DONE();
}

TEST(global_upcall_vector_in_guest)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint8_t *region;
	struct ucall uc;

	vm = xen_vm_create_ready(&vcpu, guest_sync_loop, &region, true);
	vcpu_arch_set_entry_point(vcpu, guest_wait_upcall);
	vm_install_exception_handler(vm, UPCALL_VECTOR, upcall_handler);
	hvm_set_value(vm, KVM_XEN_ATTR_TYPE_UPCALL_VECTOR, UPCALL_VECTOR);

	vcpu_run(vcpu);
	ASSERT_EQ(UCALL_SYNC, get_ucall(vcpu, &uc));
	ASSERT_EQ(0, send(vm, 9, 0, PRIO));
	vcpu_run(vcpu);
	ASSERT_EQ(UCALL_DONE, get_ucall(vcpu, &uc));
	kvm_vm_free(vm);
}

TEST_HARNESS_MAIN
