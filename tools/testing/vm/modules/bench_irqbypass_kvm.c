// SPDX-License-Identifier: GPL-2.0-only
/*
 * IRQ bypass producers for eventfds that KVM's irqfds consume, so that the
 * bench (tools/testing/selftests/irqbypass/irqbypass_kvm_bench.c) pairs
 * them through the real KVM consumer, as vfio-pci's MSI triggers are: each
 * producer's token is its eventfd's context.  The producers have no
 * interrupt; KVM updates no IRTE for them, since the irqfds' GSI has no
 * route.
 *
 * /sys/kernel/debug/bench_irqbypass_kvm: a write of an array of ints
 * registers one producer per eventfd number (of the writing task); a
 * write of the single int -1 unregisters them all; a read tells how many
 * of them are connected to a consumer now.  Whichever irqbypass module is
 * loaded, ours or the stock one, serves them.
 *
 * Locking: bench_lock serializes the writes.  Context: process context.
 */

#include <linux/debugfs.h>
#include <linux/eventfd.h>
#include <linux/irqbypass.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

/* The most fds one write may carry. */
#define FDS_PER_WRITE 4096

struct bench_producer {
	struct irq_bypass_producer prod;
	struct eventfd_ctx *ctx;
	struct list_head link;
};

static DEFINE_MUTEX(bench_lock);
static LIST_HEAD(producers);
static struct dentry *bench_file;
static atomic_t connected;

static int bench_add_consumer(struct irq_bypass_producer *prod,
			      struct irq_bypass_consumer *cons)
{
	atomic_inc(&connected);
	return 0;
}

static void bench_del_consumer(struct irq_bypass_producer *prod,
			       struct irq_bypass_consumer *cons)
{
	atomic_dec(&connected);
}

static void unregister_all(void)
{
	struct bench_producer *p, *tmp;

	lockdep_assert_held(&bench_lock);
	list_for_each_entry_safe(p, tmp, &producers, link) {
		irq_bypass_unregister_producer(&p->prod);
		eventfd_ctx_put(p->ctx);
		list_del(&p->link);
		kfree(p);
		cond_resched();
	}
}

static int register_one(int fd)
{
	struct bench_producer *p = kzalloc(sizeof(*p), GFP_KERNEL);
	int ret;

	if (!p)
		return -ENOMEM;
	p->ctx = eventfd_ctx_fdget(fd);
	if (IS_ERR(p->ctx)) {
		ret = PTR_ERR(p->ctx);
		kfree(p);
		return ret;
	}
	p->prod.token = p->ctx;
	p->prod.add_consumer = bench_add_consumer;
	p->prod.del_consumer = bench_del_consumer;
	ret = irq_bypass_register_producer(&p->prod);
	if (ret) {
		eventfd_ctx_put(p->ctx);
		kfree(p);
		return ret;
	}
	list_add_tail(&p->link, &producers);
	return 0;
}

static ssize_t bench_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	int *fds;
	size_t i, n = len / sizeof(int);
	int ret = 0;

	if (!n || len % sizeof(int) || n > FDS_PER_WRITE)
		return -EINVAL;
	fds = memdup_user(ubuf, len);
	if (IS_ERR(fds))
		return PTR_ERR(fds);

	mutex_lock(&bench_lock);
	if (n == 1 && fds[0] == -1) {
		unregister_all();
	} else {
		for (i = 0; i < n && !ret; i++) {
			ret = register_one(fds[i]);
			cond_resched();
		}
	}
	mutex_unlock(&bench_lock);
	kfree(fds);
	return ret ?: len;
}

static ssize_t bench_read(struct file *file, char __user *ubuf, size_t len,
			  loff_t *ppos)
{
	char buf[16];
	int n = scnprintf(buf, sizeof(buf), "%d\n", atomic_read(&connected));

	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	.read = bench_read,
	.write = bench_write,
};

static int __init bench_init(void)
{
	bench_file = debugfs_create_file("bench_irqbypass_kvm", 0600, NULL,
					 NULL, &bench_fops);
	return 0;
}

static void __exit bench_exit(void)
{
	debugfs_remove(bench_file);
	mutex_lock(&bench_lock);
	unregister_all();
	mutex_unlock(&bench_lock);
}

module_init(bench_init);
module_exit(bench_exit);

MODULE_DESCRIPTION("IRQ bypass producers for KVM irqfds, for the bench");
MODULE_LICENSE("GPL");
