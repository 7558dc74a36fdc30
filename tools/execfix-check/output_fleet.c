// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check for fleet monitoring.
 *
 * --format prometheus: the text exposition format of node_exporter's
 * textfile collector, every metric with HELP and TYPE.  execfix_verdict
 * {bug="layout"|"interp"} encodes 0 not affected, 1 affected, 2 could not
 * tell, 3 mitigated (execfix_live.ko hides a bug the kernel has).  The
 * affected-kernel map's row is execfix_kernel_info's labels.
 *
 * --format nagios: one status line "EXECFIX STATE - text | perfdata" and
 * the Nagios plugin exit codes: 2 CRITICAL affected (or a hooked syscall
 * table), 3 UNKNOWN could not tell, 1 WARNING mitigated but not fixed, 0 OK.
 * The worse state wins, in that order.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <string.h>

#include "exit-codes.h"
#include "execfix-check.h"

enum { NAGIOS_OK, NAGIOS_WARNING, NAGIOS_CRITICAL, NAGIOS_UNKNOWN };

static void label(const char *name, const char *v, int comma)
{
	printf("%s=\"", name);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			printf("\\%c", *v);
		else if (*v == '\n')
			printf("\\n");
		else
			putchar(*v);
	}
	printf("\"%s", comma ? "," : "");
}

static void head(const char *name, const char *help)
{
	printf("# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

void print_prometheus(int code)
{
	const struct kmap_match *m = &S.kmap;

	head("execfix_verdict",
	     "Verdict per bug: 0 not affected, 1 affected, 2 could not tell, 3 mitigated (execfix_live.ko hides a bug the kernel has).");
	printf("execfix_verdict{bug=\"layout\"} %d\n", (int)S.layout);
	printf("execfix_verdict{bug=\"interp\"} %d\n", (int)S.interp);
	head("execfix_leak_objects_per_exec",
	     "Interpreter names left behind per '#!' exec (exact counts or slab growth); NaN when not measured.");
	if (!S.have_leak_pe)
		printf("execfix_leak_objects_per_exec NaN\n");
	else
		printf("execfix_leak_objects_per_exec %.3f\n", S.leak_per_exec);
	head("execfix_leak_noise_objects",
	     "Largest slab growth of the control loop (plain execs), objects per round.");
	printf("execfix_leak_noise_objects %lld\n", S.leak.noise);
	head("execfix_hit_processes",
	     "64-bit processes with ld.so or a library mapped PROT_EXEC below 4 GiB (the layout bug's signature).");
	printf("execfix_hit_processes %d\n", S.scan.nhits_total);
	head("execfix_anon_low_exec_processes",
	     "64-bit processes with anonymous PROT_EXEC maps below 4 GiB: JIT caches, not evidence.");
	printf("execfix_anon_low_exec_processes %d\n", S.scan.nanon_total);
	head("execfix_unreadable_processes",
	     "Processes whose maps could not be read (not root).");
	printf("execfix_unreadable_processes %d\n", S.scan.unreadable);
	head("execfix_syscall_hooked",
	     "System call table entries pointing into modules (execfix.ko integrity); NaN without execfix.ko.");
	if (S.have_integrity)
		printf("execfix_syscall_hooked %ld\n", S.hooked);
	else
		printf("execfix_syscall_hooked NaN\n");
	head("execfix_kernel_info",
	     "The running release and its row of the affected-kernel map (in_map 0: not in the map).");
	printf("execfix_kernel_info{");
	label("release", S.uts.release, 1);
	label("in_map", m->found ? "1" : "0", 1);
	label("tree", m->found ? m->row.tree : "", 1);
	label("kind", m->found ? m->row.kind : "", 1);
	label("map_layout", m->found ? m->row.layout : "", 1);
	label("map_interp", m->found ? m->row.interp : "", 1);
	label("map_proof", m->found ? m->row.proof : "", 0);
	printf("} 1\n");
	head("execfix_exit_code", "execfix-check's exit code (docs/design.md).");
	printf("execfix_exit_code %d\n", code);
	head("execfix_check_duration_seconds", "How long the check took.");
	printf("execfix_check_duration_seconds %.2f\n", S.seconds);
	head("execfix_last_run_timestamp_seconds",
	     "When the check started, seconds since the epoch.");
	printf("execfix_last_run_timestamp_seconds %lld\n", S.started);
}

static const char *word(enum verdict v)
{
	static const char *const w[] = {
		"not affected", "AFFECTED", "could not tell", "mitigated"
	};

	return w[v];
}

/* Text before the '|': no '|' and no newline in it. */
static void clean(char *s)
{
	for (; *s; s++)
		if (*s == '|' || *s == '\n')
			*s = '/';
}

int print_nagios(void)
{
	static const char *const state[] = {
		"OK", "WARNING", "CRITICAL", "UNKNOWN"
	};
	char text[1024], map[200];
	int code = overall_exit(), st;

	if (code == EX_FAIL)
		st = NAGIOS_CRITICAL;
	else if (code == EX_SKIP)
		st = NAGIOS_UNKNOWN;
	else if (S.layout == V_MITIGATED || S.interp == V_MITIGATED)
		st = NAGIOS_WARNING;
	else
		st = NAGIOS_OK;
	if (!S.kmap.loaded)
		snprintf(map, sizeof(map), "map unavailable");
	else if (!S.kmap.found)
		snprintf(map, sizeof(map), "not in the map");
	else
		snprintf(map, sizeof(map), "map: layout %s, interp %s",
			 S.kmap.row.layout, S.kmap.row.interp);
	snprintf(text, sizeof(text),
		 "layout %s, interp leak %s%s%s; %d hit process(es); kernel %s (%s)",
		 word(S.layout), word(S.interp),
		 S.have_integrity && S.hooked ? ", syscall table HOOKED" : "",
		 S.interp == V_UNKNOWN || S.layout == V_UNKNOWN ? " (see --format text)" : "",
		 S.scan.nhits_total, S.uts.release, map);
	clean(text);
	printf("EXECFIX %s - %s | ", state[st], text);
	if (!S.have_leak_pe)
		printf("leak_per_exec=U;;%.1f;0 ", LEAK_PER_EXEC);
	else
		printf("leak_per_exec=%.3f;;%.1f;0 ", S.leak_per_exec,
		       LEAK_PER_EXEC);
	printf("hit_processes=%d;;;0 anon_low_exec_processes=%d;;;0 duration=%.2fs;;;0\n",
	       S.scan.nhits_total, S.scan.nanon_total, S.seconds);
	return st;
}
