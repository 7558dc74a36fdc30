/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the el6-execfix selftests.  Everything here must
 * build with gcc 4.4 / glibc 2.12 (CentOS 6), musl and modern glibc, and
 * use nothing newer than Linux 2.6.32.
 */
#ifndef EXECFIX_UTIL_H
#define EXECFIX_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/wait.h>

#define EXECFIX_PROC_DEFAULT	"/proc/execfix"

/* Directory of the running program: siblings are found next to it. */
static inline int self_dir(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	if (slash == buf)
		slash[1] = '\0';
	else
		*slash = '\0';
	return 0;
}

/*
 * Start argv[0] with argv, its stdout (and, with err, its stderr) into a
 * pipe whose read end is *fd; read it with read_child().  A failed exec
 * writes "exec_errno=N" there and exits 127.  Returns the pid, or -1.
 */
static inline pid_t spawn_piped(char *const argv[], int err, int *fd)
{
	int pipefd[2];
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pipefd[0]);
		if (dup2(pipefd[1], 1) < 0 || (err && dup2(pipefd[1], 2) < 0))
			_exit(126);
		execv(argv[0], argv);
		printf("exec_errno=%d\n", errno);
		fflush(stdout);
		_exit(127);
	}
	close(pipefd[1]);
	*fd = pipefd[0];
	return pid;
}

/*
 * What a child wrote into the pipe fd, until EOF or size - 1 bytes, into buf
 * (NUL-terminated); then fd is closed and the child pid reaped (its wait
 * status in *status). Returns the length read.
 */
static inline size_t read_child(int fd, pid_t pid, char *buf, size_t size,
				int *status)
{
	size_t len = 0;
	ssize_t n;

	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	close(fd);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return len;
}

/*
 * Files and key=value lines: measure/'s (header-only, so that programs
 * not built on the library, tools/execfix-check, take them too).  The
 * path is relative to this file in the repository, and to -I measure in a
 * kernel tree (execfix/measure/../measure).
 */
#include "../measure/file.h"
#include "../measure/kv.h"

/* Read a whole (small) file; returns its length or -1 with errno set. */
static inline ssize_t read_text(const char *path, char *buf, size_t size)
{
	return mfile_read(path, buf, size);
}

/* Write a string to a (proc) file; returns 0 or -1 with errno set. */
static inline int write_text(const char *path, const char *text)
{
	return mfile_write(path, text);
}

/* Where the test module's files are (EXECFIX_PROC overrides). */
static inline const char *execfix_proc_dir(void)
{
	const char *dir = getenv("EXECFIX_PROC");

	return dir && *dir ? dir : EXECFIX_PROC_DEFAULT;
}

#endif /* EXECFIX_UTIL_H */
