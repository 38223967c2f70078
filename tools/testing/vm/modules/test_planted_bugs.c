// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-only module with two deliberate bugs, for the debug lane's own test
 * (make check-debug): the lane must fail when either shows.  The module
 * parameter picks one:
 *
 *   bug=sleep  takes a mutex while holding a spinlock: sleeping in atomic
 *              context, which DEBUG_ATOMIC_SLEEP and lockdep report;
 *   bug=oob    reads one byte past a kmalloc()ed buffer, which KASAN
 *              reports.
 *
 * Either way the module then refuses to load.  Never installed.
 *
 * Context: module init, process context.
 */

#include <linux/errno.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

static char *bug = "none";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "which bug to run: sleep or oob");

static DEFINE_SPINLOCK(planted_spinlock);
static DEFINE_MUTEX(planted_mutex);

static void sleep_in_atomic(void)
{
	spin_lock(&planted_spinlock);
	mutex_lock(&planted_mutex);
	mutex_unlock(&planted_mutex);
	spin_unlock(&planted_spinlock);
}

static void read_out_of_bounds(void)
{
	size_t len = 16;
	u8 *buf = kmalloc(len, GFP_KERNEL);

	if (!buf)
		return;
	OPTIMIZER_HIDE_VAR(len);
	pr_info("test_planted_bugs: byte past the buffer: %u\n", buf[len]);
	kfree(buf);
}

static int __init test_planted_bugs_init(void)
{
	if (!strcmp(bug, "sleep"))
		sleep_in_atomic();
	else if (!strcmp(bug, "oob"))
		read_out_of_bounds();
	return -EINVAL;
}

module_init(test_planted_bugs_init);

MODULE_DESCRIPTION("Deliberate bugs for the debug lane's self-test");
MODULE_LICENSE("GPL");
