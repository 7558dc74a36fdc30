/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/execfix/layout: the mmap layout of the task that reads the file.
 *
 * The exec-shield layout bug leaves mm->get_unmapped_exec_area set in a
 * 64-bit task exec'd by a 32-bit one; this file shows that pointer directly.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/mm_types.h>
#include <linux/compat.h>
#include <linux/personality.h>
#include "execfix.h"

#ifdef EXECFIX_HAVE_MM_EXEC_AREA
/* kernel/sysctl.c's exec_shield: a plain int, not exported. */
static const int *execfix_exec_shield;
#endif

void execfix_layout_init(void)
{
#ifdef EXECFIX_HAVE_MM_EXEC_AREA
	execfix_exec_shield = (const int *)execfix_lookup("exec_shield");
#endif
}

/* Whether the read() being served is a 32-bit (compat) system call. */
static int execfix_current_is_compat(void)
{
#if defined(EXECFIX_HAVE_IN_COMPAT_SYSCALL)
	return in_compat_syscall() ? 1 : 0;
#elif defined(EXECFIX_HAVE_IS_COMPAT_TASK)
	return is_compat_task() ? 1 : 0;
#else
#error "compile probes found neither in_compat_syscall() nor is_compat_task()"
#endif
}

static void execfix_show_fn(struct seq_file *m, const char *key,
			    unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];

	if (!addr) {
		seq_printf(m, "%s=none\n", key);
		return;
	}
	execfix_symbol_name(buf, addr);
	seq_printf(m, "%s=%s\n", key, buf);
}

int execfix_layout_show(struct seq_file *m, void *v)
{
	struct mm_struct *mm = current->mm;

	seq_printf(m, "compat=%d\n", execfix_current_is_compat());
	seq_printf(m, "personality=0x%x\n", (unsigned int)current->personality);
	if (!mm)
		return 0;
	seq_printf(m, "mmap_base=0x%lx\n", mm->mmap_base);
#ifdef EXECFIX_HAVE_MM_GET_UNMAPPED_AREA
	execfix_show_fn(m, "get_unmapped_area",
			(unsigned long)mm->get_unmapped_area);
#else
	seq_puts(m, "get_unmapped_area=n/a\n");
#endif
#ifdef EXECFIX_HAVE_MM_EXEC_AREA
	execfix_show_fn(m, "get_unmapped_exec_area",
			(unsigned long)mm->get_unmapped_exec_area);
#else
	seq_puts(m, "get_unmapped_exec_area=n/a\n");
#endif
#ifdef EXECFIX_HAVE_MM_SHLIB_BASE
	seq_printf(m, "shlib_base=0x%lx\n", mm->shlib_base);
#else
	seq_puts(m, "shlib_base=n/a\n");
#endif
	seq_printf(m, "start_brk=0x%lx\n", mm->start_brk);
	seq_printf(m, "brk=0x%lx\n", mm->brk);
#ifdef EXECFIX_HAVE_MM_EXEC_AREA
	if (execfix_exec_shield)
		seq_printf(m, "exec_shield=%d\n", *execfix_exec_shield);
	else	/* a data symbol: kallsyms has it only with KALLSYMS_ALL */
		seq_puts(m, "exec_shield=unknown\n");
#else
	seq_puts(m, "exec_shield=n/a\n");
#endif
	return 0;
}
