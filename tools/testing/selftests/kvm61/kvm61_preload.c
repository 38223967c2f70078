// SPDX-License-Identifier: GPL-2.0-only
/*
 * LD_PRELOAD library that lets programs built with the KVM selftest library
 * of linux-source-6.12 create VMs on a 6.1 kernel, used in the 6.1 test VM
 * only (through /etc/ld.so.preload there; the tests run unmodified).
 *
 * The 6.12 library adds every memory slot with KVM_SET_USER_MEMORY_REGION2
 * (new in 6.8), which 6.1 does not know (ENOTTY), and first checks that
 * KVM_CAP_USER_MEMORY2 is reported (else it skips the test).  Its argument
 * begins with the fields of 6.1's struct kvm_userspace_memory_region, in
 * the same order, so the call is made as KVM_SET_USER_MEMORY_REGION with
 * those, and the capability is reported (1, as 6.8+ does).  What only
 * REGION2 can express, a guest_memfd slot (KVM_MEM_GUEST_MEMFD), is
 * refused with EINVAL, as 6.1 refuses a flag it does not know.  Every
 * other ioctl goes to the kernel unchanged: 6.1 answers
 * KVM_CHECK_EXTENSION of the other capabilities of 6.8+ with 0 itself.
 */

#include <errno.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kvm.h>

int ioctl(int fd, unsigned long request, ...)
{
	struct kvm_userspace_memory_region2 *r2;
	struct kvm_userspace_memory_region r;
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	if (request == KVM_CHECK_EXTENSION &&
	    (long)arg == KVM_CAP_USER_MEMORY2)
		return 1;
	if (request != KVM_SET_USER_MEMORY_REGION2)
		return syscall(SYS_ioctl, fd, request, arg);

	r2 = arg;
	if (r2->flags & KVM_MEM_GUEST_MEMFD) {
		errno = EINVAL;
		return -1;
	}
	r = (struct kvm_userspace_memory_region) {
		.slot = r2->slot,
		.flags = r2->flags,
		.guest_phys_addr = r2->guest_phys_addr,
		.memory_size = r2->memory_size,
		.userspace_addr = r2->userspace_addr,
	};
	return syscall(SYS_ioctl, fd, KVM_SET_USER_MEMORY_REGION, &r);
}
