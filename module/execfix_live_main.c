// SPDX-License-Identifier: GPL-2.0
/*
 * execfix_live.ko: does at run time what patches 0001 and 0002 do, for hosts
 * that cannot be rebooted into a fixed kernel.
 *
 * Layout (0001): a kprobe at the entry of arch_pick_mmap_layout() clears
 * mm->get_unmapped_exec_area of the mm it is given, the patch's one line.
 * Kernels without that field (no exec-shield) have no such bug: the module
 * refuses to load there, unless interp_only=1.
 *
 * Interp leak (0002): see execfix_live_interp.c.
 *
 * /proc/execfix_live (0600): state and counts, one key=value per line; any
 * write resets the counters.
 */
#define pr_fmt(fmt) "execfix_live: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/kprobes.h>
#include <linux/mm_types.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include "execfix_compat.h"
#include "execfix_sym.h"
#include "execfix_sites.h"
#include "execfix_live.h"

static bool interp_only;
module_param(interp_only, bool, 0444);
MODULE_PARM_DESC(interp_only,
		 "leave the layout alone (the only way to load on a kernel without exec-shield)");

static atomic_long_t live_layout_calls = ATOMIC_LONG_INIT(0);
static atomic_long_t live_layout_cleared = ATOMIC_LONG_INIT(0);
static const char *live_layout_state = "off";

/*
 * The layout bug needs a 64-bit task exec'd by a 32-bit one: an x86_64
 * kernel with exec-shield. An i386 kernel runs no 64-bit task, and there
 * exec-shield's exec allocator is meant for every task: clearing it would
 * undo exec-shield, so the layout part refuses as where the field is absent.
 */
#if defined(EXECFIX_HAVE_MM_EXEC_AREA) && defined(CONFIG_X86_64)
static int live_layout_active;

/* void arch_pick_mmap_layout(struct mm_struct *mm): mm is argument 1. */
static int live_layout_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct mm_struct *mm = (struct mm_struct *)EXSITE_ARG1(regs);

	atomic_long_inc(&live_layout_calls);
	if (mm && mm->get_unmapped_exec_area) {
		atomic_long_inc(&live_layout_cleared);
		/* Patch 0001: the first line of arch_pick_mmap_layout(). */
		mm->get_unmapped_exec_area = NULL;
	}
	return 0;
}

static struct kprobe live_layout_kp = {
	.symbol_name	= "arch_pick_mmap_layout",
	.pre_handler	= live_layout_pre,
};

static int live_layout_init(void)
{
	int err;

	if (interp_only) {
		live_layout_state = "off";
		return 0;
	}
	err = register_kprobe(&live_layout_kp);
	if (err) {
		pr_err("cannot probe arch_pick_mmap_layout() (%d): refusing to load\n",
		       err);
		return err;
	}
	live_layout_active = 1;
	live_layout_state = "active";
	return 0;
}

static void live_layout_exit(void)
{
	if (live_layout_active)
		unregister_kprobe(&live_layout_kp);
	live_layout_active = 0;
}
#else
#ifdef EXECFIX_HAVE_MM_EXEC_AREA
#define LIVE_NO_LAYOUT_BUG "this kernel is 32-bit: it runs no 64-bit task, so it cannot have the layout bug, and its exec-shield allocator serves every task"
#else
#define LIVE_NO_LAYOUT_BUG "this kernel has no mm->get_unmapped_exec_area (not an exec-shield kernel): it cannot have the layout bug"
#endif

static int live_layout_init(void)
{
	if (interp_only) {
		live_layout_state = "not_applicable";
		return 0;
	}
	pr_err(LIVE_NO_LAYOUT_BUG "; refusing to load (interp_only=1 loads the interp part alone)\n");
	return -ENODEV;
}

static void live_layout_exit(void)
{
}
#endif

static int live_show(struct seq_file *m, void *v)
{
	seq_printf(m, "layout=%s\n", live_layout_state);
	seq_printf(m, "layout.calls=%ld\n", atomic_long_read(&live_layout_calls));
	seq_printf(m, "layout.cleared=%ld\n",
		   atomic_long_read(&live_layout_cleared));
	live_interp_show(m);
	return 0;
}

static int live_open(struct inode *inode, struct file *file)
{
	return single_open(file, live_show, NULL);
}

/* Any write resets the counters (not the state). */
static ssize_t live_write(struct file *file, const char __user *buf,
			  size_t count, loff_t *ppos)
{
	atomic_long_set(&live_layout_calls, 0);
	atomic_long_set(&live_layout_cleared, 0);
	live_interp_reset();
	return count;
}

EXECFIX_PROC_OPS(live_ops, live_open, live_write);

static struct proc_dir_entry *live_proc;

static int __init live_init(void)
{
	int err;

	exsym_init();
	err = live_layout_init();
	if (err)
		return err;
	err = live_interp_init();
	if (err)
		goto fail_layout;
	live_proc = proc_create("execfix_live", 0600, NULL, &live_ops);
	if (!live_proc) {
		err = -ENOMEM;
		goto fail_interp;
	}
	pr_info("loaded: layout %s\n", live_layout_state);
	return 0;
fail_interp:
	live_interp_exit();
fail_layout:
	live_layout_exit();
	return err;
}

static void __exit live_exit(void)
{
	/* No reader is inside live_show() once the file is gone. */
	remove_proc_entry("execfix_live", NULL);
	/* Each part stops its probes before its state goes. */
	live_interp_exit();
	live_layout_exit();
	pr_info("unloaded\n");
}

module_init(live_init);
module_exit(live_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("el6-execfix live mitigation: exec-shield layout reset, interpreter-name leak of partial CVE-2012-4530 backports");
