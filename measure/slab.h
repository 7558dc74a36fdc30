/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Slab counts from the text of /proc/slabinfo (slab.c) and the drain of
 * the per-CPU caches (drain.c).  The counting functions read only the text
 * they are given, so that fixtures (tests/measure/) can stand in for the
 * kernel.  C99, no system call newer than Linux 2.6.32.
 */
#ifndef MEASURE_SLAB_H
#define MEASURE_SLAB_H

#include <stddef.h>

enum slab_kind {
	SLAB_NONE,	/* SLOB, or no general caches found */
	SLAB_SLAB,	/* "size-N" caches, tunables in slabinfo */
	SLAB_SLUB,	/* "kmalloc-N", and kmalloc-rnd-NN-N where present */
};

/* The kmalloc classes an interpreter name of at most 124 bytes reaches. */
#define SLAB_NCLASSES	4
extern const unsigned int slab_class_sizes[SLAB_NCLASSES];

/*
 * The length of an interpreter name that kstrdup() puts in the class of
 * size (its NUL ends the object), at most max_len: what fits the '#!' line.
 */
size_t slab_name_len(unsigned int size, size_t max_len);
/*
 * The smallest class that a name at most max_len long, in a directory of
 * dir_len characters ("DIR/x"), reaches; 0 when none.
 */
unsigned int slab_reachable_class(size_t dir_len, size_t max_len);

#define SLABINFO_MAX	(1024 * 1024)

/* Read /proc/slabinfo (or path) into buf; 0, or -1 with errno. */
int slab_read(const char *path, char *buf, size_t size);

/* Which allocator the text shows. */
enum slab_kind slab_kind_of(const char *text);

/*
 * Active objects of the general kmalloc cache of this size (SLUB: the sum
 * of kmalloc-N and every kmalloc-rnd-NN-N); -1 when the text has none.
 */
long long slab_active(const char *text, enum slab_kind kind,
		      unsigned int size);

/* "size-32" or "kmalloc-32" into buf; returns buf. */
const char *slab_cache_name(enum slab_kind kind, unsigned int size,
			    char *buf, size_t bsize);

/*
 * SLAB: the line that writes the cache's tunables back unchanged,
 * "size-N limit batchcount shared"; 0, or -1 when the text has none.
 */
int slab_tunables(const char *text, unsigned int size, char *line,
		  size_t lsize);

/*
 * The lowmem one object of this cache takes when its slabs are full, in
 * bytes: pagesperslab * page_size / objperslab of the cache's slabinfo
 * line (SLAB size-32: 4096 / 113 = 36.2); 0 when the text has none.
 */
double slab_object_cost(const char *text, enum slab_kind kind,
			unsigned int size, long page_size);

/* ---- drain.c ---- */

enum slab_drain {
	DRAIN_NONE,
	DRAIN_SLUB_SHRINK,	/* 1 > /sys/kernel/slab/<cache>/shrink */
	DRAIN_SLAB_TUNE,	/* the cache's own tunables into /proc/slabinfo */
};

/* The drain that fits the allocator; DRAIN_NONE for SLAB_NONE. */
enum slab_drain slab_drain_for(enum slab_kind kind);
const char *slab_drain_name(enum slab_drain drain);

/*
 * Give the objects parked in per-CPU caches of this size class back to
 * their slabs; text is a fresh slabinfo (names and tunables).  Changes no
 * setting.  0, or -1 with errno.
 */
int slab_drain_class(enum slab_drain drain, const char *text,
		     unsigned int size);

#endif /* MEASURE_SLAB_H */
