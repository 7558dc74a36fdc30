/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lowmem (lowmem.c): the directly mapped zone of a 32-bit HIGHMEM kernel,
 * about 870 MiB however much RAM there is, where every kmalloc object
 * lives.  /proc/meminfo reports it as LowTotal and LowFree; a 64-bit
 * kernel (all memory directly mapped) and a 32-bit one without HIGHMEM
 * have no such lines.  A leak of kmalloc objects ends when lowmem is
 * gone: lowmem_hours() says when.  The meminfo parser is the one of the
 * project (interp_leak's Slab line too); meminfo_now() takes what a leak
 * round reads around its execs.
 *
 * LowFree leaves out the pages on the per-CPU free lists (up to "high",
 * 186 pages on a 870 MiB zone): a slab that grows takes them first, and
 * LowFree does not move.  Counted in (zoneinfo_lowmem_pcp()), free lowmem
 * moves with what is kept, round after round.
 */
#ifndef MEASURE_LOWMEM_H
#define MEASURE_LOWMEM_H

#include <stddef.h>

/* A typical exec rate (execs/s) to project at, besides a measured one. */
#define LOWMEM_TYPICAL_RATE	10.0

/* Read /proc/meminfo (measure_procfs) into buf; 0, or -1 with errno. */
int meminfo_read(char *buf, size_t size);

/* The kB of the line "KEY:" of a meminfo text; -1 when it has none. */
long long meminfo_kb(const char *text, const char *key);

/* Read /proc/zoneinfo (measure_procfs) into buf; 0, or -1 with errno. */
int zoneinfo_read(char *buf, size_t size);

/*
 * Pages on the per-CPU free lists ("count:" of each pageset) of the
 * lowmem zones (every zone but HighMem) of a zoneinfo text; -1 when it
 * names no zone.
 */
long long zoneinfo_lowmem_pcp(const char *text);

/*
 * /proc/meminfo's Slab and LowFree (kB), and where there is LowFree the
 * pages on the lowmem zones' per-CPU free lists; -1: no such line, or
 * unreadable.
 */
struct meminfo_sample {
	long long slab_kb, lowfree_kb, lowpcp;
};

void meminfo_now(struct meminfo_sample *m);

/* Free lowmem of a sample in kB: LowFree and the per-CPU free lists. */
long long lowmem_free_kb(const struct meminfo_sample *m, long page_kb);

/*
 * Hours until free_kb of lowmem is gone when each exec keeps
 * bytes_per_exec of it, at execs_per_s; -1 when nothing is kept
 * (bytes_per_exec <= 0) or the rate is not known (<= 0).
 */
double lowmem_hours(long long free_kb, double bytes_per_exec,
		    double execs_per_s);

#endif /* MEASURE_LOWMEM_H */
