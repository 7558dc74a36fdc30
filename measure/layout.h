/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The layout probe's report and its judgement (layout.c).  A probe child
 * (exec_layout --child, execfix-check --probe) maps PROT_EXEC and RW
 * memory, grows brk and prints key=value lines: bits, personality,
 * exec_map, rw_map, brk_start, brk_headroom, exe, exec_shield,
 * legacy_va_layout, rlimit_stack, the test module's layout file as mod.*
 * and its maps as map= lines.  The judgement reads only that text, so a
 * fixture can stand in for a child.
 */
#ifndef MEASURE_LAYOUT_H
#define MEASURE_LAYOUT_H

#include <stddef.h>

#define LAYOUT_MIB		(1024ULL * 1024ULL)
#define LAYOUT_BRK_WANT		(64 * LAYOUT_MIB)	/* brk must grow this far */
#define LAYOUT_BRK_CAP		(256 * LAYOUT_MIB)	/* and is not pushed further */
#define LAYOUT_4G		0x100000000ULL
#define LAYOUT_ARMOR_TOP	0x1000000ULL	/* exec-shield's low zone: 16 MiB */
#define LAYOUT_ADDR_COMPAT	0x0200000	/* personality ADDR_COMPAT_LAYOUT */
#define LAYOUT_READ_IMPLIES_EXEC 0x0400000

struct layout_report {
	unsigned int bits;
	int have_exec_map;
	unsigned long long exec_map, rw_map, brk_start, brk_headroom;
	unsigned long long personality;
	int exec_shield;		/* -1: no sysctl */
	char exec_area[128];		/* mod.get_unmapped_exec_area, "" absent */
	char unmapped_area[128];	/* mod.get_unmapped_area, "" absent */
};

/* Parse a probe child's report; 0, or -1 when it has no bits= line. */
int layout_parse(const char *text, struct layout_report *r);

/* Is the child's layout top-down, as arch_pick_mmap_layout() decides? */
int layout_topdown(const char *text, const struct layout_report *r);

/* Does the module show an exec allocator ("none"/"n/a": no)? -1 unknown */
int layout_has_exec_area(const struct layout_report *r);

#define LAYOUT_WHY_MAX	4

struct layout_judgement {
	int fail;
	int nwhy;
	char why[LAYOUT_WHY_MAX][192];	/* one line each, for the report */
};

/*
 * The judgement of one child: brk must grow LAYOUT_BRK_WANT; a 64-bit
 * child fails with a PROT_EXEC map below 4 GiB or an exec allocator; a
 * 32-bit child with the exec allocator (module: as the kernel gave it;
 * else RHEL's meaning of exec-shield) must keep its map below 16 MiB.
 * parent_bits/exec_alloc only add a note (exec_alloc: 1/0 the kernel gives
 * 32-bit tasks the allocator under this exec-shield, -1 unknown).
 */
void layout_judge(const char *text, const struct layout_report *r,
		  int parent_bits, int exec_alloc, struct layout_judgement *j);

struct layout_libs {
	int total, low;
	unsigned long long lowest;
};

/*
 * File-backed executable mappings other than exe in a maps text (lines
 * prefixed with prefix, "map=" in a child's report, "" in a maps file):
 * counted, and those below 4 GiB; each one passed to fn when given.
 */
void layout_lib_maps(const char *text, const char *prefix, const char *exe,
		     struct layout_libs *out,
		     void (*fn)(void *ctx, unsigned long long start,
				const char *file, int low),
		     void *ctx);

/* ---- probe.c: the probe child itself ---- */

/*
 * Run in the freshly exec'd child: map a page PROT_READ|PROT_EXEC (first,
 * so that a map on the brk area is seen by the brk test; a page, so that
 * the ia32 exec allocator always has room for it), then 4 MiB RW,
 * grow brk for real 1 MiB at a time up to LAYOUT_BRK_CAP, and print the
 * report on stdout: the keys above, extra (more key=value lines, may be
 * NULL) after main_text, PROC_DIR/layout as mod.* lines (the test module,
 * when loaded) and /proc/self/maps as map= lines.  Returns 0.
 */
int layout_probe(const char *extra, const char *proc_dir);

#endif /* MEASURE_LAYOUT_H */
