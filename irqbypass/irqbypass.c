// SPDX-License-Identifier: GPL-2.0-only
/*
 * IRQ bypass manager: pairs an interrupt producer (a VFIO MSI vector,
 * vhost-vdpa, ...) with a consumer (a KVM irqfd, ...) that carry the same
 * token, the struct eventfd_ctx both sides use, and connects them through
 * their callbacks.  Drop-in replacement for the kernel's own irqbypass
 * module: the API and the structs are those of <linux/irqbypass.h>.
 *
 * What it owns: an xarray indexed by token whose entries (struct
 * irq_bypass_pair) record the producer and the consumer registered with that
 * token, and whether the two are connected; and the set of registered
 * structs, an xarray indexed by their address, so that a struct is
 * registered once, under one token.  A token has at most one of each;
 * lookups and updates cost the same whatever the number of tokens.
 *
 * Locking: one mutex, irq_bypass_lock, serializes every registration and
 * unregistration and the debugfs dump, and is held across the producers'
 * and consumers' callbacks.  The xarray's own spinlock nests inside it.
 * Callbacks therefore run one at a time, in process context, may sleep,
 * and must not call back into this module's API (that would deadlock).
 *
 * Context: every exported function runs in process context and may sleep.
 *
 * Module lifetime: producers and consumers belong to modules (kvm,
 * vfio-pci, ...) that link against this one, so this module cannot go while
 * they are loaded; each of them must unregister what it registered before
 * it goes.  The token is only compared, never dereferenced, and must not
 * change while its struct is registered.
 */

#include <linux/debugfs.h>
#include <linux/irqbypass.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/xarray.h>

/**
 * struct irq_bypass_pair - what is registered under one token
 * @producer: the producer registered with this token, or NULL
 * @consumer: the consumer registered with this token, or NULL
 * @connected: @producer and @consumer are connected
 *
 * Exists while at least one of @producer and @consumer is set.
 */
struct irq_bypass_pair {
	struct irq_bypass_producer *producer;
	struct irq_bypass_consumer *consumer;
	bool connected;
};

static DEFINE_MUTEX(irq_bypass_lock);
static DEFINE_XARRAY(irq_bypass_pairs);
static DEFINE_XARRAY(irq_bypass_registered);
static struct dentry *irq_bypass_debugfs;

static unsigned long token_index(void *token)
{
	return (unsigned long)token;
}

/*
 * Both sides of @pair are quiet while they are linked or unlinked: the
 * producer stops first and starts last, around the consumer.
 */
static void irq_bypass_quiesce(struct irq_bypass_pair *pair)
{
	if (pair->producer->stop)
		pair->producer->stop(pair->producer);
	if (pair->consumer->stop)
		pair->consumer->stop(pair->consumer);
}

static void irq_bypass_resume(struct irq_bypass_pair *pair)
{
	if (pair->consumer->start)
		pair->consumer->start(pair->consumer);
	if (pair->producer->start)
		pair->producer->start(pair->producer);
}

/*
 * Link the two sides: the producer takes the consumer (if it wants to
 * know), then the consumer takes the producer.  A consumer's refusal is
 * undone on the producer's side, so that a failure leaves them unlinked.
 */
static int irq_bypass_link(struct irq_bypass_producer *prod,
			   struct irq_bypass_consumer *cons)
{
	int ret = prod->add_consumer ? prod->add_consumer(prod, cons) : 0;

	if (ret)
		return ret;
	ret = cons->add_producer(cons, prod);
	if (ret && prod->del_consumer)
		prod->del_consumer(prod, cons);
	return ret;
}

static int irq_bypass_connect(struct irq_bypass_pair *pair)
{
	int ret;

	lockdep_assert_held(&irq_bypass_lock);
	irq_bypass_quiesce(pair);
	ret = irq_bypass_link(pair->producer, pair->consumer);
	irq_bypass_resume(pair);
	pair->connected = !ret;
	return ret;
}

/* Undo irq_bypass_connect(): the consumer lets go first. */
static void irq_bypass_disconnect(struct irq_bypass_pair *pair)
{
	lockdep_assert_held(&irq_bypass_lock);
	irq_bypass_quiesce(pair);
	pair->consumer->del_producer(pair->consumer, pair->producer);
	if (pair->producer->del_consumer)
		pair->producer->del_consumer(pair->producer, pair->consumer);
	irq_bypass_resume(pair);
	pair->connected = false;
}

/*
 * Find the pair of @token, creating an empty one if there is none.  Called
 * with irq_bypass_lock held.
 */
static struct irq_bypass_pair *irq_bypass_get_pair(void *token)
{
	struct irq_bypass_pair *pair, *old;

	lockdep_assert_held(&irq_bypass_lock);
	pair = xa_load(&irq_bypass_pairs, token_index(token));
	if (pair)
		return pair;

	pair = kzalloc(sizeof(*pair), GFP_KERNEL);
	if (!pair)
		return ERR_PTR(-ENOMEM);
	old = xa_store(&irq_bypass_pairs, token_index(token), pair, GFP_KERNEL);
	if (xa_is_err(old)) {
		kfree(pair);
		return ERR_PTR(xa_err(old));
	}
	return pair;
}

/* Free @pair once nothing is registered in it.  Called with the lock held. */
static void irq_bypass_put_pair(void *token, struct irq_bypass_pair *pair)
{
	if (pair->producer || pair->consumer)
		return;
	xa_erase(&irq_bypass_pairs, token_index(token));
	kfree(pair);
}

/*
 * Register one side under @token: @prod or @cons, the other one NULL.
 * Connects it to the other side of the token if that is registered.
 */
static int irq_bypass_attach(void *token, struct irq_bypass_producer *prod,
			     struct irq_bypass_consumer *cons)
{
	unsigned long side = prod ? (unsigned long)prod : (unsigned long)cons;
	struct irq_bypass_pair *pair;
	int ret;

	mutex_lock(&irq_bypass_lock);
	/* Registered already, under this token or (changed since) another. */
	ret = xa_insert(&irq_bypass_registered, side, xa_mk_value(0),
			GFP_KERNEL);
	if (ret)
		goto out;
	pair = irq_bypass_get_pair(token);
	if (IS_ERR(pair)) {
		ret = PTR_ERR(pair);
		goto unregister;
	}
	if ((prod && pair->producer) || (cons && pair->consumer)) {
		ret = -EBUSY;
		goto unregister;
	}

	if (prod)
		pair->producer = prod;
	else
		pair->consumer = cons;
	if (pair->producer && pair->consumer) {
		ret = irq_bypass_connect(pair);
		if (ret) {
			if (prod)
				pair->producer = NULL;
			else
				pair->consumer = NULL;
			irq_bypass_put_pair(token, pair);
			goto unregister;
		}
	}
	goto out;
unregister:
	xa_erase(&irq_bypass_registered, side);
out:
	mutex_unlock(&irq_bypass_lock);
	return ret;
}

/*
 * Unregister one side from @token, if it is the one registered there:
 * @prod or @cons, the other one NULL.
 */
static void irq_bypass_detach(void *token, struct irq_bypass_producer *prod,
			      struct irq_bypass_consumer *cons)
{
	struct irq_bypass_pair *pair;

	mutex_lock(&irq_bypass_lock);
	pair = xa_load(&irq_bypass_pairs, token_index(token));
	if (!pair || (prod ? pair->producer != prod : pair->consumer != cons))
		goto out;

	if (pair->connected)
		irq_bypass_disconnect(pair);
	if (prod)
		pair->producer = NULL;
	else
		pair->consumer = NULL;
	irq_bypass_put_pair(token, pair);
	xa_erase(&irq_bypass_registered,
		 prod ? (unsigned long)prod : (unsigned long)cons);
out:
	mutex_unlock(&irq_bypass_lock);
}

/**
 * irq_bypass_register_producer() - register an IRQ bypass producer
 * @producer: the producer; its token must be set and not change until it is
 *	unregistered
 *
 * Registers @producer under its token and, if a consumer is registered with
 * the same token, connects the two: both are stopped, the producer's
 * add_consumer() (if any) and the consumer's add_producer() are called, and
 * both are started again.
 *
 * Context: process context; may sleep.  Takes irq_bypass_lock, which is
 * held across the callbacks.
 * Return: 0 on success; -EINVAL for a NULL token; -EBUSY if a producer is
 * already registered with this token, or @producer itself is registered
 * (under any token); -ENOMEM;
 * or the error of a connecting callback, in which case @producer is not
 * registered and the consumer stays registered, unconnected.
 */
int irq_bypass_register_producer(struct irq_bypass_producer *producer)
{
	if (!producer->token)
		return -EINVAL;
	return irq_bypass_attach(producer->token, producer, NULL);
}
EXPORT_SYMBOL_GPL(irq_bypass_register_producer);

/**
 * irq_bypass_unregister_producer() - unregister an IRQ bypass producer
 * @producer: the producer
 *
 * If @producer is connected, disconnects it first: both sides are stopped,
 * the consumer's del_producer() and the producer's del_consumer() (if any)
 * are called, and both are started again.  A producer that is not
 * registered, or whose token is NULL, is ignored, even when another
 * producer is registered with the same token.
 *
 * Context: process context; may sleep.  Takes irq_bypass_lock, which is
 * held across the callbacks.
 */
void irq_bypass_unregister_producer(struct irq_bypass_producer *producer)
{
	if (producer->token)
		irq_bypass_detach(producer->token, producer, NULL);
}
EXPORT_SYMBOL_GPL(irq_bypass_unregister_producer);

/**
 * irq_bypass_register_consumer() - register an IRQ bypass consumer
 * @consumer: the consumer; its token must be set and not change until it is
 *	unregistered, and it must have add_producer() and del_producer()
 *
 * Registers @consumer under its token and, if a producer is registered with
 * the same token, connects the two as irq_bypass_register_producer() does.
 *
 * Context: process context; may sleep.  Takes irq_bypass_lock, which is
 * held across the callbacks.
 * Return: 0 on success; -EINVAL for a NULL token or a missing
 * add_producer() or del_producer(); -EBUSY if a consumer is already
 * registered with this token, or @consumer itself is registered (under any
 * token); -ENOMEM; or the
 * error of a connecting callback, in which case @consumer is not registered
 * and the producer stays registered, unconnected.
 */
int irq_bypass_register_consumer(struct irq_bypass_consumer *consumer)
{
	if (!consumer->token || !consumer->add_producer ||
	    !consumer->del_producer)
		return -EINVAL;
	return irq_bypass_attach(consumer->token, NULL, consumer);
}
EXPORT_SYMBOL_GPL(irq_bypass_register_consumer);

/**
 * irq_bypass_unregister_consumer() - unregister an IRQ bypass consumer
 * @consumer: the consumer
 *
 * The counterpart of irq_bypass_unregister_producer(), with the same
 * disconnection and the same tolerance of what is not registered.
 *
 * Context: process context; may sleep.  Takes irq_bypass_lock, which is
 * held across the callbacks.
 */
void irq_bypass_unregister_consumer(struct irq_bypass_consumer *consumer)
{
	if (consumer->token)
		irq_bypass_detach(consumer->token, NULL, consumer);
}
EXPORT_SYMBOL_GPL(irq_bypass_unregister_consumer);

/*
 * debugfs "irqbypass/tokens": one line per token (hashed, as %p prints it)
 * with its producer and consumer presence and connected state, then the
 * totals.
 */
static int irq_bypass_tokens_show(struct seq_file *m, void *unused)
{
	unsigned long nr_tokens = 0, nr_prod = 0, nr_cons = 0, nr_conn = 0;
	struct irq_bypass_pair *pair;
	unsigned long index;

	seq_puts(m, "token            producer consumer connected\n");
	mutex_lock(&irq_bypass_lock);
	xa_for_each(&irq_bypass_pairs, index, pair) {
		seq_printf(m, "%p %-8s %-8s %s\n", (void *)index,
			   pair->producer ? "yes" : "no",
			   pair->consumer ? "yes" : "no",
			   pair->connected ? "yes" : "no");
		nr_tokens++;
		nr_prod += !!pair->producer;
		nr_cons += !!pair->consumer;
		nr_conn += pair->connected;
	}
	mutex_unlock(&irq_bypass_lock);
	seq_printf(m, "total: tokens %lu producers %lu consumers %lu connected %lu\n",
		   nr_tokens, nr_prod, nr_cons, nr_conn);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(irq_bypass_tokens);

static int __init irq_bypass_init(void)
{
	irq_bypass_debugfs = debugfs_create_dir("irqbypass", NULL);
	debugfs_create_file("tokens", 0444, irq_bypass_debugfs, NULL,
			    &irq_bypass_tokens_fops);
	return 0;
}

static void __exit irq_bypass_exit(void)
{
	debugfs_remove_recursive(irq_bypass_debugfs);
	/* Every user linked against us and unregistered before going. */
	xa_destroy(&irq_bypass_pairs);
	xa_destroy(&irq_bypass_registered);
}

module_init(irq_bypass_init);
module_exit(irq_bypass_exit);

MODULE_DESCRIPTION("IRQ bypass manager indexed by eventfd token");
MODULE_LICENSE("GPL");
MODULE_VERSION(XEN_ACCEL_VERSION);
