// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-guest bench KO N [ROUNDS [PARAMS]]: exec rate of a "#!" script
 * loop with KO loaded and unloaded, alternated, as a ratio. Figures only.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "execloop.h"
#include "guest.h"

/* Script execs per second over n execs (measure/'s exec-rate bench). */
static double script_rate(int n)
{
	char *argv[] = { script1, NULL };

	return exec_rate(argv, n, 0);
}

int cmd_bench(const char *ko, int n, int rounds, const char *params)
{
	double unloaded = 0, loaded = 0, r0, r1;
	int round, rc, was_loaded;
	struct stat st;

	if (n <= 0 || rounds <= 0)
		return bad_usage();
	/* Loaded already (by the QEMU runner's PID 1): measure, then restore. */
	was_loaded = stat(PROC_DIR, &st) == 0;
	if (was_loaded && unload_module()) {
		fprintf(stderr, "execfix-guest: cannot unload execfix\n");
		return 1;
	}
	if (make_scripts()) {
		fprintf(stderr, "execfix-guest: cannot write scripts\n");
		return 1;
	}
	script_rate(n / 10 + 1);	/* warm up caches */
	/* Alternate, so that drift hits both sides alike. */
	for (round = 0; round < rounds; round++) {
		r0 = script_rate(n);
		rc = load_module(ko, params);
		if (rc) {
			fprintf(stderr, "execfix-guest: load: %s\n", strerror(-rc));
			remove_scripts();
			return 1;
		}
		r1 = script_rate(n);
		unload_module();
		if (r0 < 0 || r1 < 0) {
			fprintf(stderr, "execfix-guest: script execs failed\n");
			remove_scripts();
			return 1;
		}
		printf("bench: round=%d unloaded=%.1f/s loaded=%.1f/s ratio=%.3f\n",
		       round + 1, r0, r1, r1 / r0);
		unloaded += r0;
		loaded += r1;
	}
	remove_scripts();
	if (was_loaded)
		load_module(ko, "");
	printf("bench: execs_per_round=%d rounds=%d params=%s\n", n, rounds,
	       params);
	printf("bench: exec_rate_unloaded=%.1f/s\n", unloaded / rounds);
	printf("bench: exec_rate_loaded=%.1f/s\n", loaded / rounds);
	printf("bench: ratio_loaded_vs_unloaded=%.3f\n", loaded / unloaded);
	return 0;
}
