// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-only module for the PREEMPT_RT lane: kvm.ko refuses to load on an
 * RT kernel whose CPU lacks X86_FEATURE_CONSTANT_TSC, and QEMU's TCG CPU,
 * on which the test VM runs, does not offer it.  Loaded before kvm.ko, this
 * sets the flag in boot_cpu_data, which is all KVM's check reads, so that
 * KVM runs in the RT test VM.  Its TSC is the host's and does run at a
 * constant rate.  It has no exit: the flag, once set, stays.  Never
 * installed.
 *
 * Context: module init, process context.
 */

#include <linux/module.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

static int __init test_constant_tsc_init(void)
{
	set_cpu_cap(&boot_cpu_data, X86_FEATURE_CONSTANT_TSC);
	return 0;
}

module_init(test_constant_tsc_init);

MODULE_DESCRIPTION("Claim a constant TSC, so that KVM loads on PREEMPT_RT in the test VM");
MODULE_LICENSE("GPL");
