// SPDX-License-Identifier: GPL-2.0
/*
 * Counting in the text of /proc/slabinfo.  Slabinfo 2.x lines are
 * "name active_objs num_objs objsize ... : tunables limit batch shared
 * : slabdata ..."; only the name, the active count, (SLAB) the tunables
 * and, for the lowmem an object costs, objperslab and pagesperslab are
 * used.  The text is a parameter, never read here, so that a
 * fixture can stand in for the kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "file.h"
#include "root.h"
#include "slab.h"

const unsigned int slab_class_sizes[SLAB_NCLASSES] = { 32, 64, 96, 128 };

size_t slab_name_len(unsigned int size, size_t max_len)
{
	return size - 1 > max_len ? max_len : size - 1;
}

unsigned int slab_reachable_class(size_t dir_len, size_t max_len)
{
	int c;

	for (c = 0; c < SLAB_NCLASSES; c++)
		if (slab_name_len(slab_class_sizes[c], max_len) >= dir_len + 3)
			return slab_class_sizes[c];
	return 0;
}

int slab_read(const char *path, char *buf, size_t size)
{
	char def[512];
	ssize_t len;

	if (!path)
		path = measure_path(def, sizeof(def), measure_procfs,
				    "slabinfo");
	len = mfile_read(path, buf, size);

	if (len == 0)
		errno = ENODATA;
	return len > 0 ? 0 : -1;
}

enum slab_kind slab_kind_of(const char *text)
{
	if (strstr(text, "\nkmalloc-") || !strncmp(text, "kmalloc-", 8))
		return SLAB_SLUB;
	if (strstr(text, "\nsize-32 ") || !strncmp(text, "size-32 ", 8))
		return SLAB_SLAB;
	return SLAB_NONE;
}

/* Is name one of this size's general caches? */
static int class_match(const char *name, enum slab_kind kind,
		       unsigned int size)
{
	char want[32];
	unsigned int rnd;

	if (kind == SLAB_SLAB) {
		snprintf(want, sizeof(want), "size-%u", size);
		return !strcmp(name, want);
	}
	snprintf(want, sizeof(want), "kmalloc-%u", size);
	if (!strcmp(name, want))
		return 1;
	if (sscanf(name, "kmalloc-rnd-%u-", &rnd) == 1) {
		const char *tail = strrchr(name, '-');

		snprintf(want, sizeof(want), "-%u", size);
		return tail && !strcmp(tail, want);
	}
	return 0;
}

long long slab_active(const char *text, enum slab_kind kind,
		      unsigned int size)
{
	const char *p = text;
	long long total = -1;

	if (kind == SLAB_NONE)
		return -1;
	for (; p && *p; p = mfile_next_line(p)) {
		char name[64];
		long long active;

		if (sscanf(p, "%63s %lld", name, &active) == 2 &&
		    class_match(name, kind, size))
			total = (total < 0 ? 0 : total) + active;
	}
	return total;
}

const char *slab_cache_name(enum slab_kind kind, unsigned int size,
			    char *buf, size_t bsize)
{
	snprintf(buf, bsize, "%s-%u", kind == SLAB_SLAB ? "size" : "kmalloc",
		 size);
	return buf;
}

int slab_tunables(const char *text, unsigned int size, char *line,
		  size_t lsize)
{
	const char *p = text;
	char want[32];
	size_t wlen;

	snprintf(want, sizeof(want), "size-%u ", size);
	wlen = strlen(want);
	for (; p && *p; p = mfile_next_line(p)) {
		if (!strncmp(p, want, wlen)) {
			const char *t = strstr(p, ": tunables");
			const char *eol = strchr(p, '\n');
			int limit, batch, shared;

			if (!t || (eol && t > eol) ||
			    sscanf(t, ": tunables %d %d %d", &limit, &batch,
				   &shared) != 3)
				return -1;
			snprintf(line, lsize, "size-%u %d %d %d", size, limit,
				 batch, shared);
			return 0;
		}
	}
	return -1;
}

double slab_object_cost(const char *text, enum slab_kind kind,
			unsigned int size, long page_size)
{
	const char *p = text;

	if (kind == SLAB_NONE || page_size <= 0)
		return 0;
	for (; p && *p; p = mfile_next_line(p)) {
		char name[64];
		long long active, num, objsize, perslab, pages;

		if (sscanf(p, "%63s %lld %lld %lld %lld %lld", name, &active,
			   &num, &objsize, &perslab, &pages) == 6 &&
		    class_match(name, kind, size) && perslab > 0 && pages > 0)
			return (double)pages * page_size / perslab;
	}
	return 0;
}
