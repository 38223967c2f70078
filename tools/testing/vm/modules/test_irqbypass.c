// SPDX-License-Identifier: GPL-2.0-only
/*
 * In-kernel test of the IRQ bypass manager, in the manner of lib/test_*.c:
 * loading the module runs every case against whatever irqbypass module is
 * loaded, prints the results in KTAP to the kernel log, and fails the load
 * with -EINVAL when a case failed.
 *
 * It owns only its fake producers and consumers, whose callbacks count
 * their calls and log their order.  The stress case runs kthreads; all else
 * runs in the module's init, in process context.
 */

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/errno.h>
#include <linux/irqbypass.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

/* One fake side.  @log receives a letter per callback, in call order. */
struct fake_side {
	struct irq_bypass_producer prod;
	struct irq_bypass_consumer cons;
	atomic_t adds;
	atomic_t dels;
	atomic_t stops;
	atomic_t starts;
	atomic_t bad_partner;
	int fail_add;		/* errno the add callback returns */
	void *prod_partner;	/* the consumer prod_add() last received */
	void *cons_partner;	/* the producer cons_add() last received */
	char log[32];
};

static bool check_failed;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			pr_err("# %s:%d: check failed: %s\n",		\
			       __func__, __LINE__, #cond);		\
			check_failed = true;				\
		}							\
	} while (0)

static void log_call(struct fake_side *s, char c)
{
	size_t len = strlen(s->log);

	if (len < sizeof(s->log) - 1)
		s->log[len] = c;
}

/*
 * The callbacks of both sides share these: @mine is the token of the side
 * called, @theirs that of the partner it is given, @slot where the side
 * records its partner.
 */
static int fake_add(struct fake_side *s, void *mine, void *theirs,
		    void **slot, void *partner)
{
	log_call(s, 'A');
	if (mine != theirs)
		atomic_inc(&s->bad_partner);
	if (s->fail_add)
		return s->fail_add;
	atomic_inc(&s->adds);
	*slot = partner;
	return 0;
}

static void fake_del(struct fake_side *s, void *slot, void *partner)
{
	log_call(s, 'D');
	if (partner != slot)
		atomic_inc(&s->bad_partner);
	atomic_inc(&s->dels);
}

static void fake_stop(struct fake_side *s)
{
	log_call(s, 'S');
	atomic_inc(&s->stops);
}

static void fake_start(struct fake_side *s)
{
	log_call(s, 'G');
	atomic_inc(&s->starts);
}

static struct fake_side *of_prod(struct irq_bypass_producer *prod)
{
	return container_of(prod, struct fake_side, prod);
}

static struct fake_side *of_cons(struct irq_bypass_consumer *cons)
{
	return container_of(cons, struct fake_side, cons);
}

static int prod_add(struct irq_bypass_producer *prod,
		    struct irq_bypass_consumer *cons)
{
	return fake_add(of_prod(prod), prod->token, cons->token,
			&of_prod(prod)->prod_partner, cons);
}

static void prod_del(struct irq_bypass_producer *prod,
		     struct irq_bypass_consumer *cons)
{
	fake_del(of_prod(prod), of_prod(prod)->prod_partner, cons);
}

static void prod_stop(struct irq_bypass_producer *prod)
{
	fake_stop(of_prod(prod));
}

static void prod_start(struct irq_bypass_producer *prod)
{
	fake_start(of_prod(prod));
}

static int cons_add(struct irq_bypass_consumer *cons,
		    struct irq_bypass_producer *prod)
{
	return fake_add(of_cons(cons), cons->token, prod->token,
			&of_cons(cons)->cons_partner, prod);
}

static void cons_del(struct irq_bypass_consumer *cons,
		     struct irq_bypass_producer *prod)
{
	fake_del(of_cons(cons), of_cons(cons)->cons_partner, prod);
}

static void cons_stop(struct irq_bypass_consumer *cons)
{
	fake_stop(of_cons(cons));
}

static void cons_start(struct irq_bypass_consumer *cons)
{
	fake_start(of_cons(cons));
}

static void fake_init(struct fake_side *s, void *token)
{
	memset(s, 0, sizeof(*s));
	s->prod.token = token;
	s->prod.add_consumer = prod_add;
	s->prod.del_consumer = prod_del;
	s->prod.stop = prod_stop;
	s->prod.start = prod_start;
	s->cons.token = token;
	s->cons.add_producer = cons_add;
	s->cons.del_producer = cons_del;
	s->cons.stop = cons_stop;
	s->cons.start = cons_start;
}

/* Tokens are only compared, so any distinct non-NULL addresses will do. */
static char tokens[64];
#define TOKEN(i) ((void *)&tokens[i])

static void test_null_token(void)
{
	struct fake_side p, c;

	fake_init(&p, NULL);
	fake_init(&c, NULL);
	CHECK(irq_bypass_register_producer(&p.prod) == -EINVAL);
	CHECK(irq_bypass_register_consumer(&c.cons) == -EINVAL);
	/* Unregistering with a NULL token is harmless. */
	irq_bypass_unregister_producer(&p.prod);
	irq_bypass_unregister_consumer(&c.cons);
	CHECK(!p.log[0] && !c.log[0]);
}

static void test_consumer_needs_callbacks(void)
{
	struct fake_side c;

	fake_init(&c, TOKEN(0));
	c.cons.add_producer = NULL;
	CHECK(irq_bypass_register_consumer(&c.cons) == -EINVAL);
	fake_init(&c, TOKEN(0));
	c.cons.del_producer = NULL;
	CHECK(irq_bypass_register_consumer(&c.cons) == -EINVAL);
}

static void test_connect_and_disconnect(void)
{
	struct fake_side p, c;

	fake_init(&p, TOKEN(1));
	fake_init(&c, TOKEN(1));

	CHECK(irq_bypass_register_producer(&p.prod) == 0);
	CHECK(!p.log[0]);		/* nothing to connect to yet */
	CHECK(irq_bypass_register_consumer(&c.cons) == 0);
	CHECK(!strcmp(p.log, "SAG"));
	CHECK(!strcmp(c.log, "SAG"));
	CHECK(p.prod_partner == &c.cons && c.cons_partner == &p.prod);

	irq_bypass_unregister_consumer(&c.cons);
	CHECK(!strcmp(p.log, "SAGSDG"));
	CHECK(!strcmp(c.log, "SAGSDG"));
	irq_bypass_unregister_producer(&p.prod);
	CHECK(!strcmp(p.log, "SAGSDG"));	/* alone: no callbacks */
	CHECK(!atomic_read(&p.bad_partner) && !atomic_read(&c.bad_partner));
}

static void test_consumer_first_producer_goes_first(void)
{
	struct fake_side p, c;

	fake_init(&p, TOKEN(2));
	fake_init(&c, TOKEN(2));
	CHECK(irq_bypass_register_consumer(&c.cons) == 0);
	CHECK(irq_bypass_register_producer(&p.prod) == 0);
	CHECK(atomic_read(&p.adds) == 1 && atomic_read(&c.adds) == 1);
	irq_bypass_unregister_producer(&p.prod);
	CHECK(atomic_read(&p.dels) == 1 && atomic_read(&c.dels) == 1);
	CHECK(atomic_read(&c.stops) == 2 && atomic_read(&c.starts) == 2);
	irq_bypass_unregister_consumer(&c.cons);
	CHECK(atomic_read(&c.stops) == 2);
}

static void test_optional_callbacks(void)
{
	struct fake_side p, c;

	fake_init(&p, TOKEN(3));
	fake_init(&c, TOKEN(3));
	p.prod.add_consumer = NULL;
	p.prod.del_consumer = NULL;
	p.prod.stop = NULL;
	p.prod.start = NULL;
	c.cons.stop = NULL;
	c.cons.start = NULL;
	CHECK(irq_bypass_register_producer(&p.prod) == 0);
	CHECK(irq_bypass_register_consumer(&c.cons) == 0);
	CHECK(!strcmp(c.log, "A"));
	irq_bypass_unregister_producer(&p.prod);
	CHECK(!strcmp(c.log, "AD"));
	irq_bypass_unregister_consumer(&c.cons);
}

static void test_duplicates_busy(void)
{
	struct fake_side p, p2, c, c2;

	fake_init(&p, TOKEN(4));
	fake_init(&p2, TOKEN(4));
	fake_init(&c, TOKEN(4));
	fake_init(&c2, TOKEN(4));

	CHECK(irq_bypass_register_producer(&p.prod) == 0);
	CHECK(irq_bypass_register_producer(&p.prod) == -EBUSY);
	CHECK(irq_bypass_register_producer(&p2.prod) == -EBUSY);
	CHECK(irq_bypass_register_consumer(&c.cons) == 0);
	CHECK(irq_bypass_register_consumer(&c.cons) == -EBUSY);
	CHECK(irq_bypass_register_consumer(&c2.cons) == -EBUSY);
	CHECK(atomic_read(&p.adds) == 1 && atomic_read(&c.adds) == 1);
	CHECK(!p2.log[0] && !c2.log[0]);

	/* Never registered, same token: ignored, the real pair stays. */
	irq_bypass_unregister_producer(&p2.prod);
	irq_bypass_unregister_consumer(&c2.cons);
	CHECK(atomic_read(&p.dels) == 0 && atomic_read(&c.dels) == 0);
	CHECK(!p2.log[0] && !c2.log[0]);

	irq_bypass_unregister_producer(&p.prod);
	irq_bypass_unregister_consumer(&c.cons);
	CHECK(atomic_read(&p.dels) == 1 && atomic_read(&c.dels) == 1);

	/* Unregistering twice is harmless too. */
	irq_bypass_unregister_producer(&p.prod);
	irq_bypass_unregister_consumer(&c.cons);
	CHECK(atomic_read(&p.dels) == 1 && atomic_read(&c.dels) == 1);
}

/*
 * A struct registered under one token, its token then changed (which the
 * API forbids), is refused under the new one: -EBUSY, and nothing of it is
 * left where a later registration could find it.
 */
static void test_registered_under_other_token(void)
{
	struct fake_side p, c, q;

	fake_init(&p, TOKEN(6));
	fake_init(&c, TOKEN(6));
	CHECK(irq_bypass_register_producer(&p.prod) == 0);
	CHECK(irq_bypass_register_consumer(&c.cons) == 0);
	p.prod.token = TOKEN(7);
	c.cons.token = TOKEN(8);
	CHECK(irq_bypass_register_producer(&p.prod) == -EBUSY);
	CHECK(irq_bypass_register_consumer(&c.cons) == -EBUSY);
	CHECK(atomic_read(&p.adds) == 1 && atomic_read(&c.adds) == 1);

	fake_init(&q, TOKEN(7));
	CHECK(irq_bypass_register_consumer(&q.cons) == 0);
	CHECK(!q.log[0]);		/* no producer left under TOKEN(7) */
	irq_bypass_unregister_consumer(&q.cons);

	/* Under their new tokens they are not registered: ignored. */
	irq_bypass_unregister_producer(&p.prod);
	irq_bypass_unregister_consumer(&c.cons);
	CHECK(atomic_read(&p.dels) == 0 && atomic_read(&c.dels) == 0);
	p.prod.token = TOKEN(6);
	c.cons.token = TOKEN(6);
	irq_bypass_unregister_consumer(&c.cons);
	irq_bypass_unregister_producer(&p.prod);
	CHECK(atomic_read(&p.dels) == 1 && atomic_read(&c.dels) == 1);
	CHECK(irq_bypass_register_producer(&p.prod) == 0);
	irq_bypass_unregister_producer(&p.prod);
}

static void test_unregister_unknown(void)
{
	struct fake_side s;

	fake_init(&s, TOKEN(5));
	irq_bypass_unregister_producer(&s.prod);
	irq_bypass_unregister_consumer(&s.cons);
	CHECK(!s.log[0]);
}

static void test_consumer_add_fails(void)
{
	struct fake_side p, c;

	fake_init(&p, TOKEN(6));
	fake_init(&c, TOKEN(6));
	c.fail_add = -ENOSPC;

	CHECK(irq_bypass_register_producer(&p.prod) == 0);
	CHECK(irq_bypass_register_consumer(&c.cons) == -ENOSPC);
	/* The producer's add is undone inside the same stop/start. */
	CHECK(!strcmp(p.log, "SADG"));
	CHECK(!strcmp(c.log, "SAG"));
	/* The consumer is not registered; the producer is, alone. */
	irq_bypass_unregister_consumer(&c.cons);
	CHECK(!strcmp(c.log, "SAG"));

	c.fail_add = 0;
	CHECK(irq_bypass_register_consumer(&c.cons) == 0);
	CHECK(atomic_read(&c.adds) == 1 && atomic_read(&p.adds) == 2);
	irq_bypass_unregister_producer(&p.prod);
	irq_bypass_unregister_consumer(&c.cons);
	CHECK(atomic_read(&p.dels) == 2 && atomic_read(&c.dels) == 1);
}

static void test_producer_add_fails(void)
{
	struct fake_side p, c;

	fake_init(&p, TOKEN(7));
	fake_init(&c, TOKEN(7));
	p.fail_add = -EIO;

	CHECK(irq_bypass_register_consumer(&c.cons) == 0);
	CHECK(irq_bypass_register_producer(&p.prod) == -EIO);
	CHECK(!strcmp(p.log, "SAG"));
	CHECK(!strcmp(c.log, "SG"));	/* never asked to add */
	irq_bypass_unregister_producer(&p.prod);
	CHECK(!strcmp(p.log, "SAG"));

	/* A new producer on the same token connects. */
	p.fail_add = 0;
	CHECK(irq_bypass_register_producer(&p.prod) == 0);
	CHECK(atomic_read(&c.adds) == 1);
	irq_bypass_unregister_consumer(&c.cons);
	irq_bypass_unregister_producer(&p.prod);
	CHECK(atomic_read(&c.dels) == 1 && atomic_read(&p.dels) == 1);
}

static void test_reregister(void)
{
	struct fake_side p, c;
	int i;

	fake_init(&p, TOKEN(8));
	fake_init(&c, TOKEN(8));
	for (i = 0; i < 3; i++) {
		CHECK(irq_bypass_register_producer(&p.prod) == 0);
		CHECK(irq_bypass_register_consumer(&c.cons) == 0);
		irq_bypass_unregister_producer(&p.prod);
		irq_bypass_unregister_consumer(&c.cons);
	}
	CHECK(atomic_read(&p.adds) == 3 && atomic_read(&p.dels) == 3);
	CHECK(atomic_read(&c.adds) == 3 && atomic_read(&c.dels) == 3);
}

#define MANY 2000

static void test_many_pairs(void)
{
	struct fake_side *s;
	char *toks;
	int i;

	s = kvcalloc(MANY, sizeof(*s), GFP_KERNEL);
	toks = kzalloc(MANY, GFP_KERNEL);
	if (!s || !toks) {
		CHECK(s && toks);
		goto out;
	}
	for (i = 0; i < MANY; i++) {
		fake_init(&s[i], &toks[i]);
		CHECK(irq_bypass_register_producer(&s[i].prod) == 0);
	}
	for (i = MANY - 1; i >= 0; i--)
		CHECK(irq_bypass_register_consumer(&s[i].cons) == 0);
	for (i = 0; i < MANY; i++) {
		/* each consumer got its own producer, and only it */
		CHECK(s[i].prod_partner == &s[i].cons);
		CHECK(s[i].cons_partner == &s[i].prod);
		CHECK(atomic_read(&s[i].adds) == 2);
		irq_bypass_unregister_consumer(&s[i].cons);
		irq_bypass_unregister_producer(&s[i].prod);
		CHECK(atomic_read(&s[i].dels) == 2);
		CHECK(!atomic_read(&s[i].bad_partner));
	}
out:
	kfree(toks);
	kvfree(s);
}

/*
 * Stress: threads register and unregister producers and consumers of
 * their own, on a small set of shared tokens, so that their structs pair
 * with each other's in every order.  At the end every add must have been
 * undone by a del, and every stop balanced by a start.
 */
#define STRESS_THREADS 4
#define STRESS_SIDES 8
#define STRESS_TOKENS 4

/*
 * Rounds per thread.  20000 took 3 s on Debian's 6.12 kernel and 395 s on
 * the RT lane's (lockdep, KASAN, sleeping locks), both beside other work,
 * of a 1200 s limit: the lanes ask for fewer (12-irqbypass_unit.sh).
 */
static unsigned int stress_rounds = 20000;
module_param(stress_rounds, uint, 0444);
MODULE_PARM_DESC(stress_rounds, "rounds of the concurrent stress case, per thread");

struct stress_thread {
	struct fake_side sides[STRESS_SIDES];
	bool prod_reg[STRESS_SIDES];
	bool cons_reg[STRESS_SIDES];
	struct completion done;
};

static int stress_fn(void *data)
{
	struct stress_thread *t = data;
	unsigned int r;
	int i;

	for (r = 0; r < stress_rounds; r++) {
		u32 rnd = get_random_u32();

		i = rnd % STRESS_SIDES;
		if (rnd & 0x100) {
			if (t->prod_reg[i]) {
				irq_bypass_unregister_producer(&t->sides[i].prod);
				t->prod_reg[i] = false;
			} else if (!irq_bypass_register_producer(&t->sides[i].prod)) {
				t->prod_reg[i] = true;
			}
		} else {
			if (t->cons_reg[i]) {
				irq_bypass_unregister_consumer(&t->sides[i].cons);
				t->cons_reg[i] = false;
			} else if (!irq_bypass_register_consumer(&t->sides[i].cons)) {
				t->cons_reg[i] = true;
			}
		}
		if (!(r % 256))
			cond_resched();
	}
	complete(&t->done);
	return 0;
}

static void test_stress_threads(void)
{
	struct stress_thread *t;
	struct task_struct *task;
	int n, i, started = 0;

	t = kcalloc(STRESS_THREADS, sizeof(*t), GFP_KERNEL);
	if (!t) {
		CHECK(t);
		return;
	}
	for (n = 0; n < STRESS_THREADS; n++) {
		for (i = 0; i < STRESS_SIDES; i++)
			fake_init(&t[n].sides[i], TOKEN(32 + i % STRESS_TOKENS));
		init_completion(&t[n].done);
	}
	for (n = 0; n < STRESS_THREADS; n++) {
		task = kthread_run(stress_fn, &t[n], "test_irqbypass/%d", n);
		CHECK(!IS_ERR(task));
		if (IS_ERR(task))
			break;
		started++;
	}
	for (n = 0; n < started; n++)
		wait_for_completion(&t[n].done);

	for (n = 0; n < STRESS_THREADS; n++) {
		for (i = 0; i < STRESS_SIDES; i++) {
			struct fake_side *s = &t[n].sides[i];

			if (t[n].prod_reg[i])
				irq_bypass_unregister_producer(&s->prod);
			if (t[n].cons_reg[i])
				irq_bypass_unregister_consumer(&s->cons);
		}
	}
	for (n = 0; n < STRESS_THREADS; n++) {
		for (i = 0; i < STRESS_SIDES; i++) {
			struct fake_side *s = &t[n].sides[i];

			CHECK(atomic_read(&s->adds) == atomic_read(&s->dels));
			CHECK(atomic_read(&s->stops) == atomic_read(&s->starts));
			CHECK(!atomic_read(&s->bad_partner));
		}
	}
	kfree(t);
}

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
	{ "null_token_einval", test_null_token },
	{ "consumer_needs_add_and_del", test_consumer_needs_callbacks },
	{ "connect_and_disconnect_in_stop_start", test_connect_and_disconnect },
	{ "consumer_first_then_producer", test_consumer_first_producer_goes_first },
	{ "optional_callbacks_absent", test_optional_callbacks },
	{ "duplicates_ebusy_and_foreign_unregister", test_duplicates_busy },
	{ "registered_under_other_token_ebusy", test_registered_under_other_token },
	{ "unregister_never_registered", test_unregister_unknown },
	{ "consumer_add_fails_rolls_back", test_consumer_add_fails },
	{ "producer_add_fails_rolls_back", test_producer_add_fails },
	{ "reregister_after_unregister", test_reregister },
	{ "many_pairs_each_with_its_own", test_many_pairs },
	{ "stress_concurrent_threads", test_stress_threads },
};

static int __init test_irqbypass_init(void)
{
	int i, failed = 0;

	pr_info("KTAP version 1\n");
	pr_info("1..%zu\n", ARRAY_SIZE(cases));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		check_failed = false;
		cases[i].fn();
		failed += check_failed;
		pr_info("%sok %d %s\n", check_failed ? "not " : "", i + 1,
			cases[i].name);
	}
	pr_info("# test_irqbypass: %d of %zu cases failed\n", failed,
		ARRAY_SIZE(cases));
	return failed ? -EINVAL : 0;
}

static void __exit test_irqbypass_exit(void)
{
}

module_init(test_irqbypass_init);
module_exit(test_irqbypass_exit);

MODULE_DESCRIPTION("Test of the IRQ bypass manager");
MODULE_LICENSE("GPL");
