/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where /proc and /sys are (root.c).  "/proc" and "/sys" unless a tool
 * stands directories in for them (execfix-check's EXECFIX_PROCFS and
 * EXECFIX_SYSFS, for its tests of restricted hosts): slabinfo, the slab
 * drain and the exec-shield sysctl go through measure_path().  A probe
 * child (probe.c) always reads its own kernel's files.
 */
#ifndef MEASURE_ROOT_H
#define MEASURE_ROOT_H

#include <stddef.h>

extern const char *measure_procfs;	/* default "/proc" */
extern const char *measure_sysfs;	/* default "/sys" */

/* root + "/" + rel into buf; returns buf. */
const char *measure_path(char *buf, size_t size, const char *root,
			 const char *rel);

#endif /* MEASURE_ROOT_H */
