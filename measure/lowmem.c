// SPDX-License-Identifier: GPL-2.0
/* Lowmem from /proc/meminfo, and when a leak has eaten it (lowmem.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "lowmem.h"
#include "root.h"

/* A file of measure_procfs into buf; 0, or -1 with errno. */
static int proc_read(const char *rel, char *buf, size_t size)
{
	char path[512];
	ssize_t len;

	len = mfile_read(measure_path(path, sizeof(path), measure_procfs, rel),
			 buf, size);
	if (len == 0)
		errno = ENODATA;
	return len > 0 ? 0 : -1;
}

int meminfo_read(char *buf, size_t size)
{
	return proc_read("meminfo", buf, size);
}

int zoneinfo_read(char *buf, size_t size)
{
	return proc_read("zoneinfo", buf, size);
}

long long zoneinfo_lowmem_pcp(const char *text)
{
	const char *p = text;
	long long total = -1;
	int high = 0;

	for (; p && *p; p = mfile_next_line(p)) {
		char zone[32];
		long long count;

		if (sscanf(p, "Node %*d, zone %31s", zone) == 1) {
			high = !strcmp(zone, "HighMem");
			if (total < 0)
				total = 0;
		} else if (total >= 0 && !high &&
			   sscanf(p, " count: %lld", &count) == 1) {
			total += count;
		}
	}
	return total;
}

long long meminfo_kb(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *p = text;

	for (; p && *p; p = mfile_next_line(p)) {
		if (!strncmp(p, key, klen) && p[klen] == ':') {
			char *end;
			long long v = strtoll(p + klen + 1, &end, 10);

			return end == p + klen + 1 ? -1 : v;
		}
	}
	return -1;
}

void meminfo_now(struct meminfo_sample *m)
{
	static char zi[65536];
	char buf[8192];

	m->slab_kb = m->lowfree_kb = m->lowpcp = -1;
	if (meminfo_read(buf, sizeof(buf)))
		return;
	m->slab_kb = meminfo_kb(buf, "Slab");
	m->lowfree_kb = meminfo_kb(buf, "LowFree");
	if (m->lowfree_kb >= 0 && !zoneinfo_read(zi, sizeof(zi)))
		m->lowpcp = zoneinfo_lowmem_pcp(zi);
}

long long lowmem_free_kb(const struct meminfo_sample *m, long page_kb)
{
	return m->lowfree_kb + (m->lowpcp > 0 ? m->lowpcp * page_kb : 0);
}

double lowmem_hours(long long free_kb, double bytes_per_exec,
		    double execs_per_s)
{
	if (bytes_per_exec <= 0 || execs_per_s <= 0 || free_kb < 0)
		return -1;
	return free_kb * 1024.0 / bytes_per_exec / execs_per_s / 3600.0;
}
