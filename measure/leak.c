// SPDX-License-Identifier: GPL-2.0
/*
 * The leak rule.  A leaking kernel leaves one object per '#!' exec (two
 * for a nested script) in the kmalloc cache the interpreter name lands
 * in; a correct one leaves none.  Growth per exec at or above 0.5 is a
 * leak.  What a reading adds is noise: other tasks' allocations and, when
 * the per-CPU caches are not drained, whole slabs (128 objects in
 * kmalloc-32).  The noise is learnt, never assumed: control rounds of
 * plain ELF execs (no interpreter name) run before the rounds judged and
 * one after them, and each round judged is held to the largest |growth|
 * of a control round, scaled up to its own duration where it took longer
 * (noise that grows with time, as a busy host's, grows in proportion).
 *
 * A leak is steady: it grows by the threshold or more in every part of a
 * round, since every exec leaks; noise that comes in steps (a burst of
 * allocations, a batch freed) moves one part.  Two parts: a reading taken
 * while another task allocates moves by up to a per-CPU batch (SLAB's
 * refill of size-32 is 60 objects), which a quarter of a 500-exec round's
 * leak (62) would not absorb; half of it (125) does.  So:
 *
 *  - could not tell: a round shorter than the minimum (200 execs drained,
 *    500 undrained: one slab of noise must stay under a quarter of the
 *    threshold's objects), no control, noise of at least half the
 *    round's execs (the control alone would look like a leak), a round
 *    whose parts disagree (noise in steps as large as the leak), or two
 *    rounds that disagree;
 *  - leaky: two rounds, each and each of its parts at or above the
 *    threshold; clean: two rounds, each and each of its parts below it.
 *
 * No single round decides: a step of noise between two readings of a quiet
 * control would be taken for a leak (or hide one) in one round.
 */
#include <stddef.h>
#include <stdio.h>

#include "leak.h"

const struct leak_rule leak_rule = {
	.threshold = 0.5,
	.parts = 2,
	.rounds = 2,
	.min_execs = 500,
	.min_execs_drained = 200,
};

double leak_per_exec(const struct leak_round *r)
{
	return r->n > 0 ? (double)(r->after - r->before) / r->n : 0.0;
}

static long long growth_abs(const struct leak_round *r)
{
	long long d = r->after - r->before;

	return d < 0 ? -d : d;
}

long long leak_noise_bound(const struct leak_round *control, int n)
{
	long long bound = -1;
	int i;

	for (i = 0; i < n; i++)
		if (growth_abs(&control[i]) > bound)
			bound = growth_abs(&control[i]);
	return bound;
}

long long leak_round_noise(const struct leak_round *control, int nc,
			   const struct leak_round *r)
{
	long long bound = -1, b;
	int i;

	for (i = 0; i < nc; i++) {
		b = growth_abs(&control[i]);
		if (r->secs > control[i].secs && control[i].secs > 0)
			b = (long long)(b * (r->secs / control[i].secs) + 0.5);
		if (b > bound)
			bound = b;
	}
	return bound;
}

int leak_parts(const struct leak_rule *rule, int drained)
{
	int n = rule->parts;

	(void)drained;
	return n < 1 ? 1 : n > LEAK_MAX_PARTS ? LEAK_MAX_PARTS : n;
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

static const char *why_mixed = "a round's parts disagree (noise in steps)";

enum leak_verdict leak_round_call(const struct leak_rule *rule, int drained,
				  long long noise, const struct leak_round *r)
{
	int leaky = leak_per_exec(r) >= rule->threshold, k;
	double part_min = r->nparts ?
			  rule->threshold * r->n / r->nparts : 0;

	if (unjudgeable(rule, drained, noise, r))
		return LEAK_UNKNOWN;
	for (k = 0; k < r->nparts; k++)
		if ((r->part[k] >= part_min) != leaky)
			return LEAK_MORE;
	return leaky ? LEAK_LEAKY : LEAK_CLEAN;
}

void leak_judge(const struct leak_rule *rule, int drained,
		const struct leak_round *control, int nc,
		const struct leak_round *r, int n, struct leak_judgement *out)
{
	enum leak_verdict first = LEAK_MORE;
	int i;

	out->verdict = LEAK_MORE;
	out->rounds = 0;
	out->execs = 0;
	out->worst = 0;
	out->last = 0;
	out->noise = -1;
	out->rule = "more rounds needed";
	for (i = 0; i < n && i < rule->rounds; i++) {
		long long noise = nc > 0 ? leak_round_noise(control, nc, &r[i]) : -1;
		double pe = leak_per_exec(&r[i]);
		const char *why = unjudgeable(rule, drained, noise, &r[i]);
		enum leak_verdict call;

		out->rounds = i + 1;
		out->execs += r[i].n;
		out->last = pe;
		if ((pe < 0 ? -pe : pe) > out->worst)
			out->worst = pe < 0 ? -pe : pe;
		if (noise > out->noise)
			out->noise = noise;
		if (why) {
			out->verdict = LEAK_UNKNOWN;
			out->rule = why;
			return;
		}
		call = leak_round_call(rule, drained, noise, &r[i]);
		if (call == LEAK_MORE) {
			out->verdict = LEAK_UNKNOWN;
			out->rule = why_mixed;
			return;
		}
		if (i == 0) {
			first = call;
			continue;
		}
		if (call != first) {
			out->verdict = LEAK_UNKNOWN;
			out->rule = "rounds disagree";
			return;
		}
	}
	if (out->rounds >= rule->rounds) {
		out->verdict = first;
		out->rule = "2 rounds agree";
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
		 "a verdict where the noise bound B (the largest |growth| of a control round, scaled to the round's duration) stays below %.2f x the execs of a round and the noise moves no part of a round across %.2f objects/exec (%d parts); %d rounds must agree; rounds of at least %ld execs (%ld drained); else could not tell",
		 rule->threshold, rule->threshold, rule->parts, rule->rounds,
		 rule->min_execs, rule->min_execs_drained);
	return buf;
}
