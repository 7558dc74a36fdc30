/* SPDX-License-Identifier: GPL-2.0 */
/* The console name of a TAP result line (subtest.c). */
#ifndef EXECFIX_SUBTEST_H
#define EXECFIX_SUBTEST_H

#include <stddef.h>

/*
 * "PROGRAM.N.TAG: pass|fail|skip" for a TAP result line of program into
 * out; 0, or -1 when the line is no result line.
 */
int subtest_name(const char *program, const char *line, char *out,
		 size_t size);

#endif /* EXECFIX_SUBTEST_H */
