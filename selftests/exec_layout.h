/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exec_layout: shared by exec_layout.c (the matrix and its judgement) and
 * exec_layout_child.c (the children: which exist, of what kind, one run).
 */
#ifndef EXECFIX_EXEC_LAYOUT_H
#define EXECFIX_EXEC_LAYOUT_H

#include "layout.h"

#define REPORT_MAX	65536

struct variant {
	char name[64];
	int exec_shield;	/* -1: leave as it is */
	int stack_unlimited;
	int exec_alloc;		/* 32-bit tasks get the exec allocator: 1/0, -1 unknown */
};

struct child_kind {
	int bits;
	char path[4096];
	int present;
	int dynamic;		/* has PT_INTERP */
	char interp[256];
	int interp_present;
};

struct report {
	char text[REPORT_MAX];
	int exec_errno;
	int status;
	struct layout_report l;		/* the text parsed (measure/layout.h) */
};

/* The sibling DIR/exec_layout_BITS[SUFFIX]: present, dynamic, its loader. */
void child_kind_init(struct child_kind *c, const char *dir, int bits,
		     const char *suffix);

/* Fork, exec the child with the variant applied, collect its report. */
int run_child(const struct child_kind *c, const struct variant *v,
	      struct report *r);

#endif /* EXECFIX_EXEC_LAYOUT_H */
