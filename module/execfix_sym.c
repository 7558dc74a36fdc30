// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel symbol helpers shared by the el6-execfix modules.
 */
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/string.h>
#include <linux/uaccess.h>
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
