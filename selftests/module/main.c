// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-guest: in-guest driver for execfix.ko (static, runs on 2.6.32 and
 * on current kernels; C99, no header or system call newer than 2.6.32).
 *
 *   execfix-guest check KO [--expect-leak]  load KO, check every /proc/execfix
 *                                           file's content, unload (TAP 13)
 *   execfix-guest cycles KO N               N load/unload cycles while a child
 *                                           execs scripts (TAP 13)
 *   execfix-guest bench KO N [ROUNDS [PARAMS]]  exec rate of a #! script loop with
 *                                           KO loaded vs unloaded, as a ratio
 *   execfix-guest load KO [PARAMS]          load KO (init_module)
 *   execfix-guest unload                    unload execfix
 *   execfix-guest cat FILE...               print files
 *   execfix-guest exec PROG [ARG...]        execve PROG (a 32-bit build runs a
 *                                           64-bit one: the layout bug's case)
 *   execfix-guest stub ...                  exit 0 (the scripts' interpreter)
 *
 * Installed under the name execfix_module_check[32] or execfix_module_bench
 * and run without arguments (as the QEMU runner runs /tests/NAME), it does
 * "check" or "bench KO 500 5" on $EXECFIX_KO or /modules/execfix.ko.
 *
 * Exit: 0 pass, 1 fail, 4 skip. Temporary scripts go to $EXECFIX_TMP or /tmp.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../execfix_util.h"
#include "guest.h"

static int cmd_cat(int argc, char **argv)
{
	char text[16384];
	int i, rc = 0;

	for (i = 0; i < argc; i++) {
		if (read_text(argv[i], text, sizeof(text)) < 0) {
			fprintf(stderr, "execfix-guest: %s: %s\n", argv[i],
				strerror(errno));
			rc = 1;
			continue;
		}
		fputs(text, stdout);
	}
	fflush(stdout);
	return rc;
}

int bad_usage(void)
{
	fprintf(stderr,
		"usage: execfix-guest check KO [--expect-leak] | cycles KO N |\n"
		"       bench KO N [ROUNDS [PARAMS]] | load KO [PARAMS] | unload | cat FILE... |\n"
		"       exec PROG [ARG...] | stub\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	const char *base = strrchr(argv[0], '/');
	const char *ko = getenv("EXECFIX_KO");

	setvbuf(stdout, NULL, _IOLBF, 0);
	/*
	 * Installed as execfix_module_check (or ...32), the QEMU runner runs it
	 * without arguments: check the module it staged in /modules.
	 */
	base = base ? base + 1 : argv[0];
	if (!strncmp(base, "execfix_module_check", 20) && argc == 1)
		return cmd_check(ko ? ko : "/modules/execfix.ko", 0);
	if (!strncmp(base, "execfix_module_bench", 20) && argc == 1)
		return cmd_bench(ko ? ko : "/modules/execfix.ko", 500, 5, "");
	if (!strcmp(cmd, "stub"))
		return 0;
	if (!strcmp(cmd, "check") && argc >= 3)
		return cmd_check(argv[2], argc > 3 &&
				 !strcmp(argv[3], "--expect-leak"));
	if (!strcmp(cmd, "cycles") && argc == 4)
		return cmd_cycles(argv[2], atoi(argv[3]));
	if (!strcmp(cmd, "bench") && argc >= 4 && argc <= 6)
		return cmd_bench(argv[2], atoi(argv[3]),
				 argc >= 5 ? atoi(argv[4]) : 5,
				 argc == 6 ? argv[5] : "");
	if (!strcmp(cmd, "load") && (argc == 3 || argc == 4)) {
		int rc = load_module(argv[2], argc == 4 ? argv[3] : "");

		if (rc)
			fprintf(stderr, "execfix-guest: load %s: %s\n", argv[2],
				strerror(-rc));
		return rc ? 1 : 0;
	}
	if (!strcmp(cmd, "unload") && argc == 2) {
		int rc = unload_module();

		if (rc)
			fprintf(stderr, "execfix-guest: unload: %s\n",
				strerror(-rc));
		return rc ? 1 : 0;
	}
	if (!strcmp(cmd, "cat") && argc >= 3)
		return cmd_cat(argc - 2, argv + 2);
	if (!strcmp(cmd, "exec") && argc >= 3) {
		execv(argv[2], argv + 2);
		fprintf(stderr, "execfix-guest: %s: %s\n", argv[2],
			strerror(errno));
		return 1;
	}
	return bad_usage();
}
