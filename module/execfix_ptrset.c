// SPDX-License-Identifier: GPL-2.0
/*
 * The pointer set of execfix_ptrset.h.
 */
#include <linux/errno.h>
#include <linux/hash.h>
#include <linux/string.h>
#include "execfix_ptrset.h"

static unsigned int exptr_home(unsigned long ptr)
{
	return hash_long(ptr, EXPTR_BITS);
}

static unsigned int exptr_next(unsigned int i)
{
	return (i + 1) & (EXPTR_SLOTS - 1);
}

/* Slot of ptr, or -1. */
static int exptr_find(const struct exptr_set *set, unsigned long ptr)
{
	unsigned int i = exptr_home(ptr);

	while (set->slot[i]) {
		if (set->slot[i] == ptr)
			return i;
		i = exptr_next(i);
	}
	return -1;
}

bool exptr_has(const struct exptr_set *set, unsigned long ptr)
{
	return exptr_find(set, ptr) >= 0;
}

int exptr_add(struct exptr_set *set, unsigned long ptr)
{
	unsigned int i = exptr_home(ptr);

	if (set->count >= EXPTR_MAX)
		return -ENOSPC;
	while (set->slot[i])
		i = exptr_next(i);
	set->slot[i] = ptr;
	set->count++;
	return 0;
}

int exptr_del(struct exptr_set *set, unsigned long ptr)
{
	int found = exptr_find(set, ptr);
	unsigned int i, j, home;

	if (found < 0)
		return 0;
	/* Backward-shift deletion keeps every probe chain unbroken. */
	i = j = found;
	for (;;) {
		set->slot[i] = 0;
		for (;;) {
			j = exptr_next(j);
			if (!set->slot[j])
				goto done;
			home = exptr_home(set->slot[j]);
			/* Move j's entry to i unless its home is in (i, j]. */
			if (i <= j ? (home <= i || home > j) :
				     (home <= i && home > j))
				break;
		}
		set->slot[i] = set->slot[j];
		i = j;
	}
done:
	set->count--;
	return 1;
}

void exptr_clear(struct exptr_set *set)
{
	memset(set, 0, sizeof(*set));
}
