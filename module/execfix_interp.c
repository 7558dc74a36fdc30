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
 * inlined into (exsym_bprm_free_funcs: do_execve(), compat_do_execve(), ...;
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
#define EXECFIX_MAX_SITES	24

static DEFINE_SPINLOCK(execfix_lock);

/* All below under execfix_lock. */
static struct exptr_set execfix_track;
static unsigned long execfix_allocated, execfix_freed, execfix_untracked;
static char **execfix_injected;	/* vmalloc: outside the kmalloc caches */
static unsigned int execfix_injected_count;
static unsigned long execfix_inject_dropped;

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
		execfix_freed++;
	spin_unlock_irqrestore(&execfix_lock, flags);
}

/* At a "call kfree" (or tail "jmp kfree"): the pointer is argument 1. */
static int execfix_free_site_pre(struct kprobe *kp, struct pt_regs *regs)
{
	execfix_note_free(regs->di);
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

	call->bprm = (struct linux_binprm *)regs->si;
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
		execfix_inject_dropped++;
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
	execfix_allocated++;
	if (execfix_track_add(interp))
		execfix_untracked++;
	spin_unlock_irqrestore(&execfix_lock, flags);
	if (inject_leak)
		execfix_inject((const char *)interp);
}

/* Just after "call kstrdup": the new string is the return value. */
static int execfix_alloc_site_pre(struct kprobe *kp, struct pt_regs *regs)
{
	execfix_note_alloc(regs->ax);
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

/* Probes on call sites (or the kfree fallback), and their state. */
struct execfix_site_probe {
	struct kprobe kp;
	char where[KSYM_SYMBOL_LEN];
	int err;
};

static struct execfix_site_probe execfix_site_probes[EXECFIX_MAX_SITES];
static int execfix_nr_site_probes;	/* registered or failed, in use */
static int execfix_nr_site_tried;	/* after withdrawal: for the report */
static struct exsym_free_scan execfix_free_scan[EXSYM_NR_BPRM_FREE_FUNCS];
static const char *execfix_free_mode = "none";
static const char *execfix_alloc_mode = "none";
static bool execfix_change_rp_tried;
static int execfix_change_rp_err;
static int execfix_change_rp_registered;

/* Register a kprobe on addr, or on symbol when given; record the outcome. */
static int execfix_add_site_probe(unsigned long addr, const char *symbol,
				  kprobe_pre_handler_t handler)
{
	struct execfix_site_probe *fp;

	if (execfix_nr_site_probes >= EXECFIX_MAX_SITES)
		return -ENOSPC;
	fp = &execfix_site_probes[execfix_nr_site_probes++];
	memset(fp, 0, sizeof(*fp));
	fp->kp.pre_handler = handler;
	if (symbol)
		fp->kp.symbol_name = symbol;
	else
		fp->kp.addr = (kprobe_opcode_t *)addr;
	fp->err = register_kprobe(&fp->kp);
	if (symbol)
		snprintf(fp->where, sizeof(fp->where), "%s", symbol);
	else
		exsym_name(fp->where, addr);
	return fp->err;
}

/*
 * Probe every call to target inside the function func_name (exsym_find_calls):
 * at the call itself, where argument 1 is in %rdi, or (after) at the next
 * instruction, where the return value is in %rax. With tail_jumps, a tail
 * call counts too. Returns how many probes registered.
 */
static int execfix_probe_calls(const char *func_name, unsigned long target,
			       kprobe_pre_handler_t handler, bool after,
			       bool tail_jumps)
{
	unsigned long addrs[EXECFIX_MAX_SITES];
	int n, i, registered = 0;

	n = exsym_find_calls(func_name, target, tail_jumps, addrs,
			     ARRAY_SIZE(addrs));
	for (i = 0; i < n && i < (int)ARRAY_SIZE(addrs); i++)
		if (execfix_add_site_probe(addrs[i] + (after ? 5 : 0), NULL,
					   handler) == 0)
			registered++;
	return registered;
}

static void execfix_unregister_site_probes(void)
{
	struct kprobe *kps[EXECFIX_MAX_SITES];
	int i, n = 0;

	for (i = 0; i < execfix_nr_site_probes; i++)
		if (!execfix_site_probes[i].err)
			kps[n++] = &execfix_site_probes[i].kp;
	/* One synchronisation for all of them: cheap repeated load/unload. */
	if (n)
		unregister_kprobes(kps, n);
	execfix_nr_site_tried = execfix_nr_site_probes;
	execfix_nr_site_probes = 0;
}

/*
 * Probe every kfree() call of free_bprm() and of the exec functions it may
 * be inlined into; the scan's findings stay for the report. Returns how
 * many probes registered.
 */
static int execfix_probe_free_sites(unsigned long kfree_addr)
{
	unsigned long addrs[EXECFIX_MAX_SITES];
	int n, i, registered = 0;

	n = exsym_scan_free_sites(kfree_addr, execfix_free_scan, addrs,
				  ARRAY_SIZE(addrs));
	if (kfree_probe)
		return 0;
	for (i = 0; i < n && i < (int)ARRAY_SIZE(addrs); i++)
		if (execfix_add_site_probe(addrs[i], NULL,
					   execfix_free_site_pre) == 0)
			registered++;
	return registered;
}

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
	/* The freeing side first: nothing tracked can be freed unseen. */
	if (execfix_probe_free_sites(kfree_addr)) {
		execfix_probe_calls(interp_symbol, kfree_addr,
				    execfix_free_site_pre, false, true);
		execfix_free_mode = "callsite";
	} else if (execfix_add_site_probe(0, "kfree",
					  execfix_free_site_pre) == 0) {
		execfix_free_mode = "kfree";
	} else {
		/* Counting only allocations would invent a leak. */
		execfix_unsupported_err = -ENOENT;
		execfix_unsupported_reason = "no probe on the freeing side";
		execfix_unregister_site_probes();
		return;
	}

	kstrdup_addr = exsym_lookup("kstrdup");
	if (kstrdup_addr &&
	    execfix_probe_calls(interp_symbol, kstrdup_addr,
				execfix_alloc_site_pre, true, false)) {
		execfix_alloc_mode = "callsite";
		execfix_supported = 1;
		return;
	}

	execfix_change_rp_tried = true;
	execfix_change_rp_err = register_kretprobe(&execfix_change_rp);
	if (execfix_change_rp_err) {
		execfix_unsupported_err = execfix_change_rp_err;
		execfix_unsupported_reason = "register_kretprobe failed";
		execfix_unregister_site_probes();
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
	execfix_allocated = 0;
	execfix_freed = 0;
	execfix_untracked = 0;
	execfix_inject_dropped = 0;
	spin_unlock_irqrestore(&execfix_lock, flags);
}

int execfix_interp_show(struct seq_file *m, void *v)
{
	unsigned long allocated, freed, untracked, dropped, flags;
	unsigned long nmissed, total_missed = 0;
	unsigned int tracked, injected;
	int i;

	if (!execfix_supported) {
		seq_puts(m, "interp_accounting=unsupported\n");
		seq_printf(m, "reason=%s (%d)\n", execfix_unsupported_reason,
			   execfix_unsupported_err);
		if (execfix_change_rp_tried)
			seq_printf(m, "probe.%s=error:%d\n", interp_symbol,
				   execfix_change_rp_err);
		/* What was tried on the freeing side, and how it failed. */
		for (i = 0; i < execfix_nr_site_tried; i++) {
			struct execfix_site_probe *fp = &execfix_site_probes[i];

			if (fp->err)
				seq_printf(m, "probe.%s=error:%d\n", fp->where,
					   fp->err);
			else
				seq_printf(m, "probe.%s=withdrawn\n",
					   fp->where);
		}
		seq_printf(m, "inject_leak=%d\n", inject_leak ? 1 : 0);
		seq_puts(m, "injected=0\n");
		return 0;
	}

	spin_lock_irqsave(&execfix_lock, flags);
	allocated = execfix_allocated;
	freed = execfix_freed;
	untracked = execfix_untracked;
	tracked = execfix_track.count;
	injected = execfix_injected_count;
	dropped = execfix_inject_dropped;
	spin_unlock_irqrestore(&execfix_lock, flags);

	seq_puts(m, "interp_accounting=supported\n");
	seq_printf(m, "allocated=%lu\n", allocated);
	seq_printf(m, "freed=%lu\n", freed);
	seq_printf(m, "outstanding=%lu\n", allocated - freed);
	seq_printf(m, "inject_leak=%d\n", inject_leak ? 1 : 0);
	seq_printf(m, "injected=%u\n", injected);
	seq_printf(m, "inject_dropped=%lu\n", dropped);
	seq_printf(m, "tracked=%u\n", tracked);
	seq_printf(m, "untracked=%lu\n", untracked);
	seq_printf(m, "alloc_probe=%s\n", execfix_alloc_mode);
	seq_printf(m, "free_probe=%s\n", execfix_free_mode);
	exsym_show_free_scan(m, execfix_free_scan);
	if (execfix_change_rp_registered) {
		nmissed = execfix_change_rp.nmissed +
			  execfix_change_rp.kp.nmissed;
		total_missed += nmissed;
		seq_printf(m, "probe.%s=ok\n", interp_symbol);
		seq_printf(m, "probe.%s.nmissed=%lu\n", interp_symbol,
			   nmissed);
	}
	for (i = 0; i < execfix_nr_site_probes; i++) {
		struct execfix_site_probe *fp = &execfix_site_probes[i];

		if (fp->err) {
			seq_printf(m, "probe.%s=error:%d\n", fp->where,
				   fp->err);
			continue;
		}
		nmissed = fp->kp.nmissed;
		total_missed += nmissed;
		seq_printf(m, "probe.%s=ok\n", fp->where);
		seq_printf(m, "probe.%s.nmissed=%lu\n", fp->where, nmissed);
	}
	seq_printf(m, "nmissed=%lu\n", total_missed);
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
	execfix_unregister_site_probes();
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
