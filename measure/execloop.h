/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exec loops (execloop.c): n fork+execve of one program, each of which
 * must exit with a known status (interp_stub exits with its argc, which
 * proves the path the kernel took), and storms: children that exec in a
 * loop until stopped, counting in shared memory.
 */
#ifndef MEASURE_EXECLOOP_H
#define MEASURE_EXECLOOP_H

#include <sys/types.h>

struct exec_stats {
	long bad;		/* runs that did not exit with the wanted code */
	int first_bad;		/* wait status of the first of them */
	double secs;		/* elapsed */
};

/*
 * argv[0] exec'd n times with an empty environment; 0 (bad runs counted in
 * st), or -1 with errno when fork or wait fails.
 */
int exec_loop(char *const argv[], long n, int want, struct exec_stats *st);

/*
 * The exec-rate bench: n execs of argv (each must exit want), in execs per
 * second of (guest) time; -1 when one failed.
 */
double exec_rate(char *const argv[], long n, int want);

/*
 * Keep this process and its children on one CPU, the first it may run on:
 * exec migrates tasks (sched_exec), and with SLUB an object allocated on
 * one CPU and freed on another moves whole slabs between per-CPU and node
 * lists, which shows in /proc/slabinfo as noise of a few slabs per round.
 * Returns the CPU, or -1.
 */
int exec_pin_cpu(void);

/* Seconds since some fixed point (gettimeofday: no vDSO clock needed). */
double exec_now(void);

#define STORM_MAX	16

struct exec_storm {
	int n;
	pid_t pid[STORM_MAX];
	volatile long *ok, *failed;	/* shared by all children */
};

/*
 * n children, child i exec'ing argvs[i % nargv] in a loop (want[i % nargv]
 * its exit code) until exec_storm_stop(); 0, or -1 with errno.
 */
int exec_storm_start(struct exec_storm *s, int n, char *const *const argvs[],
		     const int *want, int nargv);

/* Stop the children; returns how many had stopped on their own. */
int exec_storm_stop(struct exec_storm *s);

#endif /* MEASURE_EXECLOOP_H */
