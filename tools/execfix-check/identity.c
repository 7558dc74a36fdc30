// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check: who this host is (kernel, release, exec-shield,
 * randomize_va_space), and where its files are.  Every /proc and /sys path
 * goes through procfs_path()/sysfs_path(), so that a test can stand a
 * directory in for them (EXECFIX_PROCFS=dir, EXECFIX_SYSFS=dir): an
 * unreadable slabinfo, a read-only sysctl, fixture processes.
 * EXECFIX_KERNEL_BITS=32|64 stands in for the running kernel's width
 * (measure/'s kernel_bits()), so that a test on a 64-bit host sees what an
 * i686 one shows.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "execfix_util.h"
#include "arch.h"
#include "root.h"
#include "execfix-check.h"

const char *const verdict_name[] = {
	"not_affected", "affected", "unknown", "mitigated"
};

struct check_state S;

static const char *root_of(const char *env, const char *def)
{
	const char *v = getenv(env);

	return v && *v ? v : def;
}

const char *procfs_path(char *buf, size_t size, const char *rel)
{
	snprintf(buf, size, "%s/%s", root_of("EXECFIX_PROCFS", "/proc"), rel);
	return buf;
}

const char *sysfs_path(char *buf, size_t size, const char *rel)
{
	snprintf(buf, size, "%s/%s", root_of("EXECFIX_SYSFS", "/sys"), rel);
	return buf;
}

const char *first_line(char *s)
{
	s[strcspn(s, "\n")] = '\0';
	return s;
}

void identity(void)
{
	char buf[256], path[512];

	/* measure/'s slabinfo, drain and exec-shield paths too */
	measure_procfs = root_of("EXECFIX_PROCFS", "/proc");
	measure_sysfs = root_of("EXECFIX_SYSFS", "/sys");
	uname(&S.uts);
	S.kernel_bits = getenv("EXECFIX_KERNEL_BITS") ?
			atoi(getenv("EXECFIX_KERNEL_BITS")) : kernel_bits();
	S.rhel[0] = '\0';
	if (read_text("/etc/redhat-release", buf, sizeof(buf)) > 0)
		snprintf(S.rhel, sizeof(S.rhel), "%s", first_line(buf));
	S.have_es = es_save() == 0;
	S.es = S.have_es ? es_read() : -1;
	procfs_path(path, sizeof(path), "sys/kernel/randomize_va_space");
	S.aslr = read_text(path, buf, sizeof(buf)) > 0 ? atoi(buf) : -1;
	S.root = geteuid() == 0;
#ifdef HELPER32_BIN
	S.have_helper = 1;
#endif
}
