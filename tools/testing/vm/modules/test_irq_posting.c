// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-only module: claims IRQ posting for the emulated AMD IOMMU of the
 * test VM, while loaded.
 *
 * KVM registers its irqfds as IRQ bypass consumers only when interrupts
 * can be posted: AVIC on (kvm_amd force_avic=1 does that) and an IOMMU
 * with the IRQ_POSTING_CAP capability, which QEMU's AMD IOMMU lacks (no
 * GAM_VAPIC).  This module sets that capability bit in the AMD IOMMU's
 * irq_remap_ops, so that the stock kvm.ko's irqfds register with the IRQ
 * bypass manager under test.  Nothing is ever posted: the tests' irqfds
 * use a GSI without a route, for which KVM's AVIC code programs nothing
 * into the IOMMU, and no vCPU runs while it is loaded.  Never installed.
 *
 * The symbol is not exported; its address comes from kallsyms_lookup_name(),
 * whose own address a kprobe reveals.  Context: init and exit, process
 * context.
 */

#include <linux/kprobes.h>
#include <linux/module.h>

#include <asm/irq_remapping.h>

static int *iommu_capability;
static bool was_set;

static unsigned long lookup_symbol(const char *name)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long (*lookup)(const char *name);

	if (register_kprobe(&kp))
		return 0;
	lookup = (void *)kp.addr;
	unregister_kprobe(&kp);
	return lookup ? lookup(name) : 0;
}

static int __init test_irq_posting_init(void)
{
	/* struct irq_remap_ops starts with "int capability". */
	iommu_capability = (int *)lookup_symbol("amd_iommu_irq_ops");
	if (!iommu_capability)
		return -ENODEV;
	was_set = *iommu_capability & BIT(IRQ_POSTING_CAP);
	*iommu_capability |= BIT(IRQ_POSTING_CAP);
	pr_info("test_irq_posting: AMD IOMMU claims IRQ posting\n");
	return 0;
}

static void __exit test_irq_posting_exit(void)
{
	if (!was_set)
		*iommu_capability &= ~BIT(IRQ_POSTING_CAP);
}

module_init(test_irq_posting_init);
module_exit(test_irq_posting_exit);

MODULE_DESCRIPTION("Test-only: claim IRQ posting for the VM's emulated AMD IOMMU");
MODULE_LICENSE("GPL");
