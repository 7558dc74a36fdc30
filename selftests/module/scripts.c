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
#include "execloop.h"
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

/* n fork + execve(path) + wait (measure/execloop.c); 0 when each exited 0. */
int run_many(const char *path, int n)
{
	char *argv[] = { (char *)path, NULL };
	struct exec_stats st;

	return exec_loop(argv, n, 0, &st) || st.bad ? -1 : 0;
}

int run(const char *path)
{
	return run_many(path, 1);
}
