// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check: the report for a person (text) and for fleet tools
 * (--format json, one object); the exit code of both.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <string.h>

#include "exit-codes.h"
#include "lowmem.h"
#include "execfix-check.h"

int overall_exit(void)
{
	if (S.layout == V_AFFECTED || S.interp == V_AFFECTED ||
	    (S.have_integrity && S.hooked))
		return EX_FAIL;
	if (S.layout == V_UNKNOWN || S.interp == V_UNKNOWN)
		return EX_SKIP;
	return EX_OK;
}

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

static void json_procs(const char *key, const struct proc_entry *p, int n)
{
	int i;

	printf("\"%s\":[", key);
	for (i = 0; i < n; i++) {
		printf("%s{\"pid\":%d,\"ppid\":%d,", i ? "," : "", p[i].pid,
		       p[i].ppid);
		json_str("comm", p[i].comm, 1);
		json_str("parent_comm", p[i].pcomm, 1);
		printf("\"low_map\":%llu,", p[i].low_map);
		json_str("file", p[i].file, 0);
		printf("}");
	}
	printf("]");
}

static void json_kmap(void)
{
	const struct kmap_match *m = &S.kmap;

	printf("\"kernel_map\":{");
	json_str("source", m->source, 1);
	if (!m->loaded) {
		json_str("status", "unavailable", 1);
		json_str("why", m->why, 0);
	} else if (!m->found) {
		json_str("status", "not_in_map", 0);
	} else {
		json_str("status", "found", 1);
		json_str("uname", m->row.uname, 1);
		json_str("tree", m->row.tree, 1);
		json_str("kind", m->row.kind, 1);
		json_str("source_repo", m->row.source, 1);
		json_str("commit", m->row.commit, 1);
		json_str("layout", m->row.layout, 1);
		json_str("interp", m->row.interp, 1);
		json_str("proof", m->row.proof, 0);
	}
	printf("},");
}

/* a number of hours, or null (not leaking, or no rate) */
static void json_hours(const char *key, double h, int comma)
{
	if (h < 0)
		printf("\"%s\":null%s", key, comma ? "," : "");
	else
		printf("\"%s\":%.1f%s", key, h, comma ? "," : "");
}

/* null where /proc/meminfo has no LowFree (a 64-bit kernel) */
static void json_lowmem(void)
{
	if (S.low_free_kb < 0) {
		printf("null");
		return;
	}
	printf("{\"low_total_kb\":%lld,\"low_free_kb\":%lld,\"bytes_per_exec\":%.1f,\"execs_per_s\":%.1f,",
	       S.low_total_kb, S.low_free_kb, S.low_bytes_per_exec,
	       S.leak.rate);
	json_hours("hours_at_measured_rate", S.low_hours, 1);
	json_hours("hours_at_10_per_s", S.low_hours_typical, 0);
	printf("}");
}

void print_json(int code)
{
	int i;

	printf("{");
	json_str("tool", "execfix-check", 1);
	json_str("host", S.uts.nodename, 1);
	json_str("kernel", S.uts.release, 1);
	json_str("rhel", S.rhel, 1);
	json_kmap();
	printf("\"exec_shield\":%d,\"randomize_va_space\":%d,\"ia32\":%d,\"root\":%d,",
	       S.es, S.aslr, S.ia32, S.root);
	printf("\"kernel_bits\":%d,", S.kernel_bits);
	printf("\"layout\":{");
	json_str("verdict", verdict_name[S.layout], 1);
	printf("\"applicable\":%d,", S.kernel_bits != 32);
	json_str("why", S.layout_why, 1);
	json_probe("control_64", &S.control);
	json_probe("parent_32", &S.via32);
	printf("\"exec_shield_learned\":%d,\"exec_shield_alloc_bits\":%d,",
	       S.es_learned, S.es_bits);
	json_str("workarounds_why", S.wa_why, 1);
	printf("\"workarounds\":[");
	for (i = 0; i < S.nwa; i++) {
		const struct workaround *w = &S.wa[i];
		static const char *const kind[] = {
			"stack", "exec_shield_bits_cleared", "exec_shield_off"
		};

		printf("%s{", i ? "," : "");
		json_str("name", w->name, 1);
		json_str("kind", kind[w->kind], 1);
		json_str("command", w->command, 1);
		json_str("note", w->note, 1);
		printf("\"ran\":%d,\"works\":%d,\"exec_map\":%llu,\"brk_headroom\":%llu}",
		       w->r.ran, w->r.ran && !w->r.bad, w->r.exec_map,
		       w->r.brk_headroom);
	}
	printf("],\"processes_scanned\":%d,\"processes_unreadable\":%d,\"processes_hit\":%d,",
	       S.scan.scanned, S.scan.unreadable, S.scan.nhits_total);
	json_procs("processes", S.scan.hits, S.scan.nhits);
	printf(",\"anon_low_exec\":{");
	json_str("what", "anonymous exec maps below 4 GiB: JIT caches, not evidence", 1);
	printf("\"count\":%d,", S.scan.nanon_total);
	json_procs("processes", S.scan.anon, S.scan.nanon);
	printf("}},\"interp\":{");
	json_str("verdict", verdict_name[S.interp], 1);
	json_str("why", S.interp_why, 1);
	json_str("cache", S.leak.cache, 1);
	json_str("drain", S.leak.drain ? S.leak.drain : "none", 1);
	json_str("rule", S.leak.rule ? S.leak.rule : "", 1);
	if (S.have_leak_pe)
		printf("\"leak_per_exec\":%.3f,", S.leak_per_exec);
	else
		printf("\"leak_per_exec\":null,");
	printf("\"noise\":%lld,", S.leak.noise);
	printf("\"execs_per_round\":%ld,\"rounds\":%d,\"growth_per_exec\":[",
	       S.execs, S.leak.rounds);
	for (i = 0; i < S.leak.rounds; i++)
		printf("%s%.3f", i ? "," : "", S.leak.growth[i]);
	printf("],\"control_growth_per_exec\":[");
	for (i = 0; i < S.leak.control_rounds; i++)
		printf("%s%.3f", i ? "," : "", S.leak.control_growth[i]);
	printf("]");
	if (S.have_mod)
		printf(",\"module_allocated\":%llu,\"module_freed\":%llu",
		       S.mod_alloc, S.mod_freed);
	if (S.have_live) {
		printf(",");
		json_str("live_state", S.live_state, 1);
		printf("\"live_allocated\":%llu,\"live_kernel_freed\":%llu,\"live_fixed\":%llu",
		       S.live_alloc, S.live_kfreed, S.live_fixed);
	}
	printf("},\"lowmem\":");
	json_lowmem();
	printf(",\"integrity\":{");
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

static void print_kmap(void)
{
	const struct kmap_match *m = &S.kmap;

	if (!m->loaded)
		printf("kernel map: unavailable (%s)\n", m->why);
	else if (!m->found)
		printf("kernel map (%s): %s is not in the map\n", m->source,
		       S.uts.release);
	else
		printf("kernel map (%s): %s = %s (%s, %s): layout %s, interp %s, proof %s\n",
		       m->source, m->row.uname, m->row.tree, m->row.kind,
		       m->row.source, m->row.layout, m->row.interp,
		       m->row.proof);
}

static void print_procs(const struct proc_entry *p, int n, int total)
{
	int i;

	for (i = 0; i < n; i++)
		printf("    pid %d (%s), parent %d (%s): %s at 0x%llx\n",
		       p[i].pid, p[i].comm, p[i].ppid, p[i].pcomm, p[i].file,
		       p[i].low_map);
	if (total > n)
		printf("    ... and %d more\n", total - n);
}

static void print_workarounds(void)
{
	int i, works = 0;

	if (!S.nwa && !S.wa_why[0])
		return;
	printf("  workarounds measured here (least weakening first):\n");
	for (i = 0; i < S.nwa; i++) {
		char label[64];

		snprintf(label, sizeof(label), "  %s:", S.wa[i].name);
		print_probe(label, &S.wa[i].r);
	}
	if (S.wa_why[0])
		printf("  exec-shield: %s\n", S.wa_why);
	if (S.es_learned) {
		int any = 0;

		printf("  exec-shield values that give a 32-bit task the ia32 exec allocator here:");
		for (i = 0; i < ES_NCAND; i++)
			if (S.es_alloc[i] == 1)
				printf(" %d", es_candidates[i]), any = 1;
		if (S.es_bits)
			printf("%s (bits 0x%x install it)\n", any ? "" : " none",
			       S.es_bits);
		else
			printf("%s (%s)\n", any ? "" : " none", any ?
			       "every value: no exec-shield bit takes it away" :
			       "no value installs it");
	}
	printf("  recommended, in this order (each worked here):\n");
	for (i = 0; i < S.nwa; i++) {
		if (!S.wa[i].r.ran || S.wa[i].r.bad)
			continue;
		printf("    %d. %s\n       (%s)\n", ++works, S.wa[i].command,
		       S.wa[i].note);
	}
	if (!works)
		printf("    none of them: install a kernel with patch 0001 (2.6.32-504.el6 or later) or load execfix_live.ko\n");
}

/* Lowmem (32-bit HIGHMEM kernels), and when the leak has eaten it. */
static void print_lowmem(void)
{
	if (S.low_free_kb < 0)
		return;
	printf("  lowmem: LowFree %lld kB of LowTotal %lld kB", S.low_free_kb,
	       S.low_total_kb);
	if (S.low_hours_typical < 0) {
		printf("%s\n", S.interp == V_AFFECTED ? "" :
		       ": this bug does not eat it here");
		return;
	}
	printf("; the leak keeps %.1f bytes of it per '#!' exec:\n",
	       S.low_bytes_per_exec);
	if (S.low_hours >= 0)
		printf("    gone in %.1f hours at %.0f '#!' execs/s (the rate measured here)\n",
		       S.low_hours, S.leak.rate);
	printf("    gone in %.0f hours (%.1f days) at %.0f execs/s\n",
	       S.low_hours_typical, S.low_hours_typical / 24,
	       LOWMEM_TYPICAL_RATE);
}

void print_text(int code)
{
	char es[32];

	printf("execfix-check on %s\n", S.uts.nodename);
	printf("kernel: %s%s%s\n", S.uts.release, S.rhel[0] ? ", " : "",
	       S.rhel);
	print_kmap();
	snprintf(es, sizeof(es), "%d", S.es);
	printf("exec-shield: %s, randomize_va_space: %d, IA32 emulation: %s\n",
	       S.have_es ? es : "absent (no exec-shield)",
	       S.aslr, S.kernel_bits == 32 ? "none (32-bit kernel)" :
	       S.ia32 > 0 ? "yes" : S.ia32 ? "unknown" : "no");
	if (!S.root)
		printf("note: not root: exec-shield values not tried, slabinfo and other users' processes unreadable\n");

	printf("\nlayout bug (0001): %s\n  %s\n",
	       S.kernel_bits == 32 ? "not applicable (32-bit kernel)" :
	       verdict_name[S.layout], S.layout_why);
	if (S.kernel_bits != 32) {
		print_probe("64-bit parent (control):", &S.control);
		print_probe("32-bit parent:", &S.via32);
	}
	print_workarounds();
	printf("  64-bit processes scanned: %d; hit (ld.so or a library PROT_EXEC below 4 GiB): %d\n",
	       S.scan.scanned, S.scan.nhits_total);
	print_procs(S.scan.hits, S.scan.nhits, S.scan.nhits_total);
	if (S.scan.nanon_total) {
		printf("  anonymous exec maps below 4 GiB: JIT caches, not evidence: %d process(es)\n",
		       S.scan.nanon_total);
		print_procs(S.scan.anon, S.scan.nanon, S.scan.nanon_total);
	}
	if (S.scan.unreadable)
		printf("  %d process(es) could not be read%s\n", S.scan.unreadable,
		       S.root ? "" : " (not root)");

	printf("\ninterp leak (0002): %s\n  %s\n", verdict_name[S.interp],
	       S.interp_why);
	{
		int i;

		for (i = 0; i < S.leak.control_rounds; i++)
			printf("  control %d: %s grew %.3f objects/plain exec\n",
			       i + 1, S.leak.cache, S.leak.control_growth[i]);
		for (i = 0; i < S.leak.rounds && S.leak.slab; i++)
			printf("  round %d: %s grew %.3f objects/'#!' exec\n",
			       i + 1, S.leak.cache, S.leak.growth[i]);
	}
	if (S.have_mod)
		printf("  execfix.ko: %llu interpreter names allocated, %llu freed\n",
		       S.mod_alloc, S.mod_freed);
	if (S.have_live)
		printf("  execfix_live.ko: interp %s: %llu allocated, %llu freed by the kernel, %llu freed by the module\n",
		       S.live_state, S.live_alloc, S.live_kfreed, S.live_fixed);
	print_lowmem();

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
