/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TAP 13 lines (tap.c, on kselftest.h), for execfix-guest and
 * module/testing/guest/live-guest.c.
 */
#ifndef EXECFIX_TAP_H
#define EXECFIX_TAP_H

/* test_no counts the results; test_failed is set by any "not ok" */
extern int test_no, test_failed;
void tap(int ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "ok N # SKIP DESC": counted as neither pass nor fail */
void tap_skip(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
void diag(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#endif
