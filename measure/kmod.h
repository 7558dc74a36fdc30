/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading and unloading a module from a guest (kmod.c), with 2.6.32's
 * system calls only: init_module(2) of a file read into memory (not
 * the fd-based call of 3.8), delete_module(2) with O_NONBLOCK and one
 * retry policy.
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

/* The names in /proc/modules, one per line ("" when unreadable). */
void kmod_list(char *names, size_t size);

/*
 * The name the kernel gave the module loaded since before was listed: the
 * one in /proc/modules now that before lacks (a renamed or copied .ko is
 * still known by its own name).  0, or -1 when there is none.
 */
int kmod_new_name(const char *before, char *name, size_t size);

struct kmod_cycles {
	int done;		/* cycles completed */
	const char *failed;	/* "load" or "unload" when one failed */
	int err;		/* its errno */
	char name[64];		/* the kernel's name of the module */
};

/*
 * The load/unload stress: cycles times load path (params[i % nparams]
 * for cycle i) and unload it, stopping at the first error.  each (may be
 * NULL) is called while the module is loaded (loaded 1: e.g. read its
 * files) and after each unload (loaded 0, c->done counts it).  The
 * kernel's name is learnt on the first load.  Returns 0 or the errno (also
 * in c->err).
 */
int kmod_cycles(const char *path, const char *const *params, int nparams,
		int cycles, struct kmod_cycles *c,
		void (*each)(void *ctx, const struct kmod_cycles *c,
			     int loaded),
		void *ctx);

#endif /* MEASURE_KMOD_H */
