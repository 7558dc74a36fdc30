// SPDX-License-Identifier: GPL-2.0
/* in_compat_syscall(): is the current system call a 32-bit one */
#include <linux/compat.h>

int probe(void)
{
	return in_compat_syscall();
}
