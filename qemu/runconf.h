/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What PID 1 runs (runconf.c), from /etc/execfix/run.conf:
 *
 *	load PATH [PARAMS]	a module the kernel needs (binfmt_misc.ko, ...)
 *	module PATH [PARAMS]	the module under test (execfix.ko), at most one
 *	test NAME [xfail]	run /tests/NAME; xfail: it is expected to fail
 *	shell PATH		after the tests, run PATH (a shell) on the
 *				console instead of powering off
 *
 * and from the kernel command line: execfix.stress=N.
 */
#ifndef EXECFIX_RUNCONF_H
#define EXECFIX_RUNCONF_H

#define CONFIG_PATH	"/etc/execfix/run.conf"
#define STRESS_OPTION	"execfix.stress="
#define MAX_MODULES	16
#define MAX_TESTS	64
#define CONF_LINE_MAX	1024

struct module_spec {
	char path[256];
	char params[512];
	char name[64];		/* as the kernel knows it, for delete_module */
};

struct test_spec {
	char name[128];
	int expect_fail;
};

struct run_config {
	struct module_spec helpers[MAX_MODULES];
	int nr_helpers;
	struct module_spec target;
	int has_target;
	struct test_spec tests[MAX_TESTS];
	int nr_tests;
	int stress_cycles;
	char shell[128];
};

/* Fill cfg from CONFIG_PATH; 0, or -1 (logged) when it cannot be read. */
int runconf_read(struct run_config *cfg,
		 void (*log)(const char *fmt, ...));

/* N of execfix.stress=N on the kernel command line, else 0. */
int runconf_stress_cycles(void);

#endif /* EXECFIX_RUNCONF_H */
