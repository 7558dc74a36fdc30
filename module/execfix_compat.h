/* SPDX-License-Identifier: GPL-2.0 */
/*
 * execfix.ko: one shim per kernel difference, chosen by the compile probes
 * (execfix_features.h). Functions stay free of #ifdefs: they call these.
 */
#ifndef EXECFIX_COMPAT_H
#define EXECFIX_COMPAT_H

#include <linux/kernel.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/types.h>
#include <linux/uaccess.h>
#include "execfix_features.h"

#ifndef EXECFIX_HAVE_KRETPROBE_ENTRY_HANDLER
#error "execfix: kretprobe entry_handler/data_size not found by the compile probes"
#endif

#ifndef pr_warn
#define pr_warn pr_warning	/* some 2.6.32 trees have only pr_warning() */
#endif

/* Copy kernel memory without faulting: 0 or -EFAULT. */
#if defined(EXECFIX_HAVE_COPY_FROM_KERNEL_NOFAULT)
static inline long execfix_copy_nofault(void *dst, const void *src, size_t len)
{
	return copy_from_kernel_nofault(dst, src, len);
}
#elif defined(EXECFIX_HAVE_PROBE_KERNEL_READ)
static inline long execfix_copy_nofault(void *dst, const void *src, size_t len)
{
	return probe_kernel_read(dst, (void *)src, len);
}
#else
#error "execfix needs a safe kernel read: copy_from_kernel_nofault() or probe_kernel_read()"
#endif

/* Whether the system call being served is a 32-bit (compat) one. */
#if defined(EXECFIX_HAVE_IN_COMPAT_SYSCALL)
static inline int execfix_in_compat_syscall(void)
{
	return in_compat_syscall() ? 1 : 0;
}
#elif defined(EXECFIX_HAVE_IS_COMPAT_TASK)
static inline int execfix_in_compat_syscall(void)
{
	return is_compat_task() ? 1 : 0;
}
#elif !defined(CONFIG_COMPAT)
/* No compat layer (an i386 kernel): no system call is a compat one. */
static inline int execfix_in_compat_syscall(void)
{
	return 0;
}
#else
#error "execfix: compile probes found neither in_compat_syscall() nor is_compat_task()"
#endif

/* mm->get_unmapped_area, where that per-mm hook exists. */
#ifdef EXECFIX_HAVE_MM_GET_UNMAPPED_AREA
static inline bool execfix_mm_unmapped_area(struct mm_struct *mm,
					    unsigned long *fn)
{
	*fn = (unsigned long)mm->get_unmapped_area;
	return true;
}
#else
static inline bool execfix_mm_unmapped_area(struct mm_struct *mm,
					    unsigned long *fn)
{
	return false;
}
#endif

/*
 * exec-shield: mm->get_unmapped_exec_area (the ia32 allocator for PROT_EXEC
 * maps), and the exec_shield sysctl that exists with it.
 */
#ifdef EXECFIX_HAVE_MM_EXEC_AREA
static inline bool execfix_mm_exec_area(struct mm_struct *mm,
					unsigned long *fn)
{
	*fn = (unsigned long)mm->get_unmapped_exec_area;
	return true;
}

static inline bool execfix_has_exec_shield(void)
{
	return true;
}
#else
static inline bool execfix_mm_exec_area(struct mm_struct *mm,
					unsigned long *fn)
{
	return false;
}

static inline bool execfix_has_exec_shield(void)
{
	return false;
}
#endif

/* exec-shield: mm->shlib_base, where the exec allocator starts. */
#ifdef EXECFIX_HAVE_MM_SHLIB_BASE
static inline bool execfix_mm_shlib_base(struct mm_struct *mm,
					 unsigned long *base)
{
	*base = mm->shlib_base;
	return true;
}
#else
static inline bool execfix_mm_shlib_base(struct mm_struct *mm,
					 unsigned long *base)
{
	return false;
}
#endif

/* A /proc file served by single_open(): struct proc_ops or file_operations. */
#ifdef EXECFIX_HAVE_PROC_OPS
#define EXECFIX_PROC_OPS(var, open_fn, write_fn)		\
	static const struct proc_ops var = {			\
		.proc_open	= open_fn,			\
		.proc_read	= seq_read,			\
		.proc_lseek	= seq_lseek,			\
		.proc_release	= single_release,		\
		.proc_write	= write_fn,			\
	}
#else
#define EXECFIX_PROC_OPS(var, open_fn, write_fn)		\
	static const struct file_operations var = {		\
		.owner		= THIS_MODULE,			\
		.open		= open_fn,			\
		.read		= seq_read,			\
		.llseek		= seq_lseek,			\
		.release	= single_release,		\
		.write		= write_fn,			\
	}
#endif

#endif
