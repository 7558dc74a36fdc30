// SPDX-License-Identifier: GPL-2.0
/*
 * execfix_noise.ko: TEST ONLY, never installed. A controlled source of
 * allocations in the kmalloc cache the interpreter-name leak lands in
 * (size-32 with 2.6.32's SLAB, kmalloc-32 with SLUB), so that the leak
 * detectors (interp_leak, execfix-check, the benchmarks) can be shown known
 * noise and known growth:
 *
 *   grow   rate objects a second, kept until unload (or "free"): steady
 *          growth, e.g. at the leak's own rate of one object per exec;
 *   churn  rate objects a second, each freed hold_ms later: traffic with no
 *          net growth once hold_ms has passed;
 *   burst  burst objects at once every period_ms, each freed hold_ms later
 *          (hold_ms=0: kept, a staircase).
 *
 * With several sizes (size=32,64,96,128) each of those caches gets the
 * whole rate or burst: a detector that watches the quietest of several
 * caches finds no quiet one.
 *
 * A kthread allocates by a clock: the objects due since the settings last
 * changed, so the rate holds whatever the sleep granularity (HZ, a busy
 * guest), and frees in allocation order. The list of held objects is
 * vmalloc memory, outside the kmalloc caches being measured. Unload stops
 * the thread and frees every object held.
 *
 * /proc/execfix_noise (0600): settings and counters, one key=value per
 * line. Writing "key=value" words changes settings (and restarts the
 * clock); "stop" and "start" pause and resume allocating, "free" frees all
 * held objects now, "reset" zeroes the counters. A write with any word it
 * does not know changes nothing (-EINVAL).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "../../execfix_compat.h"

enum noise_mode { NOISE_GROW, NOISE_CHURN, NOISE_BURST, NOISE_NR_MODES };

static const char *const noise_mode_names[NOISE_NR_MODES] = {
	[NOISE_GROW] = "grow",
	[NOISE_CHURN] = "churn",
	[NOISE_BURST] = "burst",
};

/* The settings at load; /proc/execfix_noise changes them later. */
static char *mode = "grow";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "grow | churn | burst (default grow)");

static unsigned int rate = 100;
module_param(rate, uint, 0444);
MODULE_PARM_DESC(rate, "grow and churn: objects allocated a second (default 100)");

static unsigned int burst = 256;
module_param(burst, uint, 0444);
MODULE_PARM_DESC(burst, "burst: objects allocated at once (default 256)");

static unsigned int period_ms = 1000;
module_param(period_ms, uint, 0444);
MODULE_PARM_DESC(period_ms, "burst: milliseconds between bursts (default 1000)");

static unsigned int hold_ms = 1000;
module_param(hold_ms, uint, 0444);
MODULE_PARM_DESC(hold_ms,
		 "churn and burst: lifetime of an object in ms, 0 = until unload or \"free\" (default 1000)");

static char *size = "32";
module_param(size, charp, 0444);
MODULE_PARM_DESC(size,
		 "bytes per object, which picks the kmalloc cache; up to 4, comma-separated, each cache at the full rate (default 32)");

static unsigned int max_objects = 262144;
module_param(max_objects, uint, 0444);
MODULE_PARM_DESC(max_objects, "most objects held at once; more are counted as capped (default 262144)");

static unsigned int tick_ms = 10;
module_param(tick_ms, uint, 0444);
MODULE_PARM_DESC(tick_ms, "how often the thread wakes, in ms (default 10)");

static bool paused;
module_param(paused, bool, 0444);
MODULE_PARM_DESC(paused, "load without allocating until \"start\" (default 0)");

#define NOISE_MAX_SIZE		4096
/* A detector may watch the quietest of several caches: noise in each. */
#define NOISE_MAX_SIZES		4
#define NOISE_MAX_RATE		10000000
#define NOISE_MAX_OBJECTS	(1U << 22)	/* a 64 MiB list on x86_64 */
#define NOISE_MAX_TICK_MS	1000
/* A day: far enough, and jiffies offsets stay clear of wrapping. */
#define NOISE_MAX_MS		86400000

struct noise_settings {
	enum noise_mode mode;
	unsigned int rate, burst, period_ms, hold_ms;
	unsigned int size[NOISE_MAX_SIZES], nr_sizes;
};

struct noise_obj {
	void *ptr;
	unsigned long born;	/* jiffies */
};

static DEFINE_MUTEX(noise_lock);

/* All below under noise_lock. */
static struct noise_settings noise_set;
static bool noise_running;
static struct noise_obj *noise_ring;	/* vmalloc: not in a kmalloc cache */
static unsigned int noise_head, noise_held;	/* oldest slot, objects held */
static unsigned long noise_start;	/* jiffies when the settings took effect */
static unsigned long noise_done;	/* rate objects allocated since then */
static unsigned long noise_next_burst;
static struct noise_counts {
	unsigned long allocated, freed, failed, capped;
} noise_counts;

static struct task_struct *noise_thread;
static struct proc_dir_entry *noise_proc;

/* Caller holds noise_lock. n objects of each size. */
static void noise_alloc(unsigned long n, unsigned long now)
{
	unsigned long i, total = n * noise_set.nr_sizes;
	void *p;

	for (i = 0; i < total; i++) {
		if (noise_held >= max_objects) {
			noise_counts.capped += total - i;
			return;
		}
		p = kmalloc(noise_set.size[i % noise_set.nr_sizes], GFP_KERNEL);
		if (!p) {
			noise_counts.failed++;
			continue;
		}
		noise_ring[(noise_head + noise_held) % max_objects] =
			(struct noise_obj){ .ptr = p, .born = now };
		noise_held++;
		noise_counts.allocated++;
		if (!(i % 1024))
			cond_resched();
	}
}

/* Caller holds noise_lock. Frees the oldest objects, all with !older_than. */
static void noise_free(unsigned long now, unsigned long older_than)
{
	unsigned long n = 0;
	struct noise_obj *o;

	while (noise_held) {
		o = &noise_ring[noise_head];
		if (older_than && time_before(now, o->born + older_than))
			break;
		kfree(o->ptr);
		noise_head = (noise_head + 1) % max_objects;
		noise_held--;
		noise_counts.freed++;
		if (!(++n % 1024))
			cond_resched();
	}
}

/* Caller holds noise_lock. New settings: the clock starts again now. */
static void noise_restart(void)
{
	noise_start = jiffies;
	noise_done = 0;
	noise_next_burst = noise_start;
}

/* Caller holds noise_lock. What is due at now, then what has expired. */
static void noise_tick(unsigned long now)
{
	unsigned long due, hold = msecs_to_jiffies(noise_set.hold_ms);

	if (noise_running && noise_set.mode != NOISE_BURST) {
		due = div_u64((u64)noise_set.rate *
			      jiffies_to_msecs(now - noise_start), 1000);
		noise_alloc(due - noise_done, now);
		noise_done = due;
	} else if (noise_running && !time_before(now, noise_next_burst)) {
		noise_alloc(noise_set.burst, now);
		noise_next_burst += msecs_to_jiffies(noise_set.period_ms);
		/* After a stall: the next burst a period on, not a volley. */
		if (time_before(noise_next_burst, now))
			noise_next_burst = now +
				msecs_to_jiffies(noise_set.period_ms);
	}
	/* churn with hold_ms=0: freed at the next tick, a jiffy on at least. */
	if (noise_set.mode == NOISE_CHURN)
		noise_free(now, hold ? hold : 1);
	else if (noise_set.mode == NOISE_BURST && hold)
		noise_free(now, hold);
}

static int noise_thread_fn(void *unused)
{
	while (!kthread_should_stop()) {
		mutex_lock(&noise_lock);
		noise_tick(jiffies);
		mutex_unlock(&noise_lock);
		/* kthread_stop() wakes the thread: unload does not wait a tick. */
		schedule_timeout_interruptible(msecs_to_jiffies(tick_ms));
	}
	return 0;
}

/* A decimal in [min, max]: 0, or -EINVAL (no kstrto* on 2.6.32). */
static int noise_parse_uint(const char *s, unsigned int min, unsigned int max,
			    unsigned int *val)
{
	unsigned long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -EINVAL;
	}
	if (v < min)
		return -EINVAL;
	*val = v;
	return 0;
}

static int noise_parse_mode(const char *s, enum noise_mode *m)
{
	int i;

	for (i = 0; i < NOISE_NR_MODES; i++) {
		if (strcmp(s, noise_mode_names[i]) == 0) {
			*m = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* "32" or "32,64,...": the sizes of set; 0 or -EINVAL. */
static int noise_parse_sizes(const char *s, struct noise_settings *set)
{
	char buf[64], *p = buf, *word;
	unsigned int nr = 0;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	while ((word = strsep(&p, ",")) != NULL) {
		if (nr == NOISE_MAX_SIZES ||
		    noise_parse_uint(word, 1, NOISE_MAX_SIZE, &set->size[nr]))
			return -EINVAL;
		nr++;
	}
	set->nr_sizes = nr;
	return 0;
}

/* One "key=value" word into set; 0 or -EINVAL. */
static int noise_parse_setting(struct noise_settings *set, char *word)
{
	char *val = strchr(word, '=');

	if (!val)
		return -EINVAL;
	*val++ = '\0';
	if (strcmp(word, "mode") == 0)
		return noise_parse_mode(val, &set->mode);
	if (strcmp(word, "rate") == 0)
		return noise_parse_uint(val, 0, NOISE_MAX_RATE, &set->rate);
	if (strcmp(word, "burst") == 0)
		return noise_parse_uint(val, 0, max_objects, &set->burst);
	if (strcmp(word, "period_ms") == 0)
		return noise_parse_uint(val, 1, NOISE_MAX_MS, &set->period_ms);
	if (strcmp(word, "hold_ms") == 0)
		return noise_parse_uint(val, 0, NOISE_MAX_MS, &set->hold_ms);
	if (strcmp(word, "size") == 0)
		return noise_parse_sizes(val, set);
	return -EINVAL;
}

static int noise_show(struct seq_file *m, void *v)
{
	struct noise_settings set;
	struct noise_counts c;
	unsigned int held, i;
	bool running;

	mutex_lock(&noise_lock);
	set = noise_set;
	c = noise_counts;
	held = noise_held;
	running = noise_running;
	mutex_unlock(&noise_lock);

	seq_printf(m, "mode=%s\n", noise_mode_names[set.mode]);
	seq_printf(m, "rate=%u\n", set.rate);
	seq_printf(m, "burst=%u\n", set.burst);
	seq_printf(m, "period_ms=%u\n", set.period_ms);
	seq_printf(m, "hold_ms=%u\n", set.hold_ms);
	seq_printf(m, "size=%u", set.size[0]);
	for (i = 1; i < set.nr_sizes; i++)
		seq_printf(m, ",%u", set.size[i]);
	seq_putc(m, '\n');
	seq_printf(m, "running=%d\n", running ? 1 : 0);
	seq_printf(m, "held=%u\n", held);
	seq_printf(m, "allocated=%lu\n", c.allocated);
	seq_printf(m, "freed=%lu\n", c.freed);
	seq_printf(m, "failed=%lu\n", c.failed);
	seq_printf(m, "capped=%lu\n", c.capped);
	seq_printf(m, "max_objects=%u\n", max_objects);
	return 0;
}

static int noise_open(struct inode *inode, struct file *file)
{
	return single_open(file, noise_show, NULL);
}

#define NOISE_CMD_FREE	1
#define NOISE_CMD_RESET	2

static ssize_t noise_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	char buf[128], *p, *word;
	struct noise_settings set;
	int run = -1, cmds = 0, changed = 0;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';

	mutex_lock(&noise_lock);
	set = noise_set;
	p = buf;
	/* Parse it all first: a bad word changes nothing. */
	while ((word = strsep(&p, " \t\n")) != NULL) {
		if (!*word)
			continue;
		if (strcmp(word, "stop") == 0) {
			run = 0;
		} else if (strcmp(word, "start") == 0) {
			run = 1;
		} else if (strcmp(word, "free") == 0) {
			cmds |= NOISE_CMD_FREE;
		} else if (strcmp(word, "reset") == 0) {
			cmds |= NOISE_CMD_RESET;
		} else if (noise_parse_setting(&set, word) == 0) {
			changed = 1;
		} else {
			mutex_unlock(&noise_lock);
			return -EINVAL;
		}
	}
	noise_set = set;
	if (run >= 0)
		noise_running = run;
	if (changed || run >= 0)
		noise_restart();
	if (cmds & NOISE_CMD_FREE)
		noise_free(jiffies, 0);
	if (cmds & NOISE_CMD_RESET)
		memset(&noise_counts, 0, sizeof(noise_counts));
	mutex_unlock(&noise_lock);
	return count;
}

EXECFIX_PROC_OPS(noise_ops, noise_open, noise_write);

static int noise_check_params(void)
{
	noise_set = (struct noise_settings){
		.rate = rate, .burst = burst, .period_ms = period_ms,
		.hold_ms = hold_ms,
	};
	if (noise_parse_mode(mode, &noise_set.mode)) {
		pr_err("mode=%s: not grow, churn or burst\n", mode);
		return -EINVAL;
	}
	/* The load parameters obey the same limits as the control file. */
	if (noise_parse_sizes(size, &noise_set) || rate > NOISE_MAX_RATE ||
	    !max_objects || max_objects > NOISE_MAX_OBJECTS ||
	    burst > max_objects || !period_ms || period_ms > NOISE_MAX_MS ||
	    hold_ms > NOISE_MAX_MS || !tick_ms || tick_ms > NOISE_MAX_TICK_MS) {
		pr_err("a parameter is out of range (size 1..%d, up to %d of them, rate <= %d, max_objects 1..%u, burst <= max_objects, period_ms 1..%d, hold_ms <= %d, tick_ms 1..%d)\n",
		       NOISE_MAX_SIZE, NOISE_MAX_SIZES, NOISE_MAX_RATE,
		       NOISE_MAX_OBJECTS,
		       NOISE_MAX_MS, NOISE_MAX_MS, NOISE_MAX_TICK_MS);
		return -EINVAL;
	}
	return 0;
}

static int __init noise_init(void)
{
	int err;

	err = noise_check_params();
	if (err)
		return err;
	noise_ring = vmalloc((unsigned long)max_objects * sizeof(*noise_ring));
	if (!noise_ring)
		return -ENOMEM;
	noise_running = !paused;
	noise_restart();
	noise_thread = kthread_run(noise_thread_fn, NULL, "execfix_noise");
	if (IS_ERR(noise_thread)) {
		err = PTR_ERR(noise_thread);
		goto fail;
	}
	noise_proc = proc_create("execfix_noise", 0600, NULL, &noise_ops);
	if (!noise_proc) {
		kthread_stop(noise_thread);
		err = -ENOMEM;
		goto fail;
	}
	pr_info("loaded: mode=%s rate=%u burst=%u period_ms=%u hold_ms=%u size=%s%s\n",
		noise_mode_names[noise_set.mode], noise_set.rate,
		noise_set.burst, noise_set.period_ms, noise_set.hold_ms, size,
		noise_running ? "" : " (paused)");
	return 0;
fail:
	noise_free(jiffies, 0);
	vfree(noise_ring);
	return err;
}

static void __exit noise_exit(void)
{
	unsigned int held;

	/* No writer once the file is gone, no allocation once the thread is. */
	remove_proc_entry("execfix_noise", NULL);
	kthread_stop(noise_thread);
	held = noise_held;
	noise_free(jiffies, 0);
	vfree(noise_ring);
	pr_info("unloaded: freed the %u objects held (%lu allocated, %lu freed in all)\n",
		held, noise_counts.allocated, noise_counts.freed);
}

module_init(noise_init);
module_exit(noise_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("el6-execfix test only: controlled allocations in a kmalloc cache (noise for the leak detectors)");
MODULE_INFO(test, "Y");
