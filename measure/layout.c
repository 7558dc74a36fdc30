// SPDX-License-Identifier: GPL-2.0
/*
 * The layout judgement (layout.h).  The bug: a 64-bit task exec'd by a
 * 32-bit parent keeps exec-shield's ia32 allocator, so its PROT_EXEC
 * mappings land below 4 GiB, around its text and into the gap where brk
 * grows.  So a 64-bit child fails with an exec map below 4 GiB or an
 * allocator the module can see; brk must grow 64 MiB in every child; and
 * a 32-bit child that has the allocator must keep its exec map in the
 * ASCII-armour zone (a fix that turned exec-shield off for ia32 fails).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kv.h"
#include "layout.h"

int layout_parse(const char *text, struct layout_report *r)
{
	unsigned long long v;

	memset(r, 0, sizeof(*r));
	r->exec_shield = -1;
	if (kv_get_ull(text, "bits", &v))
		return -1;
	r->bits = (unsigned int)v;
	r->have_exec_map = !kv_get_ull(text, "exec_map", &r->exec_map);
	kv_get_ull(text, "rw_map", &r->rw_map);
	kv_get_ull(text, "brk_start", &r->brk_start);
	kv_get_ull(text, "brk_headroom", &r->brk_headroom);
	kv_get_ull(text, "personality", &r->personality);
	if (!kv_get_ull(text, "exec_shield", &v))
		r->exec_shield = (int)v;
	if (kv_get(text, "mod.get_unmapped_exec_area", r->exec_area,
		   sizeof(r->exec_area)))
		r->exec_area[0] = '\0';
	if (kv_get(text, "mod.get_unmapped_area", r->unmapped_area,
		   sizeof(r->unmapped_area)))
		r->unmapped_area[0] = '\0';
	return 0;
}

int layout_topdown(const char *text, const struct layout_report *r)
{
	unsigned long long legacy_va = 0;
	char stack[32];
	int legacy;

	if (r->unmapped_area[0])
		return strstr(r->unmapped_area, "topdown") != NULL;
	kv_get_ull(text, "legacy_va_layout", &legacy_va);
	if (kv_get(text, "rlimit_stack", stack, sizeof(stack)))
		stack[0] = '\0';
	legacy = (r->personality & LAYOUT_ADDR_COMPAT) ||
		!strcmp(stack, "unlimited") || legacy_va;
	return (r->exec_shield > 0 && (r->exec_shield & 2)) || !legacy;
}

int layout_has_exec_area(const struct layout_report *r)
{
	if (!r->exec_area[0])
		return -1;
	return strcmp(r->exec_area, "none") && strcmp(r->exec_area, "n/a");
}

static void why(struct layout_judgement *j, int fail, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void why(struct layout_judgement *j, int fail, const char *fmt, ...)
{
	va_list ap;

	if (fail)
		j->fail = 1;
	if (j->nwhy >= LAYOUT_WHY_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(j->why[j->nwhy++], sizeof(j->why[0]), fmt, ap);
	va_end(ap);
}

/* The ASCII-armour rule for a 32-bit child that has the allocator. */
static void judge_32(const char *text, const struct layout_report *r,
		     struct layout_judgement *j)
{
	int armoured = layout_topdown(text, r) &&
		!(r->personality & LAYOUT_READ_IMPLIES_EXEC);
	int low = !r->have_exec_map || r->exec_map < LAYOUT_ARMOR_TOP;

	if (r->exec_area[0]) {
		/* The module shows what the kernel gave this task: judge that. */
		if (layout_has_exec_area(r) && armoured) {
			if (!low)
				why(j, 1, "32-bit task has the exec allocator (%s): its PROT_EXEC map should be below 16 MiB",
				    r->exec_area);
		} else {
			why(j, 0, "32-bit placement reported only (get_unmapped_exec_area=%s under exec-shield=%d)",
			    r->exec_area, r->exec_shield);
		}
	} else if (r->exec_shield > 0 && armoured) {
		/* No module: RHEL's meaning of the values. */
		if (!low)
			why(j, 1, "exec-shield=%d, top-down: 32-bit PROT_EXEC map should be below 16 MiB (RHEL rule, no module)",
			    r->exec_shield);
	} else if (r->exec_shield < 0) {
		why(j, 0, "32-bit placement reported only (no exec-shield here)");
	} else {
		why(j, 0, "32-bit placement reported only (exec-shield %s, %s)",
		    r->exec_shield ? "on" : "off",
		    layout_topdown(text, r) ? "top-down" : "legacy layout");
	}
}

void layout_judge(const char *text, const struct layout_report *r,
		  int parent_bits, int exec_alloc, struct layout_judgement *j)
{
	memset(j, 0, sizeof(*j));
	if (!r->have_exec_map)
		why(j, 1, "PROT_EXEC mmap failed");
	if (r->brk_headroom < LAYOUT_BRK_WANT)
		why(j, 1, "brk could grow only %llu KiB (want %llu MiB)",
		    r->brk_headroom / 1024, LAYOUT_BRK_WANT / LAYOUT_MIB);
	if (r->bits != 64) {
		judge_32(text, r, j);
		return;
	}
	if (parent_bits == 32 && exec_alloc >= 0)
		why(j, 0, "exec-shield=%d %s a 32-bit task the exec allocator on this kernel",
		    r->exec_shield, exec_alloc ? "gives" : "does not give");
	if (r->have_exec_map && r->exec_map < LAYOUT_4G)
		why(j, 1, "64-bit task got a PROT_EXEC map below 4 GiB: the ia32 exec allocator leaked into it");
	if (layout_has_exec_area(r) > 0)
		why(j, 1, "64-bit task has get_unmapped_exec_area=%s (want none)",
		    r->exec_area);
}

void layout_lib_maps(const char *text, const char *prefix, const char *exe,
		     struct layout_libs *out,
		     void (*fn)(void *ctx, unsigned long long start,
				const char *file, int low),
		     void *ctx)
{
	size_t plen = strlen(prefix);
	const char *p = text;

	out->total = out->low = 0;
	out->lowest = ~0ULL;
	for (; p && *p; p = mfile_next_line(p)) {
		if (!strncmp(p, prefix, plen)) {
			unsigned long long start, end;
			char perms[8], file[4096], line[4352];
			size_t n = strcspn(p + plen, "\n");

			if (n >= sizeof(line))
				n = sizeof(line) - 1;
			memcpy(line, p + plen, n);
			line[n] = '\0';
			file[0] = '\0';
			if (sscanf(line, "%llx-%llx %7s %*s %*s %*s %4095s",
				   &start, &end, perms, file) >= 3 &&
			    strchr(perms, 'x') && file[0] == '/' &&
			    (!exe || strcmp(file, exe))) {
				int low = start < LAYOUT_4G;

				out->total++;
				out->low += low;
				if (start < out->lowest)
					out->lowest = start;
				if (fn)
					fn(ctx, start, file, low);
			}
		}
	}
}
