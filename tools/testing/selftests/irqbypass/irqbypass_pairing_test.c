// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IRQ bypass manager with its real users, read back through its
 * debugfs file (/sys/kernel/debug/irqbypass/tokens):
 *
 *  - kvm_irqfd_consumer: KVM_IRQFD on a VM registers a consumer, and
 *    deassigning the irqfd unregisters it.
 *  - vfio_msi_producer_pairs_with_irqfd: the MSI trigger eventfd of a
 *    device bound to vfio-pci registers a producer; KVM_IRQFD with the same
 *    eventfd connects the pair; either side going disconnects it.  The
 *    device comes from the environment: VFIO_GROUP (the IOMMU group number)
 *    and VFIO_DEVICE (the PCI address).  Without them the test fails: it
 *    must not pass where it could not run.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <linux/vfio.h>

#include "../harness.h"

#define TOKENS_FILE "/sys/kernel/debug/irqbypass/tokens"

struct totals {
	unsigned long tokens, producers, consumers, connected;
};

static int read_totals(struct totals *t)
{
	char line[256];
	FILE *f;
	int n = 0;

	f = fopen(TOKENS_FILE, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		n = sscanf(line, "total: tokens %lu producers %lu consumers %lu connected %lu",
			   &t->tokens, &t->producers, &t->consumers,
			   &t->connected);
	fclose(f);
	return n == 4 ? 0 : -EINVAL;
}

#define ASSERT_TOTALS(_tok, _prod, _cons, _conn)			\
	do {								\
		struct totals __t;					\
		ASSERT_EQ(0, read_totals(&__t));			\
		EXPECT_EQ(_tok, __t.tokens);				\
		EXPECT_EQ(_prod, __t.producers);			\
		EXPECT_EQ(_cons, __t.consumers);			\
		EXPECT_EQ(_conn, __t.connected);			\
	} while (0)

static int create_vm_with_irqchip(void)
{
	int kvm, vm;

	kvm = open("/dev/kvm", O_RDWR);
	if (kvm < 0)
		return -errno;
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	close(kvm);
	if (vm < 0)
		return -errno;
	if (ioctl(vm, KVM_CREATE_IRQCHIP, 0)) {
		close(vm);
		return -errno;
	}
	return vm;
}

/*
 * A GSI past the end of the VM's routing table: connecting to a producer,
 * KVM's AVIC code then finds nothing to program into the IOMMU, which
 * the test VM's emulated IOMMU could not do anyway.
 */
#define GSI_WITHOUT_ROUTE 100

static int set_irqfd(int vm, int efd, bool assign)
{
	struct kvm_irqfd irqfd = {
		.fd = efd,
		.gsi = GSI_WITHOUT_ROUTE,
		.flags = assign ? 0 : KVM_IRQFD_FLAG_DEASSIGN,
	};

	return ioctl(vm, KVM_IRQFD, &irqfd) ? -errno : 0;
}

TEST(kvm_irqfd_consumer)
{
	int vm, efd;

	ASSERT_TOTALS(0, 0, 0, 0);
	vm = create_vm_with_irqchip();
	ASSERT_LE(0, vm);
	efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, efd);

	ASSERT_EQ(0, set_irqfd(vm, efd, true));
	ASSERT_TOTALS(1, 0, 1, 0);
	/* KVM refuses a second irqfd on the same eventfd. */
	ASSERT_EQ(-EBUSY, set_irqfd(vm, efd, true));
	ASSERT_TOTALS(1, 0, 1, 0);

	ASSERT_EQ(0, set_irqfd(vm, efd, false));
	ASSERT_TOTALS(0, 0, 0, 0);

	/* Closing the VM with an irqfd assigned unregisters it too. */
	ASSERT_EQ(0, set_irqfd(vm, efd, true));
	ASSERT_TOTALS(1, 0, 1, 0);
	close(vm);
	/* irqfd teardown on VM release runs on a workqueue */
	for (int i = 0; i < 100; i++) {
		struct totals t;

		ASSERT_EQ(0, read_totals(&t));
		if (!t.consumers)
			break;
		usleep(10000);
	}
	ASSERT_TOTALS(0, 0, 0, 0);
	close(efd);
}

/* Open the VFIO device named by the environment; returns its fd. */
static int open_vfio_device(struct __test_metadata *_metadata, int *container,
			    int *group)
{
	const char *grp = getenv("VFIO_GROUP"), *dev = getenv("VFIO_DEVICE");
	char path[64];
	int fd;

	if (!grp || !dev) {
		TH_LOG("VFIO_GROUP and VFIO_DEVICE must name a vfio-pci device");
		return -ENODEV;
	}
	*container = open("/dev/vfio/vfio", O_RDWR);
	if (*container < 0)
		return -errno;
	snprintf(path, sizeof(path), "/dev/vfio/%s", grp);
	*group = open(path, O_RDWR);
	if (*group < 0)
		return -errno;
	if (ioctl(*group, VFIO_GROUP_SET_CONTAINER, container))
		return -errno;
	if (ioctl(*container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return -errno;
	fd = ioctl(*group, VFIO_GROUP_GET_DEVICE_FD, dev);
	return fd < 0 ? -errno : fd;
}

/* Point MSI vector 0 at @efd, or disable MSI when @efd is -1. */
static int set_msi_trigger(int dev, int efd)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;

	memset(buf, 0, sizeof(buf));
	set->argsz = sizeof(buf);
	set->index = VFIO_PCI_MSI_IRQ_INDEX;
	set->start = 0;
	if (efd < 0) {
		set->argsz = sizeof(*set);
		set->flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
		set->count = 0;
	} else {
		set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
		set->count = 1;
		memcpy(set->data, &efd, sizeof(efd));
	}
	return ioctl(dev, VFIO_DEVICE_SET_IRQS, set) ? -errno : 0;
}

TEST(vfio_msi_producer_pairs_with_irqfd)
{
	int container = -1, group = -1, dev, vm, efd;

	ASSERT_TOTALS(0, 0, 0, 0);
	dev = open_vfio_device(_metadata, &container, &group);
	ASSERT_LE(0, dev) TH_LOG("opening the VFIO device: %s", strerror(-dev));
	vm = create_vm_with_irqchip();
	ASSERT_LE(0, vm);
	efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, efd);

	/* The producer alone. */
	ASSERT_EQ(0, set_msi_trigger(dev, efd));
	ASSERT_TOTALS(1, 1, 0, 0);

	/* The irqfd's consumer connects to it... */
	ASSERT_EQ(0, set_irqfd(vm, efd, true));
	ASSERT_TOTALS(1, 1, 1, 1);

	/* ...and the producer stays when the consumer goes. */
	ASSERT_EQ(0, set_irqfd(vm, efd, false));
	ASSERT_TOTALS(1, 1, 0, 0);

	/* Connected again, then the producer goes and the consumer stays. */
	ASSERT_EQ(0, set_irqfd(vm, efd, true));
	ASSERT_TOTALS(1, 1, 1, 1);
	ASSERT_EQ(0, set_msi_trigger(dev, -1));
	ASSERT_TOTALS(1, 0, 1, 0);

	/* The producer comes back and connects; closing the device ends it. */
	ASSERT_EQ(0, set_msi_trigger(dev, efd));
	ASSERT_TOTALS(1, 1, 1, 1);
	close(dev);
	ASSERT_TOTALS(1, 0, 1, 0);

	ASSERT_EQ(0, set_irqfd(vm, efd, false));
	ASSERT_TOTALS(0, 0, 0, 0);
	close(vm);
	close(efd);
	close(group);
	close(container);
}

TEST_HARNESS_MAIN
