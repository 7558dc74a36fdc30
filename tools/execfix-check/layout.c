// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check: the layout verdict (patch 0001's bug) and, when this host
 * is affected, the workarounds measured here, least weakening first:
 *   1. `ulimit -s unlimited` in each 32-bit service that starts 64-bit
 *      programs (the legacy layout has no exec allocator; only those
 *      services change);
 *   2. the current exec-shield value with only the bits that install the
 *      ia32 allocator cleared (learned: exec_shield.c), when that keeps
 *      exec-shield on (e.g. flag 16 on OpenVZ 042stab);
 *   3. values that turn exec-shield off for the whole host, said as such.
 * Values 0..3 are never offered as equals.  exec-shield is only written
 * as root, and put back after each try and on signals.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "execfix_util.h"
#include "execfix-check.h"

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
	if (es_set(w->es_value) == 0)
		probe_run(1, 0, &w->r);
	else
		snprintf(w->note + strlen(w->note),
			 sizeof(w->note) - strlen(w->note),
			 "; could not set it: %s", strerror(errno));
	es_restore();
}

/*
 * The exec-shield values to try, in order, from the current value and what
 * was learned (learned: alloc[] is es_learn_exec_alloc()'s): first the
 * value with only the allocator's bits cleared, then 0.  Each is
 * WA_ES_CLEARED when exec-shield stays on, WA_ES_OFF when it does not.
 * Returns how many (at most 2).
 */
int wa_plan(int es, int learned, const int *alloc, int *value, int *kind)
{
	int n = 0, bits = learned ? es_alloc_bits(es_candidates, alloc,
						  ES_CANDIDATES) : 0;

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
	if (es_learn_exec_alloc(es_candidates, S.es_alloc, ES_CANDIDATES) == 0) {
		S.es_learned = 1;
		S.es_bits = es_alloc_bits(es_candidates, S.es_alloc,
					  ES_CANDIDATES);
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
