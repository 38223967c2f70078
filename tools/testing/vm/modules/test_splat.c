// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-only module for the VM runner's own test: it raises a kernel WARN
 * when loaded and then refuses to load, so that the runner can prove that a
 * splat in the kernel log fails the run.  Never installed.
 *
 * Context: module init, process context.
 */

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/module.h>

static int __init test_splat_init(void)
{
	WARN(1, "test_splat: deliberate WARN for the VM runner's self-test\n");
	return -EINVAL;
}

module_init(test_splat_init);

MODULE_DESCRIPTION("Deliberate WARN on load, for the VM runner's self-test");
MODULE_LICENSE("GPL");
