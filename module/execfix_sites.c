// SPDX-License-Identifier: GPL-2.0
/*
 * Kprobes on call instructions, shared by execfix.ko and execfix_live.ko
 * (execfix_sites.h): where the calls are, one probe on each, and their
 * removal in one batch.
 */
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include "execfix_compat.h"
#include "execfix_sites.h"

/*
 * Addresses of the calls (e8 rel32) to target inside the function func
 * (and, with tail_jumps, of jumps e9 rel32 to it), at most max of them;
 * an instruction that another kprobe replaced by int3 counts by its rel32.
 * Returns how many were found, or -ENOENT when func is unknown.
 */
static int exsite_find_calls(const char *func, unsigned long target,
			     bool tail_jumps, unsigned long *addrs, int max)
{
	unsigned long start, offset, size, a, dest;
	int found = 0;
	u8 insn[EXSITE_CALL_LEN];

	start = exsym_lookup(func);
	if (!start || exsym_extent(start, &offset, &size) || offset)
		return -ENOENT;
	for (a = start; a + sizeof(insn) <= start + size; a++) {
		if (exsym_read_kernel(insn, (const void *)a, sizeof(insn)))
			break;
		/*
		 * 0xcc: an int3 another kprobe (e.g. execfix.ko's) put on the
		 * instruction; the rel32 after it is still the original's.
		 */
		if (insn[0] != 0xe8 && insn[0] != 0xcc &&
		    !(tail_jumps && insn[0] == 0xe9))
			continue;
		dest = a + sizeof(insn) + (s32)get_unaligned_le32(insn + 1);
		if (dest != target)
			continue;
		if (found < max)
			addrs[found] = a;
		found++;
	}
	return found;
}

/*
 * Where the exec paths free a bprm and its interp: free_bprm() and the
 * functions it may be inlined into. With -O2 (no CC_OPTIMIZE_FOR_SIZE), as
 * in vendor configurations, gcc inlines free_bprm() into do_execve() and
 * keeps the out-of-line copy for compat_do_execve() only: the kfree() calls
 * that a 64-bit exec runs are then in do_execve(). A name the kernel does
 * not have is skipped.
 */
const char *const exsite_bprm_free_funcs[EXSITE_NR_BPRM_FREE_FUNCS] = {
	"free_bprm",		/* out of line: 2.6.32 (exported), 6.1 */
	"do_execve",		/* 2.6.32 */
	"do_execve_common",	/* 3.x */
	"compat_do_execve",	/* 2.6.32 fs/compat.c */
	"do_execveat_common",	/* 4.x to 6.x */
	"kernel_execve",	/* 5.9 and later */
	"alloc_bprm",		/* its error path (5.9 and later) */
};

int exsite_room(const struct exsite_set *set)
{
	return EXSITE_MAX - set->nr;
}

int exsite_add(struct exsite_set *set, unsigned long addr, const char *symbol,
	       kprobe_pre_handler_t handler, int kind)
{
	struct exsite *s;

	if (!exsite_room(set))
		return -ENOSPC;
	s = &set->site[set->nr];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->kp.pre_handler = handler;
	if (symbol) {
		s->kp.symbol_name = symbol;
		snprintf(s->where, sizeof(s->where), "%s", symbol);
	} else {
		s->kp.addr = (kprobe_opcode_t *)addr;
		exsym_name(s->where, addr);
	}
	s->err = register_kprobe(&s->kp);
	/* Counted once complete: handlers of other probes read the set. */
	set->nr++;
	/*
	 * Linked into both modules, this file has no KBUILD_MODNAME on
	 * 2.6.32 (kbuild defines it only for an object of one module).
	 */
	if (s->err)
		pr_err("%s: cannot probe %s (%d)\n", THIS_MODULE->name,
		       s->where, s->err);
	return s->err;
}

/* Probe addrs[0..n), each moved by skip bytes; how many registered. */
static int exsite_add_all(struct exsite_set *set, const unsigned long *addrs,
			  int n, int skip, kprobe_pre_handler_t handler,
			  int kind)
{
	int i, registered = 0;

	/* Some but not all: a report would claim coverage it lacks. */
	if (n > exsite_room(set))
		return -E2BIG;
	for (i = 0; i < n; i++)
		if (exsite_add(set, addrs[i] + skip, NULL, handler, kind) == 0)
			registered++;
	return registered;
}

int exsite_probe_calls(struct exsite_set *set, const char *func,
		       unsigned long target, bool tail_jumps, bool after,
		       kprobe_pre_handler_t handler, int kind, int *found)
{
	unsigned long addrs[EXSITE_MAX];
	int n;

	n = exsite_find_calls(func, target, tail_jumps, addrs,
			      ARRAY_SIZE(addrs));
	if (found)
		*found = n;
	if (n <= 0)
		return 0;
	return exsite_add_all(set, addrs, n, after ? EXSITE_CALL_LEN : 0,
			      handler, kind);
}

int exsite_probe_free_sites(struct exsite_set *set, unsigned long kfree_addr,
			    kprobe_pre_handler_t handler, int kind, int *found)
{
	unsigned long addrs[EXSITE_MAX];
	unsigned long free_bprm = exsym_lookup("free_bprm");
	struct exsite_free_scan *scan = set->scan;
	int i, n, kept, total = 0;

	for (i = 0; i < EXSITE_NR_BPRM_FREE_FUNCS; i++) {
		const char *func = exsite_bprm_free_funcs[i];

		/* Past EXSITE_MAX only counted: exsite_add_all() refuses. */
		kept = min_t(int, total, ARRAY_SIZE(addrs));
		n = exsite_find_calls(func, kfree_addr, true, addrs + kept,
				      ARRAY_SIZE(addrs) - kept);
		scan[i].kfree_sites = n;
		scan[i].free_bprm_calls = 0;
		if (n < 0)
			continue;
		if (free_bprm && i > 0)
			scan[i].free_bprm_calls =
				max(0, exsite_find_calls(func, free_bprm, true,
							 NULL, 0));
		total += n;
	}
	set->scanned = true;
	if (found)
		*found = total;
	if (!handler || !total)
		return 0;
	return exsite_add_all(set, addrs, total, 0, handler, kind);
}

void exsite_remove_all(struct exsite_set *set)
{
	struct kprobe *kps[EXSITE_MAX];
	int i, n = 0;

	for (i = 0; i < set->nr; i++)
		if (!set->site[i].err)
			kps[n++] = &set->site[i].kp;
	/* One synchronisation for all of them: cheap repeated load/unload. */
	if (n)
		unregister_kprobes(kps, n);
	set->nr_tried = set->nr;
	set->nr = 0;
}

unsigned long exsite_nmissed(const struct exsite_set *set)
{
	unsigned long nmissed = 0;
	int i;

	for (i = 0; i < set->nr; i++)
		nmissed += set->site[i].kp.nmissed;
	return nmissed;
}

void exsite_show_probes(struct seq_file *m, const struct exsite_set *set,
			const char *const *kind_names)
{
	const struct exsite *s;
	int i;

	/* After exsite_remove_all(): what was tried, and how it failed. */
	for (i = 0; !set->nr && i < set->nr_tried; i++) {
		s = &set->site[i];
		if (s->err)
			seq_printf(m, "probe.%s=error:%d\n", s->where, s->err);
		else
			seq_printf(m, "probe.%s=withdrawn\n", s->where);
	}
	for (i = 0; i < set->nr; i++) {
		s = &set->site[i];
		if (s->err) {
			seq_printf(m, "probe.%s=error:%d\n", s->where, s->err);
		} else if (kind_names) {
			seq_printf(m, "probe.%s=%s\n", s->where,
				   kind_names[s->kind]);
		} else {
			seq_printf(m, "probe.%s=ok\n", s->where);
			seq_printf(m, "probe.%s.nmissed=%lu\n", s->where,
				   s->kp.nmissed);
		}
	}
}

void exsite_show_free_scan(struct seq_file *m, const struct exsite_set *set)
{
	const struct exsite_free_scan *scan = set->scan;
	int i;

	if (!set->scanned)
		return;
	for (i = 0; i < EXSITE_NR_BPRM_FREE_FUNCS; i++) {
		const char *func = exsite_bprm_free_funcs[i];

		if (scan[i].kfree_sites < 0) {
			seq_printf(m, "free_sites.%s=absent\n", func);
			continue;
		}
		seq_printf(m, "free_sites.%s=%d\n", func, scan[i].kfree_sites);
		if (i > 0)
			seq_printf(m, "free_sites.%s.free_bprm_calls=%d\n",
				   func, scan[i].free_bprm_calls);
	}
}
