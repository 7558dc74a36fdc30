// SPDX-License-Identifier: GPL-2.0
/*
 * interp_leak: one round of a loop (interp_leak.h), measured: every
 * candidate cache drained and counted around n execs and between the
 * round's parts (measure/'s slab counts, drain and exec loop),
 * /proc/meminfo's Slab and LowFree (measure/lowmem.h), and the test
 * module's counters when it is loaded.
 * interp_leak.c judges.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest.h"
#include "execfix_util.h"
#include "execloop.h"
#include "lowmem.h"
#include "slab.h"
#include "interp_leak.h"

/* interp_stub exits with its argc: which path the kernel took. */
const int loop_argc[NLOOPS] = { 1, 2, 3, 2 };

char *slabinfo;
enum slab_kind slab_kind;
enum slab_drain drain;

/* ------------------------------------------------------------------ */
/* measurements                                                       */
/* ------------------------------------------------------------------ */

int slabinfo_read(void)
{
	if (!slabinfo)
		slabinfo = malloc(SLABINFO_MAX);
	if (!slabinfo)
		return -1;
	return slab_read(NULL, slabinfo, SLABINFO_MAX);
}

void choose_drain(void)
{
	const char *env = getenv("EXECFIX_LEAK_DRAIN");

	if (env && !strcmp(env, "0")) {
		/* for comparison: undrained counts, the old round sizes */
		drain = DRAIN_NONE;
		return;
	}
	drain = slab_drain_for(slab_kind);
	drain_all();
}

/*
 * /proc/meminfo's Slab and LowFree, and where there is LowFree the pages
 * on the lowmem zones' per-CPU free lists (-1: no such line, unreadable).
 */
static void meminfo_now(long long *slab_kb, long long *lowfree_kb,
			long long *lowpcp)
{
	static char zi[65536];
	char buf[8192];

	*slab_kb = *lowfree_kb = *lowpcp = -1;
	if (meminfo_read(buf, sizeof(buf)))
		return;
	*slab_kb = meminfo_kb(buf, "Slab");
	*lowfree_kb = meminfo_kb(buf, "LowFree");
	if (*lowfree_kb >= 0 && !zoneinfo_read(zi, sizeof(zi)))
		*lowpcp = zoneinfo_lowmem_pcp(zi);
}

/* Drain every candidate cache; no drain at all once one fails. */
void drain_all(void)
{
	unsigned int c;

	if (drain == DRAIN_NONE)
		return;
	if (slabinfo_read())
		goto fail;
	for (c = 0; c < NCLASSES; c++) {
		if (slab_active(slabinfo, slab_kind, class_sizes[c]) < 0)
			continue;
		if (slab_drain_class(drain, slabinfo, class_sizes[c]))
			goto fail;
	}
	return;
fail:
	ksft_print_msg("cannot drain the per-CPU caches (%s): %s; undrained counts, larger rounds\n",
		       slab_drain_name(drain), strerror(errno));
	drain = DRAIN_NONE;
}


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

int mod_reset(void)
{
	char path[512];

	mod_path(path, sizeof(path));
	return write_text(path, "reset\n");
}

/* ------------------------------------------------------------------ */
/* exec loops                                                         */
/* ------------------------------------------------------------------ */

static const char *loop_target(enum loop_kind k)
{
	switch (k) {
	case LOOP_CONTROL:
		return stub_path;
	case LOOP_SCRIPT:
		return script_path;
	case LOOP_NESTED:
		return nested_path;
	default:
		return misc_path;
	}
}


int run_round(enum loop_kind k, long n, int nparts, struct round *r)
{
	char *const argv[] = { (char *)loop_target(k), NULL };
	long long kb0, kb1, at[NCLASSES], now;
	struct exec_stats one;
	long done = 0, m;
	unsigned int c;
	int p;

	memset(r, 0, sizeof(*r));
	r->n = n;
	if (nparts < 1)
		nparts = 1;
	if (nparts > LEAK_MAX_PARTS)
		nparts = LEAK_MAX_PARTS;
	if (mod_read(&r->mod) == 0)
		mod_reset();
	r->injected_before = r->mod.injected;
	drain_all();
	if (slabinfo_read())
		return -1;
	for (c = 0; c < NCLASSES; c++)
		at[c] = r->before[c] = slab_active(slabinfo, slab_kind,
						   class_sizes[c]);
	meminfo_now(&kb0, &r->lowfree_before, &r->lowpcp_before);
	for (p = 0; p < nparts; p++) {
		m = (n * (p + 1)) / nparts - done;
		/* interp_stub exits with its argc: the path the kernel took */
		if (exec_loop(argv, m, loop_argc[k], &one))
			return -1;
		done += m;
		if (one.bad && !r->run.bad)
			r->run.first_bad = one.first_bad;
		r->run.bad += one.bad;
		r->run.secs += one.secs;
		drain_all();
		if (slabinfo_read())
			return -1;
		for (c = 0; c < NCLASSES; c++) {
			now = slab_active(slabinfo, slab_kind, class_sizes[c]);
			if (nparts > 1)
				r->part[c][p] = now - at[c];
			at[c] = now;
		}
	}
	r->nparts = nparts > 1 ? nparts : 0;
	for (c = 0; c < NCLASSES; c++)
		r->after[c] = at[c];
	meminfo_now(&kb1, &r->lowfree_after, &r->lowpcp_after);
	r->slab_kb_delta = kb1 - kb0;
	mod_read(&r->mod);
	return 0;
}
