// SPDX-License-Identifier: GPL-2.0
/*
 * Drain of the per-CPU caches before a slab reading.  The active-object
 * count of /proc/slabinfo counts objects parked in per-CPU caches as in
 * use (SLUB: a CPU's slab and its per-CPU partial slabs; SLAB: the
 * per-CPU and shared arrays): noise of a few slabs per reading.  SLUB:
 * writing 1 to /sys/kernel/slab/<cache>/shrink (kmem_cache_shrink()
 * flushes the CPU slabs); SLAB: writing the cache's own tunables back to
 * /proc/slabinfo (do_tune_cpucache() frees the old arrays' objects back to
 * their slabs).  Neither changes a setting.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "file.h"
#include "root.h"
#include "slab.h"

enum slab_drain slab_drain_for(enum slab_kind kind)
{
	switch (kind) {
	case SLAB_SLUB:
		return DRAIN_SLUB_SHRINK;
	case SLAB_SLAB:
		return DRAIN_SLAB_TUNE;
	default:
		return DRAIN_NONE;
	}
}

const char *slab_drain_name(enum slab_drain drain)
{
	switch (drain) {
	case DRAIN_SLUB_SHRINK:
		return "SLUB shrink (/sys/kernel/slab/kmalloc-N/shrink)";
	case DRAIN_SLAB_TUNE:
		return "SLAB arrays (own tunables written back to /proc/slabinfo)";
	default:
		return "none";
	}
}

static int slub_shrink(const char *cache)
{
	char rel[160], path[512];

	snprintf(rel, sizeof(rel), "kernel/slab/%s/shrink", cache);
	return mfile_write(measure_path(path, sizeof(path), measure_sysfs, rel),
			   "1");
}

/* SLUB's random kmalloc caches of this size, as the text names them. */
static int shrink_rnd(const char *text, unsigned int size)
{
	const char *p = text;
	char name[64], want[32];
	unsigned int rnd;

	snprintf(want, sizeof(want), "-%u", size);
	for (; p && *p; p = mfile_next_line(p)) {
		const char *tail;

		if (sscanf(p, "%63s", name) == 1 &&
		    sscanf(name, "kmalloc-rnd-%u-", &rnd) == 1) {
			tail = strrchr(name, '-');
			if (tail && !strcmp(tail, want) && slub_shrink(name))
				return -1;
		}
	}
	return 0;
}

int slab_drain_class(enum slab_drain drain, const char *text,
		     unsigned int size)
{
	char name[32], line[128], path[512];

	switch (drain) {
	case DRAIN_SLUB_SHRINK:
		snprintf(name, sizeof(name), "kmalloc-%u", size);
		if (slub_shrink(name))
			return -1;
		return shrink_rnd(text, size);
	case DRAIN_SLAB_TUNE:
		if (slab_tunables(text, size, line, sizeof(line))) {
			errno = ENOENT;
			return -1;
		}
		return mfile_write(measure_path(path, sizeof(path),
						measure_procfs, "slabinfo"),
				   line);
	default:
		errno = EOPNOTSUPP;
		return -1;
	}
}
