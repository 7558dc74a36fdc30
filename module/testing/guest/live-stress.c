// SPDX-License-Identifier: GPL-2.0
/*
 * live-guest: kprobe_events_stress, module_stress and live_bench: load/unload
 * cycles and probes under exec storms (measure/'s kmod_cycles() and
 * exec storms), and the module's cost.
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

/* Append a line to a file (kprobe_events: O_APPEND adds a probe). */
static int append_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_APPEND);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* O_TRUNC on kprobe_events removes every probe it defined. */
static int clear_kprobe_events(void)
{
	int fd = open(KPE, O_WRONLY | O_TRUNC);

	return fd < 0 ? -1 : close(fd);
}

/*
 * The control for the SMP question: the kernel's own kprobe_events put and
 * take away kprobes on the addresses execfix_live.ko probes, N times, while
 * a child execs a '#!' script in a loop; no module is involved. Addresses
 * from the kernel command line: execfix_kprobes=SYM+OFF,SYM+OFF,...
 */
int test_kprobe_events(void)
{
	char list[1024], def[256], *sym;
	int cycles = 200, i, n = 0, fails = 0;
	static char *const script[] = { SCRIPT, NULL };
	static char *const *const storm_argv[] = { script };
	static const int storm_want[] = { 2 };	/* interp_stub's argc */
	struct exec_storm storm;

	if (cmdline_value("execfix_kprobes=", list, sizeof(list)) || !list[0] ||
	    access(KPE, W_OK))
		return printf("1..0 # SKIP no execfix_kprobes= or no %s\n", KPE), 4;
	if (write_script())
		return printf("1..0 # SKIP cannot write %s\n", SCRIPT), 4;
	if (exec_storm_start(&storm, 1, storm_argv, storm_want, 1))
		return printf("1..0 # SKIP exec storm: %s\n", strerror(errno)), 4;
	for (i = 0; i < cycles; i++) {
		char copy[1024];

		snprintf(copy, sizeof(copy), "%s", list);
		n = 0;
		for (sym = strtok(copy, ","); sym; sym = strtok(NULL, ",")) {
			snprintf(def, sizeof(def), "p:kp%d %s\n", n++, sym);
			if (append_text(KPE, def))
				fails++;
		}
		if (write_text(KPE_EN, "1\n"))
			fails++;
		usleep(20000);
		if (write_text(KPE_EN, "0\n") || clear_kprobe_events())
			fails++;
	}
	exec_storm_stop(&storm);
	tap(fails == 0, "%d cycles of %d kprobe_events probes (%s) under a '#!' exec storm, %d write errors",
	   cycles, n, list, fails);
	return tap_done(0);
}

static void cycle_progress(void *ctx, const struct kmod_cycles *c, int loaded)
{
	const double *t0 = ctx;

	if (!loaded && c->done % 50 == 0)
		diag("%d cycles, %.1f s", c->done, exec_now() - *t0);
}

/*
 * The SMP safety stress: C load/unload cycles of a module while one exec
 * storm child per online CPU (at least two) runs '#!' scripts and 32->64
 * execs (the two exec paths the modules probe), as
 * module/testing/host/smp-stress asks for on the kernel command line:
 *   execfix_stress_ko=FILE      a module in /tests (execfix.ko, execfix_live.ko)
 *   execfix_stress_cycles=C     cycles (default 200)
 *   execfix_kprobes_opt=0|1     set debug.kprobes-optimization for the run
 *                               (restored after), a discriminating knob
 * A hang or an oops is seen by the runner (soft lockup, timeout), not here;
 * this test fails when a load, an unload or an exec of the storm fails.
 */
int test_module_stress(void)
{
	static const char opt_path[] = "/proc/sys/debug/kprobes-optimization";
	char ko[256], path[300], name[256], val[32], opt_old[32] = "";
	static char *const script[] = { SCRIPT, NULL };
	static char *const cross[] = { T "execfix_helper32", T "interp_stub", NULL };
	static char *const *const storm_argv[] = { script, cross };
	static const int storm_want[] = { 2, 1 };	/* interp_stub's argc */
	static const char *const no_params = "", *const live_params = "interp_only=1";
	int cycles = 200, i, nstorm, err = 0, params_live = 0;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct exec_storm storm = { 0 };
	struct kmod_cycles c = { 0 };
	double t0;
	char *dot;

	if (cmdline_value("execfix_stress_ko=", ko, sizeof(ko)) || !ko[0])
		return printf("1..0 # SKIP no execfix_stress_ko= on the kernel command line\n"), 4;
	if (!cmdline_value("execfix_stress_cycles=", val, sizeof(val)))
		cycles = atoi(val);
	snprintf(path, sizeof(path), T "%s", ko);
	snprintf(name, sizeof(name), "%s", ko);
	dot = strstr(name, ".ko");
	if (dot)
		*dot = '\0';
	if (access(path, R_OK) || write_script() || access(cross[0], X_OK))
		return printf("1..0 # SKIP need %s, %s and %s\n", path, SCRIPT,
			      cross[0]), 4;
	if (!cmdline_value("execfix_kprobes_opt=", val, sizeof(val))) {
		if (read_text(opt_path, opt_old, sizeof(opt_old)) <= 0 ||
		    write_text(opt_path, val[0] == '0' ? "0\n" : "1\n")) {
			tap(0, "set %s to %s", opt_path, val);
			return tap_done(0);
		}
		diag("%s: %s (was %.*s)", opt_path, val,
		     (int)strcspn(opt_old, "\n"), opt_old);
	}
	/* execfix_live.ko on a kernel without exec-shield: interp part only */
	if (!strcmp(name, "execfix_live")) {
		err = kmod_load(path, "");
		if (err == ENODEV)
			params_live = 1;
		else if (!err)
			err = kmod_unload(name);
		if (err && err != ENODEV) {
			tap(0, "%s loads and unloads once (%s)", ko, strerror(err));
			return tap_done(0);
		}
		err = 0;
	}
	nstorm = ncpu < 2 ? 2 : ncpu > STORM_MAX ? STORM_MAX : (int)ncpu;
	t0 = exec_now();
	if (exec_storm_start(&storm, nstorm, storm_argv, storm_want, 2)) {
		err = errno;
		diag("exec storm: %s", strerror(err));
	} else {
		kmod_cycles(path, params_live ? &live_params : &no_params, 1,
			    cycles, &c, cycle_progress, &t0);
		err = c.err;
		if (err)
			diag("cycle %d: %s %s: %s", c.done + 1, c.failed,
			     c.failed[0] == 'l' ? ko : c.name, strerror(err));
	}
	exec_storm_stop(&storm);
	if (!err && *storm.failed) {
		diag("%ld execs of the storms failed ('#!' or 32->64), %ld ran",
		     *storm.failed, *storm.ok);
		err = EIO;
	}
	i = c.done;
	if (opt_old[0])
		write_text(opt_path, opt_old);
	tap(!err && i == cycles,
	   "%d load/unload cycles of %s during %d exec storms ('#!' and 32->64) on %ld CPUs (%d done, %.1f s)",
	   cycles, ko, nstorm, ncpu, i, exec_now() - t0);
	return tap_done(0);
}

/*
 * Cost of execfix_live.ko: rate of '#!' execs and of 32->64 execs with the
 * module loaded over unloaded, rounds alternating. Prints "# bench:" lines
 * (figures for make bench, not verdicts) when every round ran; the one test
 * fails when a round could not: the module did not load or unload, or an
 * exec did not exit as it should.
 */
int test_bench(void)
{
	static char *const script[] = { SCRIPT, NULL };
	static char *const cross[] = { T "execfix_helper32", T "interp_stub", NULL };
	static const char *const what[] = { "'#!'", "32->64" };
	const int n = 300, rounds = 3;
	double rate[2][2] = { { 0, 0 }, { 0, 0 } }, r;
	int round, loaded, k, err = 0, io, done = 0, bad = 0;

	if (write_script())
		return printf("1..0 # SKIP cannot write %s\n", SCRIPT), 4;
	for (round = 1; round <= rounds && !err; round++) {
		for (loaded = 0; loaded < 2 && !err; loaded++) {
			if (loaded) {
				err = load_live(&io);
				if (err) {
					diag("round %d: execfix_live.ko does not load (%s)",
					     round, strerror(err));
					break;
				}
			}
			/* interp_stub exits with its argc: 2 via '#!', 1 */
			for (k = 0; k < 2; k++) {
				r = exec_rate(k ? cross : script, n, k ? 1 : 2);
				if (r > 0) {
					rate[loaded][k] += r;
				} else {
					diag("round %d, module %s: %s execs failed",
					     round, loaded ? "loaded" : "unloaded",
					     what[k]);
					bad++;
				}
			}
			if (loaded) {
				err = kmod_unload("execfix_live");
				if (err)
					diag("round %d: execfix_live.ko does not unload (%s)",
					     round, strerror(err));
			}
		}
		if (!err)
			done++;
	}
	if (done == rounds && !bad)
		for (k = 0; k < 2; k++)
			printf("# bench: %s execs/s unloaded %.1f loaded %.1f ratio %.3f\n",
			       what[k], rate[0][k] / rounds, rate[1][k] / rounds,
			       rate[1][k] / rate[0][k]);
	tap(done == rounds && !bad,
	    "%d rounds of %d execs each way, module unloaded and loaded (%d rounds done, %d exec loops failed)",
	    rounds, n, done, bad);
	return tap_done(0);
}
