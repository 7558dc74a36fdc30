// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check's layout probe.  probe_main() is the 64-bit child: where a
 * PROT_EXEC mmap lands and how far brk can grow (not touched), and what
 * execfix.ko's layout file says of it.  probe_run() starts it, directly
 * (the 64-bit control) or through the 32-bit helper (as a 32-bit sshd
 * starts a 64-bit shell), optionally with an unlimited stack, and judges
 * it as exec_layout does: a PROT_EXEC map below 4 GiB or less than 64 MiB
 * of brk is the bug.
 *
 * Interface for the shared measurement library: probe_main(), probe_run().
 * EXECFIX_PROBE32=PROGRAM stands a program of the tests in for the probe
 * that the 32-bit parent starts (it prints the same key=value lines): the
 * bug's figures on a kernel without the bug.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "execfix_util.h"
#include "execfix-check.h"

#define PROBE_LEN	(4 * MIB)
#define BRK_STEP	MIB

static unsigned long sys_brk(unsigned long addr)
{
	return (unsigned long)syscall(SYS_brk, addr);
}

int probe_main(void)
{
	unsigned long start = sys_brk(0), reached = start;
	static char buf[REPORT_MAX];
	char val[128];
	void *x;

	x = mmap(NULL, PROBE_LEN, PROT_READ | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	while (reached - start < BRK_WANT) {
		unsigned long want = reached + BRK_STEP;

		if (sys_brk(want) < want)
			break;
		reached = want;
	}
	sys_brk(start);
	printf("bits=%u\n", (unsigned int)(sizeof(long) * 8));
	if (x == MAP_FAILED)
		printf("exec_map_errno=%d\n", errno);
	else
		printf("exec_map=0x%lx\n", (unsigned long)x);
	printf("brk_headroom=%lu\n", reached - start);
	snprintf(buf, sizeof(buf), "%s/layout", execfix_proc_dir());
	if (read_text(buf, buf, sizeof(buf)) > 0 &&
	    !kv_get(buf, "get_unmapped_exec_area", val, sizeof(val)))
		printf("module_exec_area=%s\n", val);
	fflush(stdout);
	return 0;
}

/*
 * Run argv[0] with argv, its stdout into text (key=value lines); a failed
 * exec reports exec_errno=.  Returns -1 when it could not be started.
 */
int run_capture(char *const argv[], char *text, size_t size)
{
	int pipefd[2], st;
	pid_t pid;

	text[0] = '\0';
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
		if (dup2(pipefd[1], 1) < 0)
			_exit(126);
		execv(argv[0], argv);
		printf("exec_errno=%d\n", errno);
		fflush(stdout);
		_exit(127);
	}
	close(pipefd[1]);
	read_child(pipefd[0], pid, text, size, &st);
	return 0;
}

void probe_run(int via32, int stack, struct probe_result *r)
{
	static char text[REPORT_MAX];
	const char *fake = getenv("EXECFIX_PROBE32");
	char *probe = via32 && fake && *fake ? (char *)fake : self_path;
	char *a32s[] = { helper_path, "--stack-unlimited", probe, "--probe",
			 NULL };
	char *a32[] = { helper_path, probe, "--probe", NULL };
	char *a64[] = { probe, "--probe", NULL };
	unsigned long long e;

	memset(r, 0, sizeof(*r));
	if (run_capture(!via32 ? a64 : stack ? a32s : a32, text, sizeof(text)))
		return;
	if (!kv_get_ull(text, "exec_errno", &e))
		r->exec_errno = (int)e;
	if (kv_get_ull(text, "exec_map", &r->exec_map) ||
	    kv_get_ull(text, "brk_headroom", &r->brk_headroom))
		return;
	if (kv_get(text, "module_exec_area", r->module_exec_area,
		   sizeof(r->module_exec_area)))
		r->module_exec_area[0] = '\0';
	r->ran = 1;
	r->bad = r->exec_map < ADDR_4G || r->brk_headroom < BRK_WANT;
}
