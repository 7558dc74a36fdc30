/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A slabinfo sequence (seq.c): the readings of one leak measurement in one
 * file, so that a tool's judgement can be fed a fixture instead of the
 * kernel.  Format (docs/design.md, "Measurement library"):
 *
 *	execs=500 drained=1 [size=32]
 *	=== control before
 *	<slabinfo text>
 *	=== control after [secs=S]
 *	...
 *	=== loop before
 *	...
 *	=== loop part
 *	...
 *	=== loop after [secs=S]
 *	...
 *
 * "before"/"after" pairs in order, with up to LEAK_MAX_PARTS - 1 "part"
 * readings between them (the round's parts: none when there is none),
 * and the seconds the round's execs took after "after" (optional); up
 * to SEQ_MAX_ROUNDS rounds of each kind.
 */
#ifndef MEASURE_SEQ_H
#define MEASURE_SEQ_H

#include <stddef.h>

#include "leak.h"
#include "slab.h"

#define SEQ_MAX_ROUNDS	8

struct leak_seq {
	long execs;
	int drained;
	unsigned int size;		/* cache class watched; default 32 */
	enum slab_kind kind;
	int ncontrol, nloop;
	struct leak_round control[SEQ_MAX_ROUNDS];
	struct leak_round loop[SEQ_MAX_ROUNDS];
};

/* Load and count a sequence file; 0, or -1 with a reason in err. */
int leak_seq_load(const char *path, struct leak_seq *s, char *err,
		  size_t errsize);

/*
 * A tool's --judge-slabinfo FILE: load the sequence, give its control and
 * loop rounds to the tool's judge, print
 * "verdict=clean|leaky|unknown|more rule=... rounds=N execs=N".  Returns
 * the exit code: 0 clean, 1 leaky, 4 could not tell, 2 unreadable.
 */
int leak_seq_judge(const char *path, leak_judge_fn *judge);

#endif /* MEASURE_SEQ_H */
