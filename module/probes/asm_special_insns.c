// SPDX-License-Identifier: GPL-2.0
/* read_cr0() in asm/special_insns.h (older kernels: asm/system.h) */
#include <linux/kernel.h>
#include <asm/special_insns.h>

unsigned long probe(void)
{
	return read_cr0();
}
