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
 *                   (and its workarounds, in order: execfix_check_wa=)
 *   check_scan      its process scan: a JIT-like process is listed apart,
 *                   a dynamic child of a 32-bit parent is hit on a kernel
 *                   with the layout bug
 *   check_restricted  not root, slabinfo masked, /proc/sys read-only: could
 *                   not tell where it cannot look, nothing changed
 *   kprobe_events_stress  control for SMP runs: the kernel's kprobe_events
 *                   on execfix_live.ko's addresses, no module
 *   live_bench      exec rates with the module loaded over unloaded
 *   module_stress   load/unload cycles of a module under an exec storm of
 *                   '#!' and 32->64 execs (module/testing/host/smp-stress)
 *   noise_table     execfix-check's and interp_leak's leak verdicts under
 *                   execfix_noise.ko's noise (module/testing/host/noise-table)
 *
 * What the kernel is expected to have comes from the kernel command line
 * (run-qemu --append): execfix_expect=layout,leak (either, both or none:
 * the default is a kernel with neither bug). Modules are read from /tests.
 * TAP 13; exit 0 pass, 1 fail, 4 skip.  "--judge-slabinfo FILE" judges a
 * slabinfo sequence as live_interp judges the slab (tests/measure-agree.sh).
 *
 * This file: main and the helpers; the tests by job in live-interp.c,
 * live-check.c, live-stress.c and live-noise.c; measurements from measure/.
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
#include <signal.h>
#include <unistd.h>

#include "execfix_util.h"
#include "execloop.h"
#include "kmod.h"
#include "leakrun.h"
#include "seq.h"
#include "tap.h"
#include "live-guest.h"

int expect_layout, expect_leak;

/* The kernel's messages from a module, for the report. */
void show_dmesg(const char *tag)
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
int run(char *const argv[], int quiet, char *out, size_t out_size)
{
	static char buf[1 << 18];
	size_t len = 0;
	int fd, st;
	pid_t pid = spawn_piped(argv, 1, &fd);
	char *p, *line;

	if (pid < 0)
		return -1;
	len = read_child(fd, pid, buf, sizeof(buf), &st);
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

int live_value(const char *key, unsigned long long *v)
{
	char buf[4096];

	if (read_text(LIVE_PROC, buf, sizeof(buf)) <= 0)
		return -1;
	return kv_get_ull(buf, key, v);
}

void show_file(const char *path)
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
int load_live(int *interp_only)
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

/* n fork+execve of argv, each of which must exit with status want. */
int run_execs(char *const argv[], int n, int want)
{
	struct exec_stats st;

	return exec_loop(argv, n, want, &st) || st.bad ? -1 : 0;
}

/* n execs of SCRIPT ('#!' interp_stub, which exits with its argc: 2) */
int script_execs(int n)
{
	char *argv[] = { SCRIPT, NULL };

	return run_execs(argv, n, 2);
}

/* SCRIPT: a '#!' script run by interp_stub; 0 or -1. */
int write_script(void)
{
	static const char text[] = "#!" T "interp_stub\n";

	unlink(SCRIPT);
	return mfile_create(SCRIPT, text, sizeof(text) - 1, 0755);
}

/* The value of KEY=... on the kernel command line, or "" (0); -1 absent. */
int cmdline_value(const char *key, char *val, size_t size)
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

/* The tests by the name the binary is run by. */
static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "live_layout", test_layout },
	{ "live_interp", test_interp },
	{ "hook_integrity", test_hook },
	{ "check_verdict", test_check },
	{ "kprobe_events_stress", test_kprobe_events },
	{ "live_bench", test_bench },
	{ "module_stress", test_module_stress },
	{ "noise_table", test_noise },
	{ "check_scan", test_scan },
	{ "check_restricted", test_restricted },
};

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');
	char val[256];
	size_t i;

	if (argc == 3 && !strcmp(argv[1], "--judge-slabinfo"))
		return judge_fixture(argv[2]);
	name = name ? name + 1 : argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");
	if (!cmdline_value("execfix_expect=", val, sizeof(val))) {
		expect_layout = strstr(val, "layout") != NULL;
		expect_leak = strstr(val, "leak") != NULL;
	}
	/* interp_leak's shortest rounds: TCG guests are slow */
	setenv("EXECFIX_LEAK_EXECS", "500", 0);
	diag("%s: expecting%s%s%s", name, expect_layout ? " layout" : "",
	     expect_leak ? " leak" : "",
	     expect_layout || expect_leak ? "" : " neither bug");
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!strcmp(name, tests[i].name))
			return tests[i].fn();
	printf("1..0 # SKIP unknown test name %s\n", name);
	return 2;
}
