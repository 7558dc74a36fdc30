/* SPDX-License-Identifier: GPL-2.0 */
/*
 * THE leak rule (leak.c): is a cache growing by about one object per exec?
 * Every tool that judges the interpreter-name leak from slab counts judges
 * with leak_judge() and leak_rule; docs/design.md ("Measurement library")
 * states the rule.  Pure: counts in, verdict out, so that it is tested on
 * fixtures.
 */
#ifndef MEASURE_LEAK_H
#define MEASURE_LEAK_H

#include <stddef.h>

struct leak_rule {
	double threshold;	/* objects/exec: at or above is a leak */
	double low, high;	/* one round decides below low, at/above high */
	int noise_gate;		/* ... when the noise bound * gate < execs */
	int max_rounds;		/* then two of this many rounds must agree */
	long min_execs;		/* fewest execs per round, undrained */
	long min_execs_drained;	/* fewest execs per round, drained */
};

/* The one rule: 0.5, 0.25..0.75, 8, 3, 500, 200. */
extern const struct leak_rule leak_rule;

/* One round of n execs: the watched cache's active objects around it. */
struct leak_round {
	long n;
	long long before, after;
};

enum leak_verdict {
	LEAK_MORE,	/* no verdict yet: run another round */
	LEAK_CLEAN,
	LEAK_LEAKY,
	LEAK_UNKNOWN,	/* could not tell: noise beyond the bound, too few execs */
};

struct leak_judgement {
	enum leak_verdict verdict;
	int rounds;		/* rounds the verdict used */
	long execs;		/* their execs */
	double worst;		/* largest |growth| per exec among them */
	double last;		/* growth per exec of the last of them */
	const char *rule;	/* what decided, for the report */
};

double leak_per_exec(const struct leak_round *r);

/* The noise bound: the largest |growth| of the control's rounds. */
long long leak_noise_bound(const struct leak_round *control, int n);

/* Can one round of n execs decide alone? (drained, noise * gate < n) */
int leak_single_round_ok(const struct leak_rule *rule, int drained,
			 long long noise, long n);

/* One round's own call: LEAK_MORE inside the band or when it cannot decide. */
enum leak_verdict leak_round_call(const struct leak_rule *rule, int drained,
				  long long noise, const struct leak_round *r);

/*
 * The verdict over rounds r[0..n-1], taken in order as they were run: the
 * first prefix that decides gives it (so extra rounds change nothing).
 * noise is leak_noise_bound() of the control loop (-1: none was run).
 */
void leak_judge(const struct leak_rule *rule, int drained, long long noise,
		const struct leak_round *r, int n, struct leak_judgement *out);

const char *leak_verdict_name(enum leak_verdict v);

/* The noise the rule separates, in words (for reports and "make bench"). */
const char *leak_rule_bound(const struct leak_rule *rule, char *buf,
			    size_t size);

/*
 * A tool's judgement: leak_judge() with leak_rule, drained, the control's
 * noise bound.  A tool names its own (it is what tests/measure-agree.sh
 * feeds fixtures to); every tool's must be leak_judge(&leak_rule, ...).
 */
typedef void leak_judge_fn(int drained, long long noise,
			   const struct leak_round *r, int n,
			   struct leak_judgement *j);

#endif /* MEASURE_LEAK_H */
