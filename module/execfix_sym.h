/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel symbol and code helpers shared by the el6-execfix modules:
 * kallsyms lookups of unexported symbols, safe reads of kernel memory, and
 * kprobes on the call instructions of one function.
 */
#ifndef EXECFIX_SYM_H
#define EXECFIX_SYM_H

/* linux/module.h: MODULE_NAME_LEN, which KSYM_SYMBOL_LEN needs on 2.6.32 */
#include <linux/module.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include "execfix_features.h"

/* Find kallsyms_lookup_name() (not exported); call once at init. */
void exsym_init(void);

/* Address of a kernel symbol (data needs KALLSYMS_ALL); 0 if unknown. */
unsigned long exsym_lookup(const char *name);

/* Offset of addr in its symbol and the symbol's size; 0 or -ENOENT. */
int exsym_extent(unsigned long addr, unsigned long *offset,
		 unsigned long *size);

/* "name" when addr is a symbol's start, "name+0xoff" otherwise. */
void exsym_name(char *buf, unsigned long addr);

/* Copy kernel memory without faulting; 0 or -EFAULT. */
long exsym_read_kernel(void *dst, const void *src, size_t len);

/*
 * Addresses of the calls (e8 rel32) to target inside the function func
 * (and, with tail_jumps, of jumps e9 rel32 to it), at most max of them;
 * an instruction that another kprobe replaced by int3 counts by its rel32.
 * Returns how many were found, or -ENOENT when func is unknown.
 */
int exsym_find_calls(const char *func, unsigned long target, bool tail_jumps,
		     unsigned long *addrs, int max);

/*
 * free_bprm() and the exec functions it may be inlined into: every call or
 * tail jump to kfree() in them is a place where the kernel may free a bprm
 * or its interp (exsym_scan_free_sites()).
 */
#define EXSYM_NR_BPRM_FREE_FUNCS	7
extern const char *const exsym_bprm_free_funcs[EXSYM_NR_BPRM_FREE_FUNCS];

/* What the scan found in one of exsym_bprm_free_funcs. */
struct exsym_free_scan {
	int kfree_sites;	/* calls and tail jumps to kfree; -ENOENT: no such function */
	int free_bprm_calls;	/* calls of the out-of-line free_bprm() */
};

/*
 * Scan every function of exsym_bprm_free_funcs for calls and tail jumps to
 * kfree_addr: per function in scan[EXSYM_NR_BPRM_FREE_FUNCS], the addresses
 * in addrs (at most nr_addrs, in function order; addrs may be NULL with
 * nr_addrs 0).
 * Returns the total number of sites found (may exceed max).
 */
int exsym_scan_free_sites(unsigned long kfree_addr,
			  struct exsym_free_scan *scan,
			  unsigned long *addrs, int nr_addrs);

struct seq_file;

/*
 * The scan as /proc lines: per function "free_sites.FUNC=N" (or "=absent"),
 * and for the callers of free_bprm() "free_sites.FUNC.free_bprm_calls=N"
 * (0 with kfree sites: free_bprm() is inlined there).
 */
void exsym_show_free_scan(struct seq_file *m,
			  const struct exsym_free_scan *scan);

#endif
