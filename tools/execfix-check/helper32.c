// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check's 32-bit parent (embedded in execfix-check, written to a
 * private directory at run time): helper32 [--stack-unlimited] PROG ARG...
 * execs PROG, as a 32-bit service such as sshd execs a 64-bit shell. With
 * --stack-unlimited it first sets RLIMIT_STACK to unlimited (`ulimit -s
 * unlimited` in the service's start script: the legacy mmap layout).
 * helper32 --report: where this 32-bit task's PROT_EXEC map lands
 * (exec_map=) and, with execfix.ko loaded, its get_unmapped_exec_area
 * (module_exec_area=): exec_shield.c learns from it which exec-shield
 * values give 32-bit tasks the ia32 exec allocator.
 * Exit 125 cannot set the limit, 127 cannot exec (errno in the message).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "execfix_util.h"

static int report(void)
{
	static char buf[8192];
	char val[128];
	void *x = mmap(NULL, 1 << 20, PROT_READ | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (x == MAP_FAILED)
		return printf("exec_map_errno=%d\n", errno), 1;
	printf("exec_map=0x%lx\n", (unsigned long)x);
	snprintf(buf, sizeof(buf), "%s/layout", execfix_proc_dir());
	if (read_text(buf, buf, sizeof(buf)) > 0 &&
	    !kv_get(buf, "get_unmapped_exec_area", val, sizeof(val)))
		printf("module_exec_area=%s\n", val);
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1;

	if (i < argc && !strcmp(argv[i], "--report"))
		return report();
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
