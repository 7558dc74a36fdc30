// SPDX-License-Identifier: GPL-2.0
/* proc files take struct proc_ops rather than struct file_operations */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static const struct proc_ops probe_ops = {
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};

const void *probe(void)
{
	return &probe_ops;
}
