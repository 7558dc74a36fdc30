/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A leak measurement of one cache on the running kernel (leakrun.c): the
 * drain, control rounds that learn the noise bound, and rounds of the
 * loop under test, each read in parts, until the leak rule (leak.h)
 * decides; then one more control round, as long as the rounds judged, and
 * the rule again with it (noise that started after the first control
 * rounds is seen).  For tools that watch one known cache (the live
 * driver, execfix-check); interp_leak watches every candidate cache and
 * uses the parts directly.
 */
#ifndef MEASURE_LEAKRUN_H
#define MEASURE_LEAKRUN_H

#include "execloop.h"
#include "leak.h"
#include "slab.h"

#define LEAK_RUN_MAX_CONTROL	8
/* control rounds before the rounds judged */
#define LEAK_RUN_CONTROL	2

struct leak_run {
	enum slab_kind kind;
	enum slab_drain drain;
	unsigned int size;	/* the cache class watched */
	long long noise;	/* the control's bound as read; -1 before it ran */
	int ncontrol;		/* the control's rounds (before and after) */
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

/*
 * One round: n execs of argv (each exiting want) in nparts parts (0: one),
 * the cache drained and counted before and after each; its seconds.
 */
int leak_run_round(struct leak_run *lr, char *const argv[], int want, long n,
		   int nparts, struct leak_round *r, struct exec_stats *st);

/*
 * One more control round of argv after the rounds judged, at least n execs
 * and as long as secs (from the control's rate), added to lr->control.
 */
int leak_run_control_after(struct leak_run *lr, char *const argv[], int want,
			   long n, double secs);

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
 * Rounds of argv until judge decides (at most leak_rule.rounds), each in
 * leak_parts() parts; after a verdict, one control round of control_argv
 * (control_want) as long as the last round (leak_run_control_after())
 * and judge again with it.  The rounds are left in r (room for
 * leak_rule.rounds).  0, or -1 with errno when a round could not be
 * measured; st->bad counts bad execs.  When lr->hook stops the rounds, j
 * is the judgement of those run.
 */
int leak_run_judge(struct leak_run *lr, char *const argv[], int want, long n,
		   char *const control_argv[], int control_want,
		   leak_judge_fn *judge, struct leak_round *r,
		   struct leak_judgement *j, struct exec_stats *st);

#endif /* MEASURE_LEAKRUN_H */
