// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/execfix/layout: the mmap layout of the task that reads the file.
 *
 * The exec-shield layout bug leaves mm->get_unmapped_exec_area set in a
 * 64-bit task exec'd by a 32-bit one; this file shows that pointer directly.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/mm_types.h>
#include <linux/personality.h>
#include "execfix.h"

/* kernel/sysctl.c's exec_shield: a plain int, not exported. */
static const int *execfix_exec_shield;

void execfix_layout_init(void)
{
	if (execfix_has_exec_shield())
		execfix_exec_shield = (const int *)exsym_lookup("exec_shield");
}

/* key=symbol, key=none (NULL) or key=n/a (the kernel has no such field). */
static void execfix_show_fn(struct seq_file *m, const char *key, bool have,
			    unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];

	if (!have) {
		seq_printf(m, "%s=n/a\n", key);
		return;
	}
	if (!addr) {
		seq_printf(m, "%s=none\n", key);
		return;
	}
	exsym_name(buf, addr);
	seq_printf(m, "%s=%s\n", key, buf);
}

int execfix_layout_show(struct seq_file *m, void *v)
{
	struct mm_struct *mm = current->mm;
	unsigned long val = 0;
	bool have;

	seq_printf(m, "compat=%d\n", execfix_in_compat_syscall());
	seq_printf(m, "personality=0x%x\n", (unsigned int)current->personality);
	if (!mm)
		return 0;
	seq_printf(m, "mmap_base=0x%lx\n", mm->mmap_base);
	have = execfix_mm_unmapped_area(mm, &val);
	execfix_show_fn(m, "get_unmapped_area", have, val);
	have = execfix_mm_exec_area(mm, &val);
	execfix_show_fn(m, "get_unmapped_exec_area", have, val);
	if (execfix_mm_shlib_base(mm, &val))
		seq_printf(m, "shlib_base=0x%lx\n", val);
	else
		seq_puts(m, "shlib_base=n/a\n");
	seq_printf(m, "start_brk=0x%lx\n", mm->start_brk);
	seq_printf(m, "brk=0x%lx\n", mm->brk);
	if (!execfix_has_exec_shield())
		seq_puts(m, "exec_shield=n/a\n");
	else if (execfix_exec_shield)
		seq_printf(m, "exec_shield=%d\n", *execfix_exec_shield);
	else	/* a data symbol: kallsyms has it only with KALLSYMS_ALL */
		seq_puts(m, "exec_shield=unknown\n");
	return 0;
}
