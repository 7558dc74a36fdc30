// SPDX-License-Identifier: GPL-2.0
/* execfix-guest: the "#!" scripts whose execs the module accounts */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "guest.h"

char script1[PATH_MAX], script2[PATH_MAX];

/* Temporary scripts go to $EXECFIX_TMP or /tmp. */
int make_scripts(void)
{
	const char *tmp = getenv("EXECFIX_TMP");
	char self_path[PATH_MAX];
	ssize_t n;
	FILE *f;

	n = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	if (n < 0)
		return -1;
	self_path[n] = '\0';
	if (!tmp)
		tmp = "/tmp";
	mkdir(tmp, 01777);
	snprintf(script1, sizeof(script1), "%s/execfix-s1.%d", tmp,
		 (int)getpid());
	snprintf(script2, sizeof(script2), "%s/execfix-s2.%d", tmp,
		 (int)getpid());
	f = fopen(script1, "w");
	if (!f)
		return -1;
	fprintf(f, "#!%s stub\n", self_path);
	fclose(f);
	f = fopen(script2, "w");
	if (!f)
		return -1;
	/* A script whose interpreter is a script: two bprm_change_interp(). */
	fprintf(f, "#!%s\n", script1);
	fclose(f);
	if (chmod(script1, 0755) || chmod(script2, 0755))
		return -1;
	return 0;
}

void remove_scripts(void)
{
	unlink(script1);
	unlink(script2);
}

/* fork + execve(path) + wait; 0 when the child exited 0. */
int run(const char *path)
{
	char *argv[2];
	int status;
	pid_t pid;

	argv[0] = (char *)path;
	argv[1] = NULL;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(path, argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int run_many(const char *path, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (run(path))
			return -1;
	return 0;
}
