// SPDX-License-Identifier: GPL-2.0
/* Which x86 kernel runs this program (arch.h). */
#include <string.h>
#include <sys/personality.h>
#include <sys/utsname.h>

#include "arch.h"

#ifndef PER_MASK
#define PER_MASK	0x00ff
#endif

static int machine_bits(const char *m)
{
	if (!strcmp(m, "x86_64"))
		return 64;
	if (m[0] == 'i' && m[1] >= '3' && m[1] <= '6' && !strcmp(m + 2, "86"))
		return 32;
	return 0;
}

int kernel_bits(void)
{
	struct utsname u;
	int pers, bits;

	if (sizeof(long) == 8)
		return 64;
	if (uname(&u))
		return 0;
	bits = machine_bits(u.machine);
	if (bits != 32)
		return bits;
	/* a 64-bit kernel may say i686 to a PER_LINUX32 task: ask as PER_LINUX */
	pers = personality(0xffffffff);
	if (pers == -1 || (pers & PER_MASK) != PER_LINUX32)
		return 32;
	if (personality((pers & ~PER_MASK) | PER_LINUX) == -1)
		return 32;
	if (uname(&u))
		bits = 0;
	else
		bits = machine_bits(u.machine);
	personality(pers);
	return bits;
}
