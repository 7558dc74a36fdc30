/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whole small files, as /proc and /sys give them.  Header-only, so that a
 * program not built on measure/ (tools/execfix-check, through
 * selftests/execfix_util.h) takes the same code without the library.
 */
#ifndef MEASURE_FILE_H
#define MEASURE_FILE_H

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* Read a file into buf (NUL-terminated); its length, or -1 with errno. */
static inline ssize_t mfile_read(const char *path, char *buf,
				 size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;

			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	close(fd);
	return len;
}

/* The start of the line after the one p is in; NULL after the last. */
static inline const char *mfile_next_line(const char *p)
{
	p = strchr(p, '\n');
	return p ? p + 1 : NULL;
}

/* Write text to a file in one write(2); 0, or -1 with errno. */
static inline int mfile_write(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, len);
	if (n != (ssize_t)len) {
		int saved = n < 0 ? errno : EIO;

		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

/*
 * Create path (it must not exist: O_EXCL) with mode and len bytes of data;
 * 0, or -1 with errno.
 */
static inline int mfile_create(const char *path, const void *data,
			       size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	const char *p = data;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int saved = n < 0 ? errno : EIO;

			close(fd);
			errno = saved;
			return -1;
		}
		p += n;
		len -= n;
	}
	return close(fd);
}

#endif /* MEASURE_FILE_H */
