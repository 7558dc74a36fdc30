/* SPDX-License-Identifier: GPL-2.0 */
/*
 * key=value lines: the format of the test module's /proc files, of the
 * layout probe's report and of the run's settings.  Header-only, as
 * file.h, for programs not built on measure/.
 */
#ifndef MEASURE_KV_H
#define MEASURE_KV_H

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"

/*
 * Find "key=value" at the start of a line in text; copy the value (up to
 * the end of the line) to val.  Returns 0 when found.
 */
static inline int kv_get(const char *text, const char *key, char *val,
			 size_t size)
{
	size_t klen = strlen(key);
	const char *p = text;

	for (; p && *p; p = mfile_next_line(p)) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			const char *v = p + klen + 1;
			size_t n = strcspn(v, "\n");

			if (n >= size)
				n = size - 1;
			memcpy(val, v, n);
			val[n] = '\0';
			return 0;
		}
	}
	return -1;
}

/* The value as a number (0x... allowed); 0, or -1 absent or no number. */
static inline int kv_get_ull(const char *text, const char *key,
			     unsigned long long *out)
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

#endif /* MEASURE_KV_H */
