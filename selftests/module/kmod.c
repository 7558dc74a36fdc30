// SPDX-License-Identifier: GPL-2.0
/* execfix-guest: load and unload execfix.ko, read its key=value files */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../execfix_util.h"
#include "guest.h"
#include "kmod.h"

/* measure/kmod.c, in this program's -errno convention */
int load_module(const char *ko, const char *params)
{
	int err = kmod_load(ko, params);

	return err ? -err : 0;
}

int unload_module(void)
{
	int err = kmod_unload(MODULE_NAME);

	return err ? -err : 0;
}

/*
 * Read /proc/execfix/NAME into text and print it; when it cannot be read,
 * a failed TAP line and -1.
 */
int show_file(const char *name, char *text, size_t size)
{
	char path[128];

	snprintf(path, sizeof(path), PROC_DIR "/%s", name);
	if (read_text(path, text, size) <= 0) {
		tap(0, "%s: readable", name);
		return -1;
	}
	printf("%s", text);
	return 0;
}

/* The number in "key=N" of a module file's text; -1 when absent. */
long get_num(const char *text, const char *key)
{
	char val[64];

	if (kv_get(text, key, val, sizeof(val)))
		return -1;
	return strtol(val, NULL, 0);
}
