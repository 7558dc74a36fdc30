/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fixed set of kernel pointers (the interpreter strings both modules
 * track): open addressing with linear probing, backward-shift deletion.
 * 0 is never a member. The caller serialises all calls (its own lock).
 */
#ifndef EXECFIX_PTRSET_H
#define EXECFIX_PTRSET_H

#include <linux/types.h>

#define EXPTR_BITS	13
#define EXPTR_SLOTS	(1 << EXPTR_BITS)
/* Half full at most, so that linear probing stays short. */
#define EXPTR_MAX	(EXPTR_SLOTS / 2)

struct exptr_set {
	unsigned long slot[EXPTR_SLOTS];
	unsigned int count;
};

/* Whether ptr is in the set. */
bool exptr_has(const struct exptr_set *set, unsigned long ptr);

/* Add ptr (no check for a copy already there): 0, or -ENOSPC when full. */
int exptr_add(struct exptr_set *set, unsigned long ptr);

/* Remove one copy of ptr: 1 when it was there, else 0. */
int exptr_del(struct exptr_set *set, unsigned long ptr);

/* Empty the set. */
void exptr_clear(struct exptr_set *set);

#endif
