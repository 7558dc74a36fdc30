/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading and unloading a module from a guest (kmod.c), with 2.6.32's
 * system calls only: init_module(2) of a file read into memory (never
 * finit_module), delete_module(2) with O_NONBLOCK and one retry policy.
 */
#ifndef MEASURE_KMOD_H
#define MEASURE_KMOD_H

#include <stddef.h>

/*
 * The one unload retry policy: EBUSY/EAGAIN (an exec in flight, or a
 * kprobe being unregistered, holds a reference) are retried every
 * KMOD_RETRY_US for at most KMOD_RETRY_MAX tries (10 s).
 */
#define KMOD_RETRY_US	10000
#define KMOD_RETRY_MAX	1000

/* init_module(2) of the file; 0, or an errno (EEXIST: already loaded). */
int kmod_load(const char *path, const char *params);

/* delete_module(2) of the kernel's name, retried; 0 or an errno. */
int kmod_unload(const char *name);

/* The name the kernel gives a file: basename, no ".ko", '-' as '_'. */
const char *kmod_name(const char *path, char *name, size_t size);

#endif /* MEASURE_KMOD_H */
