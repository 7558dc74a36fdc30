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

void kmod_list(char *names, size_t size)
{
	char line[1024];
	size_t used = 0;
	FILE *f;

	names[0] = '\0';
	f = fopen("/proc/modules", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, " \n");

		if (used + len + 2 > size)
			break;
		memcpy(names + used, line, len);
		used += len;
		names[used++] = '\n';
		names[used] = '\0';
	}
	fclose(f);
}

static int listed(const char *names, const char *name, size_t len)
{
	const char *p = names;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == names || p[-1] == '\n') && p[len] == '\n')
			return 1;
		p++;
	}
	return 0;
}

int kmod_new_name(const char *before, char *name, size_t size)
{
	char after[8192], word[64];
	const char *p = after;

	kmod_list(after, sizeof(after));
	while (*p) {
		size_t len = strcspn(p, "\n");

		if (len < sizeof(word)) {
			memcpy(word, p, len);
			word[len] = '\0';
			if (!listed(before, word, len)) {
				snprintf(name, size, "%s", word);
				return 0;
			}
		}
		p += len + (p[len] == '\n');
	}
	return -1;
}

int kmod_cycles(const char *path, const char *const *params, int nparams,
		int cycles, struct kmod_cycles *c,
		void (*each)(void *ctx, const struct kmod_cycles *c,
			     int loaded),
		void *ctx)
{
	char before[8192];

	c->failed = NULL;
	c->err = 0;
	kmod_name(path, c->name, sizeof(c->name));
	kmod_list(before, sizeof(before));
	for (c->done = 0; c->done < cycles;) {
		c->err = kmod_load(path, params[c->done % nparams]);
		if (c->err) {
			c->failed = "load";
			break;
		}
		if (c->done == 0)
			kmod_new_name(before, c->name, sizeof(c->name));
		if (each)
			each(ctx, c, 1);
		c->err = kmod_unload(c->name);
		if (c->err) {
			c->failed = "unload";
			break;
		}
		c->done++;
		if (each)
			each(ctx, c, 0);
	}
	return c->err;
}
