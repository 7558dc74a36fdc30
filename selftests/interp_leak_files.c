// SPDX-License-Identifier: GPL-2.0
/*
 * interp_leak: the files it makes and undoes (interp_leak.c measures):
 * the padded interpreter copy and the scripts in a private directory, the
 * binfmt_misc type, and their removal, also from signal handlers.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "execfix_util.h"
#include "interp_leak.h"

char tmpdir[128];
char stub_path[3200], interp_path[256], script_path[256];
char nested_mid[256], nested_path[256], misc_path[256];
char misc_name[64], misc_entry[256];
int misc_registered, binfmt_mounted;

/* ------------------------------------------------------------------ */
/* clean-up, also from signal handlers (async-signal-safe calls only)  */
/* ------------------------------------------------------------------ */

void misc_unregister(void)
{
	int fd;

	if (!misc_registered)
		return;
	fd = open(misc_entry, O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "-1", 2) == 2)
			misc_registered = 0;
		close(fd);
	}
}

void cleanup(void)
{
	misc_unregister();
	if (binfmt_mounted && !misc_registered) {
		if (!umount(BINFMT_DIR))
			binfmt_mounted = 0;
	}
	if (tmpdir[0]) {
		unlink(interp_path);
		unlink(script_path);
		unlink(nested_mid);
		unlink(nested_path);
		unlink(misc_path);
		if (!rmdir(tmpdir))
			tmpdir[0] = '\0';
	}
}

void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* ------------------------------------------------------------------ */
/* set-up                                                             */
/* ------------------------------------------------------------------ */

static int copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[8192];
	ssize_t n;
	int in, out, ret = 0;

	in = open(from, O_RDONLY);
	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL, mode);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			ret = -1;
			break;
		}
	if (n < 0)
		ret = -1;
	close(in);
	if (close(out))
		ret = -1;
	return ret;
}

/*
 * A path in tmpdir whose length is exactly len, made of prefix and 'x'
 * padding, e.g. "/tmp/execfix-leak.AbC123/ixxxxxxx".
 */
static int padded_path(char *buf, size_t size, const char *prefix, size_t len)
{
	size_t base = strlen(tmpdir) + 1 + strlen(prefix);

	if (len < base || len >= size)
		return -1;
	snprintf(buf, size, "%s/%s", tmpdir, prefix);
	memset(buf + base, 'x', len - base);
	buf[len] = '\0';
	return 0;
}

int make_scripts(unsigned int class_size, char *err, size_t errsize)
{
	static const char misc_text[] = "execfix binfmt_misc test file\n";
	size_t len = slab_name_len(class_size, MAX_INTERP_LEN);
	char text[512];

	if (padded_path(interp_path, sizeof(interp_path), "i", len) ||
	    padded_path(nested_mid, sizeof(nested_mid), "n", len)) {
		snprintf(err, errsize, "temporary directory path too long");
		return -1;
	}
	snprintf(script_path, sizeof(script_path), "%s/script", tmpdir);
	snprintf(nested_path, sizeof(nested_path), "%s/nested", tmpdir);
	snprintf(misc_path, sizeof(misc_path), "%s/file.%s", tmpdir, MISC_EXT);
	if (copy_file(stub_path, interp_path, 0755)) {
		snprintf(err, errsize, "cannot copy interp_stub to %s: %s",
			 tmpdir, strerror(errno));
		return -1;
	}
	snprintf(text, sizeof(text), "#!%s\n", interp_path);
	if (mfile_create(script_path, text, strlen(text), 0755) ||
	    mfile_create(nested_mid, text, strlen(text), 0755)) {
		snprintf(err, errsize, "cannot write scripts: %s",
			 strerror(errno));
		return -1;
	}
	snprintf(text, sizeof(text), "#!%s\n", nested_mid);
	if (mfile_create(nested_path, text, strlen(text), 0755) ||
	    mfile_create(misc_path, misc_text, strlen(misc_text), 0755)) {
		snprintf(err, errsize, "cannot write scripts: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

/* Returns 0 when registered, else fills err (reason to skip). */
int misc_register(char *err, size_t errsize)
{
	char reg[512], status[64];

	if (access(BINFMT_DIR "/register", W_OK)) {
		if (mount("binfmt_misc", BINFMT_DIR, "binfmt_misc", 0, NULL)) {
			snprintf(err, errsize,
				 "binfmt_misc not available (mount: %s)",
				 strerror(errno));
			return -1;
		}
		binfmt_mounted = 1;
	}
	if (read_text(BINFMT_DIR "/status", status, sizeof(status)) > 0 &&
	    strncmp(status, "enabled", 7)) {
		snprintf(err, errsize, "binfmt_misc is disabled here");
		return -1;
	}
	snprintf(misc_name, sizeof(misc_name), "execfix-leak-%d", (int)getpid());
	snprintf(misc_entry, sizeof(misc_entry), "%s/%s", BINFMT_DIR, misc_name);
	snprintf(reg, sizeof(reg), ":%s:E::%s::%s:", misc_name, MISC_EXT,
		 interp_path);
	misc_registered = 1;	/* before the write: a signal must undo it */
	if (write_text(BINFMT_DIR "/register", reg)) {
		misc_registered = 0;
		snprintf(err, errsize, "cannot register binfmt_misc type %s: %s",
			 misc_name, strerror(errno));
		return -1;
	}
	return 0;
}
