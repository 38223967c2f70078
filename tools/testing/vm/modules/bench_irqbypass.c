// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark of an IRQ bypass manager: loading the module registers n
 * producer/consumer pairs (each consumer connecting to its producer), then
 * unregisters them, for each n in the "pairs" parameter, and prints the
 * times to the kernel log.  It runs against whichever irqbypass module is
 * loaded, ours or the stock one, so that both are measured in one boot.
 *
 * Tokens are addresses 64 bytes apart, about how eventfd_ctx objects lie in
 * their slab.  Runs in the module's init, in process context.
 */

#include <linux/irqbypass.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>

static int pairs[8] = { 1000, 10000, 50000 };
static int nr_pairs = 3;
module_param_array(pairs, int, &nr_pairs, 0444);
MODULE_PARM_DESC(pairs, "numbers of pairs to time (default 1000,10000,50000)");

#define TOKEN_STRIDE 64

static int bench_add_producer(struct irq_bypass_consumer *cons,
			      struct irq_bypass_producer *prod)
{
	return 0;
}

static void bench_del_producer(struct irq_bypass_consumer *cons,
			       struct irq_bypass_producer *prod)
{
}

static int bench_one(int n)
{
	struct irq_bypass_producer *prod;
	struct irq_bypass_consumer *cons;
	u64 t0, t1, t2;
	char *toks;
	int i, ret = -ENOMEM;

	prod = kvcalloc(n, sizeof(*prod), GFP_KERNEL);
	cons = kvcalloc(n, sizeof(*cons), GFP_KERNEL);
	toks = kvmalloc_array(n, TOKEN_STRIDE, GFP_KERNEL);
	if (!prod || !cons || !toks)
		goto out;

	for (i = 0; i < n; i++) {
		prod[i].token = &toks[i * TOKEN_STRIDE];
		cons[i].token = &toks[i * TOKEN_STRIDE];
		cons[i].add_producer = bench_add_producer;
		cons[i].del_producer = bench_del_producer;
	}

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		ret = irq_bypass_register_producer(&prod[i]);
		if (!ret)
			ret = irq_bypass_register_consumer(&cons[i]);
		if (ret) {
			pr_err("bench_irqbypass: registering pair %d: %d\n", i, ret);
			n = i + 1;
			break;
		}
		cond_resched();
	}
	t1 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		irq_bypass_unregister_consumer(&cons[i]);
		irq_bypass_unregister_producer(&prod[i]);
		cond_resched();
	}
	t2 = ktime_get_ns();

	if (!ret)
		pr_info("bench_irqbypass: pairs %d register_us %llu unregister_us %llu total_us %llu\n",
			n, (t1 - t0) / 1000, (t2 - t1) / 1000, (t2 - t0) / 1000);
out:
	kvfree(toks);
	kvfree(cons);
	kvfree(prod);
	return ret;
}

static int __init bench_irqbypass_init(void)
{
	int i, ret;

	for (i = 0; i < nr_pairs; i++) {
		if (pairs[i] <= 0)
			return -EINVAL;
		ret = bench_one(pairs[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static void __exit bench_irqbypass_exit(void)
{
}

module_init(bench_irqbypass_init);
module_exit(bench_irqbypass_exit);

MODULE_DESCRIPTION("Benchmark of the IRQ bypass manager");
MODULE_LICENSE("GPL");
