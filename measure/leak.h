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

/* Readings inside a round, at most: the round in this many parts. */
#define LEAK_MAX_PARTS	4

struct leak_rule {
	double threshold;	/* objects/exec: at or above is a leak */
	int parts;		/* a round is read in this many parts */
	int rounds;		/* this many rounds must agree */
	long min_execs;		/* fewest execs per round, undrained */
	long min_execs_drained;	/* fewest execs per round, drained */
};

/* The one rule: 0.5, 2 parts, 2 rounds, 500, 200. */
extern const struct leak_rule leak_rule;

/*
 * One round of n execs: the watched cache's active objects around it, the
 * growth of each of its nparts parts (each n / nparts execs; 0 parts: not
 * read inside) and the seconds its execs took (0: not known).
 */
struct leak_round {
	long n;
	long long before, after;
	double secs;
	int nparts;
	long long part[LEAK_MAX_PARTS];
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
	long long noise;	/* the largest noise bound applied to them */
	const char *rule;	/* what decided, for the report */
};

double leak_per_exec(const struct leak_round *r);

/* The control's largest |growth| per round, as read (-1: no control). */
long long leak_noise_bound(const struct leak_round *control, int n);

/*
 * The noise bound that applies to round r: each control round's |growth|,
 * scaled up to r's duration when r took longer (noise that grows with
 * time grows more in a longer round), the largest of them; -1 without
 * control rounds.
 */
long long leak_round_noise(const struct leak_round *control, int nc,
			   const struct leak_round *r);

/* How many parts a round is read in (leak_rule.parts, within LEAK_MAX_PARTS). */
int leak_parts(const struct leak_rule *rule, int drained);

/*
 * One round's own call, given the noise bound that applies to it: LEAK_LEAKY
 * when it and each of its parts grew at or above the threshold, LEAK_CLEAN
 * when it and each part stayed below, LEAK_MORE when its parts disagree
 * (a step of noise inside the round, not a leak's steady growth), and
 * LEAK_UNKNOWN when the round cannot be judged at all (too few execs, no
 * control, noise at half its execs or more).
 */
enum leak_verdict leak_round_call(const struct leak_rule *rule, int drained,
				  long long noise, const struct leak_round *r);

/*
 * The verdict over rounds r[0..n-1], taken in order as they were run, with
 * the control rounds control[0..nc-1] (run before them and, for a verdict
 * to stand, one after: leakrun.c's runners do that): the first prefix that
 * decides gives it (so extra rounds change nothing).
 */
void leak_judge(const struct leak_rule *rule, int drained,
		const struct leak_round *control, int nc,
		const struct leak_round *r, int n, struct leak_judgement *out);

const char *leak_verdict_name(enum leak_verdict v);

/* The noise the rule separates, in words (for reports and "make bench"). */
const char *leak_rule_bound(const struct leak_rule *rule, char *buf,
			    size_t size);

/*
 * A tool's judgement: leak_judge() with leak_rule, drained, the control
 * rounds.  A tool names its own (it is what tests/measure-agree.sh feeds
 * fixtures to); every tool's must be leak_judge(&leak_rule, ...).
 */
typedef void leak_judge_fn(int drained, const struct leak_round *control,
			   int nc, const struct leak_round *r, int n,
			   struct leak_judgement *j);

#endif /* MEASURE_LEAK_H */
