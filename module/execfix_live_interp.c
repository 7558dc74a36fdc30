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
 *     may be inlined into, exsite_bprm_free_funcs, take freed strings out of
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
#include "execfix_sites.h"

/* The role of a probe (struct exsite's kind), named in /proc. */
enum live_site_kind { LIVE_SITE_ALLOC, LIVE_SITE_CHANGE, LIVE_SITE_FREE_BPRM };

static DEFINE_SPINLOCK(live_lock);

/* All below under live_lock. */
static struct exptr_set live_track;
static struct live_counts {
	unsigned long allocated, replaced, kernel_freed;
	unsigned long fixed, untracked, duplicate;
} live_counts;
static int live_freeing;	/* may free: armed, and not stood down */
static int live_kernel_frees;	/* saw free_bprm() free a tracked string */
static int live_missed;		/* a probe missed a hit */

static struct exsite_set live_sites;
static int live_registered;
static const char *live_state = "off";
static const char *live_reason = "not initialised";

/* Caller holds live_lock. */
static void live_add(unsigned long ptr)
{
	if (exptr_has(&live_track, ptr))
		live_counts.duplicate++;
	else if (exptr_add(&live_track, ptr))
		live_counts.untracked++;
}

/* Caller holds live_lock. Returns 1 when ptr was tracked (no longer is). */
static int live_del(unsigned long ptr)
{
	return exptr_del(&live_track, ptr);
}

/* Caller holds live_lock. Stops freeing for good after any missed hit. */
static void live_check_missed(void)
{
	if (exsite_nmissed(&live_sites))
		live_missed = 1;
	if (live_missed)
		live_freeing = 0;
}

/* Just after "call kstrdup" in bprm_change_interp(): the new string. */
static int live_alloc_pre(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned long interp = EXSITE_RET(regs), flags;

	if (!interp)
		return 0;
	spin_lock_irqsave(&live_lock, flags);
	live_counts.allocated++;
	live_add(interp);
	spin_unlock_irqrestore(&live_lock, flags);
	return 0;
}

/* A kfree() call in bprm_change_interp(): the old string (argument 1). */
static int live_change_free_pre(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned long old = EXSITE_ARG1(regs), flags;

	spin_lock_irqsave(&live_lock, flags);
	if (old && live_del(old))
		live_counts.replaced++;
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
	unsigned long ptr = EXSITE_ARG1(regs);
	struct linux_binprm *bprm = (struct linux_binprm *)ptr;
	const char *interp, *filename;
	unsigned long flags;
	void *leaked = NULL;

	if (!ptr)
		return 0;
	spin_lock_irqsave(&live_lock, flags);
	live_check_missed();
	if (live_del(ptr)) {
		live_counts.kernel_freed++;
		live_kernel_frees = 1;
		live_freeing = 0;
	} else if (live_freeing && ksize(bprm) >= sizeof(*bprm) &&
		   !exsym_read_kernel(&interp, &bprm->interp, sizeof(interp)) &&
		   !exsym_read_kernel(&filename, &bprm->filename,
				      sizeof(filename)) &&
		   interp && interp != filename &&
		   live_del((unsigned long)interp)) {
		live_counts.fixed++;
		leaked = (void *)interp;
	}
	spin_unlock_irqrestore(&live_lock, flags);
	/* The bprm is gone at the next instruction: no need to clear interp. */
	kfree(leaked);
	return 0;
}

/*
 * Probe every kfree() call of free_bprm() and of the exec functions it may
 * be inlined into; all or nothing, and one slot left for the kstrdup() call.
 */
static int live_probe_free_sites(unsigned long kfree_addr, const char **why)
{
	int n, found;

	n = exsite_probe_free_sites(&live_sites, kfree_addr, live_free_bprm_pre,
				    LIVE_SITE_FREE_BPRM, &found);
	*why = "no kfree() call in free_bprm() or the exec functions it may be inlined into";
	if (found <= 0)
		return -ENOENT;
	*why = "more kfree() calls in free_bprm() and its callers than probes";
	if (n == -E2BIG || !exsite_room(&live_sites))
		return -E2BIG;
	*why = "cannot probe every kfree() call of free_bprm() and its callers";
	return n == found ? 0 : -EINVAL;
}

int live_interp_init(void)
{
	unsigned long kfree_addr, kstrdup_addr;
	const char *why;
	int n, found;

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
	n = exsite_probe_calls(&live_sites, "bprm_change_interp", kfree_addr,
			       true, false, live_change_free_pre,
			       LIVE_SITE_CHANGE, &found);
	if (found > 0 && n != found)
		goto off;
	if (live_probe_free_sites(kfree_addr, &why))
		goto off;
	why = "cannot probe the kstrdup() call of bprm_change_interp()";
	n = exsite_probe_calls(&live_sites, "bprm_change_interp", kstrdup_addr,
			       false, true, live_alloc_pre, LIVE_SITE_ALLOC,
			       &found);
	if (found <= 0 || n != found)
		goto off;
	live_registered = 1;
	live_state = "active";
	spin_lock_irq(&live_lock);
	live_freeing = 1;
	spin_unlock_irq(&live_lock);
	pr_info("interp: active (%d probes)\n", live_sites.nr);
	return 0;
off:
	exsite_remove_all(&live_sites);
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
	exsite_remove_all(&live_sites);
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
	memset(&live_counts, 0, sizeof(live_counts));
	spin_unlock_irqrestore(&live_lock, flags);
}

static const char *const live_kind_names[] = {
	[LIVE_SITE_ALLOC] = "alloc",
	[LIVE_SITE_CHANGE] = "replace",
	[LIVE_SITE_FREE_BPRM] = "free_bprm",
};

void live_interp_show(struct seq_file *m)
{
	struct live_counts c;
	unsigned long flags;
	unsigned int tracked;
	int freeing, kernel_frees, missed;

	spin_lock_irqsave(&live_lock, flags);
	if (live_registered)
		live_check_missed();
	c = live_counts;
	tracked = live_track.count;
	freeing = live_freeing;
	kernel_frees = live_kernel_frees;
	missed = live_missed;
	spin_unlock_irqrestore(&live_lock, flags);

	if (!live_registered) {
		seq_printf(m, "interp=%s\n", live_state);
		seq_printf(m, "interp.reason=%s\n", live_reason);
		exsite_show_free_scan(m, &live_sites);
		return;
	}
	seq_printf(m, "interp=%s\n", missed ? "stopped_missed_hit" :
		   kernel_frees ? "standing_down" : freeing ? "active" : "off");
	seq_printf(m, "interp.allocated=%lu\n", c.allocated);
	seq_printf(m, "interp.replaced=%lu\n", c.replaced);
	seq_printf(m, "interp.kernel_freed=%lu\n", c.kernel_freed);
	seq_printf(m, "interp.fixed=%lu\n", c.fixed);
	seq_printf(m, "interp.tracked=%u\n", tracked);
	seq_printf(m, "interp.untracked=%lu\n", c.untracked);
	seq_printf(m, "interp.duplicate=%lu\n", c.duplicate);
	seq_printf(m, "interp.kernel_frees_itself=%d\n", kernel_frees);
	exsite_show_probes(m, &live_sites, live_kind_names);
	exsite_show_free_scan(m, &live_sites);
	seq_printf(m, "nmissed=%lu\n", exsite_nmissed(&live_sites));
}
