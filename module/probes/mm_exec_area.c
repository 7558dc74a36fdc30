// SPDX-License-Identifier: GPL-2.0
/* exec-shield: mm->get_unmapped_exec_area, the ia32 allocator for PROT_EXEC maps */
#include <linux/mm_types.h>

unsigned long probe(struct mm_struct *mm)
{
	return (unsigned long)mm->get_unmapped_exec_area;
}
