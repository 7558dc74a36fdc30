// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check: is this live host affected by the two el6 exec bugs, which
 * processes already are, and which workaround helps here.  Run as root; it
 * changes nothing that it does not restore (the exec-shield sysctl, varied
 * for the workaround table, is put back after each variant and on signals;
 * its private directory of helpers is removed).  docs/design.md,
 * "Host check", has the parts, formats and exit codes; execfix-check.h
 * lists the files.
 *
 * Internal modes: --probe (the 64-bit child: measure/'s layout_probe()),
 * --stub (the interpreter),
 * --hold [FILE] (maps FILE, default a file beside this program, and
 * anonymous memory PROT_EXEC and waits: a process for the scan's tests),
 * --classify-maps MAPS [EXE] (the scan's classifier on one maps file),
 * --es-advice ES A0..A7 (the exec-shield workarounds for a learned table);
 * --judge-slabinfo FILE and --judge-report FILE [PARENT_BITS] give a
 * fixture to its leak and layout judgements (tests/measure-agree.sh).
 * C99, static (musl), builds on CentOS 6 (gcc 4.4, glibc 2.12) too.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "execfix_util.h"
#include "execloop.h"
#include "exit-codes.h"
#include "seq.h"
#include "execfix-check.h"

#ifdef HELPER32_BIN
__asm__(".section .rodata\n"
	".globl execfix_helper32_start\n"
	"execfix_helper32_start:\n"
	".incbin \"" HELPER32_BIN "\"\n"
	".globl execfix_helper32_end\n"
	"execfix_helper32_end:\n"
	".previous\n");
extern const unsigned char execfix_helper32_start[], execfix_helper32_end[];
#endif

char self_path[4096];
char tmp_dir[256];
char helper_path[300];
static char stub_path[300], script_path[300];

/* Async-signal-safe: unlink/rmdir only. */
static void remove_dir(void)
{
	if (tmp_dir[0]) {
		leak_cleanup();
		unlink(helper_path);
		unlink(stub_path);
		unlink(script_path);
		rmdir(tmp_dir);
	}
}

static void restore_all(void)
{
	es_restore();
	remove_dir();
}

static void on_signal(int sig)
{
	restore_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A private directory where programs may be exec'd (not noexec). */
static int setup_dir(void)
{
	const char *const bases[] = { getenv("TMPDIR"), "/tmp", "/dev/shm", "/run",
				"/var/tmp" };
	char script[600];
	char *const argv[] = { script_path, NULL };
	struct exec_stats st;
	unsigned int i;

	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		if (!bases[i] || !*bases[i] || strlen(bases[i]) > 64)
			continue;
		snprintf(tmp_dir, sizeof(tmp_dir), "%s/execfix-check.XXXXXX",
			 bases[i]);
		if (!mkdtemp(tmp_dir)) {
			tmp_dir[0] = '\0';
			continue;
		}
		snprintf(helper_path, sizeof(helper_path), "%s/h32", tmp_dir);
		snprintf(stub_path, sizeof(stub_path), "%s/i", tmp_dir);
		snprintf(script_path, sizeof(script_path), "%s/s", tmp_dir);
		/* The interpreter: this program, by a short name. */
		if (symlink(self_path, stub_path))
			goto next;
		snprintf(script, sizeof(script), "#!%s --stub\n", stub_path);
		if (mfile_create(script_path, script, strlen(script), 0700))
			goto next;
#ifdef HELPER32_BIN
		if (mfile_create(helper_path, execfix_helper32_start,
				 execfix_helper32_end - execfix_helper32_start,
				 0700))
			goto next;
#endif
		/* noexec mount? the script must run. */
		if (exec_loop(argv, 1, 0, &st) == 0 && !st.bad)
			return 0;
next:
		remove_dir();
		tmp_dir[0] = '\0';
	}
	return -1;
}

/* --hold [FILE]: a file (not this program) and anonymous memory, PROT_EXEC */
static int hold_main(const char *file)
{
	char dir[4096], path[4400];
	struct dirent *e;
	DIR *d;
	int fd = -1;

	if (file)
		fd = open(file, O_RDONLY);
	d = fd < 0 && !self_dir(dir, sizeof(dir)) ? opendir(dir) : NULL;
	if (d) {
		while (fd < 0 && (e = readdir(d))) {
			struct stat st;

			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			if (!strcmp(path, self_path) || stat(path, &st) ||
			    !S_ISREG(st.st_mode) || st.st_size < 4096)
				continue;
			fd = open(path, O_RDONLY);
		}
		closedir(d);
	}
	if (fd >= 0)
		mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	mmap(NULL, 4 * MIB, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
	     -1, 0);
	pause();
	return 0;
}

static int classify_main(int argc, char **argv)
{
	static const char *const name[] = { "clean", "hit", "anon_low" };
	struct maps_verdict v;

	if (argc < 3)
		return EX_USAGE;
	if (maps_classify(argv[2], argc > 3 ? argv[3] : "", &v)) {
		perror(argv[2]);
		return EX_ENV;
	}
	printf("%s", name[maps_class_of(&v)]);
	if (v.hit)
		printf(" 0x%llx %s", v.hit_map, v.hit_file);
	else if (v.anon_low)
		printf(" 0x%llx anonymous", v.anon_map);
	printf("\n");
	return EX_OK;
}

/* --es-advice ES A0..A7: wa_plan() on a learned table (for the tests) */
static int es_advice_main(int argc, char **argv)
{
	static const char *const kind[] = { "stack", "cleared", "off" };
	int alloc[ES_NCAND], value[2], k[2], n, i;

	if (argc != 3 + ES_NCAND)
		return EX_USAGE;
	for (i = 0; i < ES_NCAND; i++)
		alloc[i] = atoi(argv[3 + i]);
	printf("bits=0x%x", es_alloc_bits(alloc));
	n = wa_plan(atoi(argv[2]), 1, alloc, value, k);
	for (i = 0; i < n; i++)
		printf(" %s:%d", kind[k[i]], value[i]);
	printf("\n");
	return EX_OK;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: execfix-check [--format text|json|prometheus|nagios] [--json]\n"
		"                     [--execs N] [--map FILE]\n"
		"Checks this live host for the two el6 exec bugs (run as root); changes\n"
		"nothing it does not restore.\n"
		"  --format F  text (default); json: one object; prometheus: node_exporter\n"
		"              textfile metrics (execfix_*); nagios: one status line with\n"
		"              perfdata, Nagios exit codes (below)\n"
		"  --json      the same as --format json\n"
		"  --execs N   '#!' execs per leak round, up to %d rounds. At least %d\n"
		"              (selftests/interp_leak's minimum without a drain of the\n"
		"              per-CPU slab caches), %d where the caches can be drained, %d\n"
		"              when execfix.ko or execfix_live.ko gives exact counts (each\n"
		"              exec is then counted, not estimated from slab noise); fewer\n"
		"              is refused. Default 1000, 500 drained, 200 with counts.\n"
		"  --map FILE  the affected-kernel map to read instead of the one built in\n"
		"              (data/affected-kernels.tsv)\n"
		"Environment (tests): EXECFIX_PROCFS=DIR and EXECFIX_SYSFS=DIR stand for\n"
		"/proc and /sys, EXECFIX_PROC for /proc/execfix, EXECFIX_PROBE32=PROGRAM for\n"
		"the 64-bit probe that the 32-bit parent starts, EXECFIX_LEAK_DRAIN=0.\n"
		"Exit codes (the project's one table: docs/design.md):\n"
		"  %3d  not affected (or mitigated by execfix_live.ko)\n"
		"  %3d  affected (a bug, a leak or a hooked syscall table)\n"
		"  %3d  bad arguments\n"
		"  %3d  could not run\n"
		"  %3d  could not tell\n"
		"--format nagios exits by the Nagios plugin guidelines instead:\n"
		"    0  OK        not affected by either bug\n"
		"    1  WARNING   mitigated, not fixed: execfix_live.ko hides a bug the\n"
		"                 kernel has (reboot into a fixed kernel)\n"
		"    2  CRITICAL  affected (a bug, a leak, or a hooked syscall table)\n"
		"    3  UNKNOWN   could not tell (not root, unreadable slabinfo, noise),\n"
		"                 could not run, or bad arguments\n",
		leak_rule.rounds, (int)leak_rule.min_execs,
		(int)leak_rule.min_execs_drained, LEAK_MIN_EXECS_EXACT, EX_OK, EX_FAIL, EX_USAGE, EX_ENV,
		EX_SKIP);
}

/*
 * Usage errors: EX_USAGE; UNKNOWN (3) under --format nagios, as the
 * Nagios plugin guidelines ask of a plugin given bad arguments.
 */
static int nagios_mode(int argc, char **argv)
{
	int i;

	for (i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--format") && !strcmp(argv[i + 1], "nagios"))
			return 1;
	return 0;
}

static int usage_fail(int nagios, const char *msg)
{
	fprintf(stderr, "execfix-check: %s\n", msg);
	if (nagios) {
		printf("EXECFIX UNKNOWN - usage: %s\n", msg);
		return 3;
	}
	return EX_USAGE;
}

static int fail_run(enum format fmt, const char *msg)
{
	fprintf(stderr, "execfix-check: %s\n", msg);
	if (fmt == F_NAGIOS) {
		printf("EXECFIX UNKNOWN - %s\n", msg);
		return 3;
	}
	return EX_ENV;
}

int main(int argc, char **argv)
{
	enum format fmt = F_TEXT;
	const char *map = NULL;
	struct timeval t0, t1;
	long execs = 0, min;
	char msg[300];
	int i, code, exact;
	ssize_t n;

	if (argc > 1 && !strcmp(argv[1], "--probe"))
		return layout_probe(NULL, execfix_proc_dir());
	if (argc > 1 && !strcmp(argv[1], "--stub"))
		return 0;
	n = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	if (n > 0)
		self_path[n] = '\0';
	if (argc > 1 && !strcmp(argv[1], "--hold"))
		return hold_main(argc > 2 ? argv[2] : NULL);
	if (argc > 1 && !strcmp(argv[1], "--classify-maps"))
		return classify_main(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "--es-advice"))
		return es_advice_main(argc, argv);
	if (argc == 3 && !strcmp(argv[1], "--judge-slabinfo"))
		return leak_seq_judge(argv[2], check_judge);
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "--judge-report"))
		return probe_judge_file(argv[2], argc == 4 ? atoi(argv[3]) : 64);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--json")) {
			fmt = F_JSON;
		} else if (!strcmp(a, "--format") && i + 1 < argc) {
			a = argv[++i];
			if (!strcmp(a, "text"))
				fmt = F_TEXT;
			else if (!strcmp(a, "json"))
				fmt = F_JSON;
			else if (!strcmp(a, "prometheus"))
				fmt = F_PROMETHEUS;
			else if (!strcmp(a, "nagios"))
				fmt = F_NAGIOS;
			else
				goto bad;
		} else if (!strcmp(a, "--execs") && i + 1 < argc) {
			char *end;

			execs = strtol(argv[++i], &end, 10);
			if (*end || end == argv[i] || execs < 1)
				goto bad;
		} else if (!strcmp(a, "--map") && i + 1 < argc) {
			map = argv[++i];
		} else if (strcmp(a, "-h") && strcmp(a, "--help")) {
			goto bad;
		} else {
			usage(stdout);
			return EX_OK;
		}
	}
	/* gettimeofday: clock_gettime needs -lrt on glibc 2.12 */
	gettimeofday(&t0, NULL);
	S.started = t0.tv_sec;
	if (n <= 0)
		return fail_run(fmt, "cannot read /proc/self/exe");
	identity();
	kmap_lookup(map, S.uts.release, &S.kmap);
	if (map && !S.kmap.loaded) {
		snprintf(msg, sizeof(msg), "--map: %s", S.kmap.why);
		return usage_fail(fmt == F_NAGIOS, msg);
	}
	leak_prepare(&S.leak);
	exact = interp_have_exact_counts();
	min = leak_min_execs(exact);
	if (execs && execs < min) {
		snprintf(msg, sizeof(msg),
			 "--execs %ld: at least %ld here (%s); nothing was done",
			 execs, min,
			 exact ? "with execfix.ko/execfix_live.ko exact counts" :
			 strcmp(S.leak.drain, "none") ?
			 "slab counts, per-CPU caches drained" :
			 "slab counts without a drain of the per-CPU caches");
		return usage_fail(fmt == F_NAGIOS, msg);
	}
	S.execs = execs ? execs : exact ? 200 :
		  strcmp(S.leak.drain, "none") ? 500 : 1000;
	if (setup_dir())
		return fail_run(fmt, "no directory where programs can be written and run");
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGQUIT, on_signal);
	layout_check();
	scan_processes(&S.scan);
	layout_join_scan();
	interp_check();
	lowmem_project();
	integrity_check();
	restore_all();
	gettimeofday(&t1, NULL);
	S.seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_usec - t0.tv_usec) / 1e6;
	code = overall_exit();
	switch (fmt) {
	case F_JSON:
		print_json(code);
		break;
	case F_PROMETHEUS:
		print_prometheus(code);
		break;
	case F_NAGIOS:
		return print_nagios();
	default:
		print_text(code);
	}
	return code;
bad:
	usage(stderr);
	return usage_fail(nagios_mode(argc, argv), "bad arguments (--help)");
}
