// SPDX-License-Identifier: GPL-2.0
/* exec-shield: mm->shlib_base, where the exec allocator starts */
#include <linux/mm_types.h>

unsigned long probe(struct mm_struct *mm)
{
	return mm->shlib_base;
}
