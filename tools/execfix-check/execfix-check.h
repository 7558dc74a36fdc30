/* SPDX-License-Identifier: GPL-2.0 */
/*
 * execfix-check: what its files share.  One file per job:
 *   main.c        options, the private directory, restoring, the run
 *   identity.c    kernel, release, sysctls; the overridable paths
 *   kmap.c        the affected-kernel map (data/affected-kernels.tsv)
 *   layout.c      the layout probe's runs and verdict, the exec-shield
 *                 values learned, the workarounds, in order
 *   scan.c        the process scan and its maps classifier
 *   interp.c      the interp verdict: slab, execfix.ko, execfix_live.ko
 *   integrity.c   /proc/execfix/integrity
 *   output.c      text and JSON; output_fleet.c: Prometheus and Nagios
 * The measurements are measure/'s, as every tool's (docs/design.md,
 * "Measurement library"): the probe child (layout_probe()) and its
 * judgement (layout_judge()), the exec-shield sysctl (execshield.h), the
 * slab leak measurement and its rule (leakrun.h, leak.h).
 */
#ifndef EXECFIX_CHECK_H
#define EXECFIX_CHECK_H

#include <stddef.h>
#include <stdio.h>
#include <sys/utsname.h>

#include "execshield.h"
#include "layout.h"
#include "leak.h"
#include "leakrun.h"

#define MIB		(1024UL * 1024UL)
#define ADDR_4G		LAYOUT_4G
#define BRK_WANT	LAYOUT_BRK_WANT
#define REPORT_MAX	65536
#define MAX_LIST	32	/* processes listed per class; all are counted */
#define MAX_VARIANTS	6

enum verdict { V_NOT_AFFECTED, V_AFFECTED, V_UNKNOWN, V_MITIGATED };
extern const char *const verdict_name[];

/*
 * ---- paths (identity.c): EXECFIX_PROCFS=dir stands for /proc,
 * EXECFIX_SYSFS=dir for /sys, EXECFIX_PROC for /proc/execfix ----
 */
const char *procfs_path(char *buf, size_t size, const char *rel);
const char *sysfs_path(char *buf, size_t size, const char *rel);
const char *first_line(char *s);

/* ---- the private directory (main.c) ---- */
extern char self_path[4096];
extern char tmp_dir[256];
extern char helper_path[300];	/* the 32-bit parent */

/* ---- layout probe (layout.c; the child is measure/'s layout_probe()) ---- */
struct probe_result {
	int ran;		/* the probe reported */
	int exec_errno;		/* the 32-bit helper could not be exec'd */
	unsigned long long exec_map, brk_headroom;
	char module_exec_area[128];
	int bad;		/* layout_judge(): exec_layout's judgement */
};
int run_capture(char *const argv[], char *text, size_t size);
/* via32: a 32-bit parent; stack: which sets an unlimited stack first */
void probe_run(int via32, int stack, struct probe_result *r);
/* A probe report's verdict as probe_run() gives it: 0, or -1 no report. */
int probe_judge(const char *text, int parent_bits, struct probe_result *r);
/* --judge-report FILE [PARENT_BITS]: "layout=pass|fail", exit 0/1, 2 */
int probe_judge_file(const char *path, int parent_bits);

/* ---- exec-shield (measure/execshield.h; what it means: layout.c) ---- */
/* the bits whose clearing takes the ia32 allocator away (from alloc[]) */
int es_alloc_bits(const int *alloc);
int es_is_off(int value);		/* exec-shield's own bits 0-1 clear */

/* ---- process scan (scan.c) ---- */
enum maps_class { MAPS_CLEAN, MAPS_HIT, MAPS_ANON_LOW };
struct maps_verdict {
	int hit;			/* a file other than exe, PROT_EXEC < 4 GiB */
	unsigned long long hit_map;
	char hit_file[160];
	int anon_low;			/* anonymous PROT_EXEC < 4 GiB */
	unsigned long long anon_map;
};
int maps_classify(const char *maps_path, const char *exe,
		  struct maps_verdict *v);	/* -1: unreadable */
enum maps_class maps_class_of(const struct maps_verdict *v);

struct proc_entry {
	int pid, ppid;
	char comm[32], pcomm[32];
	unsigned long long low_map;
	char file[160];
};
struct scan_result {
	int done;
	int scanned, unreadable;
	int nhits, nhits_total;
	struct proc_entry hits[MAX_LIST];
	int nanon, nanon_total;
	struct proc_entry anon[MAX_LIST];
};
void scan_processes(struct scan_result *s);

/* ---- the interp leak (interp.c): measure/'s leakrun.h and leak rule ---- */
#define LEAK_PER_EXEC	(leak_rule.threshold)
#define LEAK_ROUNDS	3		/* room for leak_rule.rounds; exact counts: 3 */
#define LEAK_MIN_EXECS_EXACT	20	/* execfix.ko / execfix_live.ko counts */
struct leak_result {
	int slab;			/* /proc/slabinfo readable, a kmalloc cache */
	int drained;			/* the per-CPU caches are drained */
	char why[200];			/* why not, or what decided */
	const char *drain;		/* drain name */
	char cache[32];
	size_t interp_len;		/* the interpreter name's length */
	long execs;			/* per round */
	long long noise;		/* the noise bound applied, objects/round */
	int control_rounds, rounds;
	double control_growth[LEAK_RUN_MAX_CONTROL], growth[LEAK_ROUNDS];
	enum leak_verdict call;		/* the slab's: LEAK_MORE undecided */
	const char *rule;
	double rate;			/* '#!' execs per second measured */
};
/* Reads slabinfo, picks the drain; 0 when the slab can be measured. */
int leak_prepare(struct leak_result *r);
long leak_min_execs(int exact);
void leak_cleanup(void);		/* async-signal-safe */
/* execfix-check's judgement: leak_judge(&leak_rule, ...) */
leak_judge_fn check_judge;

/* ---- the affected-kernel map (kmap.c) ---- */
struct kmap_row {
	char uname[64], tree[64], kind[16], source[160], commit[48];
	char layout[24], interp[32], proof[16], build_s[16], boot_s[16];
};
struct kmap_match {
	int loaded;			/* the map could be read */
	int found;
	char source[300];		/* "embedded" or the --map file */
	char why[200];
	struct kmap_row row;
};
void kmap_lookup(const char *file, const char *release, struct kmap_match *m);

/* ---- the state of one run ---- */
struct workaround {
	int kind;			/* WA_STACK, WA_ES_CLEARED, WA_ES_OFF */
	int es_value;			/* -1 for the stack */
	char name[48];
	char command[300];
	char note[160];
	int tried;
	struct probe_result r;
};
enum { WA_STACK, WA_ES_CLEARED, WA_ES_OFF };
int wa_plan(int es, int learned, const int *alloc, int *value, int *kind);

struct check_state {
	struct utsname uts;
	int kernel_bits;		/* 64, 32 (i686: no layout bug), 0 */
	char rhel[256];
	int have_es, es, aslr, root;
	char es_why[120];		/* why exec-shield cannot be varied */
	int ia32;			/* 1 yes, 0 no, -1 unknown */
	int have_helper;
	struct probe_result control, via32;
	enum verdict layout;
	char layout_why[240];
	int es_learned, es_bits;	/* learned: the allocator's bits */
	int es_alloc[ES_NCAND];
	struct workaround wa[MAX_VARIANTS];
	int nwa;
	char wa_why[200];		/* the workarounds could not be measured */
	int live_layout_cleared;	/* execfix_live.ko cleared the pointer */
	struct scan_result scan;
	/* interp */
	enum verdict interp;
	char interp_why[300];
	long execs;
	struct leak_result leak;
	double leak_per_exec;		/* the deciding figure */
	int have_leak_pe;		/* ... when there is one */
	int have_mod;
	unsigned long long mod_alloc, mod_freed;
	int have_live;
	char live_state[64];
	unsigned long long live_alloc, live_kfreed, live_replaced, live_fixed;
	/* lowmem, 32-bit HIGHMEM kernels: LowFree, when the leak eats it */
	long long low_total_kb, low_free_kb;	/* -1: no such line */
	double low_bytes_per_exec;	/* lowmem the leak keeps per exec */
	double low_hours, low_hours_typical;	/* -1: not leaking */
	/* integrity */
	int have_integrity;
	long hooked;
	char hooked_list[1024];
	struct kmap_match kmap;
	double seconds;
	long long started;		/* unix time */
};
extern struct check_state S;

void identity(void);
void layout_check(void);
void layout_join_scan(void);
void interp_check(void);
void lowmem_project(void);
int interp_have_exact_counts(void);
void integrity_check(void);

/* ---- output ---- */
enum format { F_TEXT, F_JSON, F_PROMETHEUS, F_NAGIOS };
void print_text(int code);
void print_json(int code);
void print_prometheus(int code);
int print_nagios(void);		/* returns the Nagios exit code */
int overall_exit(void);

#endif /* EXECFIX_CHECK_H */
