// SPDX-License-Identifier: GPL-2.0
/*
 * live-guest: noise_table, the leak verdicts of execfix-check and
 * interp_leak under a known noise profile, run after run, in one guest
 * (module/testing/host/noise-table boots it per kernel and profile and
 * prints the table; bench/run's noise_table section calls that).
 *
 * The noise is execfix_noise.ko's (module/testing/kmod/), in every kmalloc
 * class that the tools may watch (each class at the full rate: a tool that
 * picks the quietest class finds no quiet one).  Its rates are set from
 * this guest's own '#!' exec rate R, measured first with no noise: the
 * leak of a partial backport adds R objects a second while '#!' scripts
 * are exec'd in a loop, so R objects a second is "one object per exec".
 *
 *   none    no module
 *   churn   4R objects a second (at least 1000), each freed 100 ms later
 *   slow    steady growth at R/10
 *   grow    steady growth at R: as large as the leak itself
 *   burst   2000 objects every 4 T, kept: growth at R in steps of four
 *           rounds' leak (T: the time of a round of 500 '#!' execs, the
 *           tools' drained default)
 *   spike   500 objects every 2 T, each freed T/2 later: no growth, steps
 *           of a round's leak up and down
 *
 * Kernel command line (run-qemu --append): execfix_noise=PROFILE (default
 * none), execfix_noise_runs=N (runs of each tool, default 10),
 * execfix_noise_tools=check,interp_leak (default both), and
 * execfix_expect=leak for a kernel that leaks (partial backport); any
 * other must not.  Programs from /tests: execfix-check, interp_leak with
 * interp_stub, execfix_noise.ko.
 *
 * One line per run, for the host's table:
 *   # noise-run: profile=P tool=T run=I verdict=leaky|clean|unknown|error
 *     exit=E noise=B execs=N rounds=K cache=C secs=S noise_rate=X
 *     nested=V misc=V layout=V rule=TEXT
 * (nested and misc: interp_leak's other loops, "-" for execfix-check;
 * layout: execfix-check's layout verdict, its reason on a "# noise-layout:"
 * line) and
 * one TAP line per run, "not ok" only for a false verdict (leaky on a
 * kernel that does not leak, clean on one that does, in any loop) or a
 * run that gave none; could not tell is "ok" and counted apart.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "execfix_util.h"
#include "execloop.h"
#include "kmod.h"
#include "leak.h"
#include "slab.h"
#include "tap.h"
#include "live-guest.h"

#define NOISE_KO	T "execfix_noise.ko"
#define NOISE_PROC	"/proc/execfix_noise"
#define RATE_EXECS	400
/* execs of a drained round of the tools (their default): bursts are timed by it */
#define ROUND_EXECS	500
#define OUT_MAX		(1 << 18)
#define NOISE_MAX_HELD	(1U << 20)

enum tool { TOOL_CHECK, TOOL_INTERP_LEAK, NTOOLS };
static const char *const tool_name[NTOOLS] = { "check", "interp_leak" };

struct run_result {
	const char *verdict;
	int exit;
	long long noise;
	long execs;
	int rounds;
	char cache[32];
	char rule[160];
	double secs;
	double noise_rate;	/* the module's net objects a second, all classes */
	char layout[24];	/* execfix-check's layout verdict, "-" */
	char layout_why[200];
};

static char out[OUT_MAX];

/* The kmalloc classes the tools may watch that this kernel has: "32,64,128" */
static void noise_sizes(char *list, size_t size)
{
	static char text[SLABINFO_MAX];
	enum slab_kind kind;
	size_t len = 0;
	int c;

	list[0] = '\0';
	if (slab_read(NULL, text, sizeof(text)))
		return;
	kind = slab_kind_of(text);
	for (c = 0; c < SLAB_NCLASSES; c++)
		if (slab_active(text, kind, slab_class_sizes[c]) >= 0)
			len += snprintf(list + len, size - len, "%s%u",
					len ? "," : "", slab_class_sizes[c]);
}

/*
 * The module's parameters for a profile at '#!' exec rate r; -1 unknown.
 * Bursts are timed by the round: ROUND_EXECS '#!' execs take t ms.
 */
static int profile_params(const char *profile, double r, const char *sizes,
			  char *params, size_t size)
{
	unsigned int rate = (unsigned int)(r + 0.5);
	unsigned int churn = rate * 4 > 1000 ? rate * 4 : 1000;
	unsigned int t = (unsigned int)(ROUND_EXECS * 1000.0 / r + 0.5);

	if (!strcmp(profile, "churn"))
		snprintf(params, size, "mode=churn rate=%u hold_ms=100 size=%s",
			 churn, sizes);
	else if (!strcmp(profile, "slow"))
		snprintf(params, size, "mode=grow rate=%u size=%s",
			 rate / 10 ? rate / 10 : 1, sizes);
	else if (!strcmp(profile, "grow"))
		snprintf(params, size, "mode=grow rate=%u size=%s", rate, sizes);
	else if (!strcmp(profile, "burst"))
		snprintf(params, size,
			 "mode=burst burst=%u period_ms=%u hold_ms=0 size=%s",
			 4 * ROUND_EXECS, 4 * t, sizes);
	else if (!strcmp(profile, "spike"))
		snprintf(params, size,
			 "mode=burst burst=%u period_ms=%u hold_ms=%u size=%s",
			 ROUND_EXECS, 2 * t, t / 2, sizes);
	else if (!strcmp(profile, "none"))
		params[0] = '\0';
	else
		return -1;
	/* room for a whole run of growth in every class ("free" between runs) */
	if (params[0])
		snprintf(params + strlen(params), size - strlen(params),
			 " max_objects=%u", NOISE_MAX_HELD);
	return 0;
}

static long long noise_value(const char *key)
{
	char buf[1024];
	unsigned long long v;

	if (read_text(NOISE_PROC, buf, sizeof(buf)) <= 0 ||
	    kv_get_ull(buf, key, &v))
		return -1;
	return (long long)v;
}

/* The string value of "key":"..." after from in a JSON text, or "" */
static void json_s(const char *from, const char *key, char *val, size_t size)
{
	char want[64];
	const char *p;

	val[0] = '\0';
	snprintf(want, sizeof(want), "\"%s\":\"", key);
	p = from ? strstr(from, want) : NULL;
	if (p) {
		p += strlen(want);
		snprintf(val, size, "%.*s", (int)strcspn(p, "\""), p);
	}
}

static long long json_n(const char *from, const char *key)
{
	char want[64];
	const char *p;

	snprintf(want, sizeof(want), "\"%s\":", key);
	p = from ? strstr(from, want) : NULL;
	return p ? strtoll(p + strlen(want), NULL, 10) : -1;
}

static void run_check(struct run_result *r)
{
	char *const argv[] = { T "execfix-check", "--format", "json", NULL };
	const char *interp;
	char v[32];

	r->exit = run(argv, 1, out, sizeof(out));
	json_s(strstr(out, "\"layout\":{"), "verdict", r->layout,
	       sizeof(r->layout));
	json_s(strstr(out, "\"layout\":{"), "why", r->layout_why,
	       sizeof(r->layout_why));
	interp = strstr(out, "\"interp\":{");
	json_s(interp, "verdict", v, sizeof(v));
	r->verdict = !strcmp(v, "affected") ? "leaky" :
		     !strcmp(v, "not_affected") ? "clean" :
		     !strcmp(v, "unknown") ? "unknown" : "error";
	json_s(interp, "cache", r->cache, sizeof(r->cache));
	json_s(interp, "why", r->rule, sizeof(r->rule));
	r->noise = json_n(interp, "noise");
	r->execs = json_n(interp, "execs_per_round");
	r->rounds = (int)json_n(interp, "rounds");
}

/*
 * interp_leak's '#!' loop: "ok N #! script:" clean, "not ok" leaky, a
 * SKIP line could not tell.  The nested and binfmt_misc loops are judged
 * by the same rule: any of them false is a false verdict of the run.
 */
static const char *loop_verdict(const char *loop)
{
	char want[64];
	const char *p;

	snprintf(want, sizeof(want), " %s:", loop);
	for (p = out; (p = strstr(p, want)); p++) {
		const char *bol = p;

		while (bol > out && bol[-1] != '\n')
			bol--;
		if (!strncmp(bol, "not ok ", 7))
			return "leaky";
		if (!strncmp(bol, "ok ", 3)) {
			const char *skip = strstr(bol, "# SKIP");

			return skip && skip < p ? "unknown" : "clean";
		}
	}
	return "error";
}

static void run_interp_leak(struct run_result *r, const char **nested,
			    const char **misc)
{
	char *const argv[] = { T "interp_leak", NULL };
	const char *p;
	char line[200];

	r->exit = run(argv, 1, out, sizeof(out));
	r->verdict = loop_verdict("#! script");
	*nested = loop_verdict("nested script");
	*misc = loop_verdict("binfmt_misc");
	p = strstr(out, "# watching ");
	if (p && sscanf(p, "# watching %31[^:]", r->cache) != 1)
		r->cache[0] = '\0';
	p = strstr(out, "noise bound ");
	r->noise = p ? strtoll(p + strlen("noise bound "), NULL, 10) : -1;
	p = strstr(out, "# bench: #! script");
	if (p) {
		snprintf(line, sizeof(line), "%.*s", (int)strcspn(p, "\n"), p);
		p = strstr(line, "verdict after ");
		r->execs = p ? strtol(p + 14, NULL, 10) : -1;
		p = strstr(line, "(");
		r->rounds = p ? atoi(p + 1) : -1;
		/* execs per round, as execfix-check reports them */
		if (r->execs > 0 && r->rounds > 0)
			r->execs /= r->rounds;
		p = strstr(line, "by ");
		if (p)
			snprintf(r->rule, sizeof(r->rule), "%.*s",
				 (int)strcspn(p + 3, ")"), p + 3);
	}
	if (!strcmp(r->verdict, "unknown")) {
		p = strstr(out, "#! script: could not tell: ");
		if (p)
			snprintf(r->rule, sizeof(r->rule), "%.*s",
				 (int)strcspn(p, "\n"), p);
	}
}

static int is_false(const char *verdict)
{
	return !strcmp(verdict, expect_leak ? "clean" : "leaky");
}

static void one_run(enum tool t, const char *profile, int i, int noise_on,
		    int *nfalse, int *nunknown, int *nerror)
{
	const char *nested = "-", *misc = "-";
	long long a0 = 0, f0 = 0, a1, f1;
	struct run_result r;
	double t0;
	int bad;

	memset(&r, 0, sizeof(r));
	snprintf(r.layout, sizeof(r.layout), "-");
	r.noise = -1;
	r.execs = -1;
	r.rounds = -1;
	if (noise_on) {
		/* a fresh start: grow profiles would fill the module's table */
		write_text(NOISE_PROC, "free");
		a0 = noise_value("allocated");
		f0 = noise_value("freed");
	}
	t0 = exec_now();
	if (t == TOOL_CHECK)
		run_check(&r);
	else
		run_interp_leak(&r, &nested, &misc);
	r.secs = exec_now() - t0;
	if (noise_on) {
		a1 = noise_value("allocated");
		f1 = noise_value("freed");
		if (a0 >= 0 && f0 >= 0 && a1 >= 0 && f1 >= 0 && r.secs > 0)
			r.noise_rate = ((a1 - a0) - (f1 - f0)) / r.secs;
	}
	printf("# noise-run: profile=%s tool=%s run=%d verdict=%s exit=%d noise=%lld execs=%ld rounds=%d cache=%s secs=%.1f noise_rate=%.0f nested=%s misc=%s layout=%s rule=%s\n",
	       profile, tool_name[t], i, r.verdict, r.exit, r.noise, r.execs,
	       r.rounds, r.cache[0] ? r.cache : "-", r.secs, r.noise_rate,
	       nested, misc, r.layout[0] ? r.layout : "-",
	       r.rule[0] ? r.rule : "-");
	if (r.layout_why[0])
		printf("# noise-layout: run=%d %s: %s\n", i, r.layout,
		       r.layout_why);
	bad = is_false(r.verdict) || is_false(nested) || is_false(misc);
	if (bad)
		(*nfalse)++;
	if (!strcmp(r.verdict, "unknown"))
		(*nunknown)++;
	if (!strcmp(r.verdict, "error"))
		(*nerror)++;
	tap(!bad && strcmp(r.verdict, "error"),
	    "%s run %d under %s: %s%s", tool_name[t], i, profile, r.verdict,
	    bad ? " (a false verdict)" : "");
	if (bad || !strcmp(r.verdict, "error"))
		diag("its output: %.*s", 4000, out);
}

int test_noise(void)
{
	char *const script[] = { SCRIPT, NULL };
	char *const plain[] = { T "interp_stub", NULL };
	char profile[32], val[64], tools[64], sizes[64], params[256], buf[400];
	int runs = 10, i, t, rc, noise_on, nfalse = 0, nunknown = 0, nerror = 0;
	double r_script, r_plain;

	if (cmdline_value("execfix_noise=", profile, sizeof(profile)) ||
	    !profile[0])
		snprintf(profile, sizeof(profile), "none");
	if (!cmdline_value("execfix_noise_runs=", val, sizeof(val)) &&
	    atoi(val) > 0)
		runs = atoi(val);
	if (cmdline_value("execfix_noise_tools=", tools, sizeof(tools)) ||
	    !tools[0])
		snprintf(tools, sizeof(tools), "check,interp_leak");
	if (access(T "execfix-check", X_OK) || access(T "interp_leak", X_OK) ||
	    access(T "interp_stub", X_OK)) {
		printf("1..0 # SKIP needs execfix-check, interp_leak and interp_stub in " T "\n");
		return 4;
	}
	if (write_script()) {
		printf("1..0 # SKIP cannot write %s: %s\n", SCRIPT, strerror(errno));
		return 4;
	}
	r_script = exec_rate(script, RATE_EXECS, 2);
	r_plain = exec_rate(plain, RATE_EXECS, 1);
	noise_sizes(sizes, sizeof(sizes));
	if (r_script <= 0 || r_plain <= 0 || !sizes[0] ||
	    profile_params(profile, r_script, sizes, params, sizeof(params))) {
		printf("1..0 # SKIP profile %s, '#!' rate %.0f/s, classes %s: cannot set up\n",
		       profile, r_script, sizes[0] ? sizes : "none");
		return 4;
	}
	printf("# noise-setup: profile=%s runs=%d expect=%s script_rate=%.0f plain_rate=%.0f sizes=%s params=%s\n",
	       profile, runs, expect_leak ? "leak" : "clean", r_script, r_plain,
	       sizes, params[0] ? params : "-");
	printf("# noise-rule: %s\n", leak_rule_bound(&leak_rule, buf, sizeof(buf)));
	noise_on = params[0] != '\0';
	if (noise_on) {
		if (access(NOISE_KO, R_OK)) {
			printf("1..0 # SKIP no %s\n", NOISE_KO);
			return 4;
		}
		rc = kmod_load(NOISE_KO, params);
		tap(rc == 0, "execfix_noise.ko loads with %s (%s)", params,
		    rc ? strerror(rc) : "ok");
		if (rc)
			return tap_done(0);
	}
	for (i = 1; i <= runs; i++)
		for (t = 0; t < NTOOLS; t++)
			if (strstr(tools, tool_name[t]))
				one_run(t, profile, i, noise_on, &nfalse,
					&nunknown, &nerror);
	if (noise_on) {
		diag("execfix_noise: allocated=%lld freed=%lld failed=%lld capped=%lld",
		     noise_value("allocated"), noise_value("freed"),
		     noise_value("failed"), noise_value("capped"));
		rc = kmod_unload("execfix_noise");
		tap(rc == 0, "execfix_noise.ko unloads (%s)",
		    rc ? strerror(rc) : "ok");
	}
	printf("# noise-done: profile=%s false=%d unknown=%d error=%d\n", profile,
	       nfalse, nunknown, nerror);
	unlink(SCRIPT);
	return tap_done(0);
}
