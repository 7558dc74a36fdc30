// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check: the exec-shield sysctl.  Read, set (restored after each
 * use and on signals), and which of its bits make the kernel give a 32-bit
 * task the ia32 exec allocator, learned from the kernel itself as
 * selftests/exec_layout.c's learn_exec_alloc() does: the 32-bit helper
 * runs under each candidate value (0..3, and 16|0..3: OpenVZ's 042stab
 * kernels install the allocator only when flag 16 is set, RHEL looks at
 * bits 0-1 only) and reports where its PROT_EXEC map lands and, with
 * execfix.ko loaded, its get_unmapped_exec_area.
 *
 * Interface for the shared measurement library: es_read(), es_set(),
 * es_restore(), es_learn_exec_alloc(), es_alloc_bits(), es_is_off().
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
#include <unistd.h>

#include "execfix_util.h"
#include "execfix-check.h"

#define ES_FLAG16	16
/* exec-shield's placement of 32-bit PROT_EXEC maps: below 16 MiB */
#define ASCII_ARMOUR	(16 * MIB)

const int es_candidates[ES_CANDIDATES] = {
	0, 1, 2, 3, ES_FLAG16, ES_FLAG16 | 1, ES_FLAG16 | 2, ES_FLAG16 | 3
};

static char es_file[512];
static char es_orig[32];
static volatile sig_atomic_t es_changed;

static const char *es_path(void)
{
	if (!es_file[0])
		procfs_path(es_file, sizeof(es_file), "sys/kernel/exec-shield");
	return es_file;
}

int es_read(int *value)
{
	char buf[32];

	if (read_text(es_path(), buf, sizeof(buf)) <= 0)
		return -1;
	*value = atoi(buf);
	if (!es_orig[0])
		snprintf(es_orig, sizeof(es_orig), "%s", buf);
	return 0;
}

/* Async-signal-safe: open/write/close only. */
void es_restore(void)
{
	if (es_changed) {
		int fd = open(es_file, O_WRONLY);

		if (fd >= 0) {
			if (write(fd, es_orig, strlen(es_orig)) > 0)
				es_changed = 0;
			close(fd);
		}
	}
}

int es_changed_now(void)
{
	return es_changed;
}

int es_set(int value)
{
	char text[16];
	int v, saved;

	if (!es_orig[0] && es_read(&v))
		return -1;
	snprintf(text, sizeof(text), "%d\n", value);
	es_changed = 1;
	if (write_text(es_path(), text)) {
		saved = errno;
		es_restore();
		errno = saved;
		return -1;
	}
	/* a kernel may refuse a value without an error: read it back */
	if (es_read(&v) || v != value) {
		es_restore();
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int es_is_off(int value)
{
	return !(value & 3);
}

/* helper32 --report: where a 32-bit task's PROT_EXEC map lands. */
static int report32(unsigned long long *map, char *mod, size_t size)
{
	static char text[REPORT_MAX];
	char *argv[] = { helper_path, "--report", NULL };

	if (run_capture(argv, text, sizeof(text)) ||
	    kv_get_ull(text, "exec_map", map))
		return -1;
	if (kv_get(text, "module_exec_area", mod, size))
		mod[0] = '\0';
	return 0;
}

int es_learn_exec_alloc(const int *cand, int *alloc, int n)
{
	char mod[128];
	unsigned long long map;
	int i, learned = 0;

	for (i = 0; i < n; i++) {
		alloc[i] = -1;
		if (es_set(cand[i]))
			continue;
		if (!report32(&map, mod, sizeof(mod))) {
			/* the module's word when loaded, else the placement */
			if (mod[0])
				alloc[i] = strcmp(mod, "none") &&
					   strcmp(mod, "n/a");
			else
				alloc[i] = map < ASCII_ARMOUR;
			learned = 1;
		}
		es_restore();
	}
	return learned ? 0 : -1;
}

/*
 * Bit b takes the allocator away when some value with b gives a 32-bit
 * task the allocator and the same value without b does not.
 */
int es_alloc_bits(const int *cand, const int *alloc, int n)
{
	static const int bits[] = { 1, 2, ES_FLAG16 };
	int b, i, j, mask = 0;

	for (b = 0; b < 3; b++)
		for (i = 0; i < n; i++) {
			if (!(cand[i] & bits[b]) || alloc[i] != 1)
				continue;
			for (j = 0; j < n; j++)
				if (cand[j] == (cand[i] & ~bits[b]) &&
				    alloc[j] == 0)
					mask |= bits[b];
		}
	return mask;
}
