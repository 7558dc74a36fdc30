// SPDX-License-Identifier: GPL-2.0
/*
 * A TAP result line of a test program ("ok N DESC", "not ok N DESC",
 * "ok N # SKIP DESC"; a "- " before DESC is allowed) also goes to the
 * console, in the form of the step lines:
 *
 *	execfix-init: PROGRAM.N.TAG: pass|fail|skip
 *
 * TAG is DESC up to its first ':', each run of characters other than
 * letters and digits made one '_', at most 64 characters, no '_' at either
 * end.  A LAVA monitor (lava/write-job) makes one test case of each line,
 * with no shell in the guest; lava/compare derives the same names from
 * results.tap (tests/lava.sh checks that both agree).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "subtest.h"

int subtest_name(const char *program, const char *line, char *out,
		 size_t size)
{
	const char *verdict = "pass", *p = line;
	unsigned long number;
	char tag[65], *end;
	size_t n = 0;

	if (strncmp(p, "not ok ", 7) == 0) {
		verdict = "fail";
		p += 7;
	} else if (strncmp(p, "ok ", 3) == 0) {
		p += 3;
	} else {
		return -1;
	}
	if (!isdigit((unsigned char)*p))
		return -1;
	number = strtoul(p, &end, 10);
	p = end;
	if (*p && *p != ' ')
		return -1;
	while (*p == ' ')
		p++;
	if (strncmp(p, "- ", 2) == 0)
		p += 2;
	if (strncmp(p, "# SKIP", 6) == 0) {
		verdict = "skip";
		p += 6;
	}
	for (; *p && *p != ':' && n < sizeof(tag) - 1; p++) {
		if (isalnum((unsigned char)*p))
			tag[n++] = *p;
		else if (n && tag[n - 1] != '_')
			tag[n++] = '_';
	}
	while (n && tag[n - 1] == '_')
		n--;
	tag[n] = '\0';
	snprintf(out, size, "%s.%lu%s%s: %s", program, number, n ? "." : "",
		 tag, verdict);
	return 0;
}
