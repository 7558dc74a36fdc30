// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/execfix/interp: exact accounting of the interpreter strings that
 * bprm_change_interp() allocates (kstrdup) and free_bprm() or a later
 * bprm_change_interp() frees.
 *
 * Allocation side: a kprobe on the instruction just after the "call kstrdup"
 * inside bprm_change_interp(), where the return value is the new
 * bprm->interp; it is remembered in a small table of live pointers. A
 * kretprobe on the function is only the fallback where no such call is
 * found: a probe on a single instruction inside the function does not touch
 * its entry, which ftrace owns on current kernels.
 * Freeing side: kprobes on the kfree() call instructions inside
 * bprm_change_interp(), free_bprm() and the exec functions free_bprm() may be
 * inlined into (exsite_bprm_free_funcs: do_execve(), compat_do_execve(), ...;
 * with a vendor configuration gcc inlines free_bprm() into do_execve() and
 * the out-of-line copy only serves compat_do_execve()), found by scanning
 * their bytes for a call or jump whose target is kfree (register_kprobe()
 * refuses anything that is not an instruction boundary). Only those
 * functions pay for the probes; a kfree() there of anything the table does
 * not hold costs a lookup. When none of them has a kfree() call, a kprobe on
 * kfree() itself is the fallback; it filters on the table too, but taxes
 * every kfree(). What the scan found, per function, is in the report.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/kprobes.h>
#include <linux/binfmts.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "execfix.h"
#include "execfix_ptrset.h"
#include "execfix_sites.h"
#include "execfix_wait.h"

static bool inject_leak;
module_param(inject_leak, bool, 0644);
MODULE_PARM_DESC(inject_leak,
		 "keep a same-size copy of every interpreter string until unload (fake leak, for testing the tests)");

/*
 * Fault injection for the tests: a name that does not exist makes the
 * kretprobe fail, which must be reported while the module still loads.
 */
static char *interp_symbol = "bprm_change_interp";
module_param(interp_symbol, charp, 0444);
MODULE_PARM_DESC(interp_symbol,
		 "function to account (default bprm_change_interp; for tests)");

static bool kfree_probe;
module_param(kfree_probe, bool, 0444);
MODULE_PARM_DESC(kfree_probe,
		 "probe kfree() itself instead of its call sites (costlier; for comparison)");

/*
 * Fault injection for the tests: count no free, as on a kernel whose free
 * site the module cannot find.
 */
static bool drop_frees;
module_param(drop_frees, bool, 0644);
MODULE_PARM_DESC(drop_frees,
		 "count no free of an interpreter string (fault injection: accounting that misses frees, for tests)");

#define EXECFIX_INJECT_MAX	65536

static DEFINE_SPINLOCK(execfix_lock);

/* All below under execfix_lock. */
static struct exptr_set execfix_track;
static struct execfix_counts {
	unsigned long allocated, freed, untracked, inject_dropped;
} execfix_counts;
static char **execfix_injected;	/* vmalloc: outside the kmalloc caches */
static unsigned int execfix_injected_count;

/* Lock-free peek for the kfree() fallback, which runs on every kfree. */
static atomic_t execfix_live = ATOMIC_INIT(0);

static int execfix_supported;
static int execfix_unsupported_err;
static const char *execfix_unsupported_reason = "not initialised";

/* Caller holds execfix_lock. Returns 0, or -ENOSPC when the table is full. */
static int execfix_track_add(unsigned long ptr)
{
	int err = exptr_add(&execfix_track, ptr);

	atomic_set(&execfix_live, execfix_track.count);
	return err;
}

/* Caller holds execfix_lock. Returns 1 when ptr was tracked (no longer is). */
static int execfix_track_del(unsigned long ptr)
{
	int was = exptr_del(&execfix_track, ptr);

	atomic_set(&execfix_live, execfix_track.count);
	return was;
}

static void execfix_note_free(unsigned long ptr)
{
	unsigned long flags;

	if (!ptr || drop_frees || !atomic_read(&execfix_live))
		return;
	spin_lock_irqsave(&execfix_lock, flags);
	if (execfix_track_del(ptr))
		execfix_counts.freed++;
	spin_unlock_irqrestore(&execfix_lock, flags);
}

/* At a "call kfree" (or tail "jmp kfree"): the pointer is argument 1. */
static int execfix_free_site_pre(struct kprobe *kp, struct pt_regs *regs)
{
	execfix_note_free(EXSITE_ARG1(regs));
	return 0;
}

struct execfix_change_call {
	struct linux_binprm *bprm;
};

/*
 * Calls of bprm_change_interp() between our entry and return handlers.
 * Unload drains them before unregistering: an instance still pending when
 * unregister_kretprobe() returns would come back through the kernel's return
 * trampoline with a pointer to our (by then freed) struct kretprobe.
 */
static atomic_t execfix_change_inflight = ATOMIC_INIT(0);

/* int bprm_change_interp(const char *interp, struct linux_binprm *bprm) */
static int execfix_change_entry(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	struct execfix_change_call *call = (void *)ri->data;

	call->bprm = (struct linux_binprm *)EXSITE_ARG2(regs);
	atomic_inc(&execfix_change_inflight);
	return 0;
}

static void execfix_inject(const char *interp)
{
	size_t len = strlen(interp) + 1;
	unsigned long flags;
	char *copy;

	/* Same size as kstrdup's: the same kmalloc cache as the real string. */
	copy = kmalloc(len, GFP_ATOMIC);
	if (copy)
		memcpy(copy, interp, len);
	spin_lock_irqsave(&execfix_lock, flags);
	if (copy && execfix_injected &&
	    execfix_injected_count < EXECFIX_INJECT_MAX) {
		execfix_injected[execfix_injected_count++] = copy;
		copy = NULL;
	} else {
		execfix_counts.inject_dropped++;
	}
	spin_unlock_irqrestore(&execfix_lock, flags);
	kfree(copy);
}

/* A new interpreter string (0: kstrdup failed, nothing allocated). */
static void execfix_note_alloc(unsigned long interp)
{
	unsigned long flags;

	if (!interp)
		return;
	spin_lock_irqsave(&execfix_lock, flags);
	execfix_counts.allocated++;
	if (execfix_track_add(interp))
		execfix_counts.untracked++;
	spin_unlock_irqrestore(&execfix_lock, flags);
	if (inject_leak)
		execfix_inject((const char *)interp);
}

/* Just after "call kstrdup": the new string is the return value. */
static int execfix_alloc_site_pre(struct kprobe *kp, struct pt_regs *regs)
{
	execfix_note_alloc(EXSITE_RET(regs));
	return 0;
}

static int execfix_change_ret(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	struct execfix_change_call *call = (void *)ri->data;

	if (regs_return_value(regs) == 0)
		execfix_note_alloc((unsigned long)call->bprm->interp);
	atomic_dec(&execfix_change_inflight);
	return 0;
}

static struct kretprobe execfix_change_rp = {
	.entry_handler	= execfix_change_entry,
	.handler	= execfix_change_ret,
	.data_size	= sizeof(struct execfix_change_call),
	.maxactive	= 64,
};

/* Probes on call sites (or the kfree fallback). */
static struct exsite_set execfix_sites;
static const char *execfix_free_mode = "none";
static const char *execfix_alloc_mode = "none";
static bool execfix_change_rp_tried;
static int execfix_change_rp_err;
static int execfix_change_rp_registered;

void execfix_interp_init(void)
{
	unsigned long kfree_addr, kstrdup_addr;

	execfix_change_rp.kp.symbol_name = interp_symbol;
	if (!exsym_lookup(interp_symbol)) {
		execfix_unsupported_err = -ENOENT;
		execfix_unsupported_reason = "no such function in this kernel";
		return;
	}
	execfix_injected = vmalloc(EXECFIX_INJECT_MAX * sizeof(char *));

	kfree_addr = exsym_lookup("kfree");
	if (!kfree_addr)
		kfree_addr = (unsigned long)kfree;
	/*
	 * The freeing side first: nothing tracked can be freed unseen. The
	 * scan's findings stay for the report, with kfree_probe too.
	 */
	if (exsite_probe_free_sites(&execfix_sites, kfree_addr,
				    kfree_probe ? NULL : execfix_free_site_pre,
				    0, NULL) > 0) {
		exsite_probe_calls(&execfix_sites, interp_symbol, kfree_addr,
				   true, false, execfix_free_site_pre, 0, NULL);
		execfix_free_mode = "callsite";
	} else if (exsite_add(&execfix_sites, 0, "kfree",
			      execfix_free_site_pre, 0) == 0) {
		execfix_free_mode = "kfree";
	} else {
		/* Counting only allocations would invent a leak. */
		execfix_unsupported_err = -ENOENT;
		execfix_unsupported_reason = "no probe on the freeing side";
		exsite_remove_all(&execfix_sites);
		return;
	}

	kstrdup_addr = exsym_lookup("kstrdup");
	if (kstrdup_addr &&
	    exsite_probe_calls(&execfix_sites, interp_symbol, kstrdup_addr,
			       false, true, execfix_alloc_site_pre, 0,
			       NULL) > 0) {
		execfix_alloc_mode = "callsite";
		execfix_supported = 1;
		return;
	}

	execfix_change_rp_tried = true;
	execfix_change_rp_err = register_kretprobe(&execfix_change_rp);
	if (execfix_change_rp_err) {
		execfix_unsupported_err = execfix_change_rp_err;
		execfix_unsupported_reason = "register_kretprobe failed";
		exsite_remove_all(&execfix_sites);
		return;
	}
	execfix_change_rp_registered = 1;
	execfix_alloc_mode = "kretprobe";
	execfix_supported = 1;
}

void execfix_interp_reset(void)
{
	unsigned long flags;

	spin_lock_irqsave(&execfix_lock, flags);
	exptr_clear(&execfix_track);
	atomic_set(&execfix_live, 0);
	memset(&execfix_counts, 0, sizeof(execfix_counts));
	spin_unlock_irqrestore(&execfix_lock, flags);
}

int execfix_interp_show(struct seq_file *m, void *v)
{
	struct execfix_counts c;
	unsigned long nmissed, flags;
	unsigned int tracked, injected;

	if (!execfix_supported) {
		seq_puts(m, "interp_accounting=unsupported\n");
		seq_printf(m, "reason=%s (%d)\n", execfix_unsupported_reason,
			   execfix_unsupported_err);
		if (execfix_change_rp_tried)
			seq_printf(m, "probe.%s=error:%d\n", interp_symbol,
				   execfix_change_rp_err);
		/* What was tried on the freeing side, and how it failed. */
		exsite_show_probes(m, &execfix_sites, NULL);
		seq_printf(m, "inject_leak=%d\n", inject_leak ? 1 : 0);
		seq_puts(m, "injected=0\n");
		return 0;
	}

	spin_lock_irqsave(&execfix_lock, flags);
	c = execfix_counts;
	tracked = execfix_track.count;
	injected = execfix_injected_count;
	spin_unlock_irqrestore(&execfix_lock, flags);

	seq_puts(m, "interp_accounting=supported\n");
	seq_printf(m, "allocated=%lu\n", c.allocated);
	seq_printf(m, "freed=%lu\n", c.freed);
	seq_printf(m, "outstanding=%lu\n", c.allocated - c.freed);
	seq_printf(m, "inject_leak=%d\n", inject_leak ? 1 : 0);
	seq_printf(m, "injected=%u\n", injected);
	seq_printf(m, "inject_dropped=%lu\n", c.inject_dropped);
	seq_printf(m, "tracked=%u\n", tracked);
	seq_printf(m, "untracked=%lu\n", c.untracked);
	seq_printf(m, "alloc_probe=%s\n", execfix_alloc_mode);
	seq_printf(m, "free_probe=%s\n", execfix_free_mode);
	exsite_show_free_scan(m, &execfix_sites);
	nmissed = exsite_nmissed(&execfix_sites);
	if (execfix_change_rp_registered) {
		unsigned long rp_missed = execfix_change_rp.nmissed +
					  execfix_change_rp.kp.nmissed;

		nmissed += rp_missed;
		seq_printf(m, "probe.%s=ok\n", interp_symbol);
		seq_printf(m, "probe.%s.nmissed=%lu\n", interp_symbol,
			   rp_missed);
	}
	exsite_show_probes(m, &execfix_sites, NULL);
	seq_printf(m, "nmissed=%lu\n", nmissed);
	return 0;
}

/*
 * Stop new calls from being probed, then wait (bounded: a call can sleep in
 * kstrdup, but not for long) until every probed call has returned through
 * our return handler, which disabling does not stop.
 */
static void execfix_drain_change_calls(void)
{
	int left;

	disable_kretprobe(&execfix_change_rp);
	left = execfix_wait_for_zero(&execfix_change_inflight, 10000);
	if (left)
		pr_warn("%d bprm_change_interp() calls still pending at unload\n",
			left);
}

void execfix_interp_exit(void)
{
	unsigned int i;

	if (execfix_change_rp_registered) {
		execfix_drain_change_calls();
		unregister_kretprobe(&execfix_change_rp);
	}
	execfix_change_rp_registered = 0;
	exsite_remove_all(&execfix_sites);
	execfix_supported = 0;

	/* No handler runs any more: the copies can go. */
	if (execfix_injected) {
		for (i = 0; i < execfix_injected_count; i++)
			kfree(execfix_injected[i]);
		vfree(execfix_injected);
	}
	execfix_injected = NULL;
	execfix_injected_count = 0;
}
