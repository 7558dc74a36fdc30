// SPDX-License-Identifier: GPL-2.0
/* key=value lines (kv.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kv.h"

int kv_get(const char *text, const char *key, char *val, size_t size)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			const char *v = p + klen + 1;
			size_t n = strcspn(v, "\n");

			if (n >= size)
				n = size - 1;
			memcpy(val, v, n);
			val[n] = '\0';
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

int kv_get_ull(const char *text, const char *key, unsigned long long *out)
{
	char val[64];
	char *end;

	if (kv_get(text, key, val, sizeof(val)))
		return -1;
	errno = 0;
	*out = strtoull(val, &end, 0);
	if (errno || end == val)
		return -1;
	return 0;
}
