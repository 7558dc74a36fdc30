// SPDX-License-Identifier: GPL-2.0
/*
 * exec_layout: where does an exec'd program's PROT_EXEC memory go, and can
 * its heap grow?  Built twice, as exec_layout_32 (i386) and exec_layout_64
 * (x86_64).  Each build is the parent of the matrix row of its own width
 * and execs both siblings (found next to /proc/self/exe) as children.
 *
 * The bug this catches (RHEL 6 exec-shield, 2.6.32-71 to -431): the ia32
 * PROT_EXEC allocator (mm->get_unmapped_exec_area) is installed by
 * arch_pick_mmap_layout() while the exec'ing task is still 32-bit and is
 * never reset when the new image turns out to be 64-bit.  A 64-bit child
 * of a 32-bit parent then gets ld.so, its libraries and every PROT_EXEC
 * mapping below 16 MiB, next to its own text and possibly on top of the
 * brk area.  The address is the deterministic signal (below 4 GiB in every
 * unpatched boot); brk is blocked only when the randomised map lands at the
 * heap start, so brk headroom is checked and reported but cannot decide
 * alone.  With the test module loaded, its report of the allocator pointer
 * is checked directly.
 *
 * The 32-bit child checks the other direction: where exec-shield is on and
 * the layout top-down, its PROT_EXEC maps must stay in the low 16 MiB
 * (so a fix that silently disabled exec-shield for ia32 is caught).
 *
 * Variants: the default layout, RLIMIT_STACK unlimited (legacy layout),
 * and as root with /proc/sys/kernel/exec-shield each value 0..3 (restored
 * afterwards, also on SIGINT/SIGTERM/SIGHUP/SIGQUIT).
 *
 * Child mode (internal): "exec_layout_NN --child" prints key=value lines.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest.h"
#include "execfix_util.h"

#ifdef EXEC_LAYOUT_LIB
/* exec_layout_64_dyn: one function of ours in a shared library */
#include "exec_layout_lib.h"
#endif

#define MIB		(1024UL * 1024UL)
#define PROBE_LEN	(4 * MIB)	/* size of the probe mappings */
#define BRK_STEP	MIB
#define BRK_WANT	(64 * MIB)	/* brk must grow at least this far */
#define BRK_CAP		(256 * MIB)	/* and is not pushed further */
#define ADDR_4G		0x100000000ULL
#define ASCII_ARMOR_TOP	0x1000000ULL	/* exec-shield's low zone: 16 MiB */

#define EXEC_SHIELD	"/proc/sys/kernel/exec-shield"
#define LEGACY_VA	"/proc/sys/vm/legacy_va_layout"

#ifndef ADDR_COMPAT_LAYOUT
#define ADDR_COMPAT_LAYOUT	0x0200000
#endif
#ifndef READ_IMPLIES_EXEC
#define READ_IMPLIES_EXEC	0x0400000
#endif

#define REPORT_MAX	65536

/* ------------------------------------------------------------------ */
/* child side                                                         */
/* ------------------------------------------------------------------ */

static unsigned long sys_brk(unsigned long addr)
{
	return (unsigned long)syscall(SYS_brk, addr);
}

/*
 * Grow brk for real, one MiB at a time (touching each new MiB), up to
 * BRK_CAP; give it back afterwards.  Returns how far it could go.
 */
static unsigned long brk_headroom(unsigned long *start_out, int *err_out)
{
	unsigned long start = sys_brk(0);
	unsigned long reached = start;

	*err_out = 0;
	while (reached - start < BRK_CAP) {
		unsigned long want = reached + BRK_STEP;

		if (sys_brk(want) < want) {
			*err_out = ENOMEM;
			break;
		}
		((volatile char *)want)[-1] = 1;
		reached = want;
	}
	sys_brk(start);
	*start_out = start;
	return reached - start;
}

static void print_prefixed(const char *prefix, const char *text)
{
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, "\n");

		printf("%s%.*s\n", prefix, (int)n, p);
		p += n;
		if (*p)
			p++;
	}
}

static int child_main(void)
{
	static char buf[REPORT_MAX];
	unsigned long brk_start = 0, headroom;
	void *xmap, *rwmap;
	struct rlimit rl;
	char path[4096];
	ssize_t n;
	int brk_err;

	/*
	 * Order matters: the PROT_EXEC probe is mapped first, so that if
	 * it lands on the brk area the brk test below sees it.
	 */
	xmap = mmap(NULL, PROBE_LEN, PROT_READ | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rwmap = mmap(NULL, PROBE_LEN, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	headroom = brk_headroom(&brk_start, &brk_err);

	printf("bits=%u\n", (unsigned int)(sizeof(long) * 8));
	printf("personality=0x%lx\n",
	       (unsigned long)personality(0xffffffff));
	if (xmap == MAP_FAILED)
		printf("exec_map_errno=%d\n", errno);
	else
		printf("exec_map=0x%lx\n", (unsigned long)xmap);
	if (rwmap != MAP_FAILED)
		printf("rw_map=0x%lx\n", (unsigned long)rwmap);
	printf("brk_start=0x%lx\n", brk_start);
	printf("brk_headroom=%lu\n", headroom);
	printf("brk_capped=%d\n", headroom >= BRK_CAP);
	printf("main_text=0x%lx\n", (unsigned long)&child_main);
#ifdef EXEC_LAYOUT_LIB
	printf("lib_text=0x%lx\n", exec_layout_lib_text());
#endif
	if (!getrlimit(RLIMIT_STACK, &rl))
		printf("rlimit_stack=%s\n",
		       rl.rlim_cur == RLIM_INFINITY ? "unlimited" : "limited");
	if (!getrlimit(RLIMIT_DATA, &rl) && rl.rlim_cur != RLIM_INFINITY)
		printf("rlimit_data=%llu\n", (unsigned long long)rl.rlim_cur);
	if (read_text(LEGACY_VA, buf, sizeof(buf)) > 0)
		printf("legacy_va_layout=%d\n", atoi(buf));
	if (read_text(EXEC_SHIELD, buf, sizeof(buf)) > 0)
		printf("exec_shield=%d\n", atoi(buf));
	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n > 0) {
		path[n] = '\0';
		printf("exe=%s\n", path);
	}
	snprintf(path, sizeof(path), "%s/layout", execfix_proc_dir());
	if (read_text(path, buf, sizeof(buf)) > 0)
		print_prefixed("mod.", buf);
	if (read_text("/proc/self/maps", buf, sizeof(buf)) > 0)
		print_prefixed("map=", buf);
	fflush(stdout);
	return 0;
}

/* ------------------------------------------------------------------ */
/* parent side                                                        */
/* ------------------------------------------------------------------ */

static char exec_shield_orig[32];
static int exec_shield_changed;

/* Async-signal-safe: only open/write/close. */
static void exec_shield_restore(void)
{
	int fd;

	if (!exec_shield_changed)
		return;
	fd = open(EXEC_SHIELD, O_WRONLY);
	if (fd >= 0) {
		if (write(fd, exec_shield_orig, strlen(exec_shield_orig)) > 0)
			exec_shield_changed = 0;
		close(fd);
	}
}

static void on_signal(int sig)
{
	exec_shield_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int exec_shield_set(int value)
{
	char text[16];

	snprintf(text, sizeof(text), "%d\n", value);
	exec_shield_changed = 1;
	if (write_text(EXEC_SHIELD, text)) {
		ksft_print_msg("cannot write %s: %s\n", EXEC_SHIELD,
			       strerror(errno));
		exec_shield_restore();
		return -1;
	}
	return 0;
}

/*
 * Flag 16 of exec-shield: OpenVZ's 042stab kernels install the ia32 exec
 * allocator only when it is set ("16 & exec_shield" in their
 * arch_pick_mmap_layout()); RHEL ignores it.  Tried as well, and kept in
 * the matrix only where it changes what the kernel does.
 */
#define ES_FLAG16	16
#define ES_CANDIDATES	8
#define VARIANTS_MAX	(2 + 2 * ES_CANDIDATES)

struct variant {
	char name[64];
	int exec_shield;	/* -1: leave as it is */
	int stack_unlimited;
	int exec_alloc;		/* 32-bit tasks get the exec allocator: 1/0, -1 unknown */
};

struct child_kind {
	int bits;
	char path[4096];
	int present;
	int dynamic;		/* has PT_INTERP */
	char interp[256];
	int interp_present;
};

struct report {
	char text[REPORT_MAX];
	int exec_errno;
	int status;
	unsigned long long exec_map, rw_map, brk_start, brk_headroom;
	unsigned long long personality;
	int have_exec_map;
};

/* Is the ELF file dynamically linked?  Fills interp with its PT_INTERP. */
static int elf_interp(const char *path, char *interp, size_t size)
{
	unsigned char ehdr[sizeof(Elf64_Ehdr)];
	int fd = open(path, O_RDONLY);
	unsigned long long phoff;
	unsigned int phnum, phentsize, i;
	int is64, found = 0;

	interp[0] = '\0';
	if (fd < 0)
		return -1;
	if (pread(fd, ehdr, sizeof(ehdr), 0) < (ssize_t)sizeof(Elf32_Ehdr) ||
	    memcmp(ehdr, ELFMAG, SELFMAG)) {
		close(fd);
		return -1;
	}
	is64 = ehdr[EI_CLASS] == ELFCLASS64;
	if (is64) {
		Elf64_Ehdr *e = (Elf64_Ehdr *)ehdr;

		phoff = e->e_phoff;
		phnum = e->e_phnum;
		phentsize = e->e_phentsize;
	} else {
		Elf32_Ehdr *e = (Elf32_Ehdr *)ehdr;

		phoff = e->e_phoff;
		phnum = e->e_phnum;
		phentsize = e->e_phentsize;
	}
	for (i = 0; i < phnum && !found; i++) {
		unsigned char ph[sizeof(Elf64_Phdr)];
		unsigned long long off, len;
		unsigned int type;

		if (phentsize > sizeof(ph) ||
		    pread(fd, ph, phentsize, phoff + (unsigned long long)i *
			  phentsize) != (ssize_t)phentsize)
			break;
		if (is64) {
			type = ((Elf64_Phdr *)ph)->p_type;
			off = ((Elf64_Phdr *)ph)->p_offset;
			len = ((Elf64_Phdr *)ph)->p_filesz;
		} else {
			type = ((Elf32_Phdr *)ph)->p_type;
			off = ((Elf32_Phdr *)ph)->p_offset;
			len = ((Elf32_Phdr *)ph)->p_filesz;
		}
		if (type != PT_INTERP)
			continue;
		if (len >= size)
			len = size - 1;
		if (pread(fd, interp, len, off) == (ssize_t)len) {
			interp[len] = '\0';
			found = 1;
		}
	}
	close(fd);
	return found;
}

static void child_kind_init(struct child_kind *c, const char *dir, int bits,
			    const char *suffix)
{
	c->bits = bits;
	snprintf(c->path, sizeof(c->path), "%s/exec_layout_%d%s", dir, bits,
		 suffix);
	c->present = access(c->path, X_OK) == 0;
	c->dynamic = c->present &&
		elf_interp(c->path, c->interp, sizeof(c->interp)) > 0;
	c->interp_present = c->dynamic && access(c->interp, R_OK) == 0;
}

/* Fork, exec the child with the variant applied, collect its report. */
static int run_child(const struct child_kind *c, const struct variant *v,
		     struct report *r)
{
	int pipefd[2];
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe(pipefd))
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		int err = errno;

		close(pipefd[0]);
		close(pipefd[1]);
		errno = err;
		return -1;
	}
	if (pid == 0) {
		char *argv[] = { (char *)c->path, "--child", NULL };
		char msg[64];
		int n;

		close(pipefd[0]);
		if (dup2(pipefd[1], 1) < 0)
			_exit(126);
		if (v->stack_unlimited) {
			struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

			if (setrlimit(RLIMIT_STACK, &rl)) {
				n = snprintf(msg, sizeof(msg),
					     "rlimit_errno=%d\n", errno);
				if (write(1, msg, n) < 0)
					_exit(126);
				_exit(126);
			}
		}
		execv(c->path, argv);
		n = snprintf(msg, sizeof(msg), "exec_errno=%d\n", errno);
		if (write(1, msg, n) < 0)
			_exit(127);
		_exit(127);
	}
	close(pipefd[1]);
	read_child(pipefd[0], pid, r->text, sizeof(r->text), &r->status);
	{
		unsigned long long e;

		if (!kv_get_ull(r->text, "exec_errno", &e))
			r->exec_errno = (int)e;
		if (!kv_get_ull(r->text, "rlimit_errno", &e))
			r->exec_errno = (int)e;
	}
	r->have_exec_map = !kv_get_ull(r->text, "exec_map", &r->exec_map);
	kv_get_ull(r->text, "rw_map", &r->rw_map);
	kv_get_ull(r->text, "brk_start", &r->brk_start);
	kv_get_ull(r->text, "brk_headroom", &r->brk_headroom);
	kv_get_ull(r->text, "personality", &r->personality);
	return 0;
}

/* Print the child's maps as diagnostics. */
static void print_maps(const struct report *r)
{
	const char *p = r->text;

	while (p && *p) {
		if (!strncmp(p, "map=", 4))
			ksft_print_msg("  %.*s\n", (int)strcspn(p + 4, "\n"),
				       p + 4);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

/*
 * File-backed executable mappings of the child other than its own image
 * (ld.so, libc): count them, and those below 4 GiB.  Prints each one.
 */
static void lib_exec_maps(const struct report *r, int *total, int *low,
			  unsigned long long *lowest)
{
	char exe[4096];
	const char *p = r->text;

	*total = *low = 0;
	*lowest = ~0ULL;
	if (kv_get(r->text, "exe", exe, sizeof(exe)))
		exe[0] = '\0';
	while (p && *p) {
		if (!strncmp(p, "map=", 4)) {
			unsigned long long start, end;
			char perms[8], file[4096], line[4352];
			size_t n = strcspn(p + 4, "\n");

			if (n >= sizeof(line))
				n = sizeof(line) - 1;
			memcpy(line, p + 4, n);
			line[n] = '\0';
			file[0] = '\0';
			if (sscanf(line, "%llx-%llx %7s %*s %*s %*s %4095s",
				   &start, &end, perms, file) >= 3 &&
			    strchr(perms, 'x') && file[0] == '/' &&
			    strcmp(file, exe)) {
				(*total)++;
				if (start < ADDR_4G)
					(*low)++;
				if (start < *lowest)
					*lowest = start;
				ksft_print_msg("  %s exec map 0x%llx %s\n",
					       start < ADDR_4G ? "LOW" : "ok",
					       start, file);
			}
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

static void print_module_view(const struct report *r)
{
	char a[128], x[128], s[64];

	if (kv_get(r->text, "mod.get_unmapped_area", a, sizeof(a)))
		return;
	if (kv_get(r->text, "mod.get_unmapped_exec_area", x, sizeof(x)))
		strcpy(x, "?");
	if (kv_get(r->text, "mod.shlib_base", s, sizeof(s)))
		strcpy(s, "?");
	ksft_print_msg("  module: get_unmapped_area=%s get_unmapped_exec_area=%s shlib_base=%s\n",
		       a, x, s);
}

/* Top-down as the kernel decides it (see arch_pick_mmap_layout()). */
static int child_topdown(const struct report *r, int exec_shield)
{
	char val[128], stack[32];
	unsigned long long legacy_va = 0;
	int legacy;

	if (!kv_get(r->text, "mod.get_unmapped_area", val, sizeof(val)))
		return strstr(val, "topdown") != NULL;
	kv_get_ull(r->text, "legacy_va_layout", &legacy_va);
	if (kv_get(r->text, "rlimit_stack", stack, sizeof(stack)))
		stack[0] = '\0';
	legacy = (r->personality & ADDR_COMPAT_LAYOUT) ||
		!strcmp(stack, "unlimited") || legacy_va;
	return (exec_shield > 0 && (exec_shield & 2)) || !legacy;
}

static const char *mib(unsigned long long bytes, char *buf, size_t size)
{
	snprintf(buf, size, "%llu MiB%s", bytes / MIB,
		 bytes >= BRK_CAP ? " (cap)" : "");
	return buf;
}

/*
 * One case of the matrix: run the child, judge it.  When dyn_test is set,
 * a second test line judges the libraries of the dynamic 64-bit child
 * from the same run.
 */
static void run_case(int parent_bits, const struct child_kind *c,
		     const struct variant *v, int dyn_test)
{
	static struct report r;
	char tag[256], hb[32], val[128];
	int fail = 0, exec_shield = -1;
	unsigned long long es;

	snprintf(tag, sizeof(tag), "parent %d -> child %d%s [%.63s]",
		 parent_bits, c->bits, !c->dynamic ? " (static)" :
		 strstr(c->path, "_dyn") ? " (dynamic, own library)" :
		 " (dynamic)",
		 v->name);
	if (!c->present) {
		ksft_test_result_skip("%s: %s not built\n", tag, c->path);
		if (dyn_test)
			ksft_test_result_skip("%s libraries\n", tag);
		return;
	}
	if (run_child(c, v, &r)) {
		ksft_test_result_fail("%s: cannot start child: %s\n", tag,
				      strerror(errno));
		if (dyn_test)
			ksft_test_result_fail("%s libraries\n", tag);
		return;
	}
	if (r.exec_errno) {
		const char *why = strerror(r.exec_errno);
		int unsupported = r.exec_errno == ENOEXEC ||
			r.exec_errno == ENOENT || r.exec_errno == ELIBBAD;

		if (unsupported)
			ksft_test_result_skip("%s: cannot exec a %d-bit program here (%s)\n",
					      tag, c->bits, why);
		else if (v->stack_unlimited && r.exec_errno == EPERM)
			ksft_test_result_skip("%s: cannot set RLIMIT_STACK unlimited (%s)\n",
					      tag, why);
		else
			ksft_test_result_fail("%s: exec failed: %s\n", tag,
					      why);
		if (dyn_test)
			ksft_test_result_skip("%s libraries: child did not run\n",
					      tag);
		return;
	}
	if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) ||
	    kv_get_ull(r.text, "bits", &es) || es != (unsigned int)c->bits) {
		ksft_print_msg("%s: child status 0x%x, report:\n%s", tag,
			       r.status, r.text);
		ksft_test_result_fail("%s: child failed\n", tag);
		if (dyn_test)
			ksft_test_result_fail("%s libraries\n", tag);
		return;
	}
	if (!kv_get_ull(r.text, "exec_shield", &es))
		exec_shield = (int)es;

	ksft_print_msg("%s: exec map 0x%llx, rw map 0x%llx, brk 0x%llx grew %s, personality 0x%llx\n",
		       tag, r.exec_map, r.rw_map, r.brk_start,
		       mib(r.brk_headroom, hb, sizeof(hb)), r.personality);
	print_module_view(&r);

	if (!r.have_exec_map) {
		ksft_print_msg("  PROT_EXEC mmap failed\n");
		fail = 1;
	}
	if (r.brk_headroom < BRK_WANT) {
		ksft_print_msg("  brk could grow only %llu KiB (want %lu MiB)\n",
			       r.brk_headroom / 1024, BRK_WANT / MIB);
		fail = 1;
	}
	if (c->bits == 64) {
		if (parent_bits == 32 && v->exec_alloc >= 0)
			ksft_print_msg("  exec-shield=%d %s a 32-bit task the exec allocator on this kernel\n",
				       exec_shield, v->exec_alloc ? "gives" : "does not give");
		if (r.have_exec_map && r.exec_map < ADDR_4G) {
			ksft_print_msg("  64-bit task got a PROT_EXEC map below 4 GiB: the ia32 exec allocator leaked into it\n");
			fail = 1;
		}
		if (!kv_get(r.text, "mod.get_unmapped_exec_area", val,
			    sizeof(val)) &&
		    strcmp(val, "none") && strcmp(val, "n/a")) {
			ksft_print_msg("  64-bit task has get_unmapped_exec_area=%s (want none)\n",
				       val);
			fail = 1;
		}
	} else if (!kv_get(r.text, "mod.get_unmapped_exec_area", val,
			   sizeof(val))) {
		/* The module shows what the kernel gave this task: judge that. */
		if (strcmp(val, "none") && strcmp(val, "n/a") &&
		    child_topdown(&r, exec_shield) &&
		    !(r.personality & READ_IMPLIES_EXEC)) {
			if (r.have_exec_map && r.exec_map >= ASCII_ARMOR_TOP) {
				ksft_print_msg("  32-bit task has the exec allocator (%s): its PROT_EXEC map should be below 16 MiB\n",
					       val);
				fail = 1;
			}
		} else {
			ksft_print_msg("  32-bit placement reported only (get_unmapped_exec_area=%s under exec-shield=%d)\n",
				       val, exec_shield);
		}
	} else if (exec_shield > 0 && child_topdown(&r, exec_shield) &&
		   !(r.personality & READ_IMPLIES_EXEC)) {
		/* No module: RHEL's meaning of the values. */
		if (r.have_exec_map && r.exec_map >= ASCII_ARMOR_TOP) {
			ksft_print_msg("  exec-shield=%d, top-down: 32-bit PROT_EXEC map should be below 16 MiB (RHEL rule, no module)\n",
				       exec_shield);
			fail = 1;
		}
	} else if (exec_shield < 0) {
		ksft_print_msg("  32-bit placement reported only (no exec-shield here)\n");
	} else {
		ksft_print_msg("  32-bit placement reported only (exec-shield %s, %s)\n",
			       exec_shield ? "on" : "off",
			       child_topdown(&r, exec_shield) ?
			       "top-down" : "legacy layout");
	}
	if (fail) {
		ksft_print_msg("  maps of the child:\n");
		print_maps(&r);
		ksft_test_result_fail("%s: exec map 0x%llx, brk grew %s\n",
				      tag, r.exec_map, hb);
	} else {
		ksft_test_result_pass("%s: exec map 0x%llx, brk grew %s\n",
				      tag, r.exec_map, hb);
	}

	if (dyn_test) {
		int total, low;
		unsigned long long lowest;

		lib_exec_maps(&r, &total, &low, &lowest);
		if (low || !total) {
			if (!total)
				ksft_print_msg("  dynamic child shows no library mappings\n");
			print_maps(&r);
			ksft_test_result_fail("%s libraries: %d of %d below 4 GiB, lowest exec map 0x%llx\n",
					      tag, low, total, lowest);
		} else {
			ksft_test_result_pass("%s libraries: %d, all above 4 GiB, lowest exec map 0x%llx\n",
					      tag, total, lowest);
		}
	}
}

/*
 * Which exec-shield values make this kernel give a 32-bit task the ia32 exec
 * allocator?  Asked of the kernel itself: the 32-bit child runs under each
 * candidate value (default layout) and the module's layout file says whether
 * get_unmapped_exec_area was installed for it.  alloc[i] is 1/0, or -1 when
 * the value was refused or the child could not tell.  Returns 0 when learned,
 * -1 when the module (or the 32-bit child) is missing.
 */
static int learn_exec_alloc(const struct child_kind *k32,
			    const int *cand, int *alloc, int n)
{
	static struct report r;
	struct variant v;
	char val[128], back[32];
	int i, learned = 0;

	memset(&v, 0, sizeof(v));
	strcpy(v.name, "learning");
	for (i = 0; i < n; i++) {
		alloc[i] = -1;
		if (!k32->present || exec_shield_set(cand[i]))
			continue;
		back[0] = '\0';
		if (read_text(EXEC_SHIELD, back, sizeof(back)) <= 0 ||
		    atoi(back) != cand[i]) {
			ksft_print_msg("exec-shield=%d: refused by the kernel (reads %d)\n",
				       cand[i], atoi(back));
			exec_shield_restore();
			continue;
		}
		v.exec_shield = cand[i];
		if (!run_child(k32, &v, &r) && !r.exec_errno &&
		    !kv_get(r.text, "mod.get_unmapped_exec_area", val,
			    sizeof(val))) {
			alloc[i] = strcmp(val, "none") && strcmp(val, "n/a");
			learned = 1;
			ksft_print_msg("exec-shield=%d: a 32-bit task gets get_unmapped_exec_area=%s\n",
				       cand[i], val);
		}
		exec_shield_restore();
	}
	return learned ? 0 : -1;
}

static void add_variant(struct variant *vs, int *n, int es, int unlimited,
			int exec_alloc)
{
	struct variant *v = &vs[(*n)++];

	if (es < 0)
		snprintf(v->name, sizeof(v->name), "%s",
			 unlimited ? "stack unlimited" : "default layout");
	else
		snprintf(v->name, sizeof(v->name), "exec-shield=%d%s", es,
			 unlimited ? ", stack unlimited" : "");
	v->exec_shield = es;
	v->stack_unlimited = unlimited;
	v->exec_alloc = exec_alloc;
}

int main(int argc, char **argv)
{
	static struct variant variants[VARIANTS_MAX];
	static struct child_kind kids[3];
	static const int cand[ES_CANDIDATES] = {
		0, 1, 2, 3, ES_FLAG16, ES_FLAG16 | 1, ES_FLAG16 | 2, ES_FLAG16 | 3
	};
	int alloc[ES_CANDIDATES];
	int parent_bits = (int)(sizeof(long) * 8);
	int nvariants = 0, have_es, vary_es, learn_rc = -1, flag16 = 0;
	int i, k, nkids, dyn_kid = -1, tests, nalloc = 0;
	char dir[3072], list[256] = "";

	if (argc > 1 && !strcmp(argv[1], "--child"))
		return child_main();

	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	if (self_dir(dir, sizeof(dir)))
		ksft_exit_fail_msg("cannot read /proc/self/exe: %s\n",
				   strerror(errno));

	child_kind_init(&kids[0], dir, 32, "");
	child_kind_init(&kids[1], dir, 64, "");
	/* The dynamic 64-bit child, linked as CentOS 6 links (see Makefile). */
	child_kind_init(&kids[2], dir, 64, "_dyn");
	nkids = kids[2].present ? 3 : 2;
	for (k = nkids - 1; k >= 1 && dyn_kid < 0; k--)
		if (kids[k].dynamic && kids[k].interp_present)
			dyn_kid = k;

	have_es = read_text(EXEC_SHIELD, exec_shield_orig,
			    sizeof(exec_shield_orig)) > 0;
	vary_es = have_es && geteuid() == 0;
	if (vary_es) {
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		signal(SIGHUP, on_signal);
		signal(SIGQUIT, on_signal);
		learn_rc = learn_exec_alloc(&kids[0], cand, alloc,
					    ES_CANDIDATES);
	}
	if (!learn_rc) {
		for (i = 0; i < 4; i++)
			if (alloc[i] >= 0 && alloc[i + 4] >= 0 &&
			    alloc[i] != alloc[i + 4])
				flag16 = 1;
		for (i = 0; i < ES_CANDIDATES; i++) {
			if (alloc[i] != 1 || (i >= 4 && !flag16))
				continue;
			nalloc++;
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
				 " %d", cand[i]);
		}
	} else {
		/* RHEL: any value, top-down layout (arch_pick_mmap_layout()) */
		for (i = 0; i < ES_CANDIDATES; i++)
			alloc[i] = -1;
	}

	add_variant(variants, &nvariants, -1, 0, -1);
	add_variant(variants, &nvariants, -1, 1, -1);
	for (i = 0; vary_es && i < ES_CANDIDATES; i++) {
		if (i >= 4 && (!flag16 || alloc[i] != 1))
			continue;
		for (k = 0; k < 2; k++)
			add_variant(variants, &nvariants, cand[i], k,
				    k ? -1 : alloc[i]);
	}

	tests = 1 + nvariants * nkids + (dyn_kid >= 0 ? nvariants : 1);
	ksft_set_plan(tests);
	ksft_print_msg("parent: %d-bit pid %d, personality 0x%lx, exec-shield %s%s\n",
		       parent_bits, (int)getpid(),
		       (unsigned long)personality(0xffffffff),
		       have_es ? exec_shield_orig : "absent",
		       have_es && geteuid() ? " (not root: values not varied)" :
		       "");
	if (personality(0xffffffff) & READ_IMPLIES_EXEC)
		ksft_print_msg("WARNING: parent has READ_IMPLIES_EXEC (executable stack?): exec-shield paths are not exercised\n");
	for (k = 0; k < nkids; k++)
		ksft_print_msg("child %d%s: %s%s%s%s\n", kids[k].bits,
			       k == 2 ? " (dynamic)" : "",
			       kids[k].present ? kids[k].path : "missing",
			       kids[k].dynamic ? ", dynamic, loader " : "",
			       kids[k].dynamic ? kids[k].interp : "",
			       kids[k].dynamic && !kids[k].interp_present ?
			       " (absent)" : "");

	/* What the kernel does with the exec-shield values. */
	if (!vary_es) {
		ksft_test_result_skip("exec-shield values: %s\n",
				      have_es ? "not root, not varied" :
				      "no exec-shield sysctl on this kernel");
	} else if (learn_rc) {
		ksft_print_msg("no module (or no 32-bit child): cannot learn which exec-shield values give 32-bit tasks the exec allocator; assuming RHEL's (0..3, top-down layout)\n");
		ksft_test_result_skip("exec-shield values: not learned, RHEL's assumed\n");
	} else if (!nalloc) {
		ksft_test_result_fail("exec-shield values: none gives a 32-bit task the exec allocator: the 32->64 cases cannot exercise it\n");
	} else {
		ksft_test_result_pass("exec-shield values giving 32-bit tasks the exec allocator:%s%s\n",
				      list, flag16 ? " (flag 16 matters here)" : "");
	}

	for (i = 0; i < nvariants; i++) {
		const struct variant *v = &variants[i];

		if (v->exec_shield >= 0 && exec_shield_set(v->exec_shield)) {
			for (k = 0; k < nkids + (dyn_kid >= 0); k++)
				ksft_test_result_fail("[%s]: cannot set exec-shield\n",
						      v->name);
			continue;
		}
		for (k = 0; k < nkids; k++)
			run_case(parent_bits, &kids[k], v, k == dyn_kid);
		exec_shield_restore();
	}
	exec_shield_restore();
	if (have_es) {
		char now[32] = "";

		if (read_text(EXEC_SHIELD, now, sizeof(now)) <= 0 ||
		    strcmp(now, exec_shield_orig))
			ksft_exit_fail_msg("%s not restored: was %.*s, is %.*s\n",
					   EXEC_SHIELD,
					   (int)strcspn(exec_shield_orig, "\n"),
					   exec_shield_orig,
					   (int)strcspn(now, "\n"), now);
	}

	if (dyn_kid < 0)
		ksft_test_result_skip("dynamic 64-bit child: %s\n",
				      kids[nkids - 1].dynamic ?
				      "its dynamic loader is absent" :
				      "no exec_layout_64_dyn here (no dynamic 64-bit build with an executable first PT_LOAD)");

	if (ksft_get_fail_cnt())
		ksft_exit_fail();
	if (!ksft_get_pass_cnt()) {
		ksft_print_cnts();
		exit(KSFT_SKIP);
	}
	ksft_exit_pass();
	return 0;
}
