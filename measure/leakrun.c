// SPDX-License-Identifier: GPL-2.0
/* A leak measurement on the running kernel (leakrun.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "leakrun.h"

/*
 * Drain the class of size (0: every class the text has) before a reading;
 * a failed drain turns draining off for good.
 */
static void drain_size(struct leak_run *lr, unsigned int size)
{
	int c;

	if (lr->drain == DRAIN_NONE)
		return;
	if (slab_read(NULL, lr->text, SLABINFO_MAX))
		goto fail;
	for (c = 0; c < SLAB_NCLASSES; c++) {
		unsigned int sz = size ? size : slab_class_sizes[c];

		if ((size || slab_active(lr->text, lr->kind, sz) >= 0) &&
		    slab_drain_class(lr->drain, lr->text, sz))
			goto fail;
		if (size)
			return;
	}
	return;
fail:
	lr->drain_errno = errno;
	lr->drain_failed = lr->drain;
	lr->drain = DRAIN_NONE;
}

void leak_run_drain(struct leak_run *lr)
{
	drain_size(lr, lr->size);
}

/*
 * A reading: drained, then the active objects of lr->size's class in
 * now[0] (none: ENOENT), or with every those of each class of
 * slab_class_sizes in now[c] (-1: no such cache).
 */
static int reading(struct leak_run *lr, int every, long long *now)
{
	int c;

	drain_size(lr, every ? 0 : lr->size);
	if (slab_read(NULL, lr->text, SLABINFO_MAX))
		return -1;
	for (c = 0; c < (every ? SLAB_NCLASSES : 1); c++)
		now[c] = slab_active(lr->text, lr->kind,
				     every ? slab_class_sizes[c] : lr->size);
	if (!every && now[0] < 0) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

int leak_run_init(struct leak_run *lr, unsigned int size)
{
	long long active;

	memset(lr, 0, sizeof(*lr));
	lr->size = size;
	lr->noise = -1;
	lr->drain = DRAIN_NONE;
	lr->drain_failed = DRAIN_NONE;
	lr->text = malloc(SLABINFO_MAX);
	if (!lr->text)
		return -1;
	if (slab_read(NULL, lr->text, SLABINFO_MAX))
		return -1;
	lr->kind = slab_kind_of(lr->text);
	if (size && reading(lr, 0, &active))
		return -1;
	lr->drain = slab_drain_for(lr->kind);
	if (size)
		leak_run_drain(lr);
	return 0;
}

void leak_run_free(struct leak_run *lr)
{
	free(lr->text);
	lr->text = NULL;
}

/*
 * A round of n execs in nparts parts, a reading (reading()) before and
 * after each part: lr->size's class into w->cls[0], or with every each
 * class, /proc/meminfo around the execs and lr->wide_hook around it all.
 */
static int round_parts(struct leak_run *lr, char *const argv[], int want,
		       long n, int nparts, int every, struct leak_wide *w)
{
	long long at[SLAB_NCLASSES], now[SLAB_NCLASSES];
	int c, k, nc = every ? SLAB_NCLASSES : 1;
	struct exec_stats one;
	long done = 0, m;

	memset(w, 0, sizeof(*w));
	w->n = n;
	if (nparts < 1)
		nparts = 1;
	if (nparts > LEAK_MAX_PARTS)
		nparts = LEAK_MAX_PARTS;
	if (every && lr->wide_hook)
		lr->wide_hook(lr->hook_ctx, 0);
	if (reading(lr, every, at))
		return -1;
	if (every)
		meminfo_now(&w->mem0);
	for (c = 0; c < nc; c++)
		w->cls[c].before = at[c];
	for (k = 0; k < nparts; k++) {
		m = (n * (k + 1)) / nparts - done;
		if (exec_loop(argv, m, want, &one))
			return -1;
		done += m;
		if (one.bad && !w->run.bad)
			w->run.first_bad = one.first_bad;
		w->run.bad += one.bad;
		w->run.secs += one.secs;
		if (reading(lr, every, now))
			return -1;
		for (c = 0; c < nc; c++) {
			if (nparts > 1)
				w->cls[c].part[k] = now[c] - at[c];
			at[c] = now[c];
		}
	}
	for (c = 0; c < nc; c++) {
		w->cls[c].n = n;
		w->cls[c].nparts = nparts > 1 ? nparts : 0;
		w->cls[c].after = at[c];
		w->cls[c].secs = w->run.secs;
	}
	if (every)
		meminfo_now(&w->mem1);
	if (every && lr->wide_hook)
		lr->wide_hook(lr->hook_ctx, 1);
	return 0;
}

int leak_run_round(struct leak_run *lr, char *const argv[], int want, long n,
		   int nparts, struct leak_round *r, struct exec_stats *st)
{
	struct leak_wide w;
	int ret = round_parts(lr, argv, want, n, nparts, 0, &w);

	*r = w.cls[0];
	*st = w.run;
	return ret;
}

int leak_run_wide(struct leak_run *lr, char *const argv[], int want, long n,
		  int nparts, struct leak_wide *w)
{
	return round_parts(lr, argv, want, n, nparts, 1, w);
}

int leak_run_control(struct leak_run *lr, char *const argv[], int want,
		     long n, int nrounds)
{
	struct exec_stats st;
	int i;

	if (nrounds > LEAK_RUN_MAX_CONTROL)
		nrounds = LEAK_RUN_MAX_CONTROL;
	lr->ncontrol = 0;
	for (i = 0; i < nrounds; i++) {
		if (leak_run_round(lr, argv, want, n, 0, &lr->control[i], &st))
			return -1;
		if (st.bad) {
			errno = EIO;
			return -1;
		}
		lr->ncontrol = i + 1;
	}
	lr->noise = leak_noise_bound(lr->control, nrounds);
	return 0;
}

int leak_run_pick(struct leak_run *lr, const struct leak_wide *w,
		  int nrounds, unsigned int min_size,
		  long long noise[SLAB_NCLASSES])
{
	struct leak_round r[LEAK_RUN_MAX_CONTROL];
	long long bound, best_bound = -1;
	int c, i, best = -1;

	if (nrounds > LEAK_RUN_MAX_CONTROL)
		nrounds = LEAK_RUN_MAX_CONTROL;
	for (c = 0; c < SLAB_NCLASSES; c++) {
		bound = -1;
		for (i = 0; i < nrounds; i++) {
			r[i] = w[i].cls[c];
			if (r[i].before < 0 || r[i].after < 0)
				break;
		}
		if (i == nrounds && slab_class_sizes[c] >= min_size)
			bound = leak_noise_bound(r, nrounds);
		if (noise)
			noise[c] = bound;
		if (bound >= 0 && (best < 0 || bound < best_bound)) {
			best = c;
			best_bound = bound;
		}
	}
	if (best < 0) {
		errno = ENOENT;
		return -1;
	}
	lr->size = slab_class_sizes[best];
	lr->noise = best_bound;
	lr->ncontrol = nrounds;
	for (i = 0; i < nrounds; i++)
		lr->control[i] = w[i].cls[best];
	return 0;
}

int leak_run_choose(struct leak_run *lr, char *const argv[], int want,
		    long n, int nrounds, unsigned int min_size)
{
	struct leak_wide w[LEAK_RUN_MAX_CONTROL];
	int i;

	if (nrounds > LEAK_RUN_MAX_CONTROL)
		nrounds = LEAK_RUN_MAX_CONTROL;
	for (i = 0; i < nrounds; i++) {
		if (leak_run_wide(lr, argv, want, n, 0, &w[i]))
			return -1;
		if (w[i].run.bad) {
			errno = EIO;
			return -1;
		}
	}
	return leak_run_pick(lr, w, nrounds, min_size, NULL);
}

int leak_run_control_after(struct leak_run *lr, char *const argv[], int want,
			   long n, double secs)
{
	const struct leak_round *c = &lr->control[0];
	struct exec_stats st;
	long m = n;

	if (lr->ncontrol >= LEAK_RUN_MAX_CONTROL) {
		errno = ENOSPC;
		return -1;
	}
	/* as long as the round judged, at the control's own rate */
	if (lr->ncontrol && c->secs > 0 && c->n > 0 && secs > c->secs)
		m = (long)(c->n * (secs / c->secs) + 0.5);
	if (m > 8 * n)
		m = 8 * n;
	if (m < n)
		m = n;
	if (leak_run_round(lr, argv, want, m, 0, &lr->control[lr->ncontrol],
			   &st))
		return -1;
	if (st.bad) {
		errno = EIO;
		return -1;
	}
	lr->ncontrol++;
	return 0;
}

int leak_run_judge(struct leak_run *lr, char *const argv[], int want, long n,
		   char *const control_argv[], int control_want,
		   leak_judge_fn *judge, struct leak_round *r,
		   struct leak_judgement *j, struct exec_stats *st)
{
	int drained = lr->drain != DRAIN_NONE;
	struct exec_stats one;
	int i;

	st->bad = 0;
	st->secs = 0;
	for (i = 0; i < leak_rule.rounds; i++) {
		if (lr->hook)
			lr->hook(lr->hook_ctx, 0, i, NULL);
		if (leak_run_round(lr, argv, want, n,
				   leak_parts(&leak_rule, drained), &r[i], &one))
			return -1;
		if (one.bad && !st->bad)
			st->first_bad = one.first_bad;
		st->bad += one.bad;
		st->secs += one.secs;
		judge(drained, lr->control, lr->ncontrol, r, i + 1, j);
		if (lr->hook && lr->hook(lr->hook_ctx, 1, i, &r[i]) == 1)
			return 0;
		if (j->verdict != LEAK_MORE)
			break;
	}
	if (j->verdict != LEAK_CLEAN && j->verdict != LEAK_LEAKY)
		return 0;
	/* a verdict stands only with a control round after its rounds */
	if (leak_run_control_after(lr, control_argv, control_want, n,
				   r[j->rounds - 1].secs))
		return -1;
	lr->noise = leak_noise_bound(lr->control, lr->ncontrol);
	judge(drained, lr->control, lr->ncontrol, r, j->rounds, j);
	return 0;
}
