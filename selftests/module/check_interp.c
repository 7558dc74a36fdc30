// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-guest check: /proc/execfix/interp, its exact counts for "#!" and
 * nested "#!" execs, and the parameters inject_leak, kfree_probe and
 * interp_symbol (a probe that cannot register).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include "../execfix_util.h"
#include "guest.h"

/* One accounting round: reset, n execs of path, check the counters. */
static void check_interp_round(const char *what, const char *path, int n,
			       int per_exec, int expect_leak)
{
	char text[4096];
	long allocated, freed, outstanding;

	if (write_text(PROC_DIR "/interp", "0\n")) {
		tap(0, "interp: write resets the counters");
		return;
	}
	if (run_many(path, n)) {
		tap(0, "interp: %d %s execs ran", n, what);
		return;
	}
	read_text(PROC_DIR "/interp", text, sizeof(text));
	allocated = get_num(text, "allocated");
	freed = get_num(text, "freed");
	outstanding = get_num(text, "outstanding");
	diag("%s x%d: allocated=%ld freed=%ld outstanding=%ld", what, n,
	     allocated, freed, outstanding);
	tap(allocated == (long)n * per_exec,
	    "interp: %d %s execs: allocated=%ld (expected %d)", n, what,
	    allocated, n * per_exec);
	if (expect_leak)
		tap(outstanding == (long)n,
		    "interp: %s: outstanding=%ld, the leak of one string per exec",
		    what, outstanding);
	else
		tap(outstanding == 0 && freed == allocated,
		    "interp: %s: outstanding=%ld (freed=%ld)", what,
		    outstanding, freed);
}

void check_interp(int expect_leak)
{
	char text[4096], val[64];
	long nmissed;

	if (show_file("interp", text, sizeof(text)))
		return;
	kv_get(text, "interp_accounting", val, sizeof(val));
	if (strcmp(val, "supported")) {
		tap(!strcmp(val, "unsupported"),
		    "interp: interp_accounting=%s", val);
		return;
	}
	tap(get_num(text, "inject_leak") == 0, "interp: inject_leak=0 by default");
	check_interp_round("#! script", script1, 100, 1, expect_leak);
	/* Nested: the 2nd bprm_change_interp() frees the 1st string. */
	check_interp_round("nested #! script", script2, 50, 2, expect_leak);
	read_text(PROC_DIR "/interp", text, sizeof(text));
	printf("%s", text);
	nmissed = get_num(text, "nmissed");
	tap(nmissed == 0, "interp: nmissed=%ld", nmissed);
}

void check_inject(const char *ko)
{
	char text[4096];
	long injected, outstanding;
	int rc;

	rc = load_module(ko, "inject_leak=1");
	tap(rc == 0, "load with inject_leak=1 (rc=%d)", rc);
	if (rc)
		return;
	write_text(PROC_DIR "/interp", "0\n");
	run_many(script1, 100);
	read_text(PROC_DIR "/interp", text, sizeof(text));
	printf("%s", text);
	injected = get_num(text, "injected");
	outstanding = get_num(text, "outstanding");
	if (get_num(text, "inject_leak") == 1 && strstr(text, "=supported"))
		tap(injected == 100, "inject: injected=%ld after 100 execs",
		    injected);
	else
		tap(strstr(text, "=unsupported") != NULL,
		    "inject: unsupported kernel reports injected=%ld", injected);
	diag("inject: outstanding=%ld (real strings are still accounted)",
	     outstanding);
	rc = unload_module();
	tap(rc == 0, "unload after inject (copies freed) (rc=%d)", rc);
}

/* The fallback freeing side (a probe on kfree() itself) must count alike. */
void check_kfree_fallback(const char *ko, int expect_leak)
{
	char text[4096], mode[32];
	int rc;

	rc = load_module(ko, "kfree_probe=1");
	tap(rc == 0, "load with kfree_probe=1 (rc=%d)", rc);
	if (rc)
		return;
	read_text(PROC_DIR "/interp", text, sizeof(text));
	if (strstr(text, "=supported")) {
		kv_get(text, "free_probe", mode, sizeof(mode));
		tap(!strcmp(mode, "kfree"), "kfree fallback: free_probe=%s",
		    mode);
		check_interp_round("#! script (kfree probe)", script1, 100, 1,
				   expect_leak);
	}
	rc = unload_module();
	tap(rc == 0, "unload after kfree_probe=1 (rc=%d)", rc);
}

/* A probe that cannot be registered is reported; the rest still works. */
void check_probe_failure(const char *ko)
{
	char text[4096], val[128];
	int rc;

	rc = load_module(ko, "interp_symbol=execfix_no_such_function");
	tap(rc == 0, "load with a probe that cannot register (rc=%d)", rc);
	if (rc)
		return;
	read_text(PROC_DIR "/interp", text, sizeof(text));
	printf("%s", text);
	kv_get(text, "interp_accounting", val, sizeof(val));
	tap(!strcmp(val, "unsupported"),
	    "failed probe: interp_accounting=%s", val);
	val[0] = '\0';
	kv_get(text, "reason", val, sizeof(val));
	tap(strstr(val, "no such function") != NULL,
	    "failed probe: reason=%s", val);
	/* Never registered: no probe line may claim a registration error. */
	tap(kv_get(text, "probe.execfix_no_such_function", val, sizeof(val)),
	    "failed probe: no probe.execfix_no_such_function= line (the kretprobe was never tried)");
	tap(read_text(PROC_DIR "/layout", text, sizeof(text)) > 0 &&
	    strstr(text, "mmap_base=") &&
	    read_text(PROC_DIR "/integrity", text, sizeof(text)) > 0 &&
	    strstr(text, "hooked="),
	    "failed probe: layout and integrity still work");
	rc = unload_module();
	tap(rc == 0, "unload after the failed probe (rc=%d)", rc);
}
