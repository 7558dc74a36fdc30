// SPDX-License-Identifier: GPL-2.0
/* A leak measurement of one cache on the running kernel (leakrun.h). */
#include <errno.h>
#include <stdlib.h>

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

/* Drain before a reading; a failed drain turns draining off for good. */
static void drain(struct leak_run *lr)
{
	if (lr->drain == DRAIN_NONE)
		return;
	if (slab_read(NULL, lr->text, SLABINFO_MAX) ||
	    slab_drain_class(lr->drain, lr->text, lr->size))
		lr->drain = DRAIN_NONE;
}

int leak_run_init(struct leak_run *lr, unsigned int size)
{
	long long active;

	lr->size = size;
	lr->noise = -1;
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
		   struct leak_round *r, struct exec_stats *st)
{
	r->n = n;
	drain(lr);
	if (count(lr, &r->before) || exec_loop(argv, n, want, st))
		return -1;
	drain(lr);
	return count(lr, &r->after);
}

int leak_run_control(struct leak_run *lr, char *const argv[], int want,
		     long n, int nrounds)
{
	struct leak_round r[8];
	struct exec_stats st;
	int i;

	if (nrounds > 8)
		nrounds = 8;
	for (i = 0; i < nrounds; i++) {
		if (leak_run_round(lr, argv, want, n, &r[i], &st))
			return -1;
		if (st.bad) {
			errno = EIO;
			return -1;
		}
	}
	lr->noise = leak_noise_bound(r, nrounds);
	return 0;
}

int leak_run_judge(struct leak_run *lr, char *const argv[], int want, long n,
		   leak_judge_fn *judge, struct leak_round *r,
		   struct leak_judgement *j, struct exec_stats *st)
{
	struct exec_stats one;
	int i;

	st->bad = 0;
	st->secs = 0;
	for (i = 0; i < leak_rule.max_rounds; i++) {
		if (leak_run_round(lr, argv, want, n, &r[i], &one))
			return -1;
		if (one.bad && !st->bad)
			st->first_bad = one.first_bad;
		st->bad += one.bad;
		st->secs += one.secs;
		judge(lr->drain != DRAIN_NONE, lr->noise, r, i + 1, j);
		if (j->verdict != LEAK_MORE)
			break;
	}
	return 0;
}
