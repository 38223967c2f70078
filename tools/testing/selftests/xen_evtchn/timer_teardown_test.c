// SPDX-License-Identifier: GPL-2.0-only
/*
 * A Xen timer that fires while the VMM exits.  A process exits by tearing
 * down its address space first and closing its files after: between the
 * two, the guest's memory is freed while the VM, its vCPUs and their Xen
 * timers still exist.  KVM's pfn caches still map shared_info then (KVM's
 * MMU notifier is released before the pages go, so nothing invalidates
 * them), and a timer event written into shared_info lands in a freed page.
 * Upstream's 6.12 KVM does that (KASAN: use-after-free in
 * kvm_xen_set_evtchn_fast from xen_timer_callback); xen_evtchn.ko must
 * not.
 *
 * Each child arms its vCPU's timer a little ahead, with a large ballast
 * mapped above the guest's memory so that the teardown, which goes up the
 * address space, frees shared_info first and then spends a while on the
 * ballast, and exits without closing anything.  The test itself only sees
 * that the children exit; the debug lane's KASAN sees a write into a freed
 * page.
 */

#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xen_test.h"
#include "../harness.h"

#define BALLAST_SIZE	(128UL << 20)
#define TIMER_PORT	5

static void guest_code(void)
{
	GUEST_DONE();
}

/* The child: a VM whose timer fires @delay_ms into the process's exit. */
static void exit_with_timer_armed(unsigned int delay_ms)
{
	struct kvm_xen_vcpu_attr timer = {
		.type = KVM_XEN_VCPU_ATTR_TYPE_TIMER,
		.u.timer.port = TIMER_PORT,
		.u.timer.priority = PRIO,
	};
	struct kvm_clock_data clock = {};
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint8_t *region;
	char *ballast;

	/* Mapped first, so above everything the VM maps next. */
	ballast = mmap(NULL, BALLAST_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	TEST_ASSERT(ballast != MAP_FAILED, "mmap ballast");

	vm = xen_vm_create_ready(&vcpu, guest_code, &region, true);
	vm_ioctl(vm, KVM_GET_CLOCK, &clock);
	timer.u.timer.expires_ns = clock.clock + delay_ms * 1000000ULL;
	vcpu_ioctl(vcpu, KVM_XEN_VCPU_SET_ATTR, &timer);
	_exit(0);
}

/*
 * Four children each populate and tear down the ballast: seconds here,
 * but over the harness's default 30 s on a lane's kernel (KASAN,
 * kmemleak) with other work on the machine.  The VM runner's own limit
 * per test still catches a hang.
 */
#define TEARDOWN_TIMEOUT_S	600

FIXTURE(teardown) {};
FIXTURE_SETUP(teardown) {}
FIXTURE_TEARDOWN(teardown) {}

TEST_F_TIMEOUT(teardown, timer_fires_while_the_vmm_exits, TEARDOWN_TIMEOUT_S)
{
	static const unsigned int delays_ms[] = { 1, 5, 20, 50 };
	unsigned int i;
	int status;
	pid_t pid;

	for (i = 0; i < ARRAY_SIZE(delays_ms); i++) {
		pid = fork();
		ASSERT_GE(pid, 0);
		if (!pid)
			exit_with_timer_armed(delays_ms[i]);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_EQ(0, WEXITSTATUS(status));
	}
}

TEST_HARNESS_MAIN
