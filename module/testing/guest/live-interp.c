// SPDX-License-Identifier: GPL-2.0
/*
 * live-guest: live_layout and live_interp: execfix_live.ko's two halves against
 * exec_layout_32, the slab (measure/'s leak rule) and interp_leak.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "execfix_util.h"
#include "execloop.h"
#include "kmod.h"
#include "leakrun.h"
#include "seq.h"
#include "tap.h"
#include "live-guest.h"

int test_layout(void)
{
	char *const argv[] = { T "exec_layout_32", NULL };
	unsigned long long cleared = 0;
	int before, with, after, err;

	if (access(argv[0], X_OK))
		return printf("1..0 # SKIP no exec_layout_32\n"), 4;
	diag("exec_layout_32 without execfix_live.ko:");
	before = run(argv, 1, NULL, 0);
	tap(before == (expect_layout ? 1 : 0),
	   "without the module exec_layout_32 exits %d (%s)", before,
	   expect_layout ? "this kernel has the layout bug" : "no layout bug");
	err = kmod_load(LIVE_KO, "");
	show_dmesg("execfix_live");
	if (err == ENODEV && !expect_layout) {
		tap(1, "execfix_live.ko refuses to load on a kernel without exec-shield");
		return tap_done(0);
	}
	tap(err == 0, "execfix_live.ko loads (%s)", err ? strerror(err) : "ok");
	if (err)
		return tap_done(0);
	show_file(LIVE_PROC);
	diag("exec_layout_32 with execfix_live.ko:");
	with = run(argv, 1, NULL, 0);
	tap(with == 0, "with the module exec_layout_32 passes (exit %d)", with);
	live_value("layout.cleared", &cleared);
	show_file(LIVE_PROC);
	tap(!expect_layout || cleared > 0,
	   "the module cleared the exec allocator %llu times", cleared);
	err = kmod_unload("execfix_live");
	tap(err == 0, "execfix_live.ko unloads (%s)", err ? strerror(err) : "ok");
	diag("exec_layout_32 after unloading execfix_live.ko:");
	after = run(argv, 1, NULL, 0);
	tap(after == before, "after unload exec_layout_32 exits %d again (%d)",
	   before, after);
	return tap_done(0);
}

/*
 * The live driver's judgement of slab counts: the library's one rule.  Its
 * measurement (slab_check()) and --judge-slabinfo both come here, and
 * tests/measure-agree.sh requires it to agree with interp_leak's.
 */
static void live_judgement(int drained, const struct leak_round *control,
			   int nc, const struct leak_round *r, int n,
			   struct leak_judgement *j)
{
	leak_judge(&leak_rule, drained, control, nc, r, n, j);
}

/*
 * With the module loaded the interpreter names' cache (a "/tests/..." name
 * is a 32-byte object) must not grow: plain execs of interp_stub are the
 * control, '#!' execs of SCRIPT the loop.  One TAP line; none when this
 * kernel has no slab counts.
 */
static void slab_check(void)
{
	char *const plain[] = { T "interp_stub", NULL };
	char *const script[] = { SCRIPT, NULL };
	struct leak_round r[SEQ_MAX_ROUNDS];
	struct leak_judgement j;
	struct exec_stats st;
	struct leak_run lr;
	char cn[32];

	if (leak_run_init(&lr, 32)) {
		diag("no 32-byte kmalloc cache in /proc/slabinfo (%s): not judged",
		     strerror(errno));
		leak_run_free(&lr);
		return;
	}
	slab_cache_name(lr.kind, 32, cn, sizeof(cn));
	/* interp_stub exits with its argc: 1 plain, 2 through '#!' */
	if (leak_run_control(&lr, plain, 1, N_EXECS, LEAK_RUN_CONTROL) ||
	    leak_run_judge(&lr, script, 2, N_EXECS, plain, 1, live_judgement,
			   r, &j, &st))
		tap(0, "%s measured around '#!' execs with the module (%s)",
		    cn, strerror(errno));
	else if (j.verdict == LEAK_UNKNOWN)
		tap_skip("%s with the module: could not tell: %s (noise bound %lld objects per %d execs)",
		    cn, j.rule, j.noise, N_EXECS);
	else
		tap(j.verdict == LEAK_CLEAN && !st.bad,
		    "%s stays flat over %ld '#!' execs with the module (max |growth| %.3f objects/exec, %s, by %s)",
		    cn, j.execs, j.worst,
		    lr.drain != DRAIN_NONE ? "drained" : "undrained", j.rule);
	leak_run_free(&lr);
}

/* --judge-slabinfo FILE: live_judgement() of a slabinfo sequence. */
int judge_fixture(const char *path)
{
	return leak_seq_judge(path, live_judgement);
}

int test_interp(void)
{
	char *const leak_argv[] = { T "interp_leak", NULL };
	unsigned long long alloc = 0, fixed = 0, kfi = 0;
	char state[64] = "", buf[4096];
	int err, interp_only, rc;

	err = load_live(&interp_only);
	tap(err == 0, "execfix_live.ko loads%s (%s)",
	   interp_only ? " with interp_only=1" : "",
	   err ? strerror(err) : "ok");
	if (err)
		return tap_done(0);
	if (read_text(LIVE_PROC, buf, sizeof(buf)) > 0)
		kv_get(buf, "interp", state, sizeof(state));
	show_file(LIVE_PROC);
	if (!strcmp(state, "not_applicable")) {
		tap(!expect_leak, "interp part not applicable (no bprm_change_interp())");
		kmod_unload("execfix_live");
		return tap_done(4);
	}
	if (!strcmp(state, "off") && !expect_leak) {
		/* It never guesses: e.g. free_bprm() inlined (Debian's 6.1). */
		tap(1, "interp part off, frees nothing on a kernel without the leak");
		kmod_unload("execfix_live");
		return tap_done(0);
	}
	tap(!strcmp(state, "active"), "interp part active (%s)", state);
	if (write_script())
		tap(0, "write %s", SCRIPT);
	write_text(LIVE_PROC, "reset\n");
	rc = script_execs(N_EXECS);
	tap(rc == 0, "%d '#!' execs", N_EXECS);
	live_value("interp.allocated", &alloc);
	live_value("interp.fixed", &fixed);
	live_value("interp.kernel_frees_itself", &kfi);
	show_file(LIVE_PROC);
	tap(alloc == N_EXECS, "the module saw %llu interpreter allocations (want %d)",
	   alloc, N_EXECS);
	if (expect_leak) {
		tap(kfi == 0 && fixed == N_EXECS,
		   "leaking kernel: the module freed %llu names (want %d), kernel_frees_itself=%llu",
		   fixed, N_EXECS, kfi);
	} else {
		tap(kfi == 1 && fixed == 0,
		   "kernel frees the name itself: the module freed %llu (want 0), kernel_frees_itself=%llu",
		   fixed, kfi);
	}
	slab_check();
	diag("interp_leak with execfix_live.ko:");
	rc = run(leak_argv, 1, NULL, 0);
	tap(rc == 0, "interp_leak passes with the module (exit %d)", rc);
	err = kmod_unload("execfix_live");
	tap(err == 0, "execfix_live.ko unloads (%s)", err ? strerror(err) : "ok");
	show_dmesg("execfix_live");
	/* Only a leaking kernel has something to show after unload. */
	if (expect_leak) {
		diag("interp_leak after unloading execfix_live.ko:");
		rc = run(leak_argv, 1, NULL, 0);
		tap(rc == 1, "after unload interp_leak fails again (exit %d)",
		   rc);
	}
	return tap_done(0);
}
