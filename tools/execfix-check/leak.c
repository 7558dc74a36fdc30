// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check: the slab measurement of the interp leak, ported from
 * selftests/interp_leak.c (its comment has the reasoning) and kept to its
 * constants:
 *   drain    before each reading the candidate kmalloc caches give back the
 *            objects parked in per-CPU caches: SLUB by writing 1 to
 *            /sys/kernel/slab/kmalloc-N/shrink (and each kmalloc-rnd-NN-N),
 *            SLAB by writing the cache's own tunables back to
 *            /proc/slabinfo; neither changes a setting.  When a drain fails
 *            there is none (undrained counts, larger rounds).
 *            EXECFIX_LEAK_DRAIN=0 turns it off.
 *   control  plain execs of this program, watching the caches of 32, 64,
 *            96 and 128 bytes (once drained, twice undrained); the quietest
 *            is chosen, the interpreter's name padded to land in it, and
 *            its largest |growth| is the noise bound B.
 *   rounds   N '#!' execs per round.  Drained and B < N/8: one round
 *            decides (< 0.25 objects/exec clean, >= 0.75 a leak); else
 *            two of three rounds must agree at 0.5.
 * execfix-check's addition, so that it never gives a wrong verdict on a
 * busy host: when B >= N/4 (noise of half the threshold), or no two rounds
 * agree by more than B, the slab cannot tell (LEAK_UNDECIDED, with B).
 * The whole task (and its children) runs on one CPU while measuring.
 *
 * Interface for the shared measurement library: leak_prepare(),
 * leak_measure(), leak_cleanup(), leak_run_execs().
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "execfix_util.h"
#include "execfix-check.h"

#define DECIDE_LOW	0.25
#define DECIDE_HIGH	0.75
#define NOISE_GATE	8
#define MAX_INTERP_LEN	124
#define SLABINFO_MAX	(1024 * 1024)

static const unsigned int class_sizes[] = { 32, 64, 96, 128 };
#define NCLASSES (sizeof(class_sizes) / sizeof(class_sizes[0]))

enum drain_kind { DRAIN_NONE, DRAIN_SLUB_SHRINK, DRAIN_SLAB_TUNE };
static enum drain_kind drain;
static char *slabinfo;
static int slub;
static unsigned int chosen;
char leak_script_path[300];
static char interp_path[300];

static int slabinfo_read(void)
{
	char path[512];

	if (!slabinfo)
		slabinfo = malloc(SLABINFO_MAX);
	if (!slabinfo)
		return -1;
	return read_text(procfs_path(path, sizeof(path), "slabinfo"),
			 slabinfo, SLABINFO_MAX) > 0 ? 0 : -1;
}

/* Active objects of the kmalloc cache(s) of this size; -1: none. */
static long long slab_active(unsigned int size)
{
	const char *p = slabinfo;
	long long total = -1;

	while (p && *p) {
		char name[64], want[32];
		long long active;
		unsigned int rnd;
		int match = 0;

		if (sscanf(p, "%63s %lld", name, &active) == 2) {
			if (slub) {
				snprintf(want, sizeof(want), "kmalloc-%u", size);
				match = !strcmp(name, want);
				if (!match &&
				    sscanf(name, "kmalloc-rnd-%u-", &rnd) == 1) {
					const char *tail = strrchr(name, '-');

					snprintf(want, sizeof(want), "-%u", size);
					match = tail && !strcmp(tail, want);
				}
			} else {
				snprintf(want, sizeof(want), "size-%u", size);
				match = !strcmp(name, want);
			}
			if (match)
				total = (total < 0 ? 0 : total) + active;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return total;
}

static int slab_tunables(unsigned int size, char *line, size_t lsize)
{
	const char *p = slabinfo;
	char want[32];
	size_t wlen;

	snprintf(want, sizeof(want), "size-%u ", size);
	wlen = strlen(want);
	while (p && *p) {
		if (!strncmp(p, want, wlen)) {
			const char *t = strstr(p, ": tunables");
			const char *eol = strchr(p, '\n');
			int limit, batch, shared;

			if (!t || (eol && t > eol) ||
			    sscanf(t, ": tunables %d %d %d", &limit, &batch,
				   &shared) != 3)
				return -1;
			snprintf(line, lsize, "size-%u %d %d %d", size, limit,
				 batch, shared);
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static int shrink(const char *cache)
{
	char rel[160], path[512];

	snprintf(rel, sizeof(rel), "kernel/slab/%s/shrink", cache);
	return write_text(sysfs_path(path, sizeof(path), rel), "1");
}

static int drain_cache(unsigned int size)
{
	char name[64], line[128], path[512], want[32];
	const char *p;
	unsigned int rnd;

	if (drain == DRAIN_SLAB_TUNE) {
		if (slab_tunables(size, line, sizeof(line)))
			return -1;
		return write_text(procfs_path(path, sizeof(path), "slabinfo"),
				  line);
	}
	snprintf(name, sizeof(name), "kmalloc-%u", size);
	if (shrink(name))
		return -1;
	snprintf(want, sizeof(want), "-%u", size);
	for (p = slabinfo; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		const char *tail;

		if (sscanf(p, "%63s", name) == 1 &&
		    sscanf(name, "kmalloc-rnd-%u-", &rnd) == 1 &&
		    (tail = strrchr(name, '-')) && !strcmp(tail, want) &&
		    shrink(name))
			return -1;
	}
	return 0;
}

static int drain_all(void)
{
	unsigned int c;

	if (drain == DRAIN_NONE)
		return 0;
	if (slabinfo_read())
		goto fail;
	for (c = 0; c < NCLASSES; c++)
		if (slab_active(class_sizes[c]) >= 0 &&
		    drain_cache(class_sizes[c]))
			goto fail;
	return 0;
fail:
	drain = DRAIN_NONE;
	return -1;
}

static const char *drain_name(void)
{
	return drain == DRAIN_SLUB_SHRINK ? "SLUB shrink" :
	       drain == DRAIN_SLAB_TUNE ? "SLAB tunables written back" :
	       "none";
}

int leak_prepare(struct leak_result *r)
{
	const char *env = getenv("EXECFIX_LEAK_DRAIN");
	int e;

	memset(r, 0, sizeof(*r));
	r->drain = "none";
	r->call = LEAK_UNDECIDED;
	if (slabinfo_read()) {
		e = errno;
		snprintf(r->why, sizeof(r->why),
			 "/proc/slabinfo cannot be read (%s)%s", strerror(e),
			 geteuid() ? ": not root" : "");
		return -1;
	}
	slub = strstr(slabinfo, "\nkmalloc-") != NULL;
	if (!slub && !strstr(slabinfo, "\nsize-32 ")) {
		snprintf(r->why, sizeof(r->why),
			 "no SLAB size-N or SLUB kmalloc-N caches in /proc/slabinfo");
		return -1;
	}
	r->slab = 1;
	drain = env && !strcmp(env, "0") ? DRAIN_NONE :
		slub ? DRAIN_SLUB_SHRINK : DRAIN_SLAB_TUNE;
	drain_all();
	r->drain = drain_name();
	return 0;
}

long leak_min_execs(int exact)
{
	return exact ? LEAK_MIN_EXECS_EXACT :
	       drain != DRAIN_NONE ? LEAK_MIN_EXECS_DRAINED : LEAK_MIN_EXECS;
}

int leak_run_execs(const char *path, long n)
{
	char *argv[] = { (char *)path, "--stub", NULL };
	long i;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();
		int st;

		if (pid < 0)
			return -1;
		if (pid == 0) {
			execv(path, argv);
			_exit(127);
		}
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR)
				return -1;
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			return -1;
	}
	return 0;
}

/* The caches that exist (slab_active() >= 0), from the first reading. */
static int present[NCLASSES];

/* One loop of n execs of path: the caches' growth, drained. */
static int measure(const char *path, long n, long long *delta)
{
	long long before[NCLASSES];
	unsigned int c;

	drain_all();
	if (slabinfo_read())
		return -1;
	for (c = 0; c < NCLASSES; c++)
		before[c] = slab_active(class_sizes[c]);
	if (leak_run_execs(path, n))
		return -1;
	drain_all();
	if (slabinfo_read())
		return -1;
	for (c = 0; c < NCLASSES; c++) {
		long long after = slab_active(class_sizes[c]);

		present[c] = before[c] >= 0 && after >= 0;
		delta[c] = present[c] ? after - before[c] : 0;
	}
	return 0;
}

static size_t class_len(unsigned int size)
{
	return size - 1 > MAX_INTERP_LEN ? MAX_INTERP_LEN : size - 1;
}

/* The interpreter (a link to this program) with a name of len bytes. */
int leak_make_script(size_t len)
{
	char text[400];
	size_t base = strlen(tmp_dir) + 2;
	FILE *f;

	if (len < base || len >= sizeof(interp_path))
		return -1;
	snprintf(interp_path, sizeof(interp_path), "%s/l", tmp_dir);
	memset(interp_path + base, 'x', len - base);
	interp_path[len] = '\0';
	snprintf(leak_script_path, sizeof(leak_script_path), "%s/ls", tmp_dir);
	if (symlink(self_path, interp_path))
		return -1;
	snprintf(text, sizeof(text), "#!%s --stub\n", interp_path);
	f = fopen(leak_script_path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	if (fclose(f) || chmod(leak_script_path, 0700))
		return -1;
	return 0;
}

void leak_cleanup(void)
{
	if (leak_script_path[0])
		unlink(leak_script_path);
	if (interp_path[0])
		unlink(interp_path);
}

static int pin(cpu_set_t *old)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(*old), old))
		return -1;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, old))
			break;
	if (cpu == CPU_SETSIZE)
		return -1;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static enum leak_call call_of(double pe, double noise_pe)
{
	if (pe - noise_pe >= LEAK_PER_EXEC)
		return LEAK_LEAKY;
	if (pe + noise_pe < LEAK_PER_EXEC)
		return LEAK_CLEAN;
	return LEAK_UNDECIDED;
}

static int rounds(struct leak_result *r, long n, leak_round_hook hook,
		  void *arg)
{
	long long d[NCLASSES];
	double noise_pe = (double)r->noise / n;
	int i, leaky = 0, clean = 0, single;

	single = drain != DRAIN_NONE && r->noise * NOISE_GATE < n;
	r->rule = single ? "one decisive round" : "2 of 3 rounds";
	for (i = 0; i < LEAK_ROUNDS; i++) {
		double pe;
		enum leak_call c;

		if (hook)
			hook(0, i, n, arg);
		if (measure(leak_script_path, n, d))
			return -1;
		pe = r->growth[i] = (double)d[chosen] / n;
		r->rounds = i + 1;
		if (hook && hook(1, i, n, arg) == 1) {
			r->rule = "exact counts";
			return 0;
		}
		if (single && (pe < DECIDE_LOW || pe >= DECIDE_HIGH)) {
			r->call = pe < DECIDE_LOW ? LEAK_CLEAN : LEAK_LEAKY;
			return 0;
		}
		r->rule = "2 of 3 rounds";
		c = call_of(pe, noise_pe);
		leaky += c == LEAK_LEAKY;
		clean += c == LEAK_CLEAN;
		if (leaky >= 2 || clean >= 2) {
			r->call = leaky >= 2 ? LEAK_LEAKY : LEAK_CLEAN;
			return 0;
		}
	}
	snprintf(r->why, sizeof(r->why),
		 "could not tell: no two rounds agree beyond the control noise (%lld objects per %ld execs)",
		 r->noise, n);
	return 0;
}

int leak_measure(struct leak_result *r, long n, leak_round_hook hook,
		 void *arg)
{
	long long d[2][NCLASSES], noise[NCLASSES];
	unsigned int c, best = NCLASSES;
	cpu_set_t old;
	int i, pinned = pin(&old) == 0, ret = -1;
	char self_stub[4096];

	r->execs = n;
	snprintf(self_stub, sizeof(self_stub), "%s", self_path);
	r->control_rounds = drain != DRAIN_NONE ? 1 : 2;
	for (i = 0; i < r->control_rounds; i++)
		if (measure(self_stub, n, d[i])) {
			snprintf(r->why, sizeof(r->why),
				 "the control execs failed");
			goto out;
		}
	for (c = 0; c < NCLASSES; c++) {
		noise[c] = -1;
		if (!present[c] || class_len(class_sizes[c]) < strlen(tmp_dir) + 3)
			continue;
		for (i = 0; i < r->control_rounds; i++) {
			long long a = d[i][c] < 0 ? -d[i][c] : d[i][c];

			if (a > noise[c])
				noise[c] = a;
		}
		if (best == NCLASSES || noise[c] < noise[best])
			best = c;
	}
	if (best == NCLASSES) {
		snprintf(r->why, sizeof(r->why),
			 "no kmalloc cache that an interpreter name in %s can reach",
			 tmp_dir);
		goto out;
	}
	chosen = best;
	r->noise = noise[best];
	for (i = 0; i < r->control_rounds; i++)
		r->control_growth[i] = (double)d[i][best] / n;
	snprintf(r->cache, sizeof(r->cache), "%s-%u", slub ? "kmalloc" : "size",
		 class_sizes[best]);
	r->interp_len = class_len(class_sizes[best]);
	if (leak_make_script(r->interp_len)) {
		snprintf(r->why, sizeof(r->why), "cannot write the '#!' script: %s",
			 strerror(errno));
		goto out;
	}
	r->drain = drain_name();
	if (!hook && r->noise * 4 >= n) {
		snprintf(r->why, sizeof(r->why),
			 "could not tell: slab noise of %lld objects per %ld plain execs in %s is beyond what the rule separates (it must stay below %ld)",
			 r->noise, n, r->cache, n / 4);
		ret = 0;
		goto out;
	}
	ret = rounds(r, n, hook, arg);
	if (ret)
		snprintf(r->why, sizeof(r->why), "a '#!' exec failed");
out:
	if (pinned)
		sched_setaffinity(0, sizeof(old), &old);
	return ret;
}
