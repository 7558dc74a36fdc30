// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-guest cycles KO N: N load/unload cycles of KO (every other one
 * with inject_leak=1) while a child execs nested "#!" scripts in a loop
 * (measure/: kmod_cycles() under an exec storm); the module's interp file
 * is read while it is loaded.  TAP 13.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "../execfix_util.h"
#include "execloop.h"
#include "guest.h"
#include "kmod.h"

static void read_interp(void *ctx, const struct kmod_cycles *c, int loaded)
{
	char text[4096];
	int *reads = ctx;

	(void)c;
	if (loaded && read_text(PROC_DIR "/interp", text, sizeof(text)) > 0)
		(*reads)++;
}

int cmd_cycles(const char *ko, int cycles)
{
	static const char *const params[] = { "", "inject_leak=1" };
	char *const nested[] = { script2, NULL };
	char *const *const argvs[] = { nested };
	const int want[] = { 0 };
	struct exec_storm storm;
	struct kmod_cycles c = { 0 };
	int reads = 0;

	printf("TAP version 13\n");
	if (make_scripts()) {
		printf("1..0 # SKIP cannot write scripts: %s\n", strerror(errno));
		return 4;
	}
	if (exec_storm_start(&storm, 1, argvs, want, 1)) {
		tap(0, "fork for the exec loop failed: %s", strerror(errno));
		exec_storm_stop(&storm);
		remove_scripts();
		return tap_done(0);
	}
	kmod_cycles(ko, params, 2, cycles, &c, read_interp, &reads);
	exec_storm_stop(&storm);
	remove_scripts();
	tap(c.err == 0 && c.done == cycles,
	    "%d load/unload cycles during script execs (%d done, %d reads, rc=%d)",
	    cycles, c.done, reads, -c.err);
	return tap_done(0);
}
