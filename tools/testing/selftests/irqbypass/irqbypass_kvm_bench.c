// SPDX-License-Identifier: GPL-2.0-only
/*
 * IRQ bypass pairs through the real KVM consumer: for each N given, N KVM
 * irqfds, each of which KVM registers as a consumer (token its eventfd's
 * context); then a producer for each eventfd (bench_irqbypass_kvm.ko, as
 * vfio-pci's MSI triggers), which the manager pairs with its consumer
 * through KVM's callbacks; then the producers go, unpairing, and the
 * irqfds.  Prints per N the cost per pair of each step, in ns:
 *
 *   irqbypass_kvm: pairs N irqfd_ns A pair_ns P unpair_ns U deassign_ns D
 *
 * The irqfd steps include KVM's own work, which grows with N: it checks a
 * new irqfd against every other, and finds one to remove by a walk.
 * KVM registers irqfds as consumers only when it can post interrupts (the
 * VM test claims posting, as test 13 does); it fails unless every producer
 * was connected once registered, and none is once they are gone.
 *
 * usage: irqbypass_kvm_bench N...
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define BENCH_FILE	"/sys/kernel/debug/bench_irqbypass_kvm"
#define FDS_PER_WRITE	4096
/*
 * A GSI past the end of the VM's routing table: pairing programs no
 * IOMMU entry (KVM's AVIC code finds no route; with a route that is not
 * MSI, it would put the producer's interrupt, here none, in remapped mode).
 */
#define GSI		100

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void write_fds(int bench, const int *fds, int n)
{
	int i, chunk;

	for (i = 0; i < n; i += chunk) {
		chunk = n - i < FDS_PER_WRITE ? n - i : FDS_PER_WRITE;
		if (write(bench, fds + i, chunk * sizeof(int)) < 0)
			die("registering producers");
	}
}

/* How many of the module's producers are connected to a consumer. */
static long connected(void)
{
	FILE *f = fopen(BENCH_FILE, "r");
	long n = -1;

	if (!f || fscanf(f, "%ld", &n) != 1)
		die("reading " BENCH_FILE);
	fclose(f);
	return n;
}

static void bench(int n)
{
	struct kvm_irqfd irqfd = { .gsi = GSI };
	unsigned long long t0, t1, t2, t3, t4;
	int kvm, vm, bench, i, off = -1;
	int *fds = calloc(n, sizeof(int));
	long paired, unpaired;

	if (!fds)
		die("calloc");
	kvm = open("/dev/kvm", O_RDWR);
	if (kvm < 0)
		die("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0 || ioctl(vm, KVM_CREATE_IRQCHIP, 0))
		die("creating a VM with an irqchip");
	bench = open(BENCH_FILE, O_WRONLY);
	if (bench < 0)
		die(BENCH_FILE);
	for (i = 0; i < n; i++) {
		fds[i] = eventfd(0, EFD_CLOEXEC);
		if (fds[i] < 0)
			die("eventfd");
	}

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		irqfd.fd = fds[i];
		irqfd.flags = 0;
		if (ioctl(vm, KVM_IRQFD, &irqfd))
			die("KVM_IRQFD");
	}
	t1 = now_ns();
	write_fds(bench, fds, n);
	t2 = now_ns();
	paired = connected();
	if (write(bench, &off, sizeof(off)) < 0)
		die("unregistering producers");
	t3 = now_ns();
	unpaired = connected();
	for (i = 0; i < n; i++) {
		irqfd.fd = fds[i];
		irqfd.flags = KVM_IRQFD_FLAG_DEASSIGN;
		if (ioctl(vm, KVM_IRQFD, &irqfd))
			die("KVM_IRQFD deassign");
	}
	t4 = now_ns();

	if (paired != n) {
		fprintf(stderr, "irqbypass_kvm: %ld of %d paired (no posting?)\n",
			paired, n);
		exit(1);
	}
	if (unpaired) {
		fprintf(stderr, "irqbypass_kvm: %ld still paired\n", unpaired);
		exit(1);
	}
	printf("irqbypass_kvm: pairs %d irqfd_ns %llu pair_ns %llu ", n,
	       (t1 - t0) / n, (t2 - t1) / n);
	printf("unpair_ns %llu deassign_ns %llu\n", (t3 - t2) / n,
	       (t4 - t3) / n);
	fflush(stdout);

	for (i = 0; i < n; i++)
		close(fds[i]);
	close(bench);
	close(vm);
	close(kvm);
	free(fds);
}

int main(int argc, char **argv)
{
	struct rlimit rl = { .rlim_cur = 200000, .rlim_max = 200000 };
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s N...\n", argv[0]);
		return 2;
	}
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit(RLIMIT_NOFILE)");
	for (i = 1; i < argc; i++)
		bench(atoi(argv[i]));
	return 0;
}
