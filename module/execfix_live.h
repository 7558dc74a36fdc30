/* SPDX-License-Identifier: GPL-2.0 */
/*
 * execfix_live.ko: run-time mitigation of the two el6 exec bugs.
 */
#ifndef EXECFIX_LIVE_H
#define EXECFIX_LIVE_H

#include <linux/seq_file.h>

/* The interp part: 0, or a negative errno that refuses the whole module. */
int live_interp_init(void);
void live_interp_exit(void);
void live_interp_show(struct seq_file *m);
void live_interp_reset(void);

#endif
