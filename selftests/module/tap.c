// SPDX-License-Identifier: GPL-2.0
/*
 * TAP 13 for execfix-guest and module/testing/guest/live-guest.c, on the
 * one TAP emitter of the C tests: kselftest.h's API (compat/kselftest.h
 * outside a kernel tree).  "ok N - DESC" as before: the "- " is part of DESC.
 */
#include <stdarg.h>
#include <stdio.h>
#include "kselftest.h"
#include "tap.h"

int test_no, test_failed;

#define TAP_LINE_MAX	2048

static void counts(void)
{
	test_no = ksft_test_num();
	test_failed = ksft_get_fail_cnt() > 0;
	fflush(stdout);
}

void tap_line(enum tap_kind kind, const char *fmt, ...)
{
	char msg[TAP_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (kind == TAP_DIAG) {
		ksft_print_msg("%s\n", msg);
		fflush(stdout);
		return;
	}
	if (kind == TAP_PASS)
		ksft_test_result_pass("- %s\n", msg);
	else if (kind == TAP_FAIL)
		ksft_test_result_fail("- %s\n", msg);
	else
		ksft_test_result_skip("%s\n", msg);
	counts();
}

int tap_done(int rc)
{
	printf("1..%d\n", test_no);
	return test_failed ? 1 : rc;
}
