/* SPDX-License-Identifier: GPL-2.0 */
/*
 * key=value lines (kv.c): the format of the test module's /proc files, of
 * the layout probe's report and of the run's settings.
 */
#ifndef MEASURE_KV_H
#define MEASURE_KV_H

#include <stddef.h>

/*
 * Find "key=value" at the start of a line in text; copy the value (up to
 * the end of the line) to val.  Returns 0 when found.
 */
int kv_get(const char *text, const char *key, char *val, size_t size);

/* The value as a number (0x... allowed); 0, or -1 absent or no number. */
int kv_get_ull(const char *text, const char *key, unsigned long long *out);

#endif /* MEASURE_KV_H */
