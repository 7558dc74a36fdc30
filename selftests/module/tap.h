/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TAP 13 lines (tap.c, on kselftest.h), for execfix-guest and
 * module/testing/guest/live-guest.c.
 */
#ifndef EXECFIX_TAP_H
#define EXECFIX_TAP_H

/* test_no counts the results; test_failed is set by any "not ok" */
extern int test_no, test_failed;

enum tap_kind { TAP_PASS, TAP_FAIL, TAP_SKIP, TAP_DIAG };
/* One line of that kind, its text formatted as printf() does. */
void tap_line(enum tap_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "ok N - DESC" when ok, else "not ok N - DESC" */
#define tap(ok, ...)	tap_line((ok) ? TAP_PASS : TAP_FAIL, __VA_ARGS__)
/* "ok N # SKIP DESC": counted as neither pass nor fail */
#define tap_skip(...)	tap_line(TAP_SKIP, __VA_ARGS__)
/* "# DESC" */
#define diag(...)	tap_line(TAP_DIAG, __VA_ARGS__)
/* The plan "1..N" at the end; the exit code: 1 when one failed, else rc. */
int tap_done(int rc);

#endif
