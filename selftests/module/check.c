// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-guest check KO [--expect-leak]: load KO, check every
 * /proc/execfix file's content and the module's parameters, unload (TAP 13).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../execfix_util.h"
#include "guest.h"

static void check_layout(void)
{
	char text[4096], val[256];
	static const char *const keys[] = {
		"compat", "personality", "mmap_base", "get_unmapped_area",
		"get_unmapped_exec_area", "shlib_base", "start_brk", "brk",
		"exec_shield",
	};
	unsigned long brk_now;
	size_t i;
	int missing = 0;
	int is32 = sizeof(long) == 4;

	if (show_file("layout", text, sizeof(text)))
		return;
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (kv_get(text, keys[i], val, sizeof(val))) {
			diag("layout: no %s=", keys[i]);
			missing++;
		}
	tap(!missing, "layout: has every key of the contract");
	tap(get_num(text, "compat") == is32,
	    "layout: compat=%d for this %d-bit reader", is32, is32 ? 32 : 64);
	brk_now = (unsigned long)syscall(SYS_brk, 0);
	tap((unsigned long)get_num(text, "brk") == brk_now,
	    "layout: brk matches brk(0)=0x%lx", brk_now);
	kv_get(text, "get_unmapped_area", val, sizeof(val));
	tap(strstr(val, "get_unmapped_area") != NULL,
	    "layout: get_unmapped_area names an allocator (%s)", val);
	kv_get(text, "get_unmapped_exec_area", val, sizeof(val));
	if (is32) {
		/* exec-shield gives every ia32 task the exec allocator. */
		tap(!strcmp(val, "n/a") || strstr(val, "exec_area"),
		    "layout: 32-bit task: get_unmapped_exec_area=%s", val);
	} else {
		/* 64-bit task, 64-bit parent: none, bug or not. */
		tap(!strcmp(val, "n/a") || !strcmp(val, "none"),
		    "layout: 64-bit task: get_unmapped_exec_area=%s", val);
	}
}

static void check_integrity(void)
{
	char text[8192], val[256];
	long hooked;

	if (show_file("integrity", text, sizeof(text)))
		return;
	tap(kv_get(text, "native.execve", val, sizeof(val)) == 0 &&
	    strstr(val, "execve") && strstr(val, " core"),
	    "integrity: native.execve is core kernel text (%s)", val);
	if (kv_get(text, "ia32", val, sizeof(val)) == 0)
		diag("ia32 table: %s", val);
	else
		tap(kv_get(text, "ia32.execve", val, sizeof(val)) == 0 &&
		    strstr(val, "execve") && strstr(val, " core"),
		    "integrity: ia32.execve is core kernel text (%s)", val);
	kv_get(text, "selftest", val, sizeof(val));
	tap(strstr(val, " module:execfix") != NULL,
	    "integrity: the classifier names module text (selftest=%s)", val);
	hooked = get_num(text, "hooked");
	tap(hooked == 0, "integrity: hooked=%ld on a guest with no hooking module",
	    hooked);
}

int cmd_check(const char *ko, int expect_leak)
{
	static const char *const files[] = { "layout", "interp", "integrity" };
	struct stat st;
	char path[128];
	size_t i;
	int rc, was_loaded;

	printf("TAP version 13\n");
	if (make_scripts()) {
		printf("1..0 # SKIP cannot write scripts: %s\n", strerror(errno));
		return 4;
	}
	/* Loaded already (by the QEMU runner's PID 1): start afresh, restore after. */
	was_loaded = stat(PROC_DIR, &st) == 0;
	if (was_loaded) {
		rc = unload_module();
		tap(rc == 0, "unload the module loaded before this test (rc=%d)",
		    rc);
	}
	rc = load_module(ko, "");
	tap(rc == 0, "load %s (rc=%d)", ko, rc);
	if (rc) {
		remove_scripts();
		return tap_done(0);
	}
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), PROC_DIR "/%s", files[i]);
		memset(&st, 0, sizeof(st));
		rc = stat(path, &st);
		tap(rc == 0 && (st.st_mode & 07777) == 0400,
		    "%s exists, mode 0400 (0%o)", path,
		    (unsigned int)(st.st_mode & 07777));
	}
	check_layout();
	check_integrity();
	check_interp(expect_leak);
	rc = unload_module();
	tap(rc == 0, "unload (rc=%d)", rc);
	tap(stat(PROC_DIR, &st) < 0, "%s gone after unload", PROC_DIR);
	check_inject(ko);
	check_kfree_fallback(ko, expect_leak);
	check_probe_failure(ko);
	if (was_loaded) {
		rc = load_module(ko, "");
		tap(rc == 0, "load the module again, as it was (rc=%d)", rc);
	}
	remove_scripts();
	return tap_done(0);
}
