// SPDX-License-Identifier: GPL-2.0
/* kretprobe entry_handler and per-instance data (data_size, ri->data) */
#include <linux/kprobes.h>

static int probe_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return ri->data[0];
}

struct kretprobe probe_rp = {
	.entry_handler	= probe_entry,
	.data_size	= sizeof(long),
};
