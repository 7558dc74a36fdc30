// SPDX-License-Identifier: GPL-2.0
/* execfix-guest: TAP 13 output */
#include <stdarg.h>
#include <stdio.h>
#include "tap.h"

int test_no, test_failed;

void tap(int ok, const char *fmt, ...)
{
	va_list ap;

	test_no++;
	if (!ok)
		test_failed = 1;
	printf("%sok %d - ", ok ? "" : "not ", test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}
