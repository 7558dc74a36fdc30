/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel symbol helpers shared by the el6-execfix modules: kallsyms
 * lookups of unexported symbols and safe reads of kernel memory (the call
 * sites found with them: execfix_sites.h).
 */
#ifndef EXECFIX_SYM_H
#define EXECFIX_SYM_H

/* linux/module.h: MODULE_NAME_LEN, which KSYM_SYMBOL_LEN needs on 2.6.32 */
#include <linux/module.h>
#include <linux/kallsyms.h>
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

#endif
