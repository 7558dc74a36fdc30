// SPDX-License-Identifier: GPL-2.0
/*
 * live-guest: guest-side tests of execfix_live.ko, execfix_hook.ko and
 * execfix-check, run by qemu/run-qemu as static programs in /tests (no
 * shell in the guest). One binary; the name it is run by picks the test:
 *
 *   live_layout     exec_layout_32 without the module, with it, after unload
 *   live_interp     N '#!' execs with the module: its exact counts, the slab,
 *                   interp_leak with it and after unload
 *   hook_integrity  execfix_hook.ko: /proc/execfix/integrity and
 *                   execfix-check show hooked=2 naming it, 0 after unload
 *   check_verdict   execfix-check --json: its verdicts are this kernel's
 *   kprobe_events_stress  control for SMP runs: the kernel's kprobe_events
 *                   on execfix_live.ko's addresses, no module
 *   live_bench      exec rates with the module loaded over unloaded
 *   module_stress   load/unload cycles of a module under an exec storm of
 *                   '#!' and 32->64 execs (module/testing/smp-stress)
 *
 * What the kernel is expected to have comes from the kernel command line
 * (run-qemu --append): execfix_expect=layout,leak (either, both or none:
 * the default is a kernel with neither bug). Modules are read from /tests.
 * TAP 13; exit 0 pass, 1 fail, 4 skip.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/time.h>
#include <signal.h>
#include <unistd.h>

#include "execfix_util.h"
#include "execloop.h"
#include "kmod.h"
#include "leakrun.h"
#include "seq.h"
#include "tap.h"

#define T		"/tests/"
#define LIVE_KO		T "execfix_live.ko"
#define HOOK_KO		T "execfix_hook.ko"
#define LIVE_PROC	"/proc/execfix_live"
#define SCRIPT		"/tmp/live-guest-script"
#define N_EXECS		500
#define KPE		"/sys/kernel/debug/tracing/kprobe_events"
#define KPE_EN		"/sys/kernel/debug/tracing/events/kprobes/enable"

static int expect_layout, expect_leak;

static void read_expectations(void)
{
	char cmd[4096], val[256];
	char *p;

	if (read_text("/proc/cmdline", cmd, sizeof(cmd)) <= 0)
		return;
	p = strstr(cmd, "execfix_expect=");
	if (!p)
		return;
	sscanf(p + strlen("execfix_expect="), "%255s", val);
	expect_layout = strstr(val, "layout") != NULL;
	expect_leak = strstr(val, "leak") != NULL;
}

/* The kernel's messages from a module, for the report. */
static void show_dmesg(const char *tag)
{
	static char buf[1 << 17];
	int n = syscall(SYS_syslog, 3, buf, (int)sizeof(buf) - 1);
	char *p, *line;

	if (n <= 0)
		return;
	buf[n] = '\0';
	for (line = buf; line && *line; line = p) {
		p = strchr(line, '\n');
		if (p)
			*p++ = '\0';
		if (strstr(line, tag))
			diag("dmesg: %s", line);
	}
}

/*
 * Run argv; its output goes to the report prefixed, or (quiet) only its
 * TAP result lines. Returns the exit code, or -1.
 */
static int run(char *const argv[], int quiet, char *out, size_t out_size)
{
	static char buf[1 << 18];
	size_t len = 0;
	int pipefd[2], st;
	pid_t pid;
	char *p, *line;

	if (pipe(pipefd))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pipefd[0]);
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		execv(argv[0], argv);
		printf("cannot exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	len = read_child(pipefd[0], pid, buf, sizeof(buf), &st);
	if (out && out_size) {
		size_t n = len < out_size - 1 ? len : out_size - 1;

		memcpy(out, buf, n);
		out[n] = '\0';
	}
	for (line = buf; line && *line; line = p) {
		p = strchr(line, '\n');
		if (p)
			*p++ = '\0';
		if (!quiet || !strncmp(line, "ok ", 3) ||
		    !strncmp(line, "not ok ", 7) || strstr(line, "# Totals"))
			diag("  %s", line);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int live_value(const char *key, unsigned long long *v)
{
	char buf[4096];

	if (read_text(LIVE_PROC, buf, sizeof(buf)) <= 0)
		return -1;
	return kv_get_ull(buf, key, v);
}

static void show_file(const char *path)
{
	char buf[8192], *p, *line;

	if (read_text(path, buf, sizeof(buf)) <= 0)
		return;
	for (line = buf; line && *line; line = p) {
		p = strchr(line, '\n');
		if (p)
			*p++ = '\0';
		diag("  %s: %s", path, line);
	}
}

/* Load the live module; on a kernel without exec-shield only interp_only=1 */
static int load_live(int *interp_only)
{
	int err = kmod_load(LIVE_KO, "");

	*interp_only = 0;
	show_dmesg("execfix_live");
	if (err == ENODEV) {
		diag("execfix_live.ko refused to load (%s): no exec-shield here; trying interp_only=1",
		     strerror(err));
		*interp_only = 1;
		err = kmod_load(LIVE_KO, "interp_only=1");
	}
	return err;
}

static int test_layout(void)
{
	char *argv[] = { T "exec_layout_32", NULL };
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
		printf("1..%d\n", test_no);
		return test_failed ? 1 : 0;
	}
	tap(err == 0, "execfix_live.ko loads (%s)", err ? strerror(err) : "ok");
	if (err) {
		printf("1..%d\n", test_no);
		return 1;
	}
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
	printf("1..%d\n", test_no);
	return test_failed ? 1 : 0;
}

/* n fork+execve of argv, each of which must exit with status want. */
static int run_execs(char *const argv[], int n, int want)
{
	struct exec_stats st;

	return exec_loop(argv, n, want, &st) || st.bad ? -1 : 0;
}

/* n execs of SCRIPT ('#!' interp_stub, which exits with its argc: 2) */
static int script_execs(int n)
{
	char *argv[] = { SCRIPT, NULL };

	return run_execs(argv, n, 2);
}

/* SCRIPT: a '#!' script run by interp_stub; 0 or -1. */
static int write_script(void)
{
	const char *text = "#!" T "interp_stub\n";
	int fd = open(SCRIPT, O_WRONLY | O_CREAT | O_TRUNC, 0755);

	if (fd < 0)
		return -1;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/*
 * The live driver's judgement of slab counts: the library's one rule.  Its
 * measurement (slab_check()) and --judge-slabinfo both come here, and
 * tests/measure-agree.sh requires it to agree with interp_leak's.
 */
static void live_judgement(int drained, long long noise,
			   const struct leak_round *r, int n,
			   struct leak_judgement *j)
{
	leak_judge(&leak_rule, drained, noise, r, n, j);
}

/*
 * With the module loaded the interpreter names' cache (a "/tests/..." name
 * is a 32-byte object) must not grow: plain execs of interp_stub are the
 * control, '#!' execs of SCRIPT the loop.  One TAP line; none when this
 * kernel has no slab counts.
 */
static void slab_check(void)
{
	char *plain[] = { T "interp_stub", NULL };
	char *script[] = { SCRIPT, NULL };
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
	if (leak_run_control(&lr, plain, 1, N_EXECS,
			     lr.drain != DRAIN_NONE ? 1 : 2) ||
	    leak_run_judge(&lr, script, 2, N_EXECS, live_judgement, r, &j,
			   &st))
		tap(0, "%s measured around '#!' execs with the module (%s)",
		    cn, strerror(errno));
	else if (j.verdict == LEAK_UNKNOWN)
		tap(1, "# SKIP %s with the module: could not tell: %s (control noise %lld objects per %d execs)",
		    cn, j.rule, lr.noise, N_EXECS);
	else
		tap(j.verdict == LEAK_CLEAN && !st.bad,
		    "%s stays flat over %ld '#!' execs with the module (max |growth| %.3f objects/exec, %s, by %s)",
		    cn, j.execs, j.worst,
		    lr.drain != DRAIN_NONE ? "drained" : "undrained", j.rule);
	leak_run_free(&lr);
}

/* --judge-slabinfo FILE: live_judgement() of a slabinfo sequence. */
static int judge_fixture(const char *path)
{
	struct leak_judgement j;
	struct leak_seq s;
	char err[256];

	if (leak_seq_load(path, &s, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	live_judgement(s.drained, leak_noise_bound(s.control, s.ncontrol),
		       s.loop, s.nloop, &j);
	printf("verdict=%s rule=%s rounds=%d execs=%ld\n",
	       leak_verdict_name(j.verdict), j.rule, j.rounds, j.execs);
	return j.verdict == LEAK_CLEAN ? 0 : j.verdict == LEAK_LEAKY ? 1 : 4;
}

static int test_interp(void)
{
	char *leak_argv[] = { T "interp_leak", NULL };
	unsigned long long alloc = 0, fixed = 0, kfi = 0;
	char state[64] = "", buf[4096];
	int err, interp_only, rc;

	err = load_live(&interp_only);
	tap(err == 0, "execfix_live.ko loads%s (%s)",
	   interp_only ? " with interp_only=1" : "",
	   err ? strerror(err) : "ok");
	if (err) {
		printf("1..%d\n", test_no);
		return 1;
	}
	if (read_text(LIVE_PROC, buf, sizeof(buf)) > 0)
		kv_get(buf, "interp", state, sizeof(state));
	show_file(LIVE_PROC);
	if (!strcmp(state, "not_applicable")) {
		tap(!expect_leak, "interp part not applicable (no bprm_change_interp())");
		kmod_unload("execfix_live");
		printf("1..%d\n", test_no);
		return test_failed ? 1 : 4;
	}
	if (!strcmp(state, "off") && !expect_leak) {
		/* It never guesses: e.g. free_bprm() inlined (Debian's 6.1). */
		tap(1, "interp part off, frees nothing on a kernel without the leak");
		kmod_unload("execfix_live");
		printf("1..%d\n", test_no);
		return test_failed ? 1 : 0;
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
	printf("1..%d\n", test_no);
	return test_failed ? 1 : 0;
}

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

/* Lines of integrity naming module:execfix_hook, and hooked=. */
static void integrity(unsigned long long *hooked, int *naming)
{
	char path[256], buf[16384], *p;

	*hooked = ~0ULL;
	*naming = 0;
	snprintf(path, sizeof(path), "%s/integrity", execfix_proc_dir());
	if (read_text(path, buf, sizeof(buf)) <= 0)
		return;
	kv_get_ull(buf, "hooked", hooked);
	for (p = buf; (p = strstr(p, "module:execfix_hook")); p++)
		(*naming)++;
}

static int test_hook(void)
{
	char *check[] = { T "execfix-check", "--json", "--execs", "20", NULL };
	char *exec64[] = { T "interp_stub", NULL };
	char *exec32[] = { T "execfix_helper32", T "interp_stub", NULL };
	static char out[1 << 16];
	unsigned long long hooked, hits = 0;
	char path[256];
	int naming, err;

	snprintf(path, sizeof(path), "%s/integrity", execfix_proc_dir());
	if (access(path, R_OK))
		return printf("1..0 # SKIP %s absent: execfix.ko not loaded\n",
			      path), 4;
	integrity(&hooked, &naming);
	tap(hooked == 0, "before: hooked=%llu", hooked);
	err = kmod_load(HOOK_KO, "");
	show_dmesg("execfix_hook");
	if (err == EPERM) {
		printf("1..%d # SKIP execfix_hook.ko refused: this kernel forbids writing the system call table\n",
		       test_no);
		return test_failed ? 1 : 4;
	}
	tap(err == 0, "execfix_hook.ko loads (%s)", err ? strerror(err) : "ok");
	if (err) {
		printf("1..%d\n", test_no);
		return 1;
	}
	integrity(&hooked, &naming);
	show_file(path);
	tap(hooked == 2 && naming == 2,
	   "hooked: integrity says hooked=%llu, %d entries name module:execfix_hook",
	   hooked, naming);
	/* interp_stub exits with its argc, 1 */
	tap(run(exec64, 1, NULL, 0) == 1, "a 64-bit exec works while hooked");
	if (!access(exec32[0], X_OK))
		tap(run(exec32, 1, NULL, 0) == 1,
		   "a 32-bit parent's exec works while hooked");
	{
		char buf[64];

		if (read_text("/sys/module/execfix_hook/parameters/native_hits",
			      buf, sizeof(buf)) > 0)
			hits = strtoull(buf, NULL, 10);
	}
	tap(hits > 0, "the hook saw %llu native execve calls", hits);
	if (!access(check[0], X_OK)) {
		int rc = run(check, 1, out, sizeof(out));

		diag("execfix-check: %.*s", (int)strcspn(out, "\n"), out);
		tap(rc == 1 && strstr(out, "\"hooked\":2") &&
		   strstr(out, "module:execfix_hook"),
		   "execfix-check reports hooked=2 naming execfix_hook (exit %d)",
		   rc);
	}
	err = kmod_unload("execfix_hook");
	tap(err == 0, "execfix_hook.ko unloads (%s)", err ? strerror(err) : "ok");
	show_dmesg("execfix_hook");
	integrity(&hooked, &naming);
	tap(hooked == 0 && naming == 0, "after unload: hooked=%llu", hooked);
	printf("1..%d\n", test_no);
	return test_failed ? 1 : 0;
}

/*
 * The control for the SMP question: the kernel's own kprobe_events put and
 * take away kprobes on the addresses execfix_live.ko probes, N times, while
 * a child execs a '#!' script in a loop; no module is involved. Addresses
 * from the kernel command line: execfix_kprobes=SYM+OFF,SYM+OFF,...
 */
static int test_kprobe_events(void)
{
	char cmd[4096], list[1024] = "", def[256], *p, *sym;
	int cycles = 200, i, n = 0, fails = 0;
	static char *script[] = { SCRIPT, NULL };
	static char *const *const storm_argv[] = { script };
	static const int storm_want[] = { 2 };	/* interp_stub's argc */
	struct exec_storm storm;

	if (read_text("/proc/cmdline", cmd, sizeof(cmd)) > 0 &&
	    (p = strstr(cmd, "execfix_kprobes=")))
		sscanf(p + strlen("execfix_kprobes="), "%1023s", list);
	if (!list[0] || access(KPE, W_OK))
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
	printf("1..%d\n", test_no);
	return test_failed ? 1 : 0;
}

/* Seconds of guest time (instruction-counted under run-qemu --icount). */
static double now_s(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

/* n execs of the 64-bit interp_stub by the 32-bit helper (32->64). */
static int cross_execs(int n)
{
	char *argv[] = { T "execfix_helper32", T "interp_stub", NULL };

	return run_execs(argv, n, 1);
}

/* The value of KEY=... on the kernel command line, or "" (0); -1 absent. */
static int cmdline_value(const char *key, char *val, size_t size)
{
	char cmd[4096], fmt[32], *p;

	val[0] = '\0';
	if (read_text("/proc/cmdline", cmd, sizeof(cmd)) <= 0)
		return -1;
	p = strstr(cmd, key);
	if (!p)
		return -1;
	snprintf(fmt, sizeof(fmt), "%%%zus", size - 1);
	sscanf(p + strlen(key), fmt, val);
	return 0;
}

static void cycle_progress(void *ctx, const struct kmod_cycles *c, int loaded)
{
	const double *t0 = ctx;

	if (!loaded && c->done % 50 == 0)
		diag("%d cycles, %.1f s", c->done, now_s() - *t0);
}

/*
 * The SMP safety stress: C load/unload cycles of a module while one exec
 * storm child per online CPU (at least two) runs '#!' scripts and 32->64
 * execs (the two exec paths the modules probe), as module/testing/smp-stress
 * asks for on the kernel command line:
 *   execfix_stress_ko=FILE      a module in /tests (execfix.ko, execfix_live.ko)
 *   execfix_stress_cycles=C     cycles (default 200)
 *   execfix_kprobes_opt=0|1     set debug.kprobes-optimization for the run
 *                               (restored after), a discriminating knob
 * A hang or an oops is seen by the runner (soft lockup, timeout), not here;
 * this test fails when a load, an unload or an exec of the storm fails.
 */
static int test_module_stress(void)
{
	static const char opt_path[] = "/proc/sys/debug/kprobes-optimization";
	char ko[256], path[300], name[256], val[32], opt_old[32] = "";
	static char *script[] = { SCRIPT, NULL };
	static char *cross[] = { T "execfix_helper32", T "interp_stub", NULL };
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
			printf("1..%d\n", test_no);
			return 1;
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
			printf("1..%d\n", test_no);
			return 1;
		}
		err = 0;
	}
	nstorm = ncpu < 2 ? 2 : ncpu > STORM_MAX ? STORM_MAX : (int)ncpu;
	t0 = now_s();
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
	   cycles, ko, nstorm, ncpu, i, now_s() - t0);
	printf("1..%d\n", test_no);
	return test_failed ? 1 : 0;
}

/*
 * Cost of execfix_live.ko: rate of '#!' execs and of 32->64 execs with the
 * module loaded over unloaded, rounds alternating. Prints "# bench:" lines;
 * fails only when an exec fails (figures are for make bench, not verdicts).
 */
static int test_bench(void)
{
	const int n = 300, rounds = 3;
	double t, rate[2][2] = { { 0, 0 }, { 0, 0 } };
	int r, loaded, err, io;

	if (write_script())
		return printf("1..0 # SKIP cannot write %s\n", SCRIPT), 4;
	for (r = 0; r < rounds; r++) {
		for (loaded = 0; loaded < 2; loaded++) {
			if (loaded) {
				err = load_live(&io);
				if (err) {
					tap(0, "execfix_live.ko loads (%s)",
					   strerror(err));
					printf("1..%d\n", test_no);
					return 1;
				}
			}
			t = now_s();
			if (script_execs(n))
				tap(0, "'#!' execs");
			rate[loaded][0] += n / (now_s() - t);
			t = now_s();
			if (cross_execs(n))
				tap(0, "32->64 execs");
			rate[loaded][1] += n / (now_s() - t);
			if (loaded)
				kmod_unload("execfix_live");
		}
	}
	printf("# bench: '#!' execs/s unloaded %.1f loaded %.1f ratio %.3f\n",
	       rate[0][0] / rounds, rate[1][0] / rounds,
	       rate[1][0] / rate[0][0]);
	printf("# bench: 32->64 execs/s unloaded %.1f loaded %.1f ratio %.3f\n",
	       rate[0][1] / rounds, rate[1][1] / rounds,
	       rate[1][1] / rate[0][1]);
	tap(1, "%d rounds of %d execs each way", rounds, n);
	printf("1..%d\n", test_no);
	return test_failed ? 1 : 0;
}

static int verdict_of(const char *json, const char *section, char *v,
		      size_t size)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "\"%s\":{\"verdict\":\"", section);
	p = strstr(json, key);
	if (!p)
		return -1;
	p += strlen(key);
	snprintf(v, size, "%.*s", (int)strcspn(p, "\""), p);
	return 0;
}

static int test_check(void)
{
	char *check[] = { T "execfix-check", "--json", "--execs", "200", NULL };
	char *human[] = { T "execfix-check", "--execs", "100", NULL };
	static char out[1 << 16];
	char layout[32] = "?", interp[32] = "?";
	const char *want_layout = expect_layout ? "affected" : "not_affected";
	const char *want_interp = expect_leak ? "affected" : "not_affected";
	int rc, want_rc = expect_layout || expect_leak;

	pid_t held = -1;

	if (access(check[0], X_OK))
		return printf("1..0 # SKIP no execfix-check\n"), 4;
	/* A 64-bit process started by a 32-bit parent, for the scan. */
	if (!access(T "execfix_helper32", X_OK)) {
		char *hold[] = { T "execfix_helper32", check[0], "--hold", NULL };

		held = fork();
		if (held == 0) {
			execv(hold[0], hold);
			_exit(127);
		}
		sleep(1);
	}
	char es0[32] = "absent", es1[32] = "absent";

	read_text("/proc/sys/kernel/exec-shield", es0, sizeof(es0));
	diag("execfix-check (for a person, shorter leak rounds):");
	run(human, 0, NULL, 0);
	rc = run(check, 1, out, sizeof(out));
	read_text("/proc/sys/kernel/exec-shield", es1, sizeof(es1));
	tap(!strcmp(es0, es1), "exec-shield restored (%.*s)",
	   (int)strcspn(es1, "\n"), es1);
	diag("json: %.*s", (int)strcspn(out, "\n"), out);
	verdict_of(out, "layout", layout, sizeof(layout));
	verdict_of(out, "interp", interp, sizeof(interp));
	tap(!strcmp(layout, want_layout), "layout: %s (want %s)", layout,
	   want_layout);
	tap(!strcmp(interp, want_interp), "interp: %s (want %s)", interp,
	   want_interp);
	tap(rc == want_rc, "exit %d (want %d)", rc, want_rc);
	if (expect_layout)
		tap(strstr(out, "\"works\":1") != NULL,
		   "a workaround was measured to work here");
	if (held > 0) {
		char want[64];

		snprintf(want, sizeof(want), "{\"pid\":%d,", (int)held);
		tap(!expect_layout == !strstr(out, want),
		   "the scan %s pid %d, a 64-bit process started by a 32-bit parent",
		   expect_layout ? "lists" : "does not list", (int)held);
		kill(held, SIGKILL);
		waitpid(held, NULL, 0);
	}
	printf("1..%d\n", test_no);
	return test_failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');

	if (argc == 3 && !strcmp(argv[1], "--judge-slabinfo"))
		return judge_fixture(argv[2]);
	name = name ? name + 1 : argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");
	read_expectations();
	/* interp_leak's shortest rounds: TCG guests are slow */
	setenv("EXECFIX_LEAK_EXECS", "500", 0);
	diag("%s: expecting%s%s%s", name, expect_layout ? " layout" : "",
	     expect_leak ? " leak" : "",
	     expect_layout || expect_leak ? "" : " neither bug");
	if (!strcmp(name, "live_layout"))
		return test_layout();
	if (!strcmp(name, "live_interp"))
		return test_interp();
	if (!strcmp(name, "hook_integrity"))
		return test_hook();
	if (!strcmp(name, "check_verdict"))
		return test_check();
	if (!strcmp(name, "kprobe_events_stress"))
		return test_kprobe_events();
	if (!strcmp(name, "live_bench"))
		return test_bench();
	if (!strcmp(name, "module_stress"))
		return test_module_stress();
	printf("1..0 # SKIP unknown test name %s\n", name);
	return 2;
}
