// SPDX-License-Identifier: GPL-2.0
/* Exec loops and exec storms (execloop.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "execloop.h"

int exec_pin_cpu(void)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set))
			break;
	if (cpu == CPU_SETSIZE)
		return -1;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -1 : cpu;
}

double exec_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

/* One run: 1 when it exited with want, 0 when not, -1 when fork failed. */
static int exec_once(char *const argv[], int want, int *status)
{
	char *const envp[] = { NULL };
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execve(argv[0], argv, envp);
		_exit(100 + (errno & 0x7f));
	}
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(*status) && WEXITSTATUS(*status) == want;
}

int exec_loop(char *const argv[], long n, int want, struct exec_stats *st)
{
	double t0 = exec_now();
	long i;

	st->bad = 0;
	st->first_bad = 0;
	for (i = 0; i < n; i++) {
		int status = 0, ok = exec_once(argv, want, &status);

		if (ok < 0)
			return -1;
		if (!ok && !st->bad++)
			st->first_bad = status;
	}
	st->secs = exec_now() - t0;
	return 0;
}

double exec_rate(char *const argv[], long n, int want)
{
	struct exec_stats st;

	if (exec_loop(argv, n, want, &st) || st.bad || st.secs <= 0)
		return -1;
	return n / st.secs;
}

int exec_storm_start(struct exec_storm *s, int n, char *const *const argvs[],
		     const int *want, int nargv)
{
	volatile long *shared;
	int i;

	s->n = 0;
	if (n > STORM_MAX)
		n = STORM_MAX;
	shared = mmap(NULL, 2 * sizeof(long), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return -1;
	s->ok = shared;
	s->failed = shared + 1;
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return -1;
		if (pid == 0) {
			int status;

			for (;;) {
				int ok = exec_once(argvs[i % nargv],
						   want[i % nargv], &status);

				/* counts for the report: a lost update is harmless */
				if (ok > 0)
					(*s->ok)++;
				else
					(*s->failed)++;
			}
		}
		s->pid[s->n++] = pid;
	}
	return 0;
}

int exec_storm_stop(struct exec_storm *s)
{
	int i, stopped = 0, status;

	for (i = 0; i < s->n; i++) {
		if (waitpid(s->pid[i], &status, WNOHANG) == s->pid[i]) {
			stopped++;
			continue;
		}
		kill(s->pid[i], SIGKILL);
		while (waitpid(s->pid[i], &status, 0) < 0 && errno == EINTR)
			;
	}
	s->n = 0;
	return stopped;
}
