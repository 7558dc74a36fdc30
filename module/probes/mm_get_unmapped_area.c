// SPDX-License-Identifier: GPL-2.0
/* mm->get_unmapped_area (a per-mm hook until it moved out of mm_struct) */
#include <linux/mm_types.h>

unsigned long probe(struct mm_struct *mm)
{
	return (unsigned long)mm->get_unmapped_area;
}
