// SPDX-License-Identifier: GPL-2.0
/*
 * interp_leak's lowmem case: what the leak costs where it panics machines.
 *
 * On a 32-bit kernel with HIGHMEM (RHEL 6's i686 kernels) every kmalloc
 * object lives in lowmem, the ~870 MiB directly mapped zone, however much
 * RAM there is; /proc/meminfo reports it as LowFree.  A kernel that leaks
 * one interpreter name per '#!' exec runs it out, and then panics.  This
 * case measures LowFree around rounds of EXECFIX_LOWMEM_EXECS '#!' execs
 * (default 10000: LowFree moves by pages, and a leak of a 32-byte object
 * per exec is 113 objects to the page) and reports, per 1000 execs, the
 * lowmem they kept and the watched cache's growth, and when lowmem would
 * be gone at this guest's exec rate and at LOWMEM_TYPICAL_RATE.
 *
 * Free lowmem is LowFree plus the pages on the lowmem zones' per-CPU free
 * lists (zoneinfo_lowmem_pcp()): a growing slab takes those first, and
 * LowFree alone stayed flat for a whole round of 10000 leaking execs once
 * (then fell 38 kB per 1000 in the next ones).  Both are printed.
 *
 * Verdict: the library's leak rule (measure/leak.h) on the free lowmem
 * lost, counted in objects of the watched cache (its slabinfo geometry:
 * slab_object_cost()), with a control round of plain execs as the noise
 * bound (scaled to a round's duration, as the rule does): two rounds,
 * read whole, must agree.  Leaky is a failure (lowmem goes), clean a pass
 * (flat), else SKIP.  Where meminfo has no LowFree (64-bit kernels) the
 * case says "not applicable".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest.h"
#include "leak.h"
#include "lowmem.h"
#include "slab.h"
#include "interp_leak.h"

#define LOWMEM_EXECS	10000	/* per round; EXECFIX_LOWMEM_EXECS */
#define LOWMEM_MAX_ROUNDS	4	/* at least leak_rule.rounds */

static long page_kb;

/* Free lowmem a round kept, kB. */
static long long kept_kb(const struct leak_wide *w)
{
	return lowmem_free_kb(&w->mem0, page_kb) -
	       lowmem_free_kb(&w->mem1, page_kb);
}

/* The lowmem a round kept, in objects of cost bytes, as the rule takes it. */
static struct leak_round lowmem_round(const struct leak_wide *w, double cost)
{
	struct leak_round lr;
	double kept = kept_kb(w) * 1024.0 / cost;

	memset(&lr, 0, sizeof(lr));
	lr.n = w->n;
	lr.secs = w->run.secs;	/* the noise bound scales with it */

	lr.after = (long long)(kept < 0 ? kept - 0.5 : kept + 0.5);
	return lr;
}

/* Free lowmem's change per 1000 execs (kB; negative: lost). */
static double kb_per_1000(const struct leak_wide *w)
{
	return w->n ? -kept_kb(w) * 1000.0 / w->n : 0;
}

static double objs_per_1000(const struct leak_wide *w, unsigned int c)
{
	return w->n ? (w->cls[c].after - w->cls[c].before) * 1000.0 / w->n : 0;
}

static void print_round(const char *what, const struct leak_wide *w,
			unsigned int c, const char *cn)
{
	ksft_print_msg("lowmem: %s: %ld execs in %.1f s (%.0f/s), LowFree %lld -> %lld kB (%+.1f kB per 1000 execs), per-CPU free lists %lld -> %lld pages; free lowmem %+.1f kB per 1000 execs; %s %+.1f per 1000\n",
		       what, w->n, w->run.secs,
		       w->run.secs > 0 ? w->n / w->run.secs : 0.0,
		       w->mem0.lowfree_kb, w->mem1.lowfree_kb,
		       w->n ? (w->mem1.lowfree_kb - w->mem0.lowfree_kb) *
		       1000.0 / w->n : 0.0, w->mem0.lowpcp, w->mem1.lowpcp,
		       kb_per_1000(w), cn, objs_per_1000(w, c));
}

/* execs per round: EXECFIX_LOWMEM_EXECS, at least the rule's minimum */
static long lowmem_execs(void)
{
	const char *env = getenv("EXECFIX_LOWMEM_EXECS");
	char *end;
	long n;

	if (!env || !*env)
		return LOWMEM_EXECS;
	errno = 0;
	n = strtol(env, &end, 10);
	if (errno || end == env || *end || n < leak_rule.min_execs) {
		ksft_print_msg("lowmem: EXECFIX_LOWMEM_EXECS=%s: need a number, at least %ld; %d used\n",
			       env, leak_rule.min_execs, LOWMEM_EXECS);
		return LOWMEM_EXECS;
	}
	return n;
}

int run_lowmem(unsigned int size, char *msg, size_t msize)
{
	struct round rc, r[LOWMEM_MAX_ROUNDS];
	const struct leak_wide *ctl = &rc.w, *w;
	struct leak_round lc, lr[LOWMEM_MAX_ROUNDS];
	struct leak_judgement j;
	char buf[8192], cn[32];
	long long low_total, low_free, noise;
	double cost, secs = 0, kept = 0, lowfree_kept = 0, grew = 0;
	double bpe, rate, h, h10;
	long n = lowmem_execs(), execs = 0;
	unsigned int c;
	int i;

	low_free = meminfo_read(buf, sizeof(buf)) ? -1 :
		   meminfo_kb(buf, "LowFree");
	if (low_free < 0) {
		snprintf(msg, msize, "lowmem: not applicable: no LowFree in /proc/meminfo (a 64-bit kernel, or one without HIGHMEM: no lowmem zone of its own to run out of)");
		return LOWMEM_SKIP;
	}
	low_total = meminfo_kb(buf, "LowTotal");
	page_kb = sysconf(_SC_PAGESIZE) / 1024;
	for (c = 0; c < NCLASSES && class_sizes[c] != size; c++)
		;
	if (c == NCLASSES || slab_read(NULL, slab_run.text, SLABINFO_MAX)) {
		snprintf(msg, msize, "lowmem: cannot read the %u-byte cache",
			 size);
		return LOWMEM_FAIL;
	}
	slab_cache_name(slab_run.kind, size, cn, sizeof(cn));
	cost = slab_object_cost(slab_run.text, slab_run.kind, size,
				sysconf(_SC_PAGESIZE));
	if (cost <= 0)
		cost = size;
	ksft_print_msg("lowmem: LowTotal %lld kB, LowFree %lld kB; rounds of %ld execs; one %s object takes %.1f bytes of lowmem\n",
		       low_total, low_free, n, cn, cost);

	if (run_round(LOOP_CONTROL, n, 0, &rc) || ctl->run.bad) {
		snprintf(msg, msize, "lowmem: control round failed: %s",
			 ctl->run.bad ? "execs off path" : strerror(errno));
		return LOWMEM_FAIL;
	}
	print_round("control (plain ELF)", ctl, c, cn);
	lc = lowmem_round(ctl, cost);

	for (i = 0; i < leak_rule.rounds && i < LOWMEM_MAX_ROUNDS; i++) {
		char what[32];

		w = &r[i].w;
		if (run_round(LOOP_SCRIPT, n, 0, &r[i]) || w->run.bad) {
			snprintf(msg, msize, "lowmem: '#!' round failed: %s",
				 w->run.bad ? "execs off path" : strerror(errno));
			return LOWMEM_FAIL;
		}
		snprintf(what, sizeof(what), "'#!' round %d", i + 1);
		print_round(what, w, c, cn);
		lr[i] = lowmem_round(w, cost);
		secs += w->run.secs;
		execs += w->n;
		kept += kept_kb(w);
		lowfree_kept += w->mem0.lowfree_kb - w->mem1.lowfree_kb;
		grew += w->cls[c].after - w->cls[c].before;
		/* LowFree is not drained: two rounds must agree */
		leak_judge(&leak_rule, 0, &lc, 1, lr, i + 1, &j);
		if (j.verdict != LEAK_MORE)
			break;
	}

	noise = j.noise;
	bpe = kept * 1024.0 / execs;
	rate = secs > 0 ? execs / secs : 0;
	low_free = lowmem_free_kb(&r[j.rounds - 1].w.mem1, page_kb);
	if (j.verdict == LEAK_UNKNOWN) {
		snprintf(msg, msize, "lowmem: could not tell: %s (free lowmem %+.1f kB per 1000 '#!' execs, control %+.1f, noise %lld objects of %.1f bytes per round); %ld execs",
			 j.rule, -kept * 1000.0 / execs, kb_per_1000(ctl),
			 noise, cost, execs);
		return LOWMEM_SKIP;
	}
	if (j.verdict == LEAK_CLEAN) {
		snprintf(msg, msize, "lowmem: flat: free lowmem %+.1f kB per 1000 '#!' execs (LowFree %+.1f; control %+.1f), %s %+.1f per 1000: not exhausted; verdict by %s after %ld execs",
			 -kept * 1000.0 / execs, -lowfree_kept * 1000.0 / execs,
			 kb_per_1000(ctl), cn, grew * 1000.0 / execs, j.rule,
			 execs);
		return LOWMEM_PASS;
	}
	h = lowmem_hours(low_free, bpe, rate);
	h10 = lowmem_hours(low_free, bpe, LOWMEM_TYPICAL_RATE);
	ksft_print_msg("lowmem: %.1f bytes of lowmem kept per '#!' exec (%.2f %s objects' worth); its %lld kB free are gone after %.0f million more such execs\n",
		       bpe, bpe / cost, cn, low_free,
		       low_free * 1024.0 / bpe / 1e6);
	snprintf(msg, msize, "lowmem: falls: free lowmem %+.1f kB per 1000 '#!' execs (LowFree %+.1f; control %+.1f), %s %+.1f per 1000: at %.0f execs/s (this guest) lowmem is gone in %.1f hours, at %.0f/s in %.0f hours (%.1f days); verdict by %s after %ld execs",
		 -kept * 1000.0 / execs, -lowfree_kept * 1000.0 / execs,
		 kb_per_1000(ctl), cn, grew * 1000.0 / execs, rate, h,
		 LOWMEM_TYPICAL_RATE, h10, h10 / 24, j.rule, execs);
	return LOWMEM_FAIL;
}
