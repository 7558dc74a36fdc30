// SPDX-License-Identifier: GPL-2.0
/*
 * interp_leak: does every "#!" script or binfmt_misc exec leak the
 * interpreter name?
 *
 * The bug (RHEL 6 partial backports of CVE-2012-4530's fix, upstream
 * b66c5984): binfmt_script and binfmt_misc store the interpreter name with
 * bprm_change_interp() (a kstrdup), but free_bprm() never kfrees it.  Each
 * such exec then leaves one kmalloc object of strlen(interpreter) + 1
 * bytes behind.
 *
 * Method.  Exec loops of rounds of N execs (see "Round sizes" below):
 *   control  the static interp_stub exec'd directly (no interpreter);
 *   script   a "#!" script whose interpreter is a copy of interp_stub;
 *   nested   a script whose interpreter is a script (script->script->stub);
 *   misc     a file type registered with binfmt_misc for the test (always
 *            unregistered again, also on SIGINT/SIGTERM/SIGHUP/SIGQUIT).
 * Around each round the active objects of the kmalloc cache that the
 * interpreter string lands in are read from /proc/slabinfo (SLAB:
 * "size-N", SLUB: "kmalloc-N", plus any "kmalloc-rnd-NN-N").  Which cache:
 * the control loop is run first and the candidate caches that a path of
 * at most 124 characters can reach (32, 64, 96, 128 bytes) are watched;
 * the quietest one is chosen and the interpreter paths are padded to fill
 * it.
 *
 * Drain and verdict: measure/'s (drain.c: the per-CPU caches are drained
 * before each reading; leak.c: the one leak rule: rounds read in parts,
 * two that agree in every part, the noise bound from control rounds (two
 * before the loops, one after each loop's rounds) scaled to each round's
 * duration; docs/design.md, "Measurement library").  A loop the rule
 * cannot tell is a SKIP line, and the run exits 4 (could not tell) unless
 * a loop failed.  /proc/meminfo Slab is printed as a cross-check.
 *
 * Module.  When the test module is loaded (/proc/execfix/interp,
 * interp_accounting=supported) its exact counters are reset before and read
 * after each round: outstanding interpreter strings after a round (and
 * inject_leak's copies) mean a leak.  The module is believed only once it
 * has proven its accounting here (prove_module()): a round of '#!' execs
 * must show one allocation each, and agree with the slab (both under or
 * both over the threshold).  That round is then the '#!' loop's first
 * round.  A believed module decides each loop in one round; a slab round
 * whose own call (leak_round_call()) contradicts it names the module
 * ("module accounting unreliable"), never a leak.  --slab-only (or running as
 * interp_leak_slab) ignores the module: the slab counters decide alone.
 *
 * Round sizes (EXECFIX_LEAK_EXECS sets N for the slab; at least
 * MIN_EXECS_DRAINED with a drain, MIN_EXECS without): with a drain, 500
 * execs per slab round and 200 per round once the module is believed (the
 * control's rounds are 200 when a module is there to be proven); without
 * a drain, 1000 and the module proven over 500 execs, as the noise of
 * undrained per-CPU caches needs.
 *
 * Lowmem.  The last case (interp_leak_lowmem.c) measures what '#!' execs
 * cost in LowFree on a 32-bit HIGHMEM kernel, where the leak ends in a
 * lowmem exhaustion panic, and when that comes; "not applicable" where
 * /proc/meminfo has no LowFree (64-bit kernels).
 *
 * Files: this one judges (the slab counts by measure/'s leak rule, the
 * module's counts, the loops' verdicts); interp_leak_round.c measures a
 * round (measure/'s leak_run_wide()); interp_leak_module.c reads and
 * proves the module's counts; interp_leak_lowmem.c is the lowmem case;
 * interp_leak_files.c makes and removes the scripts and the binfmt_misc
 * type.
 * --judge-slabinfo FILE judges a fixture.
 *
 * Needs root (slabinfo, binfmt_misc): SKIP otherwise.  "# bench:" lines
 * give the exec rate of each loop and how many execs its verdict needed,
 * and by which rule (always printed; --bench is accepted for symmetry with
 * "make bench").
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest.h"
#include "execfix_util.h"
#include "leak.h"
#include "leakrun.h"
#include "seq.h"
#include "slab.h"
#include "interp_leak.h"

#define DEFAULT_EXECS	1000	/* no drain */
#define DRAINED_EXECS	500	/* slab round with a drain */
#define MODULE_EXECS	200	/* round once the module is believed */
/* The minimum round sizes and the thresholds are the library's leak_rule. */
#define MIN_EXECS	(leak_rule.min_execs)
#define MIN_EXECS_DRAINED	(leak_rule.min_execs_drained)
#define LEAK_PER_EXEC	(leak_rule.threshold)
#define MAX_ROUNDS	3	/* room for leak_rule.rounds */

static const char *const loop_name[NLOOPS] = {
	"control (plain ELF)", "#! script", "nested script", "binfmt_misc",
};

/* interpreter strings allocated per exec on a correct kernel */
static const int loop_interps[NLOOPS] = { 0, 1, 2, 1 };

/* ------------------------------------------------------------------ */
/* verdicts                                                           */
/* ------------------------------------------------------------------ */

static long n_slab;	/* execs per round judged by the slab */
static long n_mod;	/* execs per round once the module is believed */
static long n_proof;	/* execs of the module's proof round */
static int slab_only;	/* --slab-only: the module is not used */
/*
 * The watched cache: slab_run.size, and its index into class_sizes.  Its
 * control rounds (before the loops, one after each) are slab_run.control.
 */
static unsigned int chosen;

static const char *cache_name(unsigned int size, char *buf, size_t bsize)
{
	return slab_cache_name(slab_run.kind, size, buf, bsize);
}

static int drained(void)
{
	return slab_run.drain != DRAIN_NONE;
}

/* The watched cache's growth per exec in a round. */
static double per_exec(const struct round *r)
{
	return leak_per_exec(&r->w.cls[chosen]);
}

/*
 * interp_leak's judgement of slab counts: the library's one rule.  The
 * loops (slab_judgement(): this run's drain and control rounds) and
 * --judge-slabinfo both come here (tests/measure-agree.sh).
 */
static void interp_leak_judge(int drained, const struct leak_round *control,
			      int nc, const struct leak_round *lr, int n,
			      struct leak_judgement *j)
{
	leak_judge(&leak_rule, drained, control, nc, lr, n, j);
}

static void slab_judgement(const struct leak_round *lr, int n,
			   struct leak_judgement *j)
{
	interp_leak_judge(drained(), slab_run.control, slab_run.ncontrol, lr, n,
			  j);
}

/*
 * One control round after a loop's rounds, as long as its last round (at
 * the control's own rate), added to the control rounds; 0 or -1.
 */
static int control_after(double secs)
{
	char *const argv[] = { stub_path, NULL };
	const struct leak_round *c;
	int ret = leak_run_control_after(&slab_run, argv,
					 loop_argc[LOOP_CONTROL], n_slab, secs);

	drain_report();
	if (ret)
		return -1;
	c = &slab_run.control[slab_run.ncontrol - 1];
	slab_run.noise = leak_noise_bound(slab_run.control, slab_run.ncontrol);
	ksft_print_msg("control after the loop: %ld plain execs in %.2f s, %+.3f objects/exec; noise bound now %lld objects/round\n",
		       c->n, c->secs, leak_per_exec(c), slab_run.noise);
	return 0;
}

struct loop_result {
	int done;
	int rounds;
	long execs;		/* execs the verdict needed */
	const char *rule;	/* what decided */
	double rate;		/* execs per second, all rounds */
	long long growth;	/* largest |delta| of a round, objects */
};

static struct loop_result results[NLOOPS];
static int unknown_loops;	/* leak loops that could not tell */

static void report_round(enum loop_kind k, int i, const struct round *r)
{
	char cn[32];
	unsigned int size = class_sizes[chosen];
	long n = r->w.n;
	long long kb = r->w.mem1.slab_kb - r->w.mem0.slab_kb;

	ksft_print_msg("%s round %d: %ld execs in %.2f s (%.0f/s), %s %lld -> %lld (%+.3f/exec), meminfo Slab %+lld kB (%+.1f B/exec, a leak would be ~%u)\n",
		       loop_name[k], i + 1, n, r->w.run.secs,
		       r->w.run.secs > 0 ? n / r->w.run.secs : 0.0,
		       cache_name(size, cn, sizeof(cn)), r->w.cls[chosen].before,
		       r->w.cls[chosen].after, per_exec(r), kb, kb * 1024.0 / n,
		       size);
	if (r->mod.present)
		ksft_print_msg("%s round %d: module: allocated=%lld freed=%lld outstanding=%lld injected=%lld inject_leak=%lld (expect %d alloc/exec)\n",
			       loop_name[k], i + 1, r->mod.allocated,
			       r->mod.freed, r->mod.outstanding,
			       r->mod.injected, r->mod.inject_leak,
			       loop_interps[k]);
}

/* The module proved its accounting (prove_module()): its counts are used. */
static int mod_trusted;

/*
 * Rounds until the verdict is decided (at most MAX_ROUNDS); the first
 * npre rounds may have been run already (the control's while choosing the
 * cache, the '#!' loop's in the module's proof).  A believed module
 * decides in one round; else the slab counts, by the library's leak rule
 * (slab_judgement()), which may also say it cannot tell.
 */
static void run_loop(enum loop_kind k, const struct round *pre, int npre)
{
	struct round r[MAX_ROUNDS];
	struct leak_round lr[MAX_ROUNDS];
	struct leak_judgement sj;
	int i, m, fail = 0, decided = 0, unknown = 0;
	int mod_used = 0, mod_blind = 0;
	enum leak_verdict sc = LEAK_MORE, mc = LEAK_MORE;
	double secs = 0, mod_pe = 0, worst, last_pe;
	const char *rule = "2 rounds agree";
	long execs;
	char cn[32];

	for (i = 0; i < leak_rule.rounds && !decided; i++) {
		long n = mod_trusted ? n_mod : n_slab;

		if (i < npre)
			r[i] = pre[i];
		else if (run_round(k, n, k == LOOP_CONTROL ? 0 :
				   leak_parts(&leak_rule, drained()), &r[i])) {
			ksft_test_result_fail("%s: measurement failed: %s\n",
					      loop_name[k], strerror(errno));
			return;
		}
		if (!mod_trusted)
			r[i].mod.present = 0;
		n = r[i].w.n;
		report_round(k, i, &r[i]);
		if (r[i].w.run.bad) {
			ksft_print_msg("%s: %ld of %ld execs did not take the expected path (first wait status 0x%x, want exit %d)\n",
				       loop_name[k], r[i].w.run.bad, n,
				       r[i].w.run.first_bad, loop_argc[k]);
			ksft_test_result_fail("%s: exec path broken\n",
					      loop_name[k]);
			return;
		}
		secs += r[i].w.run.secs;
		lr[i] = r[i].w.cls[chosen];
		slab_judgement(lr, i + 1, &sj);
		sc = leak_round_call(&leak_rule, drained(),
				     leak_round_noise(slab_run.control,
						      slab_run.ncontrol, &lr[i]),
				     &lr[i]);
		if (r[i].mod.present) {
			/* exact counts: one round decides */
			mod_used = 1;
			if (r[i].mod.allocated < (long long)loop_interps[k] * n)
				mod_blind = 1;
			mod_pe = (double)mod_left(&r[i]) / n;
			mc = mod_pe >= LEAK_PER_EXEC ? LEAK_LEAKY : LEAK_CLEAN;
			fail = mc == LEAK_LEAKY;
			decided = 1;
			rule = "the module's exact counts";
		} else if (sj.verdict != LEAK_MORE) {
			fail = sj.verdict == LEAK_LEAKY;
			unknown = sj.verdict == LEAK_UNKNOWN;
			decided = 1;
			rule = sj.rule;
		}
	}
	/*
	 * A slab verdict stands only with a control round after the loop's
	 * rounds (noise that began after the first control is seen then).
	 */
	if (decided && !mod_used && !unknown && k != LOOP_CONTROL) {
		if (control_after(r[i - 1].w.run.secs)) {
			unknown = 1;
			fail = 0;
			rule = "the control round after the loop failed";
		} else {
			slab_judgement(lr, i, &sj);
			fail = sj.verdict == LEAK_LEAKY;
			unknown = sj.verdict != LEAK_LEAKY &&
				  sj.verdict != LEAK_CLEAN;
			rule = sj.rule;
		}
	}
	if (unknown && k != LOOP_CONTROL)
		unknown_loops++;
	/* the slab's figures over every round run, whoever decided */
	slab_judgement(lr, i, &sj);
	worst = sj.worst;
	last_pe = sj.last;
	for (execs = 0, m = 0; m < i; m++)
		execs += r[m].w.n;
	results[k].done = 1;
	results[k].rounds = i;
	results[k].execs = execs;
	results[k].rule = rule;
	results[k].rate = secs > 0 ? execs / secs : 0;
	results[k].growth = (long long)(worst * r[0].w.n + 0.5);

	cache_name(class_sizes[chosen], cn, sizeof(cn));
	if (mod_blind) {
		/* its zero "outstanding" would prove nothing */
		ksft_print_msg("%s: the module saw fewer interpreter allocations than %d per exec: its accounting missed some\n",
			       loop_name[k], loop_interps[k]);
		ksft_test_result_fail("%s: module accounting unreliable (missed allocations); %s up to %.3f objects/exec\n",
				      loop_name[k], cn, worst);
		return;
	}
	if (mod_used && mc == LEAK_LEAKY && sc == LEAK_CLEAN) {
		/* module and slab disagree: the module is at fault, not the kernel */
		ksft_test_result_fail("%s: module accounting unreliable: it counts %.3f strings/exec never freed while %s stays flat (%+.3f objects/exec)\n",
				      loop_name[k], mod_pe, cn, last_pe);
		return;
	}
	if (mod_used && mc == LEAK_CLEAN && sc == LEAK_LEAKY) {
		/* the slab is the ground truth; the module missed it */
		ksft_test_result_fail("%s: %s grows up to %.3f objects/exec while the module counts none left behind (module accounting unreliable too); %ld execs\n",
				      loop_name[k], cn, worst, execs);
		return;
	}
	if (unknown)
		ksft_test_result_skip("%s: could not tell: %s (%s up to %.3f objects/exec, noise bound %lld objects per round); %ld execs\n",
				      loop_name[k], rule, cn, worst,
				      sj.noise, execs);
	else if (fail && last_pe >= LEAK_PER_EXEC)
		ksft_test_result_fail("%s: %s grows up to %.3f objects/exec (threshold %.1f)%s; verdict by %s after %ld execs\n",
				      loop_name[k], cn, worst, LEAK_PER_EXEC,
				      mod_used ? ", and the module counts strings never freed" : "",
				      rule, execs);
	else if (fail)
		ksft_test_result_fail("%s: the module counts %.3f interpreter strings/exec never freed (%s %+.3f objects/exec, threshold %.1f); verdict by %s after %ld execs\n",
				      loop_name[k], mod_pe, cn, last_pe,
				      LEAK_PER_EXEC, rule, execs);
	else
		ksft_test_result_pass("%s: %s stays flat (max |growth| %.3f objects/exec, threshold %.1f)%s; verdict by %s after %ld execs\n",
				      loop_name[k], cn, worst, LEAK_PER_EXEC,
				      mod_used ? ", the module counts none left behind" : "",
				      rule, execs);
}

/*
 * Run the control loop (LEAK_RUN_CONTROL rounds), watching every candidate
 * cache, and choose the quietest one that a path in tmpdir can fill
 * (leak_run_pick()).  Its rounds are the first control rounds of the rule
 * (slab_run.control); control_rounds[] keep the loop's.
 */
static struct round control_rounds[LEAK_RUN_CONTROL];

static int choose_cache(long n)
{
	struct leak_wide w[LEAK_RUN_CONTROL];
	long long noise[NCLASSES];
	unsigned int c, min_size;
	char cn[32];
	int i;

	for (i = 0; i < LEAK_RUN_CONTROL; i++) {
		if (run_round(LOOP_CONTROL, n, 0, &control_rounds[i]))
			return -1;
		w[i] = control_rounds[i].w;
	}
	/* a path in tmpdir must be short enough for the class */
	min_size = slab_reachable_class(strlen(tmpdir), MAX_INTERP_LEN);
	if (leak_run_pick(&slab_run, w, LEAK_RUN_CONTROL,
			  min_size ? min_size : UINT_MAX, noise))
		return -1;
	for (c = 0; c < NCLASSES; c++) {
		if (noise[c] >= 0)
			ksft_print_msg("control noise in %s: %lld objects per %ld execs\n",
				       cache_name(class_sizes[c], cn, sizeof(cn)),
				       noise[c], n);
		if (class_sizes[c] == slab_run.size)
			chosen = c;
	}
	return 0;
}

static long parse_execs(const char *env)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(env, &end, 0);
	if (errno || end == env || *end)
		return -1;
	return v;
}

int main(int argc, char **argv)
{
	char dir[3072], err[512], msg[512], cn[32];
	const char *env = getenv("EXECFIX_LEAK_EXECS");
	const char *tmp = getenv("TMPDIR");
	const char *base = strrchr(argv[0], '/');
	struct modstate mod;
	struct round proof;
	long opt_execs = 0;
	int i, misc_ok, mod_there;

	base = base ? base + 1 : argv[0];
	if (!strcmp(base, "interp_leak_slab"))
		slab_only = 1;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--judge-slabinfo") && i + 1 < argc)
			return leak_seq_judge(argv[i + 1], interp_leak_judge);
		if (!strcmp(argv[i], "--bench")) {
			/* accepted: the bench figures are always printed */
		} else if (!strcmp(argv[i], "--slab-only")) {
			slab_only = 1;
		} else {
			fprintf(stderr, "usage: %s [--bench] [--slab-only]\n"
				"  --slab-only  ignore the test module: the slab counters decide alone\n"
				"               (also when run as interp_leak_slab)\n"
				"  --judge-slabinfo FILE  judge a slabinfo sequence (measure/seq.h)\n"
				"               and print the verdict: exit 0 clean, 1 leaky, 4 could not tell\n"
				"  env EXECFIX_LEAK_EXECS=N (execs per slab round; default %d with a\n"
				"  drain of the per-CPU caches, %d without; at least %ld, %ld)\n"
				"  env EXECFIX_LEAK_DRAIN=0 (no drain: for comparison)\n"
				"  env EXECFIX_LOWMEM_EXECS=N (execs per round of the lowmem case,\n"
				"  32-bit HIGHMEM kernels only; default 10000)\n",
				argv[0], DRAINED_EXECS, DEFAULT_EXECS,
				MIN_EXECS_DRAINED, MIN_EXECS);
			return KSFT_FAIL;
		}
	}

	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	if (env && *env) {
		opt_execs = parse_execs(env);
		if (opt_execs < MIN_EXECS_DRAINED)
			ksft_exit_fail_msg("EXECFIX_LEAK_EXECS=%s: need a number, at least %ld\n",
					   env, MIN_EXECS_DRAINED);
	}
	if (geteuid() != 0)
		ksft_exit_skip("needs root (reads /proc/slabinfo, registers a binfmt_misc type)\n");
	if (slab_setup())
		ksft_exit_skip("cannot read /proc/slabinfo: %s\n",
			       strerror(errno));
	if (slab_run.kind == SLAB_NONE)
		ksft_exit_skip("neither SLAB size-N nor SLUB kmalloc-N caches in /proc/slabinfo (SLOB?)\n");
	if (self_dir(dir, sizeof(dir)))
		ksft_exit_fail_msg("cannot read /proc/self/exe: %s\n",
				   strerror(errno));
	snprintf(stub_path, sizeof(stub_path), "%s/interp_stub", dir);
	if (access(stub_path, X_OK))
		ksft_exit_fail_msg("%s: %s (build the whole directory)\n",
				   stub_path, strerror(errno));

	choose_drain();
	if (drained()) {
		n_slab = opt_execs ? opt_execs : DRAINED_EXECS;
		n_mod = n_slab < MODULE_EXECS ? n_slab : MODULE_EXECS;
		n_proof = n_mod;
	} else {
		if (opt_execs && opt_execs < MIN_EXECS)
			ksft_exit_fail_msg("EXECFIX_LEAK_EXECS=%s: need at least %ld without a drain of the per-CPU caches\n",
					   env, MIN_EXECS);
		n_slab = n_mod = opt_execs ? opt_execs : DEFAULT_EXECS;
		n_proof = MIN_EXECS;
	}
	mod_there = !slab_only && !mod_read(&mod);

	ksft_set_plan(NLOOPS + 2);
	ksft_print_msg("%ld execs per slab round, %ld once the module is proven; leak threshold %.1f objects/exec, allocator %s, drain: %s\n",
		       n_slab, n_mod, LEAK_PER_EXEC,
		       slab_run.kind == SLAB_SLUB ? "SLUB" : "SLAB",
		       slab_drain_name(slab_run.drain));
	if (mod_there)
		ksft_print_msg("test module present: exact interp accounting on (inject_leak=%lld)\n",
			       mod.inject_leak);
	else if (slab_only)
		ksft_print_msg("--slab-only: slab counters only, any test module ignored\n");
	else
		ksft_print_msg("test module absent or without interp accounting: slab counters only\n");

	i = exec_pin_cpu();
	if (i >= 0)
		ksft_print_msg("pinned to CPU %d with its children (less SLUB noise)\n",
			       i);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGQUIT, on_signal);

	snprintf(tmpdir, sizeof(tmpdir), "%s/execfix-leak.XXXXXX",
		 tmp && *tmp && strlen(tmp) < 64 ? tmp : "/tmp");
	if (!mkdtemp(tmpdir)) {
		tmpdir[0] = '\0';
		ksft_exit_fail_msg("mkdtemp: %s\n", strerror(errno));
	}

	if (choose_cache(mod_there ? n_mod : n_slab)) {
		cleanup();
		ksft_exit_fail_msg("control loop failed: %s\n", strerror(errno));
	}
	ksft_print_msg("watching %s: interpreter paths of %zu characters; noise bound %lld objects/round\n",
		       cache_name(class_sizes[chosen], cn, sizeof(cn)),
		       slab_name_len(class_sizes[chosen], MAX_INTERP_LEN),
		       slab_run.noise);
	ksft_print_msg("leak rule: %s\n",
		       leak_rule_bound(&leak_rule, err, sizeof(err)));
	if (make_scripts(class_sizes[chosen], err, sizeof(err))) {
		cleanup();
		ksft_exit_fail_msg("%s\n", err);
	}
	misc_ok = !misc_register(err, sizeof(err));

	run_loop(LOOP_CONTROL, control_rounds, LEAK_RUN_CONTROL);
	mod_trusted = prove_module(n_proof, slab_only, chosen, &proof, msg,
				   sizeof(msg));
	if (mod_trusted) {
		ksft_test_result_pass("%s\n", msg);
		run_loop(LOOP_SCRIPT, &proof, 1);
	} else {
		ksft_test_result_skip("%s\n", msg);
		run_loop(LOOP_SCRIPT, NULL, 0);
	}
	run_loop(LOOP_NESTED, NULL, 0);
	if (misc_ok)
		run_loop(LOOP_MISC, NULL, 0);
	else
		ksft_test_result_skip("binfmt_misc: %s\n", err);
	switch (run_lowmem(class_sizes[chosen], err, sizeof(err))) {
	case LOWMEM_PASS:
		ksft_test_result_pass("%s\n", err);
		break;
	case LOWMEM_FAIL:
		ksft_test_result_fail("%s\n", err);
		break;
	default:
		ksft_test_result_skip("%s\n", err);
	}
	cleanup();
	if (misc_registered)
		ksft_print_msg("WARNING: could not unregister %s\n", misc_entry);

	/* The figures "make bench" shows (bench/run greps them). */
	for (i = 0; i < NLOOPS; i++) {
		if (!results[i].done)
			continue;
		ksft_print_msg("bench: %-20s %6.0f execs/s, verdict after %ld execs (%d rounds, by %s), max growth %lld objects/round\n",
			       loop_name[i], results[i].rate, results[i].execs,
			       results[i].rounds, results[i].rule,
			       results[i].growth);
	}
	ksft_print_msg("bench: drain %s, control noise %lld objects/round of %ld execs, %d control rounds\n",
		       slab_drain_name(slab_run.drain), slab_run.noise,
		       control_rounds[0].w.n, slab_run.ncontrol);

	if (ksft_get_fail_cnt())
		ksft_exit_fail();
	if (unknown_loops) {
		/* no verdict is not a pass: could not tell, as kselftest's skip */
		ksft_print_msg("could not tell for %d loop(s): exit %d\n",
			       unknown_loops, KSFT_SKIP);
		ksft_print_cnts();
		exit(KSFT_SKIP);
	}
	ksft_exit_pass();
	return 0;
}
