// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check: the layout verdict (patch 0001's bug) and, when this host
 * is affected, the workarounds measured here, least weakening first:
 *   1. `ulimit -s unlimited` in each 32-bit service that starts 64-bit
 *      programs (the legacy layout has no exec allocator; only those
 *      services change);
 *   2. the current exec-shield value with only the bits that install the
 *      ia32 allocator cleared (learned below), when that keeps exec-shield
 *      on (e.g. flag 16 on OpenVZ 042stab);
 *   3. values that turn exec-shield off for the whole host, said as such.
 * Values 0..3 are never offered as equals.  exec-shield is only written
 * as root, and put back after each try and on signals.
 *
 * The measurements are measure/'s: the probe child is layout_probe()
 * (execfix-check --probe), started directly (the 64-bit control) or by
 * the 32-bit helper (as a 32-bit sshd starts a 64-bit shell), optionally
 * with an unlimited stack, and judged by layout_judge() as exec_layout
 * judges; the sysctl is execshield.h's, and es_learn() asks the kernel
 * which values give a 32-bit task the ia32 allocator (the helper's
 * --report, layout_probe() too: the module's get_unmapped_exec_area when
 * loaded, else a PROT_EXEC map below 16 MiB).  EXECFIX_PROBE32=PROGRAM
 * stands a program of the tests in for the probe that the 32-bit parent
 * starts (it prints a probe report): the bug's figures on a kernel
 * without the bug.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "execfix_util.h"
#include "execfix-check.h"

/*
 * Run argv[0] with argv, its stdout into text (key=value lines); a failed
 * exec reports exec_errno=.  Returns -1 when it could not be started.
 */
int run_capture(char *const argv[], char *text, size_t size)
{
	int fd, st;
	pid_t pid = spawn_piped(argv, 0, &fd);

	text[0] = '\0';
	if (pid < 0)
		return -1;
	read_child(fd, pid, text, size, &st);
	return 0;
}

int probe_judge(const char *text, int parent_bits, struct probe_result *r)
{
	struct layout_report l;
	struct layout_judgement j;

	if (layout_parse(text, &l))
		return -1;
	layout_judge(text, &l, parent_bits, -1, &j);
	r->ran = 1;
	r->exec_map = l.have_exec_map ? l.exec_map : 0;
	r->brk_headroom = l.brk_headroom;
	snprintf(r->module_exec_area, sizeof(r->module_exec_area), "%s",
		 l.exec_area);
	r->bad = j.fail;
	return 0;
}

/*
 * --judge-report FILE [PARENT_BITS]: probe_judge() of a saved probe
 * report (tests/measure-agree.sh, beside exec_layout's judgement).
 */
int probe_judge_file(const char *path, int parent_bits)
{
	static char text[REPORT_MAX];
	struct probe_result r;

	memset(&r, 0, sizeof(r));
	if (read_text(path, text, sizeof(text)) <= 0 ||
	    probe_judge(text, parent_bits, &r)) {
		fprintf(stderr, "%s: no probe report\n", path);
		return 2;
	}
	printf("layout=%s\n", r.bad ? "fail" : "pass");
	return r.bad;
}

void probe_run(int via32, int stack, struct probe_result *r)
{
	static char text[REPORT_MAX];
	const char *fake = getenv("EXECFIX_PROBE32");
	char *probe = via32 && fake && *fake ? (char *)fake : self_path;
	char *const a32s[] = { helper_path, "--stack-unlimited", probe, "--probe",
			 NULL };
	char *const a32[] = { helper_path, probe, "--probe", NULL };
	char *const a64[] = { probe, "--probe", NULL };
	unsigned long long e;

	memset(r, 0, sizeof(*r));
	if (run_capture(!via32 ? a64 : stack ? a32s : a32, text, sizeof(text)))
		return;
	if (!kv_get_ull(text, "exec_errno", &e))
		r->exec_errno = (int)e;
	probe_judge(text, via32 ? 32 : 64, r);
}

/* es_learn()'s question: does a 32-bit task get the ia32 allocator? */
static int learn_probe(void *ctx, int value)
{
	static char text[REPORT_MAX];
	char *const argv[] = { helper_path, "--report", NULL };
	struct layout_report l;

	(void)ctx;
	(void)value;
	if (run_capture(argv, text, sizeof(text)) || layout_parse(text, &l) ||
	    !l.have_exec_map)
		return -1;
	/* the module's word when loaded, else the placement */
	if (l.exec_area[0])
		return layout_has_exec_area(&l);
	return l.exec_map < LAYOUT_ARMOR_TOP;
}

int es_is_off(int value)
{
	return !(value & 3);
}

/*
 * Bit b takes the allocator away when some value with b gives a 32-bit
 * task the allocator and the same value without b does not; flag 16 only
 * where es_flag16_matters() (OpenVZ 042stab).
 */
int es_alloc_bits(const int *alloc)
{
	static const int bits[] = { 1, 2, ES_FLAG16 };
	int b, i, j, mask = 0;

	for (b = 0; b < 3; b++) {
		if (bits[b] == ES_FLAG16 && !es_flag16_matters(alloc))
			continue;
		for (i = 0; i < ES_NCAND; i++) {
			if (!(es_candidates[i] & bits[b]) || alloc[i] != 1)
				continue;
			for (j = 0; j < ES_NCAND; j++)
				if (es_candidates[j] ==
				    (es_candidates[i] & ~bits[b]) &&
				    alloc[j] == 0)
					mask |= bits[b];
		}
	}
	return mask;
}

static const char *stack_command =
	"ulimit -s unlimited   # in the start script of each 32-bit service that starts 64-bit programs, before the daemon";

static struct workaround *add_wa(int kind, int value)
{
	struct workaround *w = &S.wa[S.nwa++];

	memset(w, 0, sizeof(*w));
	w->kind = kind;
	w->es_value = value;
	if (kind == WA_STACK) {
		snprintf(w->name, sizeof(w->name), "stack unlimited");
		snprintf(w->command, sizeof(w->command), "%s", stack_command);
		snprintf(w->note, sizeof(w->note),
			 "least weakening: only those services get the legacy layout");
		return w;
	}
	snprintf(w->name, sizeof(w->name), "exec-shield=%d", value);
	snprintf(w->command, sizeof(w->command),
		 "sysctl -w kernel.exec-shield=%d   # and 'kernel.exec-shield = %d' in /etc/sysctl.conf",
		 value, value);
	if (kind == WA_ES_CLEARED)
		snprintf(w->note, sizeof(w->note),
			 "exec-shield stays on (%d): only bit(s) 0x%x, which install the ia32 allocator, cleared",
			 value & 3, S.es & ~value);
	else
		snprintf(w->note, sizeof(w->note),
			 "turns exec-shield OFF for every process on the host (weaker NX and placement)");
	return w;
}

static void try_wa(struct workaround *w)
{
	w->tried = 1;
	if (w->kind == WA_STACK) {
		probe_run(1, 1, &w->r);
		return;
	}
	errno = 0;
	if (es_set(w->es_value) == 0 && es_read() == w->es_value)
		probe_run(1, 0, &w->r);
	else
		snprintf(w->note + strlen(w->note),
			 sizeof(w->note) - strlen(w->note),
			 "; could not set it: %s",
			 errno ? strerror(errno) : "the kernel refused it");
	es_restore();
}

/*
 * The exec-shield values to try, in order, from the current value and what
 * was learned (learned: alloc[] is es_learn()'s): first the
 * value with only the allocator's bits cleared, then 0.  Each is
 * WA_ES_CLEARED when exec-shield stays on, WA_ES_OFF when it does not.
 * Returns how many (at most 2).
 */
int wa_plan(int es, int learned, const int *alloc, int *value, int *kind)
{
	int n = 0, bits = learned ? es_alloc_bits(alloc) : 0;

	if (bits & es) {
		value[n] = es & ~bits;
		kind[n] = es_is_off(value[n]) ? WA_ES_OFF : WA_ES_CLEARED;
		n++;
	}
	if (es != 0 && (!n || value[0] != 0)) {
		value[n] = 0;
		kind[n++] = WA_ES_OFF;
	}
	return n;
}

static void workarounds(void)
{
	int value[2], kind[2], n, i;

	try_wa(add_wa(WA_STACK, -1));
	if (!S.have_es) {
		snprintf(S.wa_why, sizeof(S.wa_why),
			 "no exec-shield sysctl: nothing to vary");
		return;
	}
	if (!S.root) {
		snprintf(S.wa_why, sizeof(S.wa_why),
			 "could not tell which exec-shield values help: not root; nothing changed");
		return;
	}
	if (es_set(S.es)) {
		/* a container's read-only /proc/sys */
		snprintf(S.wa_why, sizeof(S.wa_why),
			 "could not tell which exec-shield values help: the sysctl cannot be written (%s); nothing changed",
			 strerror(errno));
		return;
	}
	es_restore();
	if (es_learn(S.es_alloc, learn_probe, NULL) == 0) {
		int i;

		for (i = 0; i < ES_NCAND; i++)
			if (S.es_alloc[i] == ES_REFUSED)
				S.es_alloc[i] = -1;
		S.es_learned = 1;
		S.es_bits = es_alloc_bits(S.es_alloc);
	}
	n = wa_plan(S.es, S.es_learned, S.es_alloc, value, kind);
	for (i = 0; i < n; i++)
		try_wa(add_wa(kind[i], value[i]));
}

/* execfix_live.ko: entries that found the pointer set and cleared it */
static int live_cleared(unsigned long long *n)
{
	char path[512], buf[8192], st[32];

	procfs_path(path, sizeof(path), "execfix_live");
	if (read_text(path, buf, sizeof(buf)) <= 0 ||
	    kv_get(buf, "layout", st, sizeof(st)) || strcmp(st, "active") ||
	    kv_get_ull(buf, "layout.cleared", n))
		return -1;
	return 0;
}

void layout_check(void)
{
	unsigned long long c0 = 0, c1 = 0;
	int live;

	S.ia32 = -1;
	S.layout = V_UNKNOWN;
	if (S.kernel_bits == 32) {
		/* no 64-bit program runs: nothing to probe, no bug to have */
		S.ia32 = 0;
		S.layout = V_NOT_AFFECTED;
		snprintf(S.layout_why, sizeof(S.layout_why),
			 "not applicable (32-bit kernel): no 64-bit program runs here, so none can be a 64-bit child of a 32-bit parent");
		return;
	}
	if (sizeof(long) == 4) {
		/* this build's probe child would be a 32-bit one */
		snprintf(S.layout_why, sizeof(S.layout_why),
			 "could not tell: this is the 32-bit build of execfix-check, for 32-bit kernels; on this %d-bit kernel run the 64-bit build",
			 S.kernel_bits);
		return;
	}
	probe_run(0, 0, &S.control);
	if (!S.have_helper) {
		snprintf(S.layout_why, sizeof(S.layout_why),
			 "could not tell: this build carries no 32-bit helper");
		return;
	}
	live = live_cleared(&c0) == 0;
	probe_run(1, 0, &S.via32);
	if (!S.via32.ran) {
		if (S.via32.exec_errno == ENOEXEC) {
			S.ia32 = 0;
			S.layout = V_NOT_AFFECTED;
			snprintf(S.layout_why, sizeof(S.layout_why),
				 "no IA32 emulation: no 32-bit parent can exist");
		} else {
			snprintf(S.layout_why, sizeof(S.layout_why),
				 "could not tell: the 32-bit experiment did not run (errno %d)",
				 S.via32.exec_errno);
		}
		return;
	}
	S.ia32 = 1;
	if (!S.control.ran || S.control.bad) {
		snprintf(S.layout_why, sizeof(S.layout_why),
			 "could not tell: the 64-bit control failed too: something else limits this host");
		return;
	}
	if (!S.via32.bad) {
		S.layout = V_NOT_AFFECTED;
		if (live && live_cleared(&c1) == 0 && c1 > c0) {
			S.layout = V_MITIGATED;
			S.live_layout_cleared = 1;
		}
		snprintf(S.layout_why, sizeof(S.layout_why),
			 "a 64-bit program exec'd by a 32-bit parent got its PROT_EXEC map at 0x%llx and %llu MiB of brk%s",
			 S.via32.exec_map, S.via32.brk_headroom / MIB,
			 S.live_layout_cleared ?
			 " because execfix_live.ko cleared the exec allocator (the kernel has the bug)" :
			 "");
		return;
	}
	S.layout = V_AFFECTED;
	snprintf(S.layout_why, sizeof(S.layout_why),
		 "a 64-bit program exec'd by a 32-bit parent got its PROT_EXEC map at 0x%llx (below 4 GiB: %s), brk grew %llu MiB",
		 S.via32.exec_map, S.via32.exec_map < ADDR_4G ? "yes" : "no",
		 S.via32.brk_headroom / MIB);
	workarounds();
}

/*
 * The scan's evidence beside the experiment.  The verdict is the probe's:
 * a 64-bit process with ld.so or a library below 4 GiB is this bug's
 * signature on a kernel with exec-shield, but a loader may ask for low
 * addresses itself (valgrind puts its client's ld.so at 0x4000000), so
 * hits decide only where the probe could not run on an exec-shield
 * kernel; where the probe found no bug they are listed as another cause.
 */
void layout_join_scan(void)
{
	size_t n = strlen(S.layout_why);
	char *w = S.layout_why + n;
	size_t left = sizeof(S.layout_why) - n;

	if (!S.scan.nhits_total)
		return;
	switch (S.layout) {
	case V_MITIGATED:
		snprintf(w, left, "; %d process(es) started before it are hit: restart them",
			 S.scan.nhits_total);
		break;
	case V_UNKNOWN:
		if (!S.have_es)
			break;
		S.layout = V_AFFECTED;
		snprintf(S.layout_why, sizeof(S.layout_why),
			 "%d running 64-bit process(es) have ld.so or a library mapped PROT_EXEC below 4 GiB on this exec-shield kernel: the bug's signature (the experiment could not run)",
			 S.scan.nhits_total);
		break;
	case V_NOT_AFFECTED:
		snprintf(w, left, "; the %d process(es) listed with files mapped PROT_EXEC below 4 GiB were placed there by another cause (their own loader)",
			 S.scan.nhits_total);
		break;
	default:
		break;
	}
}
