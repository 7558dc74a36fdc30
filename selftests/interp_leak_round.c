// SPDX-License-Identifier: GPL-2.0
/*
 * interp_leak: one round of a loop (interp_leak.h), measured by measure/'s
 * wide round (leak_run_wide(): every candidate cache drained and counted
 * around n execs and between the round's parts, /proc/meminfo's Slab and
 * free lowmem around them), with the test module's counters reset before
 * and read after it (interp_leak_module.c's mod_hook()); the drain, and
 * saying when it fails.  interp_leak.c judges.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest.h"
#include "leakrun.h"
#include "interp_leak.h"

/* interp_stub exits with its argc: which path the kernel took. */
const int loop_argc[NLOOPS] = { 1, 2, 3, 2 };

struct leak_run slab_run;

int slab_setup(void)
{
	if (leak_run_init(&slab_run, 0))
		return -1;
	slab_run.wide_hook = mod_hook;
	return 0;
}

void drain_report(void)
{
	if (slab_run.drain_failed == DRAIN_NONE)
		return;
	ksft_print_msg("cannot drain the per-CPU caches (%s): %s; undrained counts, larger rounds\n",
		       slab_drain_name(slab_run.drain_failed),
		       strerror(slab_run.drain_errno));
	slab_run.drain_failed = DRAIN_NONE;
}

void choose_drain(void)
{
	const char *env = getenv("EXECFIX_LEAK_DRAIN");

	if (env && !strcmp(env, "0")) {
		/* for comparison: undrained counts, the old round sizes */
		slab_run.drain = DRAIN_NONE;
		return;
	}
	leak_run_drain(&slab_run);
	drain_report();
}

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
	int ret;

	memset(r, 0, sizeof(*r));
	slab_run.hook_ctx = r;
	/* interp_stub exits with its argc: the path the kernel took */
	ret = leak_run_wide(&slab_run, argv, loop_argc[k], n, nparts, &r->w);
	drain_report();
	return ret;
}
