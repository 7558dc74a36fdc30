// SPDX-License-Identifier: GPL-2.0
/*
 * execfix_hook.ko: TEST ONLY, never installed. Replaces the execve entry of
 * the native and the ia32 system call tables the way 2.6.32 rootkits do
 * (tables found with kallsyms, written with CR0.WP cleared), so that the
 * integrity detector of execfix.ko can be seen detecting, and restores both
 * entries at unload.
 *
 * The new entries point to two thunks in this module that count the call and
 * jump to the original entry (stub_execve, stub32_execve: assembly stubs that
 * need the caller's frame untouched, so the thunks change no register but
 * the flags and no stack). execve keeps working while the module is loaded.
 *
 * Kernels that dispatch system calls without the table (x64_sys_call) or pin
 * CR0.WP (cr_pinning, 5.3 and later) make the module refuse to load.
 */
#define pr_fmt(fmt) "execfix_hook: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/irqflags.h>
#include <linux/delay.h>
#include <linux/unistd.h>
#include <linux/rcupdate.h>
#include <asm/processor-flags.h>
#include "../../execfix_features.h"
#ifdef EXECFIX_HAVE_ASM_SPECIAL_INSNS
#include <asm/special_insns.h>
#else
#include <asm/system.h>
#endif
/* One module, one file: the shared helpers are compiled in. */
#include "../../execfix_sym.c"

#define HOOK_NATIVE	0
#define HOOK_IA32	1
/* execve in each table: x86_64 59, i386 11 (fixed ABI numbers) */
static const unsigned int hook_nr[2] = { 59, 11 };
static const char *const hook_table_name[2] = {
	"sys_call_table", "ia32_sys_call_table"
};

/* Used by the thunks below; global so that the assembly can name them. */
unsigned long execfix_hook_orig[2];
unsigned long execfix_hook_hits[2];

static unsigned long *hook_slot[2];
static int hook_nr_hooked;

module_param_named(native_hits, execfix_hook_hits[HOOK_NATIVE], ulong, 0444);
module_param_named(ia32_hits, execfix_hook_hits[HOOK_IA32], ulong, 0444);

void execfix_hook_native_execve(void);
void execfix_hook_ia32_execve(void);

/*
 * int3 after each jmp, and on kernels checked by objtool the
 * .discard.retpoline_safe note, tell objtool the indirect jumps are meant
 * (the module refuses to load there anyway).
 */
#if defined(CONFIG_OBJTOOL) || defined(CONFIG_STACK_VALIDATION)
#define HOOK_RETPOLINE_SAFE ".pushsection .discard.retpoline_safe\n" \
			    ".long 1b - ., 2b - .\n"			\
			    ".popsection\n"
#else
#define HOOK_RETPOLINE_SAFE ""
#endif

asm(".pushsection .text\n"
	".globl execfix_hook_native_execve\n"
	".type execfix_hook_native_execve, @function\n"
	"execfix_hook_native_execve:\n"
	"	lock incq execfix_hook_hits(%rip)\n"
	"1:	jmp *execfix_hook_orig(%rip)\n"
	"	int3\n"
	".size execfix_hook_native_execve, . - execfix_hook_native_execve\n"
	".globl execfix_hook_ia32_execve\n"
	".type execfix_hook_ia32_execve, @function\n"
	"execfix_hook_ia32_execve:\n"
	"	lock incq execfix_hook_hits+8(%rip)\n"
	"2:	jmp *execfix_hook_orig+8(%rip)\n"
	"	int3\n"
	".size execfix_hook_ia32_execve, . - execfix_hook_ia32_execve\n"
	".popsection\n"
	HOOK_RETPOLINE_SAFE);

/* One aligned 8-byte store into a read-only table, as rootkits do it. */
static void hook_write(unsigned long *slot, unsigned long val)
{
	unsigned long flags, cr0;

	local_irq_save(flags);
	cr0 = read_cr0();
	write_cr0(cr0 & ~X86_CR0_WP);
	*(volatile unsigned long *)slot = val;
	write_cr0(cr0);
	local_irq_restore(flags);
}

static void hook_restore(void)
{
	int t;

	for (t = 0; t < 2; t++) {
		if (!hook_slot[t])
			continue;
		hook_write(hook_slot[t], execfix_hook_orig[t]);
		hook_slot[t] = NULL;
	}
	/* A CPU that read the table just before may still enter a thunk. */
	synchronize_rcu();
	msleep(20);
}

static int __init hook_init(void)
{
	static void (*const thunk[2])(void) = {
		execfix_hook_native_execve, execfix_hook_ia32_execve
	};
	unsigned long table;
	int t;

	exsym_init();
	if (exsym_lookup("x64_sys_call") || exsym_lookup("cr_pinning")) {
		pr_err("this kernel pins CR0.WP or does not dispatch through sys_call_table: a table hook is not possible here; refusing to load\n");
		return -EPERM;
	}
	for (t = 0; t < 2; t++) {
		table = exsym_lookup(hook_table_name[t]);
		if (!table) {
			pr_info("%s not found (no CONFIG_KALLSYMS_ALL or no such table): not hooked\n",
				hook_table_name[t]);
			continue;
		}
		hook_slot[t] = (unsigned long *)table + hook_nr[t];
		execfix_hook_orig[t] = *hook_slot[t];
		hook_write(hook_slot[t], (unsigned long)thunk[t]);
		hook_nr_hooked++;
	}
	if (!hook_nr_hooked) {
		pr_err("no system call table found: refusing to load\n");
		return -ENOENT;
	}
	pr_info("hooked execve in %d table(s)\n", hook_nr_hooked);
	return 0;
}

static void __exit hook_exit(void)
{
	hook_restore();
	pr_info("restored; native_hits=%lu ia32_hits=%lu\n",
		execfix_hook_hits[HOOK_NATIVE], execfix_hook_hits[HOOK_IA32]);
}

module_init(hook_init);
module_exit(hook_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("el6-execfix TEST ONLY: hooks execve in the syscall tables like a 2.6.32 rootkit");
