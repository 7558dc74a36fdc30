/* SPDX-License-Identifier: GPL-2.0 */
/*
 * execfix-check: what its files share.  One file per job:
 *   main.c        options, the private directory, restoring, the run
 *   identity.c    kernel, release, sysctls; the overridable paths
 *   kmap.c        the affected-kernel map (data/affected-kernels.tsv)
 *   probe.c       the layout probe (the 64-bit child) and its runner
 *   exec_shield.c the exec-shield sysctl: set, restore, learn its bits
 *   layout.c      the layout verdict and the workarounds, in order
 *   scan.c        the process scan and its maps classifier
 *   leak.c        the slab leak measurement (interp_leak's rule)
 *   interp.c      the interp verdict: slab, execfix.ko, execfix_live.ko
 *   integrity.c   /proc/execfix/integrity
 *   output.c      text and JSON; output_fleet.c: Prometheus and Nagios
 * probe.c + exec_shield.c and leak.c are behind the small interfaces
 * below: the shared measurement library is to replace them.
 */
#ifndef EXECFIX_CHECK_H
#define EXECFIX_CHECK_H

#include <stddef.h>
#include <stdio.h>
#include <sys/utsname.h>

#define MIB		(1024UL * 1024UL)
#define ADDR_4G		0x100000000ULL
#define BRK_WANT	(64 * MIB)
#define REPORT_MAX	8192
#define MAX_LIST	32	/* processes listed per class; all are counted */
#define MAX_VARIANTS	6

enum verdict { V_NOT_AFFECTED, V_AFFECTED, V_UNKNOWN, V_MITIGATED };
extern const char *const verdict_name[];

/* ---- paths (identity.c): EXECFIX_PROCFS=dir stands for /proc,
 * EXECFIX_SYSFS=dir for /sys, EXECFIX_PROC for /proc/execfix ---- */
const char *procfs_path(char *buf, size_t size, const char *rel);
const char *sysfs_path(char *buf, size_t size, const char *rel);
const char *first_line(char *s);

/* ---- the private directory (main.c) ---- */
extern char self_path[4096];
extern char tmp_dir[256];
extern char helper_path[300];	/* the 32-bit parent */

/* ---- layout probe (probe.c) ---- */
struct probe_result {
	int ran;		/* the probe reported */
	int exec_errno;		/* the 32-bit helper could not be exec'd */
	unsigned long long exec_map, brk_headroom;
	char module_exec_area[128];
	int bad;		/* exec_layout's judgement */
};
int probe_main(void);
int run_capture(char *const argv[], char *text, size_t size);
/* via32: a 32-bit parent; stack: which sets an unlimited stack first */
void probe_run(int via32, int stack, struct probe_result *r);

/* ---- exec-shield (exec_shield.c) ---- */
#define ES_CANDIDATES	8
extern const int es_candidates[ES_CANDIDATES];	/* 0..3, 16|0..3 */
int es_read(int *value);		/* 0, or -1 (errno) */
int es_set(int value);			/* 0, or -1 (errno), restored on failure */
void es_restore(void);			/* async-signal-safe */
int es_changed_now(void);
/* exec_layout's learn_exec_alloc(): alloc[i] 1/0, -1 unknown; 0 learned */
int es_learn_exec_alloc(const int *cand, int *alloc, int n);
/* the bits whose clearing takes the ia32 allocator away (from alloc[]) */
int es_alloc_bits(const int *cand, const int *alloc, int n);
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

/* ---- slab leak measurement (leak.c): interp_leak's rule ---- */
enum leak_call { LEAK_UNDECIDED, LEAK_CLEAN, LEAK_LEAKY };
#define LEAK_PER_EXEC	0.5
#define LEAK_ROUNDS	3
#define LEAK_MIN_EXECS		500	/* interp_leak's MIN_EXECS (no drain) */
#define LEAK_MIN_EXECS_DRAINED	200	/* its MIN_EXECS_DRAINED */
#define LEAK_MIN_EXECS_EXACT	20	/* execfix.ko / execfix_live.ko counts */
struct leak_result {
	int slab;			/* /proc/slabinfo readable, a kmalloc cache */
	char why[200];			/* why not, or what decided */
	const char *drain;		/* drain name */
	char cache[32];
	size_t interp_len;		/* the interpreter name's length */
	long execs;			/* per round */
	long long noise;		/* control's largest |growth|, objects */
	int control_rounds, rounds;
	double control_growth[2], growth[LEAK_ROUNDS];
	enum leak_call call;
	const char *rule;
};
/* Opens slabinfo, picks the drain; 0 when the slab can be measured. */
int leak_prepare(struct leak_result *r);
/* Measures: control loop, cache, padded '#!' script, rounds. The hook
 * runs before (after=0) and after (after=1) each '#!' round, for exact
 * counts; after a round it returns 1 when they decided. */
typedef int (*leak_round_hook)(int after, int round, long execs, void *arg);
int leak_measure(struct leak_result *r, long execs, leak_round_hook hook,
		 void *arg);
void leak_cleanup(void);		/* async-signal-safe */
int leak_run_execs(const char *path, long n);
long leak_min_execs(int exact);
int leak_make_script(size_t len);	/* the padded interpreter + script */
extern char leak_script_path[300];

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
	char rhel[256];
	int have_es, es, aslr, root;
	char es_why[120];		/* why exec-shield cannot be varied */
	int ia32;			/* 1 yes, 0 no, -1 unknown */
	int have_helper;
	struct probe_result control, via32;
	enum verdict layout;
	char layout_why[240];
	int es_learned, es_bits;	/* learned: the allocator's bits */
	int es_alloc[ES_CANDIDATES];
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
