/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A leak measurement on the running kernel (leakrun.c): the drain,
 * control rounds that learn the noise bound, and rounds of the loop under
 * test, each read in parts, until the leak rule (leak.h) decides; then
 * one more control round, as long as the rounds judged, and the rule
 * again with it (noise that started after the first control rounds is
 * seen).  A round watches one known cache (leak_run_round(): the live
 * driver, execfix-check) or every kmalloc class an interpreter name can
 * reach, with /proc/meminfo around it (leak_run_wide(): interp_leak, and
 * leak_run_choose() to choose the cache).
 */
#ifndef MEASURE_LEAKRUN_H
#define MEASURE_LEAKRUN_H

#include "execloop.h"
#include "leak.h"
#include "lowmem.h"
#include "slab.h"

#define LEAK_RUN_MAX_CONTROL	8
/* control rounds before the rounds judged */
#define LEAK_RUN_CONTROL	2

struct leak_run {
	enum slab_kind kind;
	enum slab_drain drain;	/* DRAIN_NONE once a drain failed */
	enum slab_drain drain_failed;	/* the drain that failed, DRAIN_NONE */
	int drain_errno;		/* and why: for a tool that says so */
	unsigned int size;	/* the cache class watched; 0: not chosen */
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
	/*
	 * Called by leak_run_wide() before each of its rounds (after=0,
	 * before the drain) and after it (after=1, the last reading taken),
	 * for counts read around every round (interp_leak's test module).
	 * NULL for none.
	 */
	void (*wide_hook)(void *ctx, int after);
	void *hook_ctx;		/* passed to either hook */
};

/*
 * Set up for the cache class of size: read slabinfo, pick the drain and
 * try it (DRAIN_NONE when it fails).  Size 0: the class is chosen later
 * (leak_run_pick()) and the drain, when there is one (lr->kind SLAB_NONE:
 * no general caches), tried by leak_run_drain() or the first round.  0, or
 * -1 with errno (no slabinfo; ENOENT: no such cache).
 */
int leak_run_init(struct leak_run *lr, unsigned int size);
void leak_run_free(struct leak_run *lr);

/*
 * Drain the class of lr->size (every class when it is 0), as a round does
 * before each reading.  A drain that fails turns draining off for good:
 * lr->drain becomes DRAIN_NONE, lr->drain_failed and lr->drain_errno say
 * which and why (a round drains this way too).
 */
void leak_run_drain(struct leak_run *lr);

/*
 * One round: n execs of argv (each exiting want) in nparts parts (0: one),
 * the cache drained and counted before and after each; its seconds.
 */
int leak_run_round(struct leak_run *lr, char *const argv[], int want, long n,
		   int nparts, struct leak_round *r, struct exec_stats *st);

/*
 * One round read wide: every class of slab_class_sizes (cls[c]; before
 * and after -1: no such cache), drained as one and counted before and
 * after each part, and /proc/meminfo before the first exec and after the
 * last reading.
 */
struct leak_wide {
	long n;
	struct leak_round cls[SLAB_NCLASSES];
	struct meminfo_sample mem0, mem1;
	struct exec_stats run;	/* run.secs: the execs' seconds */
};

/*
 * One wide round: n execs of argv (each exiting want) in nparts parts (0:
 * one), lr->wide_hook around it.  0, or -1 with errno.
 */
int leak_run_wide(struct leak_run *lr, char *const argv[], int want, long n,
		  int nparts, struct leak_wide *w);

/*
 * Choose the cache from control rounds read wide, w[0..nrounds-1]: the
 * class of at least min_size, present in every round, with the smallest
 * largest |growth| (the first of equals) becomes lr->size, its rounds
 * lr->control and their bound lr->noise.  noise[c] (when not NULL) is
 * each class's bound, -1 for a class not considered.  0, or -1 with errno
 * ENOENT (no such class).
 */
int leak_run_pick(struct leak_run *lr, const struct leak_wide *w,
		  int nrounds, unsigned int min_size,
		  long long noise[SLAB_NCLASSES]);

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
 * The control when the cache is to be chosen: nrounds wide rounds of argv
 * (an exec off its path: EIO), then leak_run_pick().  0, or -1 with errno
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
