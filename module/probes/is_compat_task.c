// SPDX-License-Identifier: GPL-2.0
/* is_compat_task(): the older name of the same test */
#include <linux/compat.h>

int probe(void)
{
	return is_compat_task();
}
