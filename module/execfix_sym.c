// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel symbol and code helpers shared by the el6-execfix modules.
 */
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/unaligned.h>
#include "execfix_compat.h"
#include "execfix_sym.h"

typedef unsigned long (*exsym_lookup_name_t)(const char *name);

/* kallsyms_lookup_name() is not exported on the kernels we target. */
static exsym_lookup_name_t exsym_lookup_name;

int exsym_extent(unsigned long addr, unsigned long *offset,
		 unsigned long *size)
{
	char buf[KSYM_SYMBOL_LEN];
	const char *plus;

	sprint_symbol(buf, addr);
	plus = strchr(buf, '+');
	if (!plus || sscanf(plus, "+%lx/%lx", offset, size) != 2)
		return -ENOENT;
	return 0;
}

void exsym_name(char *buf, unsigned long addr)
{
	unsigned long offset, size;
	char *cut;

	sprint_symbol(buf, addr);
	/* Values hold no spaces: drop the " [module]" suffix. */
	cut = strchr(buf, ' ');
	if (cut)
		*cut = '\0';
	cut = strchr(buf, '/');
	if (cut)
		*cut = '\0';
	if (exsym_extent(addr, &offset, &size) == 0 && offset == 0) {
		cut = strchr(buf, '+');
		if (cut)
			*cut = '\0';
	}
}

long exsym_read_kernel(void *dst, const void *src, size_t len)
{
	return execfix_copy_nofault(dst, src, len);
}

/*
 * Address of a text symbol as kprobes resolves it. kprobes may place the
 * probe past an ENDBR or at the ftrace site, so step back to the start of
 * the symbol that holds it.
 */
static unsigned long exsym_kprobe_lookup(const char *name)
{
	struct kprobe kp;
	unsigned long addr, offset, size;

	memset(&kp, 0, sizeof(kp));
	kp.symbol_name = name;
	if (register_kprobe(&kp) < 0)
		return 0;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	if (exsym_extent(addr, &offset, &size) == 0)
		addr -= offset;
	return addr;
}

unsigned long exsym_lookup(const char *name)
{
	if (exsym_lookup_name)
		return exsym_lookup_name(name);
	return exsym_kprobe_lookup(name);
}

void exsym_init(void)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long addr = exsym_kprobe_lookup("kallsyms_lookup_name");

	if (!addr)
		return;
	/* Only call what kallsyms itself names kallsyms_lookup_name. */
	exsym_name(buf, addr);
	if (strcmp(buf, "kallsyms_lookup_name") == 0)
		exsym_lookup_name = (exsym_lookup_name_t)addr;
}

int exsym_find_calls(const char *func, unsigned long target, bool tail_jumps,
		     unsigned long *addrs, int max)
{
	unsigned long start, offset, size, a, dest;
	int found = 0;
	u8 insn[5];

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
const char *const exsym_bprm_free_funcs[EXSYM_NR_BPRM_FREE_FUNCS] = {
	"free_bprm",		/* out of line: 2.6.32 (exported), 6.1 */
	"do_execve",		/* 2.6.32 */
	"do_execve_common",	/* 3.x */
	"compat_do_execve",	/* 2.6.32 fs/compat.c */
	"do_execveat_common",	/* 4.x to 6.x */
	"kernel_execve",	/* 5.9 and later */
	"alloc_bprm",		/* its error path (5.9 and later) */
};

int exsym_scan_free_sites(unsigned long kfree_addr,
			  struct exsym_free_scan *scan,
			  unsigned long *addrs, int nr_addrs)
{
	unsigned long free_bprm = exsym_lookup("free_bprm");
	int i, n, total = 0;

	for (i = 0; i < EXSYM_NR_BPRM_FREE_FUNCS; i++) {
		const char *func = exsym_bprm_free_funcs[i];

		n = exsym_find_calls(func, kfree_addr, true,
				     addrs ? addrs + min(total, nr_addrs) : NULL,
				     nr_addrs - min(total, nr_addrs));
		scan[i].kfree_sites = n;
		scan[i].free_bprm_calls = 0;
		if (n < 0)
			continue;
		if (free_bprm && i > 0)
			scan[i].free_bprm_calls =
				max(0, exsym_find_calls(func, free_bprm, true,
							NULL, 0));
		total += n;
	}
	return total;
}

void exsym_show_free_scan(struct seq_file *m,
			  const struct exsym_free_scan *scan)
{
	int i;

	for (i = 0; i < EXSYM_NR_BPRM_FREE_FUNCS; i++) {
		const char *func = exsym_bprm_free_funcs[i];

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
