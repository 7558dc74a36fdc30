// SPDX-License-Identifier: GPL-2.0
/*
 * fork_fail_shim.c - LD_PRELOAD library for tests/selftests-defects.sh:
 * fork() always fails with EAGAIN (as under RLIMIT_NPROC), and the file
 * descriptors open when the program starts and when it exits are written
 * to stderr as "fork_fail_shim: fds_at_start=N" / "fds_at_exit=N", so a
 * test can see descriptors that a failed fork() left open.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>

/* Open descriptors of this process, not counting the one used to list them. */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

pid_t fork(void)
{
	errno = EAGAIN;
	return -1;
}

__attribute__((constructor)) static void shim_start(void)
{
	fprintf(stderr, "fork_fail_shim: fds_at_start=%d\n", open_fds());
}

__attribute__((destructor)) static void shim_exit(void)
{
	fprintf(stderr, "fork_fail_shim: fds_at_exit=%d\n", open_fds());
}
