// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check: is this live host affected by the two el6 exec bugs, which
 * processes already are, and which workaround helps here. Run as root; it
 * changes nothing that it does not restore (the exec-shield sysctl, varied
 * for the workaround table, is put back after each variant and on signals;
 * its private directory of helpers is removed).
 *
 * Checks (docs/design.md, "execfix-check"):
 *   identity   kernel release, /etc/redhat-release, exec-shield,
 *              randomize_va_space, IA32 emulation (by exec'ing a 32-bit helper)
 *   layout     a 32-bit helper carried inside this program execs this
 *              program as a 64-bit probe, which reports where a PROT_EXEC
 *              mmap lands and how far brk can grow (exec_layout's judgement:
 *              below 4 GiB, or less than 64 MiB of brk, is the bug); a 64-bit
 *              parent is the control; running 64-bit processes with
 *              executable mappings (files other than their own executable,
 *              or anonymous) below 4 GiB are listed; when affected, the experiment is repeated with the
 *              32-bit parent under an unlimited stack and under each
 *              exec-shield value, and what worked is recommended
 *   interp     N '#!' execs against N plain execs, growth of the kmalloc
 *              cache the interpreter name lands in (/proc/slabinfo), and the
 *              exact counts of execfix.ko (/proc/execfix/interp) and of
 *              execfix_live.ko (/proc/execfix_live) when loaded
 *   integrity  /proc/execfix/integrity when execfix.ko is loaded
 *
 * Internal modes: --probe (the 64-bit child), --stub (the interpreter),
 * --hold (maps PROT_EXEC memory and waits: a process for the scan's tests).
 * C99, static (musl), builds on CentOS 6 (gcc 4.4, glibc 2.12) too.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "execfix_util.h"
#include "exit-codes.h"

#define MIB		(1024UL * 1024UL)
#define PROBE_LEN	(4 * MIB)
#define BRK_STEP	MIB
#define BRK_WANT	(64 * MIB)
#define ADDR_4G		0x100000000ULL
#define EXEC_SHIELD	"/proc/sys/kernel/exec-shield"
#define RANDOMIZE_VA	"/proc/sys/kernel/randomize_va_space"
#define LIVE_PROC	"/proc/execfix_live"
#define REPORT_MAX	8192
#define LEAK_ROUNDS	3
#define LEAK_PER_EXEC	0.5
#define MAX_HIT		64

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

enum verdict { V_NOT_AFFECTED, V_AFFECTED, V_UNKNOWN, V_MITIGATED };

static const char *const verdict_name[] = {
	"not_affected", "affected", "unknown", "mitigated"
};

/* ------------------------------------------------------------------ */
/* child modes                                                        */
/* ------------------------------------------------------------------ */

static unsigned long sys_brk(unsigned long addr)
{
	return (unsigned long)syscall(SYS_brk, addr);
}

/* The 64-bit probe: PROT_EXEC placement and brk headroom (not touched). */
static int probe_main(void)
{
	unsigned long start = sys_brk(0), reached = start;
	static char buf[REPORT_MAX];
	char val[128];
	void *x;

	x = mmap(NULL, PROBE_LEN, PROT_READ | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	while (reached - start < BRK_WANT) {
		unsigned long want = reached + BRK_STEP;

		if (sys_brk(want) < want)
			break;
		reached = want;
	}
	sys_brk(start);
	printf("bits=%u\n", (unsigned int)(sizeof(long) * 8));
	if (x == MAP_FAILED)
		printf("exec_map_errno=%d\n", errno);
	else
		printf("exec_map=0x%lx\n", (unsigned long)x);
	printf("brk_headroom=%lu\n", reached - start);
	snprintf(buf, sizeof(buf), "%s/layout", execfix_proc_dir());
	if (read_text(buf, buf, sizeof(buf)) > 0 &&
	    !kv_get(buf, "get_unmapped_exec_area", val, sizeof(val)))
		printf("module_exec_area=%s\n", val);
	fflush(stdout);
	return 0;
}

/* ------------------------------------------------------------------ */
/* restoring what we change                                           */
/* ------------------------------------------------------------------ */

static char es_orig[32];
static volatile sig_atomic_t es_changed;
static char tmp_dir[256];
static char helper_path[300], stub_path[300], script_path[300];

/* Async-signal-safe: open/write/close only. */
static void restore_sysctl(void)
{
	if (es_changed) {
		int fd = open(EXEC_SHIELD, O_WRONLY);

		if (fd >= 0) {
			if (write(fd, es_orig, strlen(es_orig)) > 0)
				es_changed = 0;
			close(fd);
		}
	}
}

/* Async-signal-safe: unlink/rmdir only. */
static void remove_dir(void)
{
	if (tmp_dir[0]) {
		unlink(helper_path);
		unlink(stub_path);
		unlink(script_path);
		rmdir(tmp_dir);
	}
}

static void restore_all(void)
{
	restore_sysctl();
	remove_dir();
}

static void on_signal(int sig)
{
	restore_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int exec_shield_set(int value)
{
	char text[16];

	snprintf(text, sizeof(text), "%d\n", value);
	es_changed = 1;
	if (write_text(EXEC_SHIELD, text)) {
		restore_sysctl();
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* set-up                                                             */
/* ------------------------------------------------------------------ */

static char self_path[4096];

static int write_file(const char *path, const void *data, size_t len,
		      mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	const char *p = data;

	if (fd < 0)
		return -1;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -1;
		}
		p += n;
		len -= n;
	}
	return close(fd);
}

/* A private directory where programs may be exec'd (not noexec). */
static int setup_dir(void)
{
	const char *bases[] = { getenv("TMPDIR"), "/tmp", "/dev/shm", "/run",
				"/var/tmp" };
	char script[600];
	unsigned int i;

	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		if (!bases[i] || !*bases[i])
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
		if (write_file(script_path, script, strlen(script), 0700))
			goto next;
#ifdef HELPER32_BIN
		if (write_file(helper_path, execfix_helper32_start,
			       execfix_helper32_end - execfix_helper32_start,
			       0700))
			goto next;
#endif
		/* noexec mount? the script must run. */
		{
			char *argv[] = { script_path, NULL };
			pid_t pid = fork();
			int st;

			if (pid == 0) {
				execv(script_path, argv);
				_exit(127);
			}
			if (pid > 0 && waitpid(pid, &st, 0) == pid &&
			    WIFEXITED(st) && WEXITSTATUS(st) == 0)
				return 0;
		}
next:
		restore_all();
		tmp_dir[0] = '\0';
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* layout                                                             */
/* ------------------------------------------------------------------ */

struct probe_result {
	int ran;		/* the probe reported */
	int exec_errno;		/* the 32-bit helper could not be exec'd */
	unsigned long long exec_map, brk_headroom;
	char module_exec_area[128];
	int bad;		/* exec_layout's judgement */
};

/* via32: the 32-bit helper is the parent; stack: it sets an unlimited stack */
static void run_probe(int via32, int stack, struct probe_result *r)
{
	static char text[REPORT_MAX];
	int pipefd[2], st;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe(pipefd))
		return;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return;
	}
	if (pid == 0) {
		char *a32[] = { helper_path, "--stack-unlimited", self_path,
				"--probe", NULL };
		char *a64[] = { self_path, "--probe", NULL };

		close(pipefd[0]);
		if (dup2(pipefd[1], 1) < 0)
			_exit(126);
		if (!via32)
			execv(self_path, a64);
		else if (stack)
			execv(helper_path, a32);
		else {
			a32[1] = self_path;
			a32[2] = "--probe";
			a32[3] = NULL;
			execv(helper_path, a32);
		}
		printf("exec_errno=%d\n", errno);
		fflush(stdout);
		_exit(127);
	}
	close(pipefd[1]);
	read_child(pipefd[0], pid, text, sizeof(text), &st);
	{
		unsigned long long e;

		if (!kv_get_ull(text, "exec_errno", &e))
			r->exec_errno = (int)e;
	}
	if (kv_get_ull(text, "exec_map", &r->exec_map) ||
	    kv_get_ull(text, "brk_headroom", &r->brk_headroom))
		return;
	if (kv_get(text, "module_exec_area", r->module_exec_area,
		   sizeof(r->module_exec_area)))
		r->module_exec_area[0] = '\0';
	r->ran = 1;
	r->bad = r->exec_map < ADDR_4G || r->brk_headroom < BRK_WANT;
}

struct variant_result {
	char name[48];
	char command[256];
	struct probe_result r;
};

struct hit_proc {
	int pid, ppid;
	char comm[32], pcomm[32];
	unsigned long long low_map;
	char low_file[160];
};

static struct {
	struct utsname uts;
	char rhel[256];
	int have_es, es, aslr, root;
	int ia32;			/* 1 yes, 0 no, -1 unknown */
	int have_helper;
	struct probe_result control, via32;
	enum verdict layout;
	char layout_why[160];
	struct variant_result variants[5];
	int nvariants;
	struct hit_proc hits[MAX_HIT];
	int nhits, nhits_total, scanned;
	/* interp */
	enum verdict interp;
	char interp_why[200];
	char cache[64];
	long execs;
	double growth[LEAK_ROUNDS], control_growth[LEAK_ROUNDS];
	int rounds, leaky_rounds;
	int have_mod;
	unsigned long long mod_alloc, mod_freed;
	int have_live;
	char live_state[64];
	unsigned long long live_fixed;
	/* integrity */
	int have_integrity;
	long hooked;
	char hooked_list[1024];
	double seconds;
} S;

static const char *first_line(char *s)
{
	s[strcspn(s, "\n")] = '\0';
	return s;
}

static void identity(void)
{
	char buf[256];

	uname(&S.uts);
	S.rhel[0] = '\0';
	if (read_text("/etc/redhat-release", buf, sizeof(buf)) > 0)
		snprintf(S.rhel, sizeof(S.rhel), "%s", first_line(buf));
	S.have_es = read_text(EXEC_SHIELD, es_orig, sizeof(es_orig)) > 0;
	S.es = S.have_es ? atoi(es_orig) : -1;
	S.aslr = read_text(RANDOMIZE_VA, buf, sizeof(buf)) > 0 ? atoi(buf) : -1;
	S.root = geteuid() == 0;
#ifdef HELPER32_BIN
	S.have_helper = 1;
#endif
}

static const char *stack_command =
	"ulimit -s unlimited   # in the start script of each 32-bit service that starts 64-bit programs, before the daemon";

static void layout_check(void)
{
	int v;

	S.ia32 = -1;
	S.layout = V_UNKNOWN;
	run_probe(0, 0, &S.control);
	if (!S.have_helper) {
		snprintf(S.layout_why, sizeof(S.layout_why),
			 "this build carries no 32-bit helper");
		return;
	}
	run_probe(1, 0, &S.via32);
	if (!S.via32.ran) {
		if (S.via32.exec_errno == ENOEXEC) {
			S.ia32 = 0;
			S.layout = V_NOT_AFFECTED;
			snprintf(S.layout_why, sizeof(S.layout_why),
				 "no IA32 emulation: no 32-bit parent can exist");
		} else {
			snprintf(S.layout_why, sizeof(S.layout_why),
				 "the 32-bit experiment did not run (errno %d)",
				 S.via32.exec_errno);
		}
		return;
	}
	S.ia32 = 1;
	if (!S.control.ran || S.control.bad) {
		snprintf(S.layout_why, sizeof(S.layout_why),
			 "the 64-bit control failed too: something else limits this host");
		return;
	}
	if (!S.via32.bad) {
		S.layout = V_NOT_AFFECTED;
		snprintf(S.layout_why, sizeof(S.layout_why),
			 "a 64-bit program exec'd by a 32-bit parent got its PROT_EXEC map at 0x%llx and %llu MiB of brk",
			 S.via32.exec_map, S.via32.brk_headroom / MIB);
		return;
	}
	S.layout = V_AFFECTED;
	snprintf(S.layout_why, sizeof(S.layout_why),
		 "a 64-bit program exec'd by a 32-bit parent got its PROT_EXEC map at 0x%llx (below 4 GiB: %s), brk grew %llu MiB",
		 S.via32.exec_map, S.via32.exec_map < ADDR_4G ? "yes" : "no",
		 S.via32.brk_headroom / MIB);

	/* The workarounds, measured here. */
	snprintf(S.variants[0].name, sizeof(S.variants[0].name),
		 "stack unlimited");
	snprintf(S.variants[0].command, sizeof(S.variants[0].command), "%s",
		 stack_command);
	run_probe(1, 1, &S.variants[0].r);
	S.nvariants = 1;
	if (!S.have_es || !S.root)
		return;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGQUIT, on_signal);
	for (v = 0; v <= 3; v++) {
		struct variant_result *vr = &S.variants[S.nvariants];

		if (v == S.es)
			continue;
		snprintf(vr->name, sizeof(vr->name), "exec-shield=%d", v);
		snprintf(vr->command, sizeof(vr->command),
			 "sysctl -w kernel.exec-shield=%d   # and 'kernel.exec-shield = %d' in /etc/sysctl.conf",
			 v, v);
		if (exec_shield_set(v) == 0)
			run_probe(1, 0, &vr->r);
		restore_sysctl();
		S.nvariants++;
	}
}

/* Class of an ELF file: 64, 32 or 0. */
static int elf_bits(const char *path)
{
	unsigned char h[5];
	int fd = open(path, O_RDONLY), bits = 0;

	if (fd < 0)
		return 0;
	if (read(fd, h, 5) == 5 && !memcmp(h, "\177ELF", 4))
		bits = h[4] == 2 ? 64 : h[4] == 1 ? 32 : 0;
	close(fd);
	return bits;
}

static void proc_comm(int pid, char *comm, size_t size, int *ppid)
{
	char path[64], buf[512], *l, *r;

	snprintf(comm, size, "?");
	*ppid = 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_text(path, buf, sizeof(buf)) <= 0)
		return;
	l = strchr(buf, '(');
	r = strrchr(buf, ')');
	if (!l || !r || r < l)
		return;
	snprintf(comm, size, "%.*s", (int)(r - l - 1), l + 1);
	sscanf(r + 1, " %*c %d", ppid);
}

/* 64-bit processes with exec maps, other than their own text, < 4 GiB */
static void scan_processes(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[64], exe[4096], line[4608];
		int pid = atoi(e->d_name);
		ssize_t n;
		FILE *f;

		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/exe", pid);
		n = readlink(path, exe, sizeof(exe) - 1);
		if (n <= 0 || elf_bits(path) != 64)
			continue;
		exe[n] = '\0';
		if (n > 10 && !strcmp(exe + n - 10, " (deleted)"))
			exe[n - 10] = '\0';
		S.scanned++;
		snprintf(path, sizeof(path), "/proc/%d/maps", pid);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			unsigned long long start, end;
			char perms[8], file[4096];

			/* files (ld.so, libraries) and anonymous PROT_EXEC maps */
			file[0] = '\0';
			if (sscanf(line, "%llx-%llx %7s %*s %*s %*s %4095s",
				   &start, &end, perms, file) < 3 ||
			    !strchr(perms, 'x') || file[0] == '[' ||
			    !strcmp(file, exe) || start >= ADDR_4G)
				continue;
			if (!file[0])
				strcpy(file, "anonymous");
			if (S.nhits < MAX_HIT) {
				struct hit_proc *h = &S.hits[S.nhits++];

				h->pid = pid;
				proc_comm(pid, h->comm, sizeof(h->comm),
					  &h->ppid);
				{
					int pp;

					proc_comm(h->ppid, h->pcomm,
						  sizeof(h->pcomm), &pp);
				}
				h->low_map = start;
				snprintf(h->low_file, sizeof(h->low_file), "%s",
					 file);
			}
			S.nhits_total++;
			break;
		}
		fclose(f);
	}
	closedir(d);
}

/* ------------------------------------------------------------------ */
/* interp leak                                                        */
/* ------------------------------------------------------------------ */

/* The general kmalloc cache of objects of len bytes; its active objects. */
static long slab_active(const char *want_cache, char *cache_out,
			size_t size, size_t len)
{
	static char buf[1 << 18];
	long best = -1, active, n;
	char name[64], *p;
	long best_size = 0;

	if (read_text("/proc/slabinfo", buf, sizeof(buf)) <= 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		if (sscanf(p, "%63s %ld", name, &active) != 2)
			continue;
		if (want_cache) {
			if (!strcmp(name, want_cache))
				return active;
			continue;
		}
		if (sscanf(name, "size-%ld", &n) != 1 &&
		    sscanf(name, "kmalloc-%ld", &n) != 1)
			continue;
		/* size-32(DMA), kmalloc-rcl-32, kmalloc-cg-32: not ours */
		if (strchr(name, '(') || strstr(name, "dma") ||
		    strstr(name, "rcl") || strstr(name, "cg"))
			continue;
		if (n >= (long)len && (!best_size || n < best_size)) {
			best_size = n;
			best = active;
			snprintf(cache_out, size, "%s", name);
		}
	}
	return best;
}

static int run_execs(const char *path, long n)
{
	char *argv[] = { (char *)path, "--stub", NULL };
	long i;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();
		int st;

		if (pid < 0)
			return -1;
		if (pid == 0) {
			execv(path, argv);
			_exit(127);
		}
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			return -1;
	}
	return 0;
}

static int module_counts(unsigned long long *alloc, unsigned long long *freed)
{
	char path[512], buf[4096], val[32];

	snprintf(path, sizeof(path), "%s/interp", execfix_proc_dir());
	if (read_text(path, buf, sizeof(buf)) <= 0 ||
	    kv_get(buf, "interp_accounting", val, sizeof(val)) ||
	    strcmp(val, "supported") ||
	    kv_get_ull(buf, "allocated", alloc) ||
	    kv_get_ull(buf, "freed", freed))
		return -1;
	return 0;
}

static int live_counts(char *state, size_t size, unsigned long long *fixed)
{
	char buf[4096];

	if (read_text(LIVE_PROC, buf, sizeof(buf)) <= 0 ||
	    kv_get(buf, "interp", state, size))
		return -1;
	if (kv_get_ull(buf, "interp.fixed", fixed))
		*fixed = 0;
	return 0;
}

static void interp_check(void)
{
	unsigned long long a0 = 0, f0 = 0, a1, f1, fx0 = 0, fx1 = 0;
	long before, after, cbefore, cafter;
	int i, have_slab, have_live;
	char st[64];

	S.interp = V_UNKNOWN;
	have_slab = slab_active(NULL, S.cache, sizeof(S.cache),
				strlen(stub_path) + 1) >= 0;
	S.have_mod = module_counts(&a0, &f0) == 0;
	have_live = live_counts(st, sizeof(st), &fx0) == 0;
	if (!have_slab && !S.have_mod) {
		snprintf(S.interp_why, sizeof(S.interp_why),
			 "/proc/slabinfo unreadable and execfix.ko not loaded");
		return;
	}
	for (i = 0; i < LEAK_ROUNDS; i++) {
		cbefore = have_slab ? slab_active(S.cache, NULL, 0, 0) : 0;
		if (run_execs(stub_path, S.execs))
			goto failed;
		cafter = have_slab ? slab_active(S.cache, NULL, 0, 0) : 0;
		before = have_slab ? slab_active(S.cache, NULL, 0, 0) : 0;
		if (run_execs(script_path, S.execs))
			goto failed;
		after = have_slab ? slab_active(S.cache, NULL, 0, 0) : 0;
		S.control_growth[i] = (double)(cafter - cbefore) / S.execs;
		S.growth[i] = (double)(after - before) / S.execs;
		if (S.growth[i] - S.control_growth[i] >= LEAK_PER_EXEC)
			S.leaky_rounds++;
		S.rounds++;
	}
	if (S.have_mod && module_counts(&a1, &f1) == 0) {
		S.mod_alloc = a1 - a0;
		S.mod_freed = f1 - f0;
	} else {
		S.have_mod = 0;
	}
	if (have_live && live_counts(S.live_state, sizeof(S.live_state),
				     &fx1) == 0) {
		S.have_live = 1;
		S.live_fixed = fx1 - fx0;
	}
	if (S.have_mod) {
		unsigned long long total = (unsigned long long)S.execs *
					   S.rounds;
		unsigned long long kept = S.mod_alloc - S.mod_freed;

		if (S.mod_alloc < total) {
			snprintf(S.interp_why, sizeof(S.interp_why),
				 "execfix.ko saw %llu allocations for %llu '#!' execs",
				 S.mod_alloc, total);
		} else if (kept * 2 >= total) {
			S.interp = V_AFFECTED;
		} else {
			S.interp = V_NOT_AFFECTED;
		}
	} else {
		S.interp = S.leaky_rounds * 2 > S.rounds ? V_AFFECTED :
			   V_NOT_AFFECTED;
	}
	if (S.interp == V_NOT_AFFECTED && S.have_live && S.live_fixed &&
	    S.live_fixed * 2 >= (unsigned long long)S.execs * S.rounds)
		S.interp = V_MITIGATED;
	if (!S.interp_why[0])
		snprintf(S.interp_why, sizeof(S.interp_why),
			 "%ld '#!' execs x %d rounds, interpreter name of %zu bytes in %s",
			 S.execs, S.rounds, strlen(stub_path) + 1,
			 S.cache[0] ? S.cache : "?");
	return;
failed:
	snprintf(S.interp_why, sizeof(S.interp_why),
		 "a '#!' or control exec failed");
}

/* ------------------------------------------------------------------ */
/* integrity                                                          */
/* ------------------------------------------------------------------ */

static void integrity_check(void)
{
	static char buf[16384];
	char path[512], *p;
	size_t used = 0;

	snprintf(path, sizeof(path), "%s/integrity", execfix_proc_dir());
	if (read_text(path, buf, sizeof(buf)) <= 0)
		return;
	{
		unsigned long long h;

		if (kv_get_ull(buf, "hooked", &h))
			return;
		S.hooked = (long)h;
	}
	S.have_integrity = 1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		size_t n = strcspn(p, "\n");

		if (strncmp(p, "native.", 7) && strncmp(p, "ia32.", 5))
			continue;
		if (!memmem(p, n, " module:", 8))
			continue;
		if (used + n + 2 < sizeof(S.hooked_list)) {
			memcpy(S.hooked_list + used, p, n);
			used += n;
			S.hooked_list[used++] = ';';
			S.hooked_list[used] = '\0';
		}
	}
	if (used)
		S.hooked_list[used - 1] = '\0';
}

/* ------------------------------------------------------------------ */
/* output                                                             */
/* ------------------------------------------------------------------ */

static void json_str(const char *key, const char *s, int comma)
{
	printf("\"%s\":\"", key);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	printf("\"%s", comma ? "," : "");
}

static void json_probe(const char *key, const struct probe_result *r)
{
	printf("\"%s\":{\"ran\":%d,\"exec_map\":%llu,\"brk_headroom\":%llu,\"bad\":%d},",
	       key, r->ran, r->exec_map, r->brk_headroom, r->bad);
}

static int overall_exit(void)
{
	if (S.layout == V_AFFECTED || S.interp == V_AFFECTED ||
	    (S.have_integrity && S.hooked))
		return EX_FAIL;
	if (S.layout == V_UNKNOWN || S.interp == V_UNKNOWN)
		return EX_SKIP;
	return EX_OK;
}

static void print_json(int code)
{
	int i;

	printf("{");
	json_str("tool", "execfix-check", 1);
	json_str("host", S.uts.nodename, 1);
	json_str("kernel", S.uts.release, 1);
	json_str("rhel", S.rhel, 1);
	printf("\"exec_shield\":%d,\"randomize_va_space\":%d,\"ia32\":%d,",
	       S.es, S.aslr, S.ia32);
	printf("\"layout\":{");
	json_str("verdict", verdict_name[S.layout], 1);
	json_str("why", S.layout_why, 1);
	json_probe("control_64", &S.control);
	json_probe("parent_32", &S.via32);
	printf("\"workarounds\":[");
	for (i = 0; i < S.nvariants; i++) {
		const struct variant_result *v = &S.variants[i];

		printf("%s{", i ? "," : "");
		json_str("name", v->name, 1);
		json_str("command", v->command, 1);
		printf("\"ran\":%d,\"works\":%d,\"exec_map\":%llu,\"brk_headroom\":%llu}",
		       v->r.ran, v->r.ran && !v->r.bad, v->r.exec_map,
		       v->r.brk_headroom);
	}
	printf("],\"processes_scanned\":%d,\"processes_hit\":%d,\"processes\":[",
	       S.scanned, S.nhits_total);
	for (i = 0; i < S.nhits; i++) {
		const struct hit_proc *h = &S.hits[i];

		printf("%s{\"pid\":%d,\"ppid\":%d,", i ? "," : "", h->pid,
		       h->ppid);
		json_str("comm", h->comm, 1);
		json_str("parent_comm", h->pcomm, 1);
		printf("\"low_map\":%llu,", h->low_map);
		json_str("file", h->low_file, 0);
		printf("}");
	}
	printf("]},\"interp\":{");
	json_str("verdict", verdict_name[S.interp], 1);
	json_str("why", S.interp_why, 1);
	json_str("cache", S.cache, 1);
	printf("\"execs_per_round\":%ld,\"rounds\":%d,\"leaky_rounds\":%d,\"growth_per_exec\":[",
	       S.execs, S.rounds, S.leaky_rounds);
	for (i = 0; i < S.rounds; i++)
		printf("%s%.3f", i ? "," : "", S.growth[i]);
	printf("],\"control_growth_per_exec\":[");
	for (i = 0; i < S.rounds; i++)
		printf("%s%.3f", i ? "," : "", S.control_growth[i]);
	printf("]");
	if (S.have_mod)
		printf(",\"module_allocated\":%llu,\"module_freed\":%llu",
		       S.mod_alloc, S.mod_freed);
	if (S.have_live) {
		printf(",");
		json_str("live_state", S.live_state, 1);
		printf("\"live_fixed\":%llu", S.live_fixed);
	}
	printf("},\"integrity\":{");
	if (S.have_integrity) {
		printf("\"hooked\":%ld,", S.hooked);
		json_str("entries", S.hooked_list, 0);
	} else {
		json_str("verdict", "unknown", 0);
	}
	printf("},\"seconds\":%.2f,\"exit\":%d}\n", S.seconds, code);
}

static void print_probe(const char *what, const struct probe_result *r)
{
	if (!r->ran) {
		printf("  %-34s did not run\n", what);
		return;
	}
	printf("  %-34s PROT_EXEC map 0x%llx, brk grew %s%llu MiB: %s%s%s\n",
	       what, r->exec_map, r->brk_headroom >= BRK_WANT ? ">= " : "",
	       r->brk_headroom / MIB, r->bad ? "BAD" : "ok",
	       r->module_exec_area[0] ? ", module: get_unmapped_exec_area=" :
	       "", r->module_exec_area);
}

static void print_human(int code)
{
	int i, works = 0;

	printf("execfix-check on %s\n", S.uts.nodename);
	printf("kernel: %s%s%s\n", S.uts.release, S.rhel[0] ? ", " : "",
	       S.rhel);
	printf("exec-shield: %s, randomize_va_space: %d, IA32 emulation: %s\n",
	       S.have_es ? first_line(es_orig) : "absent (no exec-shield)",
	       S.aslr, S.ia32 > 0 ? "yes" : S.ia32 ? "unknown" : "no");
	if (!S.root)
		printf("note: not root: exec-shield values not tried, some processes not scanned\n");

	printf("\nlayout bug (0001): %s\n  %s\n",
	       verdict_name[S.layout], S.layout_why);
	print_probe("64-bit parent (control):", &S.control);
	print_probe("32-bit parent:", &S.via32);
	if (S.nvariants) {
		printf("  workarounds measured here:\n");
		for (i = 0; i < S.nvariants; i++) {
			char label[64];

			snprintf(label, sizeof(label), "  %s:",
				 S.variants[i].name);
			print_probe(label, &S.variants[i].r);
		}
		printf("  recommended (worked here):\n");
		for (i = 0; i < S.nvariants; i++) {
			if (!S.variants[i].r.ran || S.variants[i].r.bad)
				continue;
			works++;
			printf("    %s\n", S.variants[i].command);
		}
		if (!works)
			printf("    none of them: install a kernel with patch 0001 (2.6.32-504.el6 or later) or load execfix_live.ko\n");
	}
	printf("  64-bit processes scanned: %d; with exec maps (not their own text) below 4 GiB: %d\n",
	       S.scanned, S.nhits_total);
	for (i = 0; i < S.nhits; i++)
		printf("    pid %d (%s), parent %d (%s): %s at 0x%llx\n",
		       S.hits[i].pid, S.hits[i].comm, S.hits[i].ppid,
		       S.hits[i].pcomm, S.hits[i].low_file,
		       S.hits[i].low_map);

	printf("\ninterp leak (0002): %s\n  %s\n", verdict_name[S.interp],
	       S.interp_why);
	for (i = 0; i < S.rounds; i++)
		printf("  round %d: %s grew %.3f objects/'#!' exec, %.3f/plain exec\n",
		       i + 1, S.cache, S.growth[i], S.control_growth[i]);
	if (S.have_mod)
		printf("  execfix.ko: %llu interpreter names allocated, %llu freed (%.3f kept per exec)\n",
		       S.mod_alloc, S.mod_freed,
		       (double)(S.mod_alloc - S.mod_freed) /
		       (S.execs * (S.rounds ? S.rounds : 1)));
	if (S.have_live)
		printf("  execfix_live.ko: interp %s, freed %llu leaked names during the check\n",
		       S.live_state, S.live_fixed);

	printf("\nsyscall tables: ");
	if (!S.have_integrity)
		printf("unknown (execfix.ko not loaded)\n");
	else if (!S.hooked)
		printf("hooked=0\n");
	else
		printf("hooked=%ld: %s\n", S.hooked, S.hooked_list);
	printf("\nverdict: exit %d (%s), %.1f s\n", code,
	       code == EX_FAIL ? "affected" : code == EX_OK ? "not affected" :
	       "could not tell", S.seconds);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: execfix-check [--json] [--execs N]\n"
		"Checks this live host for the two el6 exec bugs (run as root); changes\n"
		"nothing it does not restore.\n"
		"  --json      one JSON object (for fleet tools)\n"
		"  --execs N   '#!' execs per leak round (default 1000, 3 rounds)\n"
		"Exit codes (the project's one table: docs/design.md):\n"
		"  %3d  not affected\n"
		"  %3d  affected (a bug, a leak or a hooked syscall table)\n"
		"  %3d  usage error\n"
		"  %3d  could not run\n"
		"  %3d  could not tell\n",
		EX_OK, EX_FAIL, EX_USAGE, EX_ENV, EX_SKIP);
}

int main(int argc, char **argv)
{
	struct timeval t0, t1;
	int json = 0, i, code;
	ssize_t n;

	if (argc > 1 && !strcmp(argv[1], "--probe"))
		return probe_main();
	if (argc > 1 && !strcmp(argv[1], "--stub"))
		return 0;
	if (argc > 1 && !strcmp(argv[1], "--hold")) {
		/* A process already hit, for the scan's tests: map, wait. */
		mmap(NULL, PROBE_LEN, PROT_READ | PROT_EXEC,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		pause();
		return 0;
	}
	S.execs = 1000;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--execs") && i + 1 < argc) {
			S.execs = atol(argv[++i]);
			if (S.execs < 1) {
				usage(stderr);
				return EX_USAGE;
			}
		} else if (!strcmp(argv[i], "-h") ||
			   !strcmp(argv[i], "--help")) {
			usage(stdout);
			return EX_OK;
		} else {
			usage(stderr);
			return EX_USAGE;
		}
	}
	/* gettimeofday: clock_gettime needs -lrt on glibc 2.12 */
	gettimeofday(&t0, NULL);
	n = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	if (n <= 0) {
		fprintf(stderr, "execfix-check: cannot read /proc/self/exe\n");
		return EX_ENV;
	}
	self_path[n] = '\0';
	identity();
	if (setup_dir()) {
		fprintf(stderr, "execfix-check: no directory where programs can be written and run\n");
		return EX_ENV;
	}
	layout_check();
	scan_processes();
	interp_check();
	integrity_check();
	restore_all();
	gettimeofday(&t1, NULL);
	S.seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_usec - t0.tv_usec) / 1e6;
	code = overall_exit();
	if (json)
		print_json(code);
	else
		print_human(code);
	return code;
}
