// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-only module: the KVM hook's registration enforces its contract.
 * kvm_xen_accel_register() refuses ops without bind_vm or destroy_vm
 * (-EINVAL), and a second accelerator while one is registered (-EBUSY).
 * Load it with the rebuilt kvm.ko and xen_evtchn.ko loaded: it loads only
 * if every check holds, and logs each.  Never installed.
 *
 * Context: module init, process context.
 */

#include <linux/module.h>

#include <kvm/xen_accel.h>

static void *bind_nothing(struct kvm *kvm)
{
	return ERR_PTR(-ENODEV);
}

static void destroy_nothing(struct kvm *kvm, void *data)
{
}

static const struct kvm_xen_accel_ops no_bind = {
	.owner = THIS_MODULE,
	.destroy_vm = destroy_nothing,
};

static const struct kvm_xen_accel_ops no_destroy = {
	.owner = THIS_MODULE,
	.bind_vm = bind_nothing,
};

static const struct kvm_xen_accel_ops full_ops = {
	.owner = THIS_MODULE,
	.bind_vm = bind_nothing,
	.destroy_vm = destroy_nothing,
};

static int check(const char *what, int got, int want)
{
	pr_info("test_accel_contract: %s: %d (want %d)\n", what, got, want);
	return got == want ? 0 : -EINVAL;
}

static int __init test_accel_contract_init(void)
{
	int ret = 0;

	ret |= check("ops without bind_vm",
		     kvm_xen_accel_register(&no_bind), -EINVAL);
	ret |= check("ops without destroy_vm",
		     kvm_xen_accel_register(&no_destroy), -EINVAL);
	ret |= check("a second accelerator",
		     kvm_xen_accel_register(&full_ops), -EBUSY);
	return ret ? -EINVAL : 0;
}

static void __exit test_accel_contract_exit(void)
{
}

module_init(test_accel_contract_init);
module_exit(test_accel_contract_exit);

MODULE_DESCRIPTION("Test of the KVM Xen hook's registration contract");
MODULE_LICENSE("GPL");
