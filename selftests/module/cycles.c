// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-guest cycles KO N: N load/unload cycles of KO while a child execs
 * nested "#!" scripts in a loop (TAP 13).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../execfix_util.h"
#include "guest.h"

int cmd_cycles(const char *ko, int cycles)
{
	char text[4096];
	int i, rc = 0, status, reads = 0;
	pid_t child;

	printf("TAP version 13\n");
	if (make_scripts()) {
		printf("1..0 # SKIP cannot write scripts: %s\n", strerror(errno));
		return 4;
	}
	child = fork();
	if (child < 0) {
		tap(0, "fork for the exec loop failed: %s", strerror(errno));
		remove_scripts();
		printf("1..%d\n", test_no);
		return 1;
	}
	if (child == 0) {
		for (;;)
			run(script2);
	}
	for (i = 0; i < cycles && rc == 0; i++) {
		rc = load_module(ko, i % 2 ? "inject_leak=1" : "");
		if (rc)
			break;
		if (read_text(PROC_DIR "/interp", text, sizeof(text)) > 0)
			reads++;
		rc = unload_module();
	}
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	remove_scripts();
	tap(rc == 0 && i == cycles,
	    "%d load/unload cycles during script execs (%d done, %d reads, rc=%d)",
	    cycles, i, reads, rc);
	printf("1..%d\n", test_no);
	return test_failed;
}
