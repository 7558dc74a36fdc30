// SPDX-License-Identifier: GPL-2.0
/* Module load and unload (kmod.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kmod.h"

int kmod_load(const char *path, const char *params)
{
	struct stat st;
	size_t done = 0;
	char *image;
	int fd, err = 0;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	if (fstat(fd, &st) || st.st_size <= 0) {
		err = st.st_size <= 0 ? EINVAL : errno;
		close(fd);
		return err;
	}
	image = malloc(st.st_size);
	if (!image) {
		close(fd);
		return ENOMEM;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, image + done, st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? errno : EIO;
			break;
		}
		done += n;
	}
	close(fd);
	if (!err && syscall(SYS_init_module, image, (unsigned long)done,
			    params ? params : ""))
		err = errno;
	free(image);
	return err;
}

int kmod_unload(const char *name)
{
	int tries;

	for (tries = 0; tries < KMOD_RETRY_MAX; tries++) {
		if (!syscall(SYS_delete_module, name, O_NONBLOCK))
			return 0;
		if (errno != EAGAIN && errno != EBUSY && errno != EWOULDBLOCK)
			return errno;
		usleep(KMOD_RETRY_US);
	}
	return errno;
}

const char *kmod_name(const char *path, char *name, size_t size)
{
	const char *base = strrchr(path, '/');
	char *p;

	snprintf(name, size, "%s", base ? base + 1 : path);
	p = strstr(name, ".ko");
	if (p)
		*p = '\0';
	for (p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	return name;
}
