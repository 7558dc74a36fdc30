/* SPDX-License-Identifier: GPL-2.0 */
/* interp_leak: what interp_leak.c and its interp_leak_*.c files share. */
#ifndef EXECFIX_INTERP_LEAK_H
#define EXECFIX_INTERP_LEAK_H

#include <stddef.h>

#include "execloop.h"
#include "leak.h"
#include "leakrun.h"
#include "slab.h"

#define MAX_INTERP_LEN	124	/* "#!" + path + "\n" fits a 128-byte bprm->buf */
#define BINFMT_DIR	"/proc/sys/fs/binfmt_misc"
#define MISC_EXT	"efxleak"

enum loop_kind { LOOP_CONTROL, LOOP_SCRIPT, LOOP_NESTED, LOOP_MISC, NLOOPS };

/* interp_stub exits with its argc: which path the kernel took. */
extern const int loop_argc[NLOOPS];

#define class_sizes	slab_class_sizes
#define NCLASSES	SLAB_NCLASSES

/* ---- interp_leak_round.c: the measurements ---- */

/* measure/'s leak run: the slab text, allocator, drain, control rounds */
extern struct leak_run slab_run;

/* the test module's counters (interp_leak_module.c) */
struct modstate {
	int present;		/* interp file exists, accounting supported */
	long long allocated, freed, outstanding, injected, inject_leak;
};

struct round {
	struct leak_wide w;		/* the classes, meminfo, the execs */
	long long injected_before;	/* the module's injected count */
	struct modstate mod;		/* the module's counts after it */
};

/* Set up slab_run; 0, or -1 with errno when slabinfo cannot be read. */
int slab_setup(void);
/* Pick the drain (EXECFIX_LEAK_DRAIN=0: none) and try it on every cache. */
void choose_drain(void);
/* Say once that a drain failed (draining is off from then on). */
void drain_report(void);
/*
 * One round of n execs of loop k in nparts parts (0: one), every
 * candidate cache counted before and after each part (leak_run_wide()),
 * the module's counters reset before it and read after.
 */
int run_round(enum loop_kind k, long n, int nparts, struct round *r);

/* ---- interp_leak_module.c: the test module's exact counts ---- */

int mod_read(struct modstate *m);
/* slab_run's wide_hook: the counters reset before a round (ctx), read after */
void mod_hook(void *ctx, int after);
/*
 * The module's claim about one round as objects left behind: strings it
 * saw allocated and never freed, plus the copies inject_leak kept.
 */
long long mod_left(const struct round *r);
/*
 * Before the module's counts are believed: n '#!' execs (one interpreter
 * string each) must show at least n allocations, and the module's objects
 * left behind must agree with the slab's class c (both under or both over
 * the leak threshold).  Its test line in msg (the caller prints it), a
 * pass when proven, 1 returned (*r is then the '#!' loop's first round);
 * else a SKIP, 0 returned: no module, not to be used (slab_only), or
 * unreliable (the slab counters then decide alone: the kernel is not to
 * blame for the module).
 */
int prove_module(long n, int slab_only, unsigned int c, struct round *r,
		 char *msg, size_t msize);

/*
 * ---- interp_leak_lowmem.c: the lowmem case (32-bit HIGHMEM kernels) ----
 * Runs rounds of '#!' execs against LowFree and prints what they cost and
 * when lowmem would be gone; the case's verdict, and its test line in msg
 * (the caller prints it: kselftest's counters are its file's own).  size
 * is the watched cache.
 */
enum { LOWMEM_PASS, LOWMEM_FAIL, LOWMEM_SKIP };
int run_lowmem(unsigned int size, char *msg, size_t msize);

/* ---- interp_leak_files.c: the files it makes and undoes ---- */

/* the private directory and what is in it; the binfmt_misc entry */
extern char tmpdir[128];
extern char stub_path[3200], interp_path[256], script_path[256];
extern char nested_mid[256], nested_path[256], misc_path[256];
extern char misc_name[64], misc_entry[256];
extern int misc_registered, binfmt_mounted;

/* Remove what was made; async-signal-safe calls only. */
void misc_unregister(void);
void cleanup(void);
void on_signal(int sig);

/* The interpreter copy and scripts for the class; 0, or -1 and err. */
int make_scripts(unsigned int class_size, char *err, size_t errsize);

/* Register the binfmt_misc type; 0, or -1 and a reason to skip in err. */
int misc_register(char *err, size_t errsize);

#endif /* EXECFIX_INTERP_LEAK_H */
