// SPDX-License-Identifier: GPL-2.0
/*
 * execfix.ko: test module of el6-execfix.
 *
 * /proc/execfix/layout     the reading task's mmap layout and exec-shield state
 * /proc/execfix/interp     exact accounting of bprm_change_interp() strings
 * /proc/execfix/integrity  read-only report of exec/memory syscall entries
 *
 * Everything is observed with kprobes and kallsyms; nothing in kernel text
 * or tables is ever written.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/kprobes.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include "execfix.h"

static int execfix_layout_open(struct inode *inode, struct file *file)
{
	return single_open(file, execfix_layout_show, NULL);
}

static int execfix_interp_open(struct inode *inode, struct file *file)
{
	return single_open(file, execfix_interp_show, NULL);
}

static int execfix_integrity_open(struct inode *inode, struct file *file)
{
	return single_open(file, execfix_integrity_show, NULL);
}

/* Any write to the interp file resets its counters. */
static ssize_t execfix_interp_write(struct file *file, const char __user *buf,
				    size_t count, loff_t *ppos)
{
	execfix_interp_reset();
	return count;
}

EXECFIX_PROC_OPS(execfix_layout_ops, execfix_layout_open, NULL);
EXECFIX_PROC_OPS(execfix_interp_ops, execfix_interp_open, execfix_interp_write);
EXECFIX_PROC_OPS(execfix_integrity_ops, execfix_integrity_open, NULL);

static struct proc_dir_entry *execfix_proc_dir;

static const char *const execfix_file_names[] = {
	"layout", "interp", "integrity"
};
static struct proc_dir_entry *execfix_files[ARRAY_SIZE(execfix_file_names)];

/* Remove what exists, newest first (remove_proc_entry() warns on absent) */
static void execfix_proc_remove(void)
{
	int i;

	for (i = ARRAY_SIZE(execfix_files) - 1; i >= 0; i--) {
		if (execfix_files[i])
			remove_proc_entry(execfix_file_names[i],
					  execfix_proc_dir);
		execfix_files[i] = NULL;
	}
	if (execfix_proc_dir)
		remove_proc_entry(EXECFIX_DIR, NULL);
	execfix_proc_dir = NULL;
}

static int __init execfix_init(void)
{
	exsym_init();
	execfix_layout_init();
	execfix_interp_init();
	execfix_integrity_init();

	execfix_proc_dir = proc_mkdir(EXECFIX_DIR, NULL);
	if (!execfix_proc_dir)
		goto fail;
	execfix_files[0] = proc_create(execfix_file_names[0], 0400,
				       execfix_proc_dir, &execfix_layout_ops);
	execfix_files[1] = proc_create(execfix_file_names[1], 0400,
				       execfix_proc_dir, &execfix_interp_ops);
	execfix_files[2] = proc_create(execfix_file_names[2], 0400,
				       execfix_proc_dir,
				       &execfix_integrity_ops);
	if (!execfix_files[0] || !execfix_files[1] || !execfix_files[2])
		goto fail;
	return 0;
fail:
	execfix_proc_remove();
	execfix_interp_exit();
	return -ENOMEM;
}

static void __exit execfix_exit(void)
{
	/* No reader can be inside a show function once the files are gone. */
	execfix_proc_remove();
	/* Probes go before the state their handlers use. */
	execfix_interp_exit();
}

module_init(execfix_init);
module_exit(execfix_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("el6-execfix test module: exec layout, interp accounting, syscall table integrity");
MODULE_INFO(test, "Y");
