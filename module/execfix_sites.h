/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kprobes both modules put on single call instructions inside exec
 * functions: finding the calls (by scanning a function's bytes, among them
 * every kfree() call of free_bprm() wherever gcc inlined it), registering a
 * probe on each, removing them all in one batch, and summing their missed
 * hits. Each module keeps only its handlers and its counters.
 */
#ifndef EXECFIX_SITES_H
#define EXECFIX_SITES_H

#include <linux/kprobes.h>
#include <linux/seq_file.h>
#include "execfix_sym.h"

/* More sites than any known kernel has; the stack arrays use it too. */
#define EXSITE_MAX		24

/*
 * Length of "call rel32" (e8 + 4 bytes), the only call form scanned for:
 * the instruction after a call starts this far on, on i386 as on x86_64.
 */
#define EXSITE_CALL_LEN		5

/*
 * Registers at a probe: arguments 1 and 2 at a call instruction or at a
 * function's entry, and the return value just after a call. i386 kernels
 * are always built with -mregparm=3 (arguments in eax, edx, ecx).
 */
#if defined(CONFIG_X86_64)
#define EXSITE_ARG1(regs)	((regs)->di)
#define EXSITE_ARG2(regs)	((regs)->si)
#elif defined(CONFIG_X86_32)
#define EXSITE_ARG1(regs)	((regs)->ax)
#define EXSITE_ARG2(regs)	((regs)->dx)
#else
#error "execfix: call sites are x86 instructions (x86_64 or i386)"
#endif
#define EXSITE_RET(regs)	((regs)->ax)

struct exsite {
	struct kprobe kp;
	int kind;		/* the caller's name for the probe's role */
	int err;		/* register_kprobe()'s result */
	char where[KSYM_SYMBOL_LEN];	/* "symbol+0xoff" */
};

/*
 * free_bprm() and the exec functions it may be inlined into: every call or
 * tail jump to kfree() in them is a place where the kernel may free a bprm
 * or its interp.
 */
#define EXSITE_NR_BPRM_FREE_FUNCS	7
extern const char *const exsite_bprm_free_funcs[EXSITE_NR_BPRM_FREE_FUNCS];

/* What the scan found in one of exsite_bprm_free_funcs. */
struct exsite_free_scan {
	int kfree_sites;	/* calls and tail jumps to kfree; -ENOENT: no such function */
	int free_bprm_calls;	/* calls of the out-of-line free_bprm() */
};

/* One module's probes. Not locked: init, exit and /proc readers only. */
struct exsite_set {
	struct exsite site[EXSITE_MAX];
	int nr;			/* slots in use: registered or failed */
	int nr_tried;		/* slots in use before exsite_remove_all() */
	bool scanned;		/* scan[] holds exsite_probe_free_sites()'s findings */
	struct exsite_free_scan scan[EXSITE_NR_BPRM_FREE_FUNCS];
};

/*
 * Register a kprobe with handler at addr, or at the entry of symbol when
 * symbol is not NULL. A failure keeps its slot (err), so that reports can
 * name it. Returns register_kprobe()'s result, or -ENOSPC when full.
 */
int exsite_add(struct exsite_set *set, unsigned long addr, const char *symbol,
	       kprobe_pre_handler_t handler, int kind);

/*
 * Probe every call (e8 rel32; with tail_jumps also every jmp e9 rel32) to
 * target inside func: at the call, where the argument registers hold its
 * arguments, or with after at the next instruction, where EXSITE_RET() is
 * its result. *found (may be NULL): calls found, or -ENOENT when func does
 * not exist. Returns how many probes registered, or -E2BIG (none
 * registered) when more calls were found than the set has free slots.
 */
int exsite_probe_calls(struct exsite_set *set, const char *func,
		       unsigned long target, bool tail_jumps, bool after,
		       kprobe_pre_handler_t handler, int kind, int *found);

/*
 * Scan every function of exsite_bprm_free_funcs for calls and tail jumps to
 * kfree_addr (kept in set->scan for the report) and, unless handler is
 * NULL, probe each at the call. *found and the return value as
 * exsite_probe_calls(), over all the functions.
 */
int exsite_probe_free_sites(struct exsite_set *set, unsigned long kfree_addr,
			    kprobe_pre_handler_t handler, int kind, int *found);

/* Slots still free. */
int exsite_room(const struct exsite_set *set);

/*
 * Unregister every registered probe at once (one synchronisation: when it
 * returns no handler runs any more). The slots stay readable as the probes
 * that were tried (nr_tried) until the next exsite_add().
 */
void exsite_remove_all(struct exsite_set *set);

/* Missed hits (another kprobe was running on that CPU) of all probes. */
unsigned long exsite_nmissed(const struct exsite_set *set);

/*
 * One line per probe: "probe.WHERE=error:ERRNO" for a failed one, else
 * "probe.WHERE=KIND" with kind_names, or without them "probe.WHERE=ok" and
 * "probe.WHERE.nmissed=N". After exsite_remove_all(): the probes tried,
 * "error:ERRNO" or "withdrawn".
 */
void exsite_show_probes(struct seq_file *m, const struct exsite_set *set,
			const char *const *kind_names);

/*
 * The scan as /proc lines, once scanned: per function "free_sites.FUNC=N"
 * (or "=absent"), and for the callers of free_bprm()
 * "free_sites.FUNC.free_bprm_calls=N" (0 with kfree sites: free_bprm() is
 * inlined there).
 */
void exsite_show_free_scan(struct seq_file *m, const struct exsite_set *set);

#endif
