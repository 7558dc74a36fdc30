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
 * On a 32-bit kernel (an i686 one: measure/'s kernel_bits()) no 64-bit
 * program runs, so the bug cannot be there: every case still runs and
 * prints what it saw (exec-shield's 32-bit placement among it), but its
 * line is a SKIP, "not applicable (32-bit kernel)", and the program exits
 * 4: neither a pass nor a failure by accident.
 *
 * Child mode (internal): "exec_layout_NN --child" is measure/'s layout
 * probe, which prints key=value lines; the judgement is measure/'s too
 * (layout_judge()), "--judge-report FILE BITS" applies it to a saved
 * report.  The children themselves: exec_layout_child.c.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest.h"
#include "execfix_util.h"
#include "arch.h"
#include "execshield.h"
#include "layout.h"
#include "exec_layout.h"

#ifdef EXEC_LAYOUT_LIB
/* exec_layout_64_dyn: one function of ours in a shared library */
#include "exec_layout_lib.h"
#endif

#define MIB		(1024UL * 1024UL)
#define BRK_CAP		LAYOUT_BRK_CAP	/* brk is not pushed further */

#ifndef READ_IMPLIES_EXEC
#define READ_IMPLIES_EXEC	0x0400000
#endif


/* ------------------------------------------------------------------ */
/* child side                                                         */
/* ------------------------------------------------------------------ */

/* The probe (measure/probe.c); the dynamic child adds its library's text. */
static int child_main(void)
{
	char extra[64] = "";

#ifdef EXEC_LAYOUT_LIB
	snprintf(extra, sizeof(extra), "lib_text=0x%lx\n",
		 exec_layout_lib_text());
#endif
	return layout_probe(extra, execfix_proc_dir());
}

/* ------------------------------------------------------------------ */
/* parent side                                                        */
/* ------------------------------------------------------------------ */

/* A 32-bit kernel: every case is reported, none judged. */
static int kernel32;
#define NA32	"not applicable (32-bit kernel)"

/*
 * One result line: pass (fail == 0), fail (1) or skip (-1); on a 32-bit
 * kernel always a skip that says why, with what the case saw.
 */
static __attribute__((format(printf, 2, 3))) void
result_line(int fail, const char *fmt, ...)
{
	char msg[512];
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	len = strlen(msg);
	if (len && msg[len - 1] == '\n')
		msg[len - 1] = '\0';
	if (kernel32) {
		const char *colon = strstr(msg, ": ");

		/* "CASE: " NA32 "; what it saw" */
		if (colon)
			ksft_test_result_skip("%.*s: " NA32 "; %s\n",
					      (int)(colon - msg), msg, colon + 2);
		else
			ksft_test_result_skip("%s: " NA32 "\n", msg);
	} else if (fail > 0) {
		ksft_test_result_fail("%s\n", msg);
	} else if (fail < 0) {
		ksft_test_result_skip("%s\n", msg);
	} else {
		ksft_test_result_pass("%s\n", msg);
	}
}

static void on_signal(int sig)
{
	es_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int exec_shield_set(int value)
{
	if (es_set(value)) {
		ksft_print_msg("cannot write %s: %s\n", ES_PATH, strerror(errno));
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
#define ES_CANDIDATES	ES_NCAND
#define VARIANTS_MAX	(2 + 2 * ES_CANDIDATES)

/* Print the child's maps as diagnostics. */
static void print_maps(const struct report *r)
{
	const char *p = r->text;

	for (; p && *p; p = mfile_next_line(p)) {
		if (!strncmp(p, "map=", 4))
			ksft_print_msg("  %.*s\n", (int)strcspn(p + 4, "\n"),
				       p + 4);
	}
}

static void print_lib_map(void *ctx, unsigned long long start,
			  const char *file, int low)
{
	(void)ctx;
	ksft_print_msg("  %s exec map 0x%llx %s\n", low ? "LOW" : "ok", start,
		       file);
}

/*
 * File-backed executable mappings of the child other than its own image
 * (ld.so, libc): counted, and those below 4 GiB.  Prints each one.
 */
static void lib_exec_maps(const struct report *r, struct layout_libs *libs)
{
	char exe[4096];

	if (kv_get(r->text, "exe", exe, sizeof(exe)))
		exe[0] = '\0';
	layout_lib_maps(r->text, "map=", exe, libs, print_lib_map, NULL);
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

static const char *mib(unsigned long long bytes, char *buf, size_t size)
{
	snprintf(buf, size, "%llu MiB%s", bytes / MIB,
		 bytes >= BRK_CAP ? " (cap)" : "");
	return buf;
}

/*
 * exec_layout's judgement of one child's report: the library's (measure/
 * layout.h), its reasons printed.  run_case() and --judge-report both come
 * here (tests/measure-agree.sh).  Returns 1 when the child fails.
 */
static int judge_child(const char *text, const struct layout_report *l,
		       int parent_bits, int exec_alloc)
{
	struct layout_judgement j;
	int i;

	layout_judge(text, l, parent_bits, exec_alloc, &j);
	for (i = 0; i < j.nwhy; i++)
		ksft_print_msg("  %s\n", j.why[i]);
	return j.fail;
}

/* The dynamic child's libraries: 1 when one lies below 4 GiB (or none). */
static int judge_libs(const struct report *r, struct layout_libs *libs)
{
	lib_exec_maps(r, libs);
	if (!libs->total)
		ksft_print_msg("  dynamic child shows no library mappings\n");
	return libs->low || !libs->total;
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
	char tag[256], hb[32], where[32] = "";
	unsigned long long es;

	snprintf(tag, sizeof(tag), "parent %d -> child %d%s [%.63s]",
		 parent_bits, c->bits, !c->dynamic ? " (static)" :
		 strstr(c->path, "_dyn") ? " (dynamic, own library)" :
		 " (dynamic)",
		 v->name);
	if (!c->present) {
		result_line(-1, "%s: %s not built\n", tag, c->path);
		if (dyn_test)
			result_line(-1, "%s libraries\n", tag);
		return;
	}
	if (run_child(c, v, &r)) {
		result_line(1, "%s: cannot start child: %s\n", tag,
			    strerror(errno));
		if (dyn_test)
			result_line(1, "%s libraries\n", tag);
		return;
	}
	if (r.exec_errno) {
		const char *why = strerror(r.exec_errno);
		int unsupported = r.exec_errno == ENOEXEC ||
			r.exec_errno == ENOENT || r.exec_errno == ELIBBAD;

		if (unsupported)
			result_line(-1, "%s: cannot exec a %d-bit program here (%s)\n",
				    tag, c->bits, why);
		else if (v->stack_unlimited && r.exec_errno == EPERM)
			result_line(-1, "%s: cannot set RLIMIT_STACK unlimited (%s)\n",
				    tag, why);
		else
			result_line(1, "%s: exec failed: %s\n", tag, why);
		if (dyn_test)
			result_line(-1, "%s libraries: child did not run\n",
				    tag);
		return;
	}
	if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) ||
	    kv_get_ull(r.text, "bits", &es) || es != (unsigned int)c->bits) {
		ksft_print_msg("%s: child status 0x%x, report:\n%s", tag,
			       r.status, r.text);
		result_line(1, "%s: child failed\n", tag);
		if (dyn_test)
			result_line(1, "%s libraries\n", tag);
		return;
	}
	ksft_print_msg("%s: exec map 0x%llx, rw map 0x%llx, brk 0x%llx grew %s, personality 0x%llx\n",
		       tag, r.l.exec_map, r.l.rw_map, r.l.brk_start,
		       mib(r.l.brk_headroom, hb, sizeof(hb)), r.l.personality);
	print_module_view(&r);

	/* where exec-shield put a 32-bit task's code: reported on any kernel */
	if (c->bits == 32)
		snprintf(where, sizeof(where), " (%s 16 MiB)",
			 r.l.exec_map < 16 * MIB ? "below" : "above");
	if (judge_child(r.text, &r.l, parent_bits, v->exec_alloc)) {
		ksft_print_msg("  maps of the child:\n");
		print_maps(&r);
		result_line(1, "%s: exec map 0x%llx%s, brk grew %s\n",
			    tag, r.l.exec_map, where, hb);
	} else {
		result_line(0, "%s: exec map 0x%llx%s, brk grew %s\n",
			    tag, r.l.exec_map, where, hb);
	}

	if (dyn_test) {
		struct layout_libs libs;

		if (judge_libs(&r, &libs)) {
			print_maps(&r);
			result_line(1, "%s libraries: %d of %d below 4 GiB, lowest exec map 0x%llx\n",
				    tag, libs.low, libs.total, libs.lowest);
		} else {
			result_line(0, "%s libraries: %d, all above 4 GiB, lowest exec map 0x%llx\n",
				    tag, libs.total, libs.lowest);
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
/* es_learn()'s question for one value: does the 32-bit child get it? */
static int probe_exec_alloc(void *ctx, int value)
{
	const struct child_kind *k32 = ctx;
	static struct report r;
	struct variant v;

	memset(&v, 0, sizeof(v));
	strcpy(v.name, "learning");
	v.exec_shield = value;
	if (run_child(k32, &v, &r) || r.exec_errno || !r.l.exec_area[0])
		return -1;
	ksft_print_msg("exec-shield=%d: a 32-bit task gets get_unmapped_exec_area=%s\n",
		       value, r.l.exec_area);
	return layout_has_exec_area(&r.l);
}

static int learn_exec_alloc(const struct child_kind *k32, int *alloc)
{
	int i, rc;

	if (!k32->present) {
		for (i = 0; i < ES_CANDIDATES; i++)
			alloc[i] = -1;
		return -1;
	}
	rc = es_learn(alloc, probe_exec_alloc, (void *)k32);
	for (i = 0; i < ES_CANDIDATES; i++)
		if (alloc[i] == ES_REFUSED) {
			ksft_print_msg("exec-shield=%d: refused by the kernel\n",
				       es_candidates[i]);
			alloc[i] = -1;
		}
	return rc;
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

/*
 * --judge-report FILE [PARENT_BITS]: judge_child() and, for a dynamic
 * child (its report has lib_text=), judge_libs() of a saved child report
 * (a fixture) instead of a child run here; prints
 * "layout=pass|fail libraries=pass|fail|none".
 * Exit 0 pass, 1 fail, 2 unreadable.
 */
static int judge_fixture(const char *path, int parent_bits)
{
	static struct report r;
	struct layout_libs libs;
	int fail, dynamic, lib_fail = 0;

	if (read_text(path, r.text, sizeof(r.text)) <= 0 ||
	    layout_parse(r.text, &r.l)) {
		fprintf(stderr, "%s: no probe report\n", path);
		return 2;
	}
	dynamic = strstr(r.text, "\nlib_text=") != NULL;
	fail = judge_child(r.text, &r.l, parent_bits, -1);
	/* lib_text=: the report of exec_layout_64_dyn, the dynamic child */
	if (dynamic)
		lib_fail = judge_libs(&r, &libs);
	printf("layout=%s libraries=%s\n", fail ? "fail" : "pass",
	       !dynamic ? "none" : lib_fail ? "fail" : "pass");
	return fail || lib_fail;
}

int main(int argc, char **argv)
{
	static struct variant variants[VARIANTS_MAX];
	static struct child_kind kids[3];
	const int *cand = es_candidates;
	int alloc[ES_CANDIDATES];
	int parent_bits = (int)(sizeof(long) * 8);
	int nvariants = 0, have_es, vary_es, learn_rc = -1, flag16 = 0;
	int i, k, nkids, dyn_kid = -1, tests, nalloc = 0;
	char dir[3072], list[256] = "";

	if (argc > 1 && !strcmp(argv[1], "--child"))
		return child_main();
	if (argc > 2 && !strcmp(argv[1], "--judge-report"))
		return judge_fixture(argv[2], argc > 3 ? atoi(argv[3]) : 0);

	setvbuf(stdout, NULL, _IOLBF, 0);
	ksft_print_header();
	kernel32 = kernel_bits() == 32;
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

	have_es = !es_save();
	vary_es = have_es && geteuid() == 0;
	if (vary_es) {
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		signal(SIGHUP, on_signal);
		signal(SIGQUIT, on_signal);
		learn_rc = learn_exec_alloc(&kids[0], alloc);
	}
	if (!learn_rc) {
		flag16 = es_flag16_matters(alloc);
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
		       have_es ? es_saved() : "absent",
		       have_es && geteuid() ? " (not root: values not varied)" :
		       "");
	if (kernel32)
		ksft_print_msg("32-bit kernel: no 64-bit program runs, so no 64-bit child of a 32-bit parent and no layout bug: every case is reported, none judged (SKIP, exit %d)\n",
			       KSFT_SKIP);
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
		result_line(-1, "exec-shield values: %s\n",
			    have_es ? "not root, not varied" :
			    "no exec-shield sysctl on this kernel");
	} else if (learn_rc) {
		ksft_print_msg("no module (or no 32-bit child): cannot learn which exec-shield values give 32-bit tasks the exec allocator; assuming RHEL's (0..3, top-down layout)\n");
		result_line(-1, "exec-shield values: not learned, RHEL's assumed\n");
	} else if (!nalloc) {
		result_line(1, "exec-shield values: none gives a 32-bit task the exec allocator: the 32->64 cases cannot exercise it\n");
	} else {
		result_line(0, "exec-shield values giving 32-bit tasks the exec allocator:%s%s\n",
			    list, flag16 ? " (flag 16 matters here)" : "");
	}

	for (i = 0; i < nvariants; i++) {
		const struct variant *v = &variants[i];

		if (v->exec_shield >= 0 && exec_shield_set(v->exec_shield)) {
			for (k = 0; k < nkids + (dyn_kid >= 0); k++)
				result_line(1, "[%s]: cannot set exec-shield\n",
					    v->name);
			continue;
		}
		for (k = 0; k < nkids; k++)
			run_case(parent_bits, &kids[k], v, k == dyn_kid);
		es_restore();
	}
	es_restore();
	if (have_es) {
		char now[32] = "";

		if (read_text(ES_PATH, now, sizeof(now)) <= 0 ||
		    strcmp(now, es_saved()))
			ksft_exit_fail_msg("%s not restored: was %.*s, is %.*s\n",
					   ES_PATH,
					   (int)strcspn(es_saved(), "\n"),
					   es_saved(),
					   (int)strcspn(now, "\n"), now);
	}

	if (dyn_kid < 0)
		result_line(-1, "dynamic 64-bit child: %s\n",
			    kids[nkids - 1].dynamic ?
			    "its dynamic loader is absent" :
			    "no exec_layout_64_dyn here (no dynamic 64-bit build with an executable first PT_LOAD)");

	if (kernel32) {
		ksft_print_cnts();
		exit(KSFT_SKIP);
	}
	if (ksft_get_fail_cnt())
		ksft_exit_fail();
	if (!ksft_get_pass_cnt()) {
		ksft_print_cnts();
		exit(KSFT_SKIP);
	}
	ksft_exit_pass();
	return 0;
}
