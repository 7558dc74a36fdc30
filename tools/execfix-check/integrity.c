// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check: the system call tables, from /proc/execfix/integrity when
 * execfix.ko is loaded: hooked=N and the entries that point into modules.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <string.h>

#include "execfix_util.h"
#include "execfix-check.h"

void integrity_check(void)
{
	static char buf[16384];
	char path[512], *p;
	unsigned long long h;
	size_t used = 0;

	snprintf(path, sizeof(path), "%s/integrity", execfix_proc_dir());
	if (read_text(path, buf, sizeof(buf)) <= 0 ||
	    kv_get_ull(buf, "hooked", &h))
		return;
	S.hooked = (long)h;
	S.have_integrity = 1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		size_t n = strcspn(p, "\n");

		if (strncmp(p, "native.", 7) && strncmp(p, "ia32.", 5))
			continue;
		if (!memmem(p, n, " module:", 8))
			continue;
		if (used + n + 2 < sizeof(S.hooked_list)) {
			memcpy(S.hooked_list + used, p, n);
			used += n;
			S.hooked_list[used++] = ';';
			S.hooked_list[used] = '\0';
		}
	}
	if (used)
		S.hooked_list[used - 1] = '\0';
}
