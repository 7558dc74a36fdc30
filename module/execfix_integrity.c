// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/execfix/integrity: which function each exec- and memory-related
 * entry of the native and ia32 system call tables points to, and whether
 * that lies in core kernel text or in a module. Read-only: a table is only
 * ever read, never written.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>
#include <asm/unistd.h>
#include "execfix.h"

struct execfix_syscall {
	const char *name;
	unsigned int nr;
};

/* asm/unistd.h: the native numbers, x86_64's (or i386's on i386). */
static const struct execfix_syscall execfix_native_calls[] = {
	{ "read", __NR_read },
	{ "write", __NR_write },
	{ "open", __NR_open },
	{ "mmap", __NR_mmap },
	{ "mprotect", __NR_mprotect },
	{ "munmap", __NR_munmap },
	{ "brk", __NR_brk },
	{ "mremap", __NR_mremap },
	{ "clone", __NR_clone },
	{ "fork", __NR_fork },
	{ "vfork", __NR_vfork },
	{ "execve", __NR_execve },
};

/* i386 system call numbers: a fixed ABI, but no header has them everywhere. */
static const struct execfix_syscall execfix_ia32_calls[] = {
	{ "fork", 2 },
	{ "read", 3 },
	{ "write", 4 },
	{ "open", 5 },
	{ "execve", 11 },
	{ "brk", 45 },
	{ "mmap", 90 },		/* old_mmap: one struct argument */
	{ "munmap", 91 },
	{ "clone", 120 },
	{ "mprotect", 125 },
	{ "mremap", 163 },
	{ "vfork", 190 },
	{ "mmap2", 192 },
};

static unsigned long execfix_native_table, execfix_ia32_table;
static unsigned long execfix_stext, execfix_etext;
/* Newer kernels dispatch through a switch and keep the table for others. */
static unsigned long execfix_x64_sys_call, execfix_ia32_sys_call;

void execfix_integrity_init(void)
{
	execfix_native_table = exsym_lookup("sys_call_table");
	execfix_ia32_table = exsym_lookup("ia32_sys_call_table");
	execfix_stext = exsym_lookup("_stext");
	execfix_etext = exsym_lookup("_etext");
	execfix_x64_sys_call = exsym_lookup("x64_sys_call");
	execfix_ia32_sys_call = exsym_lookup("ia32_sys_call");
}

/*
 * Where addr lies: "core", "module:NAME" or "unknown". Returns 1 when the
 * address is outside core kernel text (a hook, or something we cannot tell).
 * The module name comes from kallsyms, which sprint_symbol() appends as
 * " [NAME]" for module text (__module_text_address() is not exported
 * everywhere).
 */
static int execfix_classify(unsigned long addr, const char *sym, char *where,
			    size_t len)
{
	const char *open = strchr(sym, '[');
	const char *close = open ? strchr(open, ']') : NULL;

	if (execfix_stext && execfix_etext &&
	    addr >= execfix_stext && addr < execfix_etext) {
		snprintf(where, len, "core");
		return 0;
	}
	if (open && close)
		snprintf(where, len, "module:%.*s", (int)(close - open - 1),
			 open + 1);
	else
		snprintf(where, len, "unknown");
	return 1;
}

static unsigned int execfix_show_table(struct seq_file *m, const char *table,
				       unsigned long base,
				       const struct execfix_syscall *calls,
				       unsigned int nr_calls)
{
	char sym[KSYM_SYMBOL_LEN], where[MODULE_NAME_LEN + 8];
	unsigned int i, hooked = 0;
	unsigned long entry;

	for (i = 0; i < nr_calls; i++) {
		const unsigned long *slot = (const unsigned long *)base +
					    calls[i].nr;

		if (exsym_read_kernel(&entry, slot, sizeof(entry))) {
			seq_printf(m, "%s.%s=unreadable unknown\n", table,
				   calls[i].name);
			hooked++;
			continue;
		}
		sprint_symbol(sym, entry);
		hooked += execfix_classify(entry, sym, where, sizeof(where));
		exsym_name(sym, entry);
		seq_printf(m, "%s.%s=%s %s\n", table, calls[i].name, sym,
			   where);
	}
	return hooked;
}

/*
 * The classifier run on one of this module's own functions: it must say
 * module:execfix, which shows that a hooked entry would be seen as one.
 */
static void execfix_show_selftest(struct seq_file *m)
{
	char sym[KSYM_SYMBOL_LEN], where[MODULE_NAME_LEN + 8];
	unsigned long self = (unsigned long)execfix_integrity_show;

	sprint_symbol(sym, self);
	execfix_classify(self, sym, where, sizeof(where));
	exsym_name(sym, self);
	seq_printf(m, "selftest=%s %s\n", sym, where);
}

int execfix_integrity_show(struct seq_file *m, void *v)
{
	unsigned int hooked = 0;

	seq_printf(m, "native_dispatch=%s\n",
		   execfix_x64_sys_call ? "x64_sys_call" : "sys_call_table");
	seq_printf(m, "ia32_dispatch=%s\n", execfix_ia32_sys_call ?
		   "ia32_sys_call" : "ia32_sys_call_table");
	if (execfix_native_table)
		hooked += execfix_show_table(m, "native", execfix_native_table,
					     execfix_native_calls,
					     ARRAY_SIZE(execfix_native_calls));
	else	/* a data symbol: in kallsyms only with KALLSYMS_ALL */
		seq_puts(m, "native=unavailable\n");
	if (execfix_ia32_table)
		hooked += execfix_show_table(m, "ia32", execfix_ia32_table,
					     execfix_ia32_calls,
					     ARRAY_SIZE(execfix_ia32_calls));
	else
		seq_puts(m, "ia32=unavailable\n");
	seq_printf(m, "hooked=%u\n", hooked);
	execfix_show_selftest(m);
	return 0;
}
