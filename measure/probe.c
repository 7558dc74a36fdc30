// SPDX-License-Identifier: GPL-2.0
/*
 * The layout probe (layout.h): what the kernel gave a freshly exec'd
 * task.  Raw brk(2): the C library's sbrk() may refuse or cache.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "execshield.h"
#include "file.h"
#include "layout.h"

#define PROBE_LEN	(4 * LAYOUT_MIB)
/*
 * The PROT_EXEC map: one page.  The ia32 exec allocator places a map below
 * 16 MiB only where it fits under the task's brk; 4 MiB did not fit when
 * brk randomisation left less room above the program (4% of 32->64 execs
 * on unpatched 2.6.32-431), and the allocator then fell back to the 0x7f...
 * area: the bug unseen.  A page fits but where brk starts right after bss.
 */
#define PROBE_EXEC_LEN	4096
#define REPORT_MAX	65536

static unsigned long sys_brk(unsigned long addr)
{
	return (unsigned long)syscall(SYS_brk, addr);
}

/*
 * Grow brk for real, one MiB at a time (touching each new MiB), up to
 * LAYOUT_BRK_CAP; give it back afterwards.  Returns how far it could go.
 */
static unsigned long brk_headroom(unsigned long *start_out)
{
	unsigned long start = sys_brk(0);
	unsigned long reached = start;

	while (reached - start < LAYOUT_BRK_CAP) {
		unsigned long want = reached + LAYOUT_MIB;

		if (sys_brk(want) < want)
			break;
		((volatile char *)want)[-1] = 1;
		reached = want;
	}
	sys_brk(start);
	*start_out = start;
	return reached - start;
}

static void print_prefixed(const char *prefix, const char *text)
{
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, "\n");

		printf("%s%.*s\n", prefix, (int)n, p);
		p += n;
		if (*p)
			p++;
	}
}

int layout_probe(const char *extra, const char *proc_dir)
{
	static char buf[REPORT_MAX];
	unsigned long brk_start = 0, headroom;
	void *xmap, *rwmap;
	struct rlimit rl;
	char path[4096];
	ssize_t n;

	xmap = mmap(NULL, PROBE_EXEC_LEN, PROT_READ | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rwmap = mmap(NULL, PROBE_LEN, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	headroom = brk_headroom(&brk_start);

	printf("bits=%u\n", (unsigned int)(sizeof(long) * 8));
	printf("personality=0x%lx\n",
	       (unsigned long)personality(0xffffffff));
	if (xmap == MAP_FAILED)
		printf("exec_map_errno=%d\n", errno);
	else
		printf("exec_map=0x%lx\n", (unsigned long)xmap);
	if (rwmap != MAP_FAILED)
		printf("rw_map=0x%lx\n", (unsigned long)rwmap);
	printf("brk_start=0x%lx\n", brk_start);
	printf("brk_headroom=%lu\n", headroom);
	printf("brk_capped=%d\n", headroom >= LAYOUT_BRK_CAP);
	printf("main_text=0x%lx\n", (unsigned long)&layout_probe);
	if (extra)
		printf("%s", extra);
	if (!getrlimit(RLIMIT_STACK, &rl))
		printf("rlimit_stack=%s\n",
		       rl.rlim_cur == RLIM_INFINITY ? "unlimited" : "limited");
	if (!getrlimit(RLIMIT_DATA, &rl) && rl.rlim_cur != RLIM_INFINITY)
		printf("rlimit_data=%llu\n", (unsigned long long)rl.rlim_cur);
	if (mfile_read("/proc/sys/vm/legacy_va_layout", buf, sizeof(buf)) > 0)
		printf("legacy_va_layout=%d\n", atoi(buf));
	if (mfile_read(ES_PATH, buf, sizeof(buf)) > 0)
		printf("exec_shield=%d\n", atoi(buf));
	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n > 0) {
		path[n] = '\0';
		printf("exe=%s\n", path);
	}
	snprintf(path, sizeof(path), "%s/layout", proc_dir);
	if (mfile_read(path, buf, sizeof(buf)) > 0)
		print_prefixed("mod.", buf);
	if (mfile_read("/proc/self/maps", buf, sizeof(buf)) > 0)
		print_prefixed("map=", buf);
	fflush(stdout);
	return 0;
}
