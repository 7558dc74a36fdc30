/* SPDX-License-Identifier: GPL-2.0 */
/* Whole small files, as /proc and /sys give them (file.c). */
#ifndef MEASURE_FILE_H
#define MEASURE_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* Read a file into buf (NUL-terminated); its length, or -1 with errno. */
ssize_t mfile_read(const char *path, char *buf, size_t size);

/* Write text to a file in one write(2); 0, or -1 with errno. */
int mfile_write(const char *path, const char *text);

#endif /* MEASURE_FILE_H */
