// SPDX-License-Identifier: GPL-2.0
/*
 * The leak rule.  A leaking kernel leaves one object per '#!' exec (two
 * for a nested script) in the kmalloc cache the interpreter name lands
 * in; a correct one leaves none.  Growth per exec at or above 0.5 is a
 * leak.  What a reading adds is noise: other tasks' allocations and, when
 * the per-CPU caches are not drained, whole slabs (128 objects in
 * kmalloc-32).  The noise is learnt, never assumed: a control loop of
 * plain ELF execs (no interpreter name) runs first and its largest
 * |growth| per round is the bound B.
 *
 *  - could not tell: a round shorter than the minimum (200 execs drained,
 *    500 undrained: one slab of noise must stay under a quarter of the
 *    threshold's objects), no control loop, or B at least half the
 *    round's execs (the control alone would look like a leak);
 *  - one round decides when the counts were drained and B * 8 < n:
 *    below 0.25/exec clean, at or above 0.75 leaky (a wrong verdict needs
 *    noise of n/4 in one round, at least twice B);
 *  - otherwise two rounds must agree at 0.5, a third decides when they do
 *    not.
 */
#include <stddef.h>
#include <stdio.h>

#include "leak.h"

const struct leak_rule leak_rule = {
	.threshold = 0.5,
	.low = 0.25,
	.high = 0.75,
	.noise_gate = 8,
	.max_rounds = 3,
	.min_execs = 500,
	.min_execs_drained = 200,
};

double leak_per_exec(const struct leak_round *r)
{
	return r->n > 0 ? (double)(r->after - r->before) / r->n : 0.0;
}

long long leak_noise_bound(const struct leak_round *control, int n)
{
	long long bound = -1;
	int i;

	for (i = 0; i < n; i++) {
		long long d = control[i].after - control[i].before;

		if (d < 0)
			d = -d;
		if (d > bound)
			bound = d;
	}
	return bound;
}

int leak_single_round_ok(const struct leak_rule *rule, int drained,
			 long long noise, long n)
{
	return drained && noise >= 0 && noise * rule->noise_gate < n;
}

enum leak_verdict leak_round_call(const struct leak_rule *rule, int drained,
				  long long noise, const struct leak_round *r)
{
	double pe = leak_per_exec(r);

	if (!leak_single_round_ok(rule, drained, noise, r->n))
		return LEAK_MORE;
	if (pe < rule->low)
		return LEAK_CLEAN;
	if (pe >= rule->high)
		return LEAK_LEAKY;
	return LEAK_MORE;
}

/* Why a round cannot be judged at all, or NULL. */
static const char *unjudgeable(const struct leak_rule *rule, int drained,
			       long long noise, const struct leak_round *r)
{
	if (r->n < (drained ? rule->min_execs_drained : rule->min_execs))
		return "too few execs per round";
	if (noise < 0)
		return "no control loop";
	if (noise >= r->n * rule->threshold)
		return "control noise beyond the bound";
	return NULL;
}

void leak_judge(const struct leak_rule *rule, int drained, long long noise,
		const struct leak_round *r, int n, struct leak_judgement *out)
{
	int i, nleaky = 0, nclean = 0;

	out->verdict = LEAK_MORE;
	out->rounds = 0;
	out->execs = 0;
	out->worst = 0;
	out->last = 0;
	out->rule = "more rounds needed";
	for (i = 0; i < n && i < rule->max_rounds; i++) {
		double pe = leak_per_exec(&r[i]);
		const char *why = unjudgeable(rule, drained, noise, &r[i]);
		enum leak_verdict call;

		out->rounds = i + 1;
		out->execs += r[i].n;
		out->last = pe;
		if ((pe < 0 ? -pe : pe) > out->worst)
			out->worst = pe < 0 ? -pe : pe;
		if (why) {
			out->verdict = LEAK_UNKNOWN;
			out->rule = why;
			return;
		}
		if (pe >= rule->threshold)
			nleaky++;
		else
			nclean++;
		call = leak_round_call(rule, drained, noise, &r[i]);
		if (call != LEAK_MORE) {
			out->verdict = call;
			out->rule = "one decisive round";
			return;
		}
		if (nleaky >= 2 || nclean >= 2) {
			out->verdict = nleaky >= 2 ? LEAK_LEAKY : LEAK_CLEAN;
			out->rule = "2 of 3 rounds";
			return;
		}
	}
	if (out->rounds >= rule->max_rounds) {
		out->verdict = LEAK_UNKNOWN;
		out->rule = "rounds disagree";
	}
}

const char *leak_verdict_name(enum leak_verdict v)
{
	switch (v) {
	case LEAK_CLEAN:
		return "clean";
	case LEAK_LEAKY:
		return "leaky";
	case LEAK_UNKNOWN:
		return "unknown";
	default:
		return "more";
	}
}

const char *leak_rule_bound(const struct leak_rule *rule, char *buf,
			    size_t size)
{
	snprintf(buf, size,
		 "verdicts where the control's noise B (largest |growth| of a control round) stays below %.2f x the execs of a round (rounds of at least %ld execs, %ld drained), else could not tell; one round decides when drained and %d x B < execs",
		 rule->threshold, rule->min_execs, rule->min_execs_drained,
		 rule->noise_gate);
	return buf;
}
