/* SPDX-License-Identifier: GPL-2.0 */
/*
 * execfix.ko: shared declarations.
 */
#ifndef EXECFIX_H
#define EXECFIX_H

/* linux/module.h: MODULE_NAME_LEN, which KSYM_SYMBOL_LEN needs on 2.6.32 */
#include <linux/module.h>
#include <linux/kallsyms.h>
#include <linux/seq_file.h>
#include "execfix_compat.h"
#include "execfix_sym.h"

/*
 * x86 instructions and registers (execfix_sites.h), and the native syscall
 * table of x86_64 or i386 (and x86_64's ia32 one, where it exists).
 */
#ifndef CONFIG_X86
#error "execfix.ko reads x86 instructions, registers and syscall tables: x86 only"
#endif

#define EXECFIX_DIR	"execfix"

/* Each part: init (never fatal to the module), show, exit. */
void execfix_layout_init(void);
int execfix_layout_show(struct seq_file *m, void *v);

void execfix_interp_init(void);
int execfix_interp_show(struct seq_file *m, void *v);
void execfix_interp_reset(void);
void execfix_interp_exit(void);

void execfix_integrity_init(void);
int execfix_integrity_show(struct seq_file *m, void *v);

#endif
