// SPDX-License-Identifier: GPL-2.0
/*
 * live-guest: hook_integrity and check_verdict: execfix_hook.ko seen by
 * /proc/execfix/integrity and execfix-check, and execfix-check's verdicts.
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

int test_hook(void)
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

int test_check(void)
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
