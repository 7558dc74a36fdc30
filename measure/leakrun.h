/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A leak measurement of one cache on the running kernel (leakrun.c): the
 * drain, a control loop that learns the noise bound, and rounds of the
 * loop under test until the leak rule (leak.h) decides.  For tools that
 * watch one known cache (the live driver, execfix-check); interp_leak
 * watches every candidate cache and uses the parts directly.
 */
#ifndef MEASURE_LEAKRUN_H
#define MEASURE_LEAKRUN_H

#include "execloop.h"
#include "leak.h"
#include "slab.h"

#define LEAK_RUN_MAX_CONTROL	8

struct leak_run {
	enum slab_kind kind;
	enum slab_drain drain;
	unsigned int size;	/* the cache class watched */
	long long noise;	/* the control's bound; -1 before it ran */
	int ncontrol;		/* the control's rounds, for the report */
	struct leak_round control[LEAK_RUN_MAX_CONTROL];
	char *text;		/* the last slabinfo read */
	/*
	 * Called by leak_run_judge() before (after=0, r NULL) and after
	 * (after=1) each round, for counts a tool has besides the slab (a
	 * module's exact ones); returning 1 after a round stops the rounds:
	 * the hook decided.  NULL (leak_run_init()'s) for none.
	 */
	int (*hook)(void *ctx, int after, int round,
		    const struct leak_round *r);
	void *hook_ctx;
};

/*
 * Set up for the cache class of size: read slabinfo, pick the drain and
 * try it (DRAIN_NONE when it fails).  0, or -1 with errno (no slabinfo, no
 * such cache).
 */
int leak_run_init(struct leak_run *lr, unsigned int size);
void leak_run_free(struct leak_run *lr);

/* One round: drain, count, n execs of argv (each exiting want), drain, count. */
int leak_run_round(struct leak_run *lr, char *const argv[], int want, long n,
		   struct leak_round *r, struct exec_stats *st);

/*
 * The control: nrounds (at most LEAK_RUN_MAX_CONTROL) rounds of argv,
 * their largest |growth| the bound.
 */
int leak_run_control(struct leak_run *lr, char *const argv[], int want,
		     long n, int nrounds);

/*
 * The control when the cache is to be chosen (as interp_leak chooses):
 * nrounds rounds of argv watching every class of slab_class_sizes of at
 * least min_size (drained as one); the quietest becomes lr->size, its
 * rounds lr->control and their bound lr->noise.  0, or -1 with errno
 * (ENOENT: no such class in slabinfo).
 */
int leak_run_choose(struct leak_run *lr, char *const argv[], int want,
		    long n, int nrounds, unsigned int min_size);

/*
 * Rounds of argv until judge decides (at most leak_rule.max_rounds); the
 * rounds are left in r (room for leak_rule.max_rounds).  0, or -1 with
 * errno when a round could not be measured; st->bad counts bad execs.
 * When lr->hook stops the rounds, j is the judgement of those run.
 */
int leak_run_judge(struct leak_run *lr, char *const argv[], int want, long n,
		   leak_judge_fn *judge, struct leak_round *r,
		   struct leak_judgement *j, struct exec_stats *st);

#endif /* MEASURE_LEAKRUN_H */
