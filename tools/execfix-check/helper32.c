// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check's 32-bit parent (embedded in execfix-check, written to a
 * private directory at run time): helper32 [--stack-unlimited] PROG ARG...
 * execs PROG, as a 32-bit service such as sshd execs a 64-bit shell. With
 * --stack-unlimited it first sets RLIMIT_STACK to unlimited (`ulimit -s
 * unlimited` in the service's start script: the legacy mmap layout).
 * Exit 125 cannot set the limit, 127 cannot exec (errno in the message).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int i = 1;

	if (i < argc && !strcmp(argv[i], "--stack-unlimited")) {
		struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

		if (setrlimit(RLIMIT_STACK, &rl)) {
			printf("rlimit_errno=%d\n", errno);
			return 125;
		}
		i++;
	}
	if (i >= argc)
		return 2;
	execv(argv[i], argv + i);
	printf("exec_errno=%d\n", errno);
	return 127;
}
