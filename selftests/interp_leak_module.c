// SPDX-License-Identifier: GPL-2.0
/*
 * interp_leak: the test module's exact counts (/proc/execfix/interp,
 * interp_accounting=supported).  Reset before and read after every round
 * (mod_hook(), slab_run's wide_hook); believed only once proven here
 * (prove_module()): a round of '#!' execs must show one allocation each
 * and agree with the slab.  interp_leak.c judges with them.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <string.h>

#include "kselftest.h"
#include "execfix_util.h"
#include "leakrun.h"
#include "interp_leak.h"

static void mod_path(char *buf, size_t size)
{
	snprintf(buf, size, "%s/interp", execfix_proc_dir());
}

int mod_read(struct modstate *m)
{
	char buf[4096], path[512], val[64];
	unsigned long long v;

	memset(m, 0, sizeof(*m));
	mod_path(path, sizeof(path));
	if (read_text(path, buf, sizeof(buf)) <= 0)
		return -1;
	if (kv_get(buf, "interp_accounting", val, sizeof(val)) ||
	    strcmp(val, "supported"))
		return -1;
	m->present = 1;
	if (!kv_get_ull(buf, "allocated", &v))
		m->allocated = v;
	if (!kv_get_ull(buf, "freed", &v))
		m->freed = v;
	if (!kv_get_ull(buf, "outstanding", &v))
		m->outstanding = v;
	if (!kv_get_ull(buf, "injected", &v))
		m->injected = v;
	if (!kv_get_ull(buf, "inject_leak", &v))
		m->inject_leak = v;
	return 0;
}

void mod_hook(void *ctx, int after)
{
	struct round *r = ctx;
	char path[512];

	if (after) {
		mod_read(&r->mod);
		return;
	}
	if (mod_read(&r->mod) == 0) {
		mod_path(path, sizeof(path));
		write_text(path, "reset\n");
	}
	r->injected_before = r->mod.injected;
}

long long mod_left(const struct round *r)
{
	return r->mod.outstanding +
		(r->mod.inject_leak ? r->mod.injected - r->injected_before : 0);
}

int prove_module(long n, int slab_only, unsigned int c, struct round *r,
		 char *msg, size_t msize)
{
	struct modstate before;
	double slab_pe, mod_pe;

	if (slab_only) {
		snprintf(msg, msize, "module accounting: not used (--slab-only): slab counters only");
		return 0;
	}
	if (mod_read(&before)) {
		snprintf(msg, msize, "module accounting: no test module with interp accounting: slab counters only");
		return 0;
	}
	if (run_round(LOOP_SCRIPT, n,
		      leak_parts(&leak_rule, slab_run.drain != DRAIN_NONE), r) ||
	    r->w.run.bad || !r->mod.present) {
		snprintf(msg, msize, "module accounting unreliable: its proof run failed (%ld of %ld execs off path): slab counters only",
			 r->w.run.bad, n);
		return 0;
	}
	slab_pe = leak_per_exec(&r->w.cls[c]);
	mod_pe = (double)mod_left(r) / n;
	ksft_print_msg("module proof: %ld '#!' execs: module allocated=%lld freed=%lld outstanding=%lld injected=%+lld, slab %+.3f objects/exec\n",
		       n, r->mod.allocated, r->mod.freed, r->mod.outstanding,
		       r->mod.injected - r->injected_before, slab_pe);
	if (r->mod.allocated < n) {
		snprintf(msg, msize, "module accounting unreliable: %lld allocations seen for %ld '#!' execs: slab counters only",
			 r->mod.allocated, n);
		return 0;
	}
	if ((mod_pe >= leak_rule.threshold) !=
	    (slab_pe >= leak_rule.threshold)) {
		snprintf(msg, msize, "module accounting unreliable: slab %+.3f objects/exec, the module claims %.3f left behind (allocated=%lld freed=%lld): slab counters only",
			 slab_pe, mod_pe, r->mod.allocated, r->mod.freed);
		return 0;
	}
	snprintf(msg, msize, "module accounting proven: %lld allocations, %lld frees for %ld '#!' execs, agrees with the slab (%+.3f objects/exec)",
		 r->mod.allocated, r->mod.freed, n, slab_pe);
	return 1;
}
