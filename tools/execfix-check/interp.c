// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check: the interp leak verdict (patch 0002's bug).  Exact counts
 * decide when a module gives them and proves them (at least one
 * allocation seen per '#!' exec, as interp_leak's prove_module() asks):
 *   execfix_live.ko  interp.allocated, .kernel_freed, .replaced, .fixed:
 *                    what the kernel leaks, and what the module freed in
 *                    its place (then: mitigated);
 *   execfix.ko       allocated and freed at the kernel's call sites.
 * A slab round whose own call (leak_round_call()) contradicts them makes
 * the part "could not tell" (the module's accounting is unreliable), never
 * a verdict.  Without exact counts the slab decides, by measure/'s
 * measurement (leakrun.h: drain, control rounds of plain execs before and
 * after, rounds of '#!' execs read in parts) and its one leak rule
 * (leak.h, check_judge()), or cannot tell.  The watched cache
 * is the quietest under the control loop of the kmalloc classes an
 * interpreter name in the private directory reaches (leak_run_choose());
 * the name is padded to fill it.  The whole task (and
 * its children) runs on one CPU while measuring.  EXECFIX_LEAK_DRAIN=0
 * turns the drain off.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "execfix_util.h"
#include "execloop.h"
#include "leakrun.h"
#include "lowmem.h"
#include "execfix-check.h"

/*
 * "#!" + name + STUB_ARG + "\n" must fit the kernel's 128-byte bprm->buf
 * (BINPRM_BUF_SIZE; the line is cut at 127 bytes): a longer name loses the
 * argument, and the interpreter is then started with a bad one.
 */
#define STUB_ARG	" --stub"
#define MAX_INTERP_LEN	(127 - 2 - (int)(sizeof(STUB_ARG) - 1) - 1)

struct live_counts {
	char state[64];
	unsigned long long alloc, kfreed, replaced, fixed;
};

static struct leak_run run;	/* the slab, when it can be measured */
static char interp_path[300], script_path[300];

/*
 * execfix-check's judgement of slab counts: the library's one rule.  Its
 * measurement and --judge-slabinfo both come here (tests/measure-agree.sh
 * requires it to agree with interp_leak's and the live driver's).
 */
void check_judge(int drained, const struct leak_round *control, int nc,
		 const struct leak_round *r, int n, struct leak_judgement *j)
{
	leak_judge(&leak_rule, drained, control, nc, r, n, j);
}

int leak_prepare(struct leak_result *r)
{
	const char *env = getenv("EXECFIX_LEAK_DRAIN");
	char *text = malloc(SLABINFO_MAX);
	int e, kind;

	memset(r, 0, sizeof(*r));
	r->drain = "none";
	r->call = LEAK_MORE;
	if (!text || slab_read(NULL, text, SLABINFO_MAX)) {
		e = errno;
		free(text);
		snprintf(r->why, sizeof(r->why),
			 "/proc/slabinfo cannot be read (%s)%s", strerror(e),
			 geteuid() ? ": not root" : "");
		return -1;
	}
	kind = slab_kind_of(text);
	free(text);
	if (kind == SLAB_NONE || leak_run_init(&run, slab_class_sizes[0])) {
		leak_run_free(&run);
		snprintf(r->why, sizeof(r->why),
			 "no SLAB size-N or SLUB kmalloc-N caches in /proc/slabinfo");
		return -1;
	}
	if (env && !strcmp(env, "0"))
		run.drain = DRAIN_NONE;
	r->slab = 1;
	r->drained = run.drain != DRAIN_NONE;
	r->drain = slab_drain_name(run.drain);
	return 0;
}

long leak_min_execs(int exact)
{
	return exact ? LEAK_MIN_EXECS_EXACT :
	       run.drain != DRAIN_NONE ? leak_rule.min_execs_drained :
	       leak_rule.min_execs;
}

/* The interpreter (a link to this program) with a name of len bytes. */
static int make_script(size_t len)
{
	char text[400];
	size_t base = strlen(tmp_dir) + 2;
	FILE *f;

	if (len < base || len >= sizeof(interp_path))
		return -1;
	snprintf(interp_path, sizeof(interp_path), "%s/l", tmp_dir);
	memset(interp_path + base, 'x', len - base);
	interp_path[len] = '\0';
	snprintf(script_path, sizeof(script_path), "%s/ls", tmp_dir);
	if (symlink(self_path, interp_path))
		return -1;
	snprintf(text, sizeof(text), "#!%s" STUB_ARG "\n", interp_path);
	f = fopen(script_path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	if (fclose(f) || chmod(script_path, 0700))
		return -1;
	return 0;
}

/* Async-signal-safe: unlink only. */
void leak_cleanup(void)
{
	if (script_path[0])
		unlink(script_path);
	if (interp_path[0])
		unlink(interp_path);
}

static int module_counts(unsigned long long *alloc, unsigned long long *freed)
{
	char path[512], buf[4096], val[32];

	snprintf(path, sizeof(path), "%s/interp", execfix_proc_dir());
	if (read_text(path, buf, sizeof(buf)) <= 0 ||
	    kv_get(buf, "interp_accounting", val, sizeof(val)) ||
	    strcmp(val, "supported") ||
	    kv_get_ull(buf, "allocated", alloc) ||
	    kv_get_ull(buf, "freed", freed))
		return -1;
	return 0;
}

static int live_counts(struct live_counts *l)
{
	char path[512], buf[8192];

	memset(l, 0, sizeof(*l));
	procfs_path(path, sizeof(path), "execfix_live");
	if (read_text(path, buf, sizeof(buf)) <= 0 ||
	    kv_get(buf, "interp", l->state, sizeof(l->state)))
		return -1;
	kv_get_ull(buf, "interp.allocated", &l->alloc);
	kv_get_ull(buf, "interp.kernel_freed", &l->kfreed);
	kv_get_ull(buf, "interp.replaced", &l->replaced);
	kv_get_ull(buf, "interp.fixed", &l->fixed);
	return 0;
}

static int live_counting(const struct live_counts *l)
{
	return !strcmp(l->state, "active") || !strcmp(l->state, "standing_down");
}

int interp_have_exact_counts(void)
{
	unsigned long long a, f;
	struct live_counts l;

	return module_counts(&a, &f) == 0 ||
	       (live_counts(&l) == 0 && live_counting(&l));
}

/* per round: the counts before, what they say after */
static struct {
	int mod0, live0;
	unsigned long long a0, f0;
	struct live_counts l0;
	int unreliable, decided;
} R;

/*
 * leak_run's per-round hook (and the rounds without slab): before a round
 * the modules' counts, after it their verdict; 1 when they decided.  r is
 * the slab's round (NULL without slab): one that decides alone by the
 * rule and contradicts the counts makes them unreliable.
 */
static int round_hook(void *ctx, int after, int round,
		      const struct leak_round *r)
{
	const struct leak_result *lr = ctx;
	unsigned long long a1, f1, leaked, n = lr->execs;
	enum leak_verdict slab = r ? leak_round_call(&leak_rule, lr->drained,
				leak_round_noise(run.control, run.ncontrol, r),
				r) : LEAK_MORE;
	struct live_counts l1;
	int exact_leaky;

	(void)round;
	if (!after) {
		R.mod0 = module_counts(&R.a0, &R.f0) == 0;
		R.live0 = live_counts(&R.l0) == 0 && live_counting(&R.l0);
		return 0;
	}
	if (R.live0 && live_counts(&l1) == 0 && l1.alloc - R.l0.alloc >= n) {
		unsigned long long alloc = l1.alloc - R.l0.alloc;

		S.have_live = 1;
		snprintf(S.live_state, sizeof(S.live_state), "%s", l1.state);
		S.live_alloc = alloc;
		S.live_kfreed = l1.kfreed - R.l0.kfreed;
		S.live_replaced = l1.replaced - R.l0.replaced;
		S.live_fixed = l1.fixed - R.l0.fixed;
		leaked = alloc - S.live_kfreed - S.live_replaced;
		S.leak_per_exec = (double)leaked / n;
		S.have_leak_pe = 1;
		exact_leaky = S.leak_per_exec >= LEAK_PER_EXEC;
		R.decided = 1;
		/* the module frees what leaks: the slab stays flat */
		if (exact_leaky && S.live_fixed * 2 >= leaked)
			S.interp = V_MITIGATED;
		else if ((exact_leaky && slab == LEAK_CLEAN) ||
			 (!exact_leaky && slab == LEAK_LEAKY))
			R.unreliable = 1;
		else
			S.interp = exact_leaky ? V_AFFECTED : V_NOT_AFFECTED;
		return 1;
	}
	if (R.mod0 && module_counts(&a1, &f1) == 0 && a1 - R.a0 >= n) {
		S.have_mod = 1;
		S.mod_alloc = a1 - R.a0;
		S.mod_freed = f1 - R.f0;
		S.leak_per_exec = (double)(S.mod_alloc - S.mod_freed) / n;
		S.have_leak_pe = 1;
		exact_leaky = S.leak_per_exec >= LEAK_PER_EXEC;
		R.decided = 1;
		if ((exact_leaky && slab == LEAK_CLEAN) ||
		    (!exact_leaky && slab == LEAK_LEAKY))
			R.unreliable = 1;
		else
			S.interp = exact_leaky ? V_AFFECTED : V_NOT_AFFECTED;
		return 1;
	}
	return 0;	/* no believable exact counts: the slab decides */
}

/* The slab measurement: control, then rounds until the rule decides. */
static int slab_measure(struct leak_result *lr, int exact)
{
	char *const plain[] = { self_path, "--stub", NULL };
	char *const script[] = { script_path, NULL };
	struct leak_round rounds[LEAK_ROUNDS];
	struct leak_judgement j;
	struct exec_stats st;
	unsigned int min_size = slab_reachable_class(strlen(tmp_dir),
						     MAX_INTERP_LEN);
	cpu_set_t old;
	int pinned = !sched_getaffinity(0, sizeof(old), &old) &&
		     exec_pin_cpu() >= 0;
	int i, ret = -1;

	if (!min_size ||
	    leak_run_choose(&run, plain, 0, lr->execs, LEAK_RUN_CONTROL,
			    min_size)) {
		if (!min_size || errno == ENOENT)
			snprintf(lr->why, sizeof(lr->why),
				 "no kmalloc cache that an interpreter name in %s can reach",
				 tmp_dir);
		else
			snprintf(lr->why, sizeof(lr->why),
				 "the control execs failed");
		goto out;
	}
	slab_cache_name(run.kind, run.size, lr->cache, sizeof(lr->cache));
	lr->interp_len = slab_name_len(run.size, MAX_INTERP_LEN);
	if (make_script(lr->interp_len)) {
		snprintf(lr->why, sizeof(lr->why), "cannot write the '#!' script: %s",
			 strerror(errno));
		goto out;
	}
	lr->drained = run.drain != DRAIN_NONE;
	lr->drain = slab_drain_name(run.drain);
	lr->noise = run.noise;
	if (exact) {
		run.hook = round_hook;
		run.hook_ctx = lr;
	}
	if (leak_run_judge(&run, script, 0, lr->execs, plain, 0, check_judge,
			   rounds, &j, &st) || st.bad) {
		snprintf(lr->why, sizeof(lr->why), "a '#!' exec failed");
		goto out;
	}
	if (j.noise >= 0)
		lr->noise = j.noise;
	lr->control_rounds = run.ncontrol;
	for (i = 0; i < lr->control_rounds; i++)
		lr->control_growth[i] = leak_per_exec(&run.control[i]);
	lr->rounds = j.rounds;
	lr->rate = st.secs > 0 ? j.rounds * lr->execs / st.secs : 0;
	for (i = 0; i < j.rounds; i++)
		lr->growth[i] = leak_per_exec(&rounds[i]);
	lr->call = R.decided ? LEAK_MORE : j.verdict;
	lr->rule = R.decided ? "exact counts" : j.rule;
	if (lr->call == LEAK_UNKNOWN || lr->call == LEAK_MORE)
		snprintf(lr->why, sizeof(lr->why),
			 "could not tell: %s (noise of %lld objects per round of %ld '#!' execs in %s, from control rounds of plain execs; a verdict needs it below %ld, and steady)",
			 j.rule, lr->noise, lr->execs, lr->cache,
			 (long)(lr->execs * leak_rule.threshold));
	ret = 0;
out:
	if (pinned)
		sched_setaffinity(0, sizeof(old), &old);
	return ret;
}

/*
 * Exact counts alone (no slab): rounds of '#!' execs until they decide.
 * Returns -1, with the reason in lr->why, when the execs could not run.
 */
static int exact_only(struct leak_result *lr)
{
	char *const script[] = { script_path, NULL };
	struct exec_stats st;
	double secs = 0;
	int i;

	/* the module counts every class: the shortest name tmp_dir allows */
	lr->interp_len = 31;
	if (lr->interp_len < strlen(tmp_dir) + 2)
		lr->interp_len = strlen(tmp_dir) + 2;
	if (make_script(lr->interp_len)) {
		snprintf(lr->why, sizeof(lr->why),
			 "could not tell: cannot write the '#!' script in %.120s",
			 tmp_dir);
		return -1;
	}
	for (i = 0; i < LEAK_ROUNDS && !R.decided; i++) {
		round_hook(lr, 0, i, NULL);
		if (exec_loop(script, lr->execs, 0, &st) || st.bad) {
			snprintf(lr->why, sizeof(lr->why),
				 "could not tell: a '#!' exec in %.120s failed",
				 tmp_dir);
			return -1;
		}
		lr->rounds = i + 1;
		secs += st.secs;
		round_hook(lr, 1, i, NULL);
	}
	lr->rate = secs > 0 ? lr->rounds * lr->execs / secs : 0;
	lr->rule = "exact counts";
	return 0;
}

/*
 * Lowmem, where /proc/meminfo has LowFree (32-bit HIGHMEM kernels: every
 * kmalloc object lives in the ~870 MiB directly mapped zone): when the
 * host leaks, how long until the leak has eaten it, at the '#!' exec rate
 * measured here and at LOWMEM_TYPICAL_RATE.  An object takes its share of
 * its slab (slab_object_cost(): size-32 is 113 to a 4 KiB page), or at
 * least the class size when slabinfo cannot say.
 */
void lowmem_project(void)
{
	char buf[8192];
	double cost = 0;

	S.low_total_kb = S.low_free_kb = -1;
	S.low_bytes_per_exec = 0;
	S.low_hours = S.low_hours_typical = -1;
	if (meminfo_read(buf, sizeof(buf)))
		return;
	S.low_total_kb = meminfo_kb(buf, "LowTotal");
	S.low_free_kb = meminfo_kb(buf, "LowFree");
	if (S.low_free_kb < 0 || S.interp != V_AFFECTED || !S.have_leak_pe ||
	    S.leak_per_exec <= 0)
		return;
	if (run.text && run.size)
		cost = slab_object_cost(run.text, run.kind, run.size,
					sysconf(_SC_PAGESIZE));
	if (cost <= 0)
		cost = run.size ? run.size : 32;
	S.low_bytes_per_exec = S.leak_per_exec * cost;
	S.low_hours = lowmem_hours(S.low_free_kb, S.low_bytes_per_exec,
				   S.leak.rate);
	S.low_hours_typical = lowmem_hours(S.low_free_kb,
					   S.low_bytes_per_exec,
					   LOWMEM_TYPICAL_RATE);
}

void interp_check(void)
{
	struct leak_result *lr = &S.leak;
	int exact = interp_have_exact_counts();

	S.interp = V_UNKNOWN;
	lr->execs = S.execs;
	if (!lr->slab && !exact) {
		snprintf(S.interp_why, sizeof(S.interp_why),
			 "could not tell: %s, and no execfix.ko/execfix_live.ko counts",
			 lr->why);
		return;
	}
	if (!lr->slab) {
		if (exact_only(lr)) {
			snprintf(S.interp_why, sizeof(S.interp_why), "%s",
				 lr->why);
			return;
		}
	} else if (slab_measure(lr, exact)) {
		snprintf(S.interp_why, sizeof(S.interp_why),
			 "could not tell: %s", lr->why);
		return;
	}
	if (R.unreliable) {
		S.interp = V_UNKNOWN;
		snprintf(S.interp_why, sizeof(S.interp_why),
			 "could not tell: the module's exact counts contradict the slab's own call of a round (module accounting unreliable)");
		return;
	}
	if (!R.decided && exact && S.execs < leak_min_execs(0)) {
		/* the execs were few because exact counts were to decide */
		snprintf(S.interp_why, sizeof(S.interp_why),
			 "could not tell: the module's counts were not believable (fewer allocations than '#!' execs) and %ld execs are below the slab's minimum of %ld",
			 S.execs, leak_min_execs(0));
		return;
	}
	if (!R.decided && (lr->call == LEAK_CLEAN || lr->call == LEAK_LEAKY)) {
		S.interp = lr->call == LEAK_LEAKY ? V_AFFECTED : V_NOT_AFFECTED;
		S.leak_per_exec = lr->growth[lr->rounds - 1];
		S.have_leak_pe = 1;
	}
	if (S.interp == V_UNKNOWN) {
		snprintf(S.interp_why, sizeof(S.interp_why), "%s",
			 lr->why[0] ? lr->why :
			 "could not tell: the module's counts are not believable and the slab did not decide");
		return;
	}
	snprintf(S.interp_why, sizeof(S.interp_why),
		 "%ld '#!' execs x %d round(s), verdict by %s; interpreter name of %zu bytes in %s, drain %s, noise bound %lld objects/round",
		 S.execs, lr->rounds, lr->rule ? lr->rule : "?",
		 lr->interp_len + 1, lr->cache[0] ? lr->cache : "?",
		 lr->drain ? lr->drain : "none", lr->noise);
}
