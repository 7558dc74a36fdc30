// SPDX-License-Identifier: GPL-2.0
/* A leak measurement of one cache on the running kernel (leakrun.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "leakrun.h"

static int count(struct leak_run *lr, long long *active)
{
	if (slab_read(NULL, lr->text, SLABINFO_MAX))
		return -1;
	*active = slab_active(lr->text, lr->kind, lr->size);
	if (*active < 0) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

/*
 * Drain the class of size (0: every class the text has) before a reading;
 * a failed drain turns draining off for good.
 */
static void drain_size(struct leak_run *lr, unsigned int size)
{
	int c;

	if (lr->drain == DRAIN_NONE)
		return;
	if (slab_read(NULL, lr->text, SLABINFO_MAX)) {
		lr->drain = DRAIN_NONE;
		return;
	}
	for (c = 0; c < SLAB_NCLASSES; c++) {
		unsigned int sz = size ? size : slab_class_sizes[c];

		if ((size || slab_active(lr->text, lr->kind, sz) >= 0) &&
		    slab_drain_class(lr->drain, lr->text, sz)) {
			lr->drain = DRAIN_NONE;
			return;
		}
		if (size)
			return;
	}
}

static void drain(struct leak_run *lr)
{
	drain_size(lr, lr->size);
}

int leak_run_init(struct leak_run *lr, unsigned int size)
{
	long long active;

	lr->size = size;
	lr->noise = -1;
	lr->ncontrol = 0;
	lr->hook = NULL;
	lr->hook_ctx = NULL;
	lr->drain = DRAIN_NONE;
	lr->text = malloc(SLABINFO_MAX);
	if (!lr->text)
		return -1;
	if (slab_read(NULL, lr->text, SLABINFO_MAX))
		return -1;
	lr->kind = slab_kind_of(lr->text);
	if (count(lr, &active))
		return -1;
	lr->drain = slab_drain_for(lr->kind);
	drain(lr);
	return 0;
}

void leak_run_free(struct leak_run *lr)
{
	free(lr->text);
	lr->text = NULL;
}

int leak_run_round(struct leak_run *lr, char *const argv[], int want, long n,
		   int nparts, struct leak_round *r, struct exec_stats *st)
{
	struct exec_stats one;
	long long at;
	long done = 0, m;
	int k;

	memset(r, 0, sizeof(*r));
	memset(st, 0, sizeof(*st));
	r->n = n;
	if (nparts < 1)
		nparts = 1;
	if (nparts > LEAK_MAX_PARTS)
		nparts = LEAK_MAX_PARTS;
	drain(lr);
	if (count(lr, &r->before))
		return -1;
	at = r->before;
	for (k = 0; k < nparts; k++) {
		long long now;

		m = (n * (k + 1)) / nparts - done;
		if (exec_loop(argv, m, want, &one))
			return -1;
		done += m;
		if (one.bad && !st->bad)
			st->first_bad = one.first_bad;
		st->bad += one.bad;
		st->secs += one.secs;
		drain(lr);
		if (count(lr, &now))
			return -1;
		if (nparts > 1)
			r->part[k] = now - at;
		at = now;
	}
	r->nparts = nparts > 1 ? nparts : 0;
	r->after = at;
	r->secs = st->secs;
	return 0;
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

int leak_run_choose(struct leak_run *lr, char *const argv[], int want,
		    long n, int nrounds, unsigned int min_size)
{
	struct leak_round r[SLAB_NCLASSES][LEAK_RUN_MAX_CONTROL];
	long long bound, best_bound = -1;
	struct exec_stats st;
	int c, i, best = -1;

	if (nrounds > LEAK_RUN_MAX_CONTROL)
		nrounds = LEAK_RUN_MAX_CONTROL;
	for (i = 0; i < nrounds; i++) {
		drain_size(lr, 0);
		if (slab_read(NULL, lr->text, SLABINFO_MAX))
			return -1;
		for (c = 0; c < SLAB_NCLASSES; c++) {
			r[c][i].n = n;
			r[c][i].before = slab_active(lr->text, lr->kind,
						     slab_class_sizes[c]);
		}
		if (exec_loop(argv, n, want, &st))
			return -1;
		if (st.bad) {
			errno = EIO;
			return -1;
		}
		drain_size(lr, 0);
		if (slab_read(NULL, lr->text, SLABINFO_MAX))
			return -1;
		for (c = 0; c < SLAB_NCLASSES; c++) {
			r[c][i].after = slab_active(lr->text, lr->kind,
						    slab_class_sizes[c]);
			r[c][i].secs = st.secs;
			r[c][i].nparts = 0;
		}
	}
	for (c = 0; c < SLAB_NCLASSES; c++) {
		if (slab_class_sizes[c] < min_size)
			continue;
		for (i = 0; i < nrounds; i++)
			if (r[c][i].before < 0 || r[c][i].after < 0)
				break;
		if (i < nrounds)
			continue;
		bound = leak_noise_bound(r[c], nrounds);
		if (best < 0 || bound < best_bound) {
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
		lr->control[i] = r[best][i];
	return 0;
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
