// SPDX-License-Identifier: GPL-2.0
/*
 * execfix_live.ko, interp part: frees the interpreter strings that a partial
 * CVE-2012-4530 backport leaks (bprm_change_interp() kstrdup()s them, its
 * free_bprm() never kfree()s them), and nothing else.
 *
 * A string is freed by the module only when all of these hold:
 *   - the module saw bprm_change_interp() allocate it (a kprobe just after
 *     the "call kstrdup" records %rax in a table of live strings);
 *   - it saw no kfree() of it (kprobes on every kfree() call or tail jump in
 *     bprm_change_interp(), free_bprm() and the exec functions free_bprm()
 *     may be inlined into, exsym_bprm_free_funcs, take freed strings out of
 *     the table);
 *   - one of those free_bprm() kfree() sites (out of line or inlined, e.g.
 *     into do_execve() with a vendor configuration) is about to kfree() an
 *     object at least as large as a bprm whose interp is the string (read
 *     without faulting) and is not its filename: the bprm itself;
 *   - the kernel was never seen freeing a tracked string at one of those
 *     sites: a kernel that frees it itself (stock -358 and later) makes the
 *     module stand down for good on its first such free, which always comes
 *     before the kfree() of that bprm;
 *   - no probe of the module ever missed a hit (a missed free would make a
 *     freed string look leaked): the first miss stops all freeing.
 *
 * Where bprm_change_interp() does not exist (2.6.32-71 to -279) the name is
 * kept on binfmt_script's stack, there is nothing to free and the part stays
 * off. Without a probe on every kfree() call site found in those functions
 * (none found, more than it can hold, or a registration failed) it stays
 * off too: it never guesses. What the scan found, per function, is in
 * /proc/execfix_live.
 *
 * Unload: freeing is switched off under the table lock first, so that no
 * handler starts a free once any probe may be gone; then all probes are
 * unregistered at once (unregister_kprobes() waits for running handlers).
 * kprobe handlers never sleep and no kretprobe is used, so nothing is in
 * flight afterwards. Strings allocated but not yet freed at unload are left
 * to the kernel (they leak as they would without the module).
 */
#define pr_fmt(fmt) "execfix_live: " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/kprobes.h>
#include <linux/binfmts.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include "execfix_sym.h"
#include "execfix_live.h"
#include "execfix_ptrset.h"

#define LIVE_MAX_SITES		24

enum live_site_kind { LIVE_SITE_ALLOC, LIVE_SITE_CHANGE, LIVE_SITE_FREE_BPRM };

struct live_site {
	struct kprobe kp;
	enum live_site_kind kind;
	char where[KSYM_SYMBOL_LEN];
};

static DEFINE_SPINLOCK(live_lock);

/* All below under live_lock. */
static struct exptr_set live_track;
static unsigned long live_allocated, live_replaced, live_kernel_freed;
static unsigned long live_fixed, live_untracked, live_duplicate;
static int live_freeing;	/* may free: armed, and not stood down */
static int live_kernel_frees;	/* saw free_bprm() free a tracked string */
static int live_missed;		/* a probe missed a hit */

static struct live_site live_sites[LIVE_MAX_SITES];
static struct exsym_free_scan live_free_scan[EXSYM_NR_BPRM_FREE_FUNCS];
static int live_scanned;
static int live_nr_sites;
static int live_registered;
static const char *live_state = "off";
static const char *live_reason = "not initialised";

/* Caller holds live_lock. */
static void live_add(unsigned long ptr)
{
	if (exptr_has(&live_track, ptr))
		live_duplicate++;
	else if (exptr_add(&live_track, ptr))
		live_untracked++;
}

/* Caller holds live_lock. Returns 1 when ptr was tracked (no longer is). */
static int live_del(unsigned long ptr)
{
	return exptr_del(&live_track, ptr);
}

/* Caller holds live_lock. Stops freeing for good after any missed hit. */
static void live_check_missed(void)
{
	int i;

	for (i = 0; i < live_nr_sites; i++)
		if (live_sites[i].kp.nmissed)
			live_missed = 1;
	if (live_missed)
		live_freeing = 0;
}

/* Just after "call kstrdup" in bprm_change_interp(): %rax is the string. */
static int live_alloc_pre(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned long flags;

	if (!regs->ax)
		return 0;
	spin_lock_irqsave(&live_lock, flags);
	live_allocated++;
	live_add(regs->ax);
	spin_unlock_irqrestore(&live_lock, flags);
	return 0;
}

/* A kfree() call in bprm_change_interp(): the old string (argument 1). */
static int live_change_free_pre(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned long flags;

	spin_lock_irqsave(&live_lock, flags);
	if (regs->di && live_del(regs->di))
		live_replaced++;
	spin_unlock_irqrestore(&live_lock, flags);
	return 0;
}

/*
 * A kfree() call of free_bprm(), out of line or inlined: of a tracked string
 * (the kernel frees it itself), or of the bprm, whose interp the module
 * frees when it still holds a string that the module saw allocated and
 * never saw freed. Anything else freed there is smaller than a bprm or does
 * not hold a tracked string where a bprm holds its interp.
 */
static int live_free_bprm_pre(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned long ptr = regs->di;
	struct linux_binprm *bprm = (struct linux_binprm *)ptr;
	const char *interp, *filename;
	unsigned long flags;
	void *leaked = NULL;

	if (!ptr)
		return 0;
	spin_lock_irqsave(&live_lock, flags);
	live_check_missed();
	if (live_del(ptr)) {
		live_kernel_freed++;
		live_kernel_frees = 1;
		live_freeing = 0;
	} else if (live_freeing && ksize(bprm) >= sizeof(*bprm) &&
		   !exsym_read_kernel(&interp, &bprm->interp, sizeof(interp)) &&
		   !exsym_read_kernel(&filename, &bprm->filename,
				      sizeof(filename)) &&
		   interp && interp != filename &&
		   live_del((unsigned long)interp)) {
		live_fixed++;
		leaked = (void *)interp;
	}
	spin_unlock_irqrestore(&live_lock, flags);
	/* The bprm is gone at the next instruction: no need to clear interp. */
	kfree(leaked);
	return 0;
}

static int live_add_site(unsigned long addr, enum live_site_kind kind)
{
	struct live_site *s;
	int err;

	if (live_nr_sites >= LIVE_MAX_SITES)
		return -ENOSPC;
	s = &live_sites[live_nr_sites];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->kp.addr = (kprobe_opcode_t *)addr;
	s->kp.pre_handler = kind == LIVE_SITE_ALLOC ? live_alloc_pre :
			    kind == LIVE_SITE_CHANGE ? live_change_free_pre :
						       live_free_bprm_pre;
	exsym_name(s->where, addr);
	err = register_kprobe(&s->kp);
	if (err) {
		pr_err("cannot probe %s (%d)\n", s->where, err);
		return err;
	}
	live_nr_sites++;
	return 0;
}

/* Probe every call of target in func (after: at the next instruction). */
static int live_probe_calls(const char *func, unsigned long target,
			    bool tail_jumps, bool after,
			    enum live_site_kind kind)
{
	unsigned long addrs[LIVE_MAX_SITES];
	int n, i, err;

	n = exsym_find_calls(func, target, tail_jumps, addrs,
			     ARRAY_SIZE(addrs));
	if (n <= 0)
		return n ? n : -ENOENT;
	if (n > (int)ARRAY_SIZE(addrs))
		return -E2BIG;
	for (i = 0; i < n; i++) {
		err = live_add_site(addrs[i] + (after ? 5 : 0), kind);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Probe every kfree() call of free_bprm() and of the exec functions it may
 * be inlined into (exsym_scan_free_sites()); all or nothing.
 */
static int live_probe_free_sites(unsigned long kfree_addr, const char **why)
{
	unsigned long addrs[LIVE_MAX_SITES];
	int n, i, err;

	n = exsym_scan_free_sites(kfree_addr, live_free_scan, addrs,
				  ARRAY_SIZE(addrs));
	live_scanned = 1;
	*why = "no kfree() call in free_bprm() or the exec functions it may be inlined into";
	if (n <= 0)
		return -ENOENT;
	*why = "more kfree() calls in free_bprm() and its callers than probes";
	if (n > LIVE_MAX_SITES - live_nr_sites - 1)
		return -E2BIG;
	*why = "cannot probe every kfree() call of free_bprm() and its callers";
	for (i = 0; i < n; i++) {
		err = live_add_site(addrs[i], LIVE_SITE_FREE_BPRM);
		if (err)
			return err;
	}
	return 0;
}

static void live_unregister(void)
{
	struct kprobe *kps[LIVE_MAX_SITES];
	int i;

	for (i = 0; i < live_nr_sites; i++)
		kps[i] = &live_sites[i].kp;
	if (live_nr_sites)
		unregister_kprobes(kps, live_nr_sites);
	live_nr_sites = 0;
}

int live_interp_init(void)
{
	unsigned long kfree_addr, kstrdup_addr;
	const char *why;
	int err;

	if (!exsym_lookup("bprm_change_interp")) {
		live_state = "not_applicable";
		live_reason = "no bprm_change_interp(): the name stays on binfmt_script's stack, nothing leaks";
		pr_info("interp: no bprm_change_interp() in this kernel (2.6.32-71 to -279): nothing leaks that the module could free; interp part off\n");
		return 0;
	}
	kfree_addr = exsym_lookup("kfree");
	kstrdup_addr = exsym_lookup("kstrdup");
	why = "kfree() or kstrdup() not found";
	if (!kfree_addr || !kstrdup_addr)
		goto off;

	/*
	 * Observers of the kernel's own frees first, then the freeing site
	 * (the same calls in free_bprm()), the allocation last: nothing the
	 * module tracks can be freed unseen. Freeing is armed only after all.
	 */
	why = "cannot probe the kfree() calls of bprm_change_interp()";
	err = live_probe_calls("bprm_change_interp", kfree_addr, true, false,
			       LIVE_SITE_CHANGE);
	if (err && err != -ENOENT)
		goto off;
	err = live_probe_free_sites(kfree_addr, &why);
	if (err)
		goto off;
	why = "cannot probe the kstrdup() call of bprm_change_interp()";
	if (live_probe_calls("bprm_change_interp", kstrdup_addr, false, true,
			     LIVE_SITE_ALLOC))
		goto off;
	live_registered = 1;
	live_state = "active";
	spin_lock_irq(&live_lock);
	live_freeing = 1;
	spin_unlock_irq(&live_lock);
	pr_info("interp: active (%d probes)\n", live_nr_sites);
	return 0;
off:
	live_unregister();
	live_state = "off";
	live_reason = why;
	pr_info("interp: %s; interp part off\n", why);
	return 0;
}

void live_interp_exit(void)
{
	unsigned long flags;
	unsigned int left;

	/* First: no handler may start a free once any probe can be gone. */
	spin_lock_irqsave(&live_lock, flags);
	live_freeing = 0;
	spin_unlock_irqrestore(&live_lock, flags);
	live_unregister();
	live_registered = 0;
	spin_lock_irqsave(&live_lock, flags);
	left = live_track.count;
	exptr_clear(&live_track);
	spin_unlock_irqrestore(&live_lock, flags);
	if (left)
		pr_info("interp: %u strings of execs in flight left to the kernel\n",
			left);
}

void live_interp_reset(void)
{
	unsigned long flags;

	spin_lock_irqsave(&live_lock, flags);
	live_allocated = 0;
	live_replaced = 0;
	live_kernel_freed = 0;
	live_fixed = 0;
	live_untracked = 0;
	live_duplicate = 0;
	spin_unlock_irqrestore(&live_lock, flags);
}

static const char *const live_kind_names[] = {
	[LIVE_SITE_ALLOC] = "alloc",
	[LIVE_SITE_CHANGE] = "replace",
	[LIVE_SITE_FREE_BPRM] = "free_bprm",
};

void live_interp_show(struct seq_file *m)
{
	unsigned long allocated, replaced, kernel_freed, fixed, untracked, dup;
	unsigned long flags, nmissed = 0;
	unsigned int tracked;
	int freeing, kernel_frees, missed, i;

	spin_lock_irqsave(&live_lock, flags);
	if (live_registered)
		live_check_missed();
	allocated = live_allocated;
	replaced = live_replaced;
	kernel_freed = live_kernel_freed;
	fixed = live_fixed;
	untracked = live_untracked;
	dup = live_duplicate;
	tracked = live_track.count;
	freeing = live_freeing;
	kernel_frees = live_kernel_frees;
	missed = live_missed;
	spin_unlock_irqrestore(&live_lock, flags);

	if (!live_registered) {
		seq_printf(m, "interp=%s\n", live_state);
		seq_printf(m, "interp.reason=%s\n", live_reason);
		if (live_scanned)
			exsym_show_free_scan(m, live_free_scan);
		return;
	}
	seq_printf(m, "interp=%s\n", missed ? "stopped_missed_hit" :
		   kernel_frees ? "standing_down" : freeing ? "active" : "off");
	seq_printf(m, "interp.allocated=%lu\n", allocated);
	seq_printf(m, "interp.replaced=%lu\n", replaced);
	seq_printf(m, "interp.kernel_freed=%lu\n", kernel_freed);
	seq_printf(m, "interp.fixed=%lu\n", fixed);
	seq_printf(m, "interp.tracked=%u\n", tracked);
	seq_printf(m, "interp.untracked=%lu\n", untracked);
	seq_printf(m, "interp.duplicate=%lu\n", dup);
	seq_printf(m, "interp.kernel_frees_itself=%d\n", kernel_frees);
	for (i = 0; i < live_nr_sites; i++) {
		nmissed += live_sites[i].kp.nmissed;
		seq_printf(m, "probe.%s=%s\n", live_sites[i].where,
			   live_kind_names[live_sites[i].kind]);
	}
	if (live_scanned)
		exsym_show_free_scan(m, live_free_scan);
	seq_printf(m, "nmissed=%lu\n", nmissed);
}
