// SPDX-License-Identifier: GPL-2.0
/*
 * libexec_layout.so: see exec_layout_lib.h.
 */
#include "exec_layout_lib.h"

unsigned long exec_layout_lib_text(void)
{
	return (unsigned long)&exec_layout_lib_text;
}
