// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check: the interp leak verdict (patch 0002's bug).  Exact counts
 * decide when a module gives them and proves them (at least one
 * allocation seen per '#!' exec, as interp_leak's prove_module() asks):
 *   execfix_live.ko  interp.allocated, .kernel_freed, .replaced, .fixed:
 *                    what the kernel leaks, and what the module freed in
 *                    its place (then: mitigated);
 *   execfix.ko       allocated and freed at the kernel's call sites.
 * A decisive slab round that contradicts them makes the part "could not
 * tell" (the module's accounting is unreliable), never a verdict.  Without
 * exact counts the slab decides by leak.c's rule, or cannot tell.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <string.h>

#include "execfix_util.h"
#include "execfix-check.h"

struct live_counts {
	char state[64];
	unsigned long long alloc, kfreed, replaced, fixed;
};

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
	int unreliable;
} R;

static int round_hook(int after, int round, long n, void *arg)
{
	const struct leak_result *lr = arg;
	unsigned long long a1, f1, leaked;
	struct live_counts l1;
	int slab_clean, slab_leaky, exact_leaky, single;

	if (!after) {
		R.mod0 = module_counts(&R.a0, &R.f0) == 0;
		R.live0 = live_counts(&R.l0) == 0 && live_counting(&R.l0);
		return 0;
	}
	single = strcmp(lr->drain, "none") && lr->noise * 8 < n;
	slab_clean = single && lr->growth[round] < 0.25;
	slab_leaky = single && lr->growth[round] >= 0.75;
	if (R.live0 && live_counts(&l1) == 0 && l1.alloc - R.l0.alloc >= (unsigned long long)n) {
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
		/* the module frees what leaks: the slab stays flat */
		if (exact_leaky && S.live_fixed * 2 >= leaked) {
			S.interp = V_MITIGATED;
		} else if ((exact_leaky && slab_clean) || (!exact_leaky && slab_leaky)) {
			R.unreliable = 1;
			return 1;
		} else {
			S.interp = exact_leaky ? V_AFFECTED : V_NOT_AFFECTED;
		}
		return 1;
	}
	if (R.mod0 && module_counts(&a1, &f1) == 0 &&
	    a1 - R.a0 >= (unsigned long long)n) {
		S.have_mod = 1;
		S.mod_alloc = a1 - R.a0;
		S.mod_freed = f1 - R.f0;
		S.leak_per_exec = (double)(S.mod_alloc - S.mod_freed) / n;
		S.have_leak_pe = 1;
		exact_leaky = S.leak_per_exec >= LEAK_PER_EXEC;
		if ((exact_leaky && slab_clean) || (!exact_leaky && slab_leaky)) {
			R.unreliable = 1;
			return 1;
		}
		S.interp = exact_leaky ? V_AFFECTED : V_NOT_AFFECTED;
		return 1;
	}
	return 0;	/* no believable exact counts: the slab decides */
}

void interp_check(void)
{
	struct leak_result *lr = &S.leak;
	int exact = interp_have_exact_counts(), ret;

	S.interp = V_UNKNOWN;
	if (!lr->slab && !exact) {
		snprintf(S.interp_why, sizeof(S.interp_why),
			 "could not tell: %s, and no execfix.ko/execfix_live.ko counts",
			 lr->why);
		return;
	}
	if (!lr->slab) {
		/* exact counts alone: rounds of execs, no slab */
		int i;

		lr->interp_len = 31;
		if (leak_make_script(lr->interp_len)) {
			snprintf(S.interp_why, sizeof(S.interp_why),
				 "could not tell: cannot write the '#!' script");
			return;
		}
		lr->execs = S.execs;
		for (i = 0; i < LEAK_ROUNDS && S.interp == V_UNKNOWN &&
		     !R.unreliable; i++) {
			round_hook(0, i, S.execs, lr);
			if (leak_run_execs(leak_script_path, S.execs))
				break;
			lr->rounds = i + 1;
			if (round_hook(1, i, S.execs, lr))
				break;
		}
		lr->rule = "exact counts";
	} else {
		ret = leak_measure(lr, S.execs, exact ? round_hook : NULL, lr);
		if (ret) {
			snprintf(S.interp_why, sizeof(S.interp_why),
				 "could not tell: %s", lr->why);
			return;
		}
	}
	if (R.unreliable) {
		S.interp = V_UNKNOWN;
		snprintf(S.interp_why, sizeof(S.interp_why),
			 "could not tell: the module's exact counts contradict a decisive slab round (module accounting unreliable)");
		return;
	}
	if (S.interp == V_UNKNOWN && lr->call != LEAK_UNDECIDED &&
	    S.execs < leak_min_execs(0)) {
		/* the execs were few because exact counts were to decide */
		snprintf(S.interp_why, sizeof(S.interp_why),
			 "could not tell: the module's counts were not believable (fewer allocations than '#!' execs) and %ld execs are below the slab's minimum of %ld",
			 S.execs, leak_min_execs(0));
		return;
	}
	if (S.interp == V_UNKNOWN && lr->call != LEAK_UNDECIDED) {
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
		 "%ld '#!' execs x %d round(s), verdict by %s; interpreter name of %zu bytes in %s, drain %s, control noise %lld objects/round",
		 S.execs, lr->rounds, lr->rule ? lr->rule : "?",
		 lr->interp_len + 1, lr->cache[0] ? lr->cache : "?",
		 lr->drain ? lr->drain : "none", lr->noise);
}
