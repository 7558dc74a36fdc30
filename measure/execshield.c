// SPDX-License-Identifier: GPL-2.0
/* The exec-shield sysctl (execshield.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "execshield.h"
#include "root.h"

const int es_candidates[ES_NCAND] = {
	0, 1, 2, 3, ES_FLAG16, ES_FLAG16 | 1, ES_FLAG16 | 2, ES_FLAG16 | 3
};

static char saved[32];
static volatile int changed;
static char path[512];	/* set before any write: es_restore() uses it */

static const char *es_path(void)
{
	return measure_path(path, sizeof(path), measure_procfs,
			    "sys/kernel/exec-shield");
}

static int es_read_text(char *buf, size_t size)
{
	int fd = open(es_path(), O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

int es_save(void)
{
	return es_read_text(saved, sizeof(saved));
}

const char *es_saved(void)
{
	return saved;
}

int es_read(void)
{
	char buf[32];

	return es_read_text(buf, sizeof(buf)) ? -1 : atoi(buf);
}

/* Only open/write/close: called from signal handlers. */
void es_restore(void)
{
	int fd;

	if (!changed || !saved[0] || !path[0])
		return;
	fd = open(path, O_WRONLY);
	if (fd >= 0) {
		if (write(fd, saved, strlen(saved)) > 0)
			changed = 0;
		close(fd);
	}
}

int es_set(int value)
{
	char text[16];
	size_t len;
	ssize_t n;
	int fd, err;

	len = snprintf(text, sizeof(text), "%d\n", value);
	changed = 1;
	fd = open(es_path(), O_WRONLY);
	if (fd < 0) {
		err = errno;
		goto fail;
	}
	n = write(fd, text, len);
	err = n < 0 ? errno : EIO;
	close(fd);
	if (n == (ssize_t)len)
		return 0;
fail:
	es_restore();
	errno = err;
	return -1;
}

int es_learn(int alloc[ES_NCAND], int (*probe)(void *ctx, int value),
	     void *ctx)
{
	int i, learned = 0;

	for (i = 0; i < ES_NCAND; i++) {
		alloc[i] = -1;
		if (es_set(es_candidates[i]))
			continue;
		if (es_read() != es_candidates[i]) {
			alloc[i] = ES_REFUSED;
		} else {
			alloc[i] = probe(ctx, es_candidates[i]);
			if (alloc[i] >= 0)
				learned = 1;
		}
		es_restore();
	}
	return learned ? 0 : -1;
}

int es_flag16_matters(const int alloc[ES_NCAND])
{
	int i;

	for (i = 0; i < 4; i++)
		if (alloc[i] >= 0 && alloc[i + 4] >= 0 &&
		    alloc[i] != alloc[i + 4])
			return 1;
	return 0;
}
