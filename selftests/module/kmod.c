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

int load_module(const char *ko, const char *params)
{
	struct stat st;
	char *image;
	int fd, rc;

	fd = open(ko, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	image = malloc(st.st_size);
	if (!image || read(fd, image, st.st_size) != st.st_size) {
		close(fd);
		free(image);
		return -EIO;
	}
	close(fd);
	rc = syscall(SYS_init_module, image, (unsigned long)st.st_size, params);
	free(image);
	return rc < 0 ? -errno : 0;
}

int unload_module(void)
{
	int tries;

	for (tries = 0; tries < 100; tries++) {
		if (syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK) == 0)
			return 0;
		if (errno != EAGAIN && errno != EBUSY)
			return -errno;
		usleep(10000);
	}
	return -EBUSY;
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
