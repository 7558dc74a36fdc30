// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check's 32-bit parent (embedded in execfix-check, written to a
 * private directory at run time): helper32 [--stack-unlimited] PROG ARG...
 * execs PROG, as a 32-bit service such as sshd execs a 64-bit shell. With
 * --stack-unlimited it first sets RLIMIT_STACK to unlimited (`ulimit -s
 * unlimited` in the service's start script: the legacy mmap layout).
 * helper32 --report: measure/'s probe report of this 32-bit task
 * (layout_probe(): where its PROT_EXEC map lands and, with execfix.ko
 * loaded, its mod.get_unmapped_exec_area): layout.c learns from it which
 * exec-shield values give 32-bit tasks the ia32 exec allocator.
 * Exit 125 cannot set the limit, 127 cannot exec (errno in the message).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "execfix_util.h"
#include "layout.h"

int main(int argc, char **argv)
{
	int i = 1;

	if (i < argc && !strcmp(argv[i], "--report"))
		return layout_probe(NULL, execfix_proc_dir());
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
