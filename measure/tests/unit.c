// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the measurement library: every rule on fixtures
 * (in FIXTURES: .seq slabinfo sequences, .report layout probe reports,
 * .maps maps files) and on hand-made counts.  Usage: unit FIXTURES.
 * TAP 13 (kselftest.h), exit 0 pass, 1 fail.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest.h"
#include "arch.h"
#include "execloop.h"
#include "execshield.h"
#include "kmod.h"
#include "kv.h"
#include "layout.h"
#include "leak.h"
#include "lowmem.h"
#include "seq.h"
#include "slab.h"

/* tests other than one per fixture file */
#define NTESTS	32

static const char *fixtures;
static char text[SLABINFO_MAX];

static const char *fixture(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", fixtures, name);
	return buf;
}

static const char rnd_text[] =
	"kmalloc-32 10 20\n"
	"kmalloc-rnd-01-32 5 9\n"
	"kmalloc-rnd-02-32 7 9\n"
	"kmalloc-rnd-01-64 100 100\n";
static const char tun_text[] =
	"size-64 3 4 : tunables 120 60 8 : slabdata 1 1 0\n"
	"size-32 5 6 : tunables  120   60    8 : slabdata 1 1 0\n";

static void test_slab(void)
{
	char path[512], line[128], name[32];
	struct leak_seq s;
	char err[256];

	ksft_test_result(!slab_read(fixture("slub-drained-clean.seq", path,
					    sizeof(path)), text, sizeof(text)),
			 "slab_read reads a file\n");
	ksft_test_result(slab_kind_of("slabinfo - version: 2.1\nkmalloc-32 1 2\n") == SLAB_SLUB &&
			 slab_kind_of("slabinfo - version: 2.1\nsize-32 1 2\n") == SLAB_SLAB &&
			 slab_kind_of("slabinfo - version: 2.1\ntask_struct 1 2\n") == SLAB_NONE,
			 "slab_kind_of: SLUB, SLAB, neither\n");
	ksft_test_result(slab_active(rnd_text, SLAB_SLUB, 32) == 22 &&
			 slab_active("kmalloc-32 10 20\n", SLAB_SLUB, 64) == -1,
			 "slab_active sums kmalloc-N and kmalloc-rnd-NN-N, -1 for none\n");
	ksft_test_result(!slab_tunables(tun_text, 32, line, sizeof(line)) &&
			 !strcmp(line, "size-32 120 60 8") &&
			 slab_tunables("size-32 5 6\n", 32, line, sizeof(line)) == -1,
			 "slab_tunables: the line that writes them back unchanged\n");
	ksft_test_result(!strcmp(slab_cache_name(SLAB_SLAB, 32, name, sizeof(name)), "size-32") &&
			 !strcmp(slab_cache_name(SLAB_SLUB, 96, name, sizeof(name)), "kmalloc-96"),
			 "slab_cache_name\n");
	ksft_test_result(!leak_seq_load(fixture("slub-rnd-drained-leak.seq", path,
						sizeof(path)), &s, err, sizeof(err)) &&
			 s.kind == SLAB_SLUB && s.nloop == 2 &&
			 s.loop[0].after - s.loop[0].before == 500,
			 "slabinfo sequence: kmalloc-rnd readings summed\n");
}

static struct leak_round rnd(long n, long long growth)
{
	struct leak_round r;

	memset(&r, 0, sizeof(r));
	r.n = n;
	r.before = 1000;
	r.after = 1000 + growth;
	return r;
}

/* A round of n execs in four parts that grew p0..p3, its execs taking secs */
static struct leak_round rnd4(long n, long long p0, long long p1,
			      long long p2, long long p3, double secs)
{
	struct leak_round r = rnd(n, p0 + p1 + p2 + p3);

	r.nparts = 4;
	r.part[0] = p0;
	r.part[1] = p1;
	r.part[2] = p2;
	r.part[3] = p3;
	r.secs = secs;
	return r;
}

static enum leak_verdict judge(int drained, const struct leak_round *c, int nc,
			       const struct leak_round *r, int n,
			       const char **rule)
{
	struct leak_judgement j;

	leak_judge(&leak_rule, drained, c, nc, r, n, &j);
	*rule = j.rule;
	return j.verdict;
}

static void test_leak_rule(void)
{
	struct leak_round c[3], r[3];
	const char *rule;

	c[0] = rnd(500, 5);
	c[1] = rnd(500, -10);
	r[0] = rnd4(500, 1, 0, 2, 0, 0);
	r[1] = rnd4(500, 0, 1, 0, 1, 0);
	ksft_test_result(judge(1, c, 2, r, 1, &rule) == LEAK_MORE &&
			 judge(1, c, 2, r, 2, &rule) == LEAK_CLEAN &&
			 !strcmp(rule, "2 rounds agree"),
			 "rule: no round decides alone; two flat rounds are clean\n");
	r[0] = rnd4(500, 125, 124, 126, 125, 0);
	r[1] = rnd4(500, 120, 130, 125, 125, 0);
	ksft_test_result(judge(1, c, 2, r, 2, &rule) == LEAK_LEAKY,
			 "rule: two rounds growing ~1/exec in every part are leaky\n");
	r[0] = rnd4(500, 0, 0, 400, 0, 0);
	r[1] = rnd4(500, 0, 0, 0, 400, 0);
	ksft_test_result(judge(1, c, 2, r, 2, &rule) == LEAK_UNKNOWN &&
			 !strcmp(rule, "a round's parts disagree (noise in steps)"),
			 "rule: a step of noise in one part is no leak: could not tell\n");
	r[0] = rnd4(500, 125, 125, -300, 125, 0);
	ksft_test_result(judge(1, c, 2, r, 2, &rule) == LEAK_UNKNOWN,
			 "rule: a leak with objects freed in one part: could not tell, not clean\n");
	r[0] = rnd4(500, 125, 125, 125, 125, 0);
	r[1] = rnd4(500, 0, 1, 0, 1, 0);
	ksft_test_result(judge(1, c, 2, r, 2, &rule) == LEAK_UNKNOWN &&
			 !strcmp(rule, "rounds disagree"),
			 "rule: rounds that disagree: could not tell\n");
	c[2] = rnd(500, 250);
	r[0] = rnd4(500, 1, 0, 2, 0, 0);
	r[1] = rnd4(500, 0, 1, 0, 1, 0);
	ksft_test_result(judge(1, c, 3, r, 2, &rule) == LEAK_UNKNOWN &&
			 !strcmp(rule, "control noise beyond the bound") &&
			 (c[2] = rnd(500, 249), judge(1, c, 3, r, 2, &rule)) == LEAK_CLEAN,
			 "rule: a control round growing n/2 or more: could not tell\n");
	c[2] = rnd(500, 100);
	c[2].secs = 0.5;
	r[0] = rnd4(500, 1, 0, 2, 0, 1.5);
	r[1] = rnd4(500, 0, 1, 0, 1, 0.5);
	ksft_test_result(judge(1, c, 3, r, 2, &rule) == LEAK_UNKNOWN &&
			 leak_round_noise(c, 3, &r[0]) == 300 &&
			 leak_round_noise(c, 3, &r[1]) == 100,
			 "rule: control noise scaled to a longer round (100 in 0.5 s is 300 in 1.5 s)\n");
	ksft_test_result(judge(1, c, 0, r, 2, &rule) == LEAK_UNKNOWN &&
			 !strcmp(rule, "no control loop"),
			 "rule: no control loop: could not tell\n");
	r[0] = rnd(199, 0);
	ksft_test_result(judge(1, c, 2, r, 1, &rule) == LEAK_UNKNOWN &&
			 !strcmp(rule, "too few execs per round"),
			 "rule: fewer than 200 drained execs: could not tell\n");
	r[0] = rnd(499, 0);
	ksft_test_result(judge(0, c, 2, r, 1, &rule) == LEAK_UNKNOWN,
			 "rule: fewer than 500 undrained execs: could not tell\n");
	r[0] = rnd(1000, -300);
	r[1] = rnd(1000, 300);
	ksft_test_result(judge(0, c, 2, r, 2, &rule) == LEAK_CLEAN,
			 "rule: a shrinking cache counts as clean\n");
	r[0] = rnd(1000, 300);
	r[1] = rnd(1000, 350);
	ksft_test_result(leak_noise_bound(r, 2) == 350 &&
			 leak_noise_bound(r, 0) == -1,
			 "rule: the noise bound is the control's largest |growth|\n");
	ksft_test_result(leak_parts(&leak_rule, 1) == 2 &&
			 leak_parts(&leak_rule, 0) == 2,
			 "rule: rounds read in 2 parts\n");
}

/* expect=... and rule=... of a sequence file's header */
static void header_word(const char *path, const char *key, char *val,
			size_t size)
{
	char line[256] = "", *p;
	FILE *f = fopen(path, "r");

	val[0] = '\0';
	if (!f)
		return;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	p = strstr(line, key);
	if (p)
		snprintf(val, size, "%.*s", (int)strcspn(p + strlen(key), "\n "),
			 p + strlen(key));
}

static const char *rule_word(const char *rule)
{
	if (!strcmp(rule, "2 rounds agree"))
		return "2agree";
	if (!strcmp(rule, "a round's parts disagree (noise in steps)"))
		return "parts";
	if (!strcmp(rule, "rounds disagree"))
		return "disagree";
	if (!strcmp(rule, "control noise beyond the bound"))
		return "noise";
	if (!strcmp(rule, "too few execs per round"))
		return "few";
	return rule;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n > s && !strcmp(name + n - s, suffix);
}

/*
 * fn(name, path) for each fixture whose name ends in suffix, in name
 * order; returns how many (fn may be NULL: only count).
 */
static unsigned int each_fixture(const char *suffix,
				 void (*fn)(const char *name, const char *path))
{
	struct dirent **list;
	int i, n = scandir(fixtures, &list, NULL, by_name);
	unsigned int count = 0;
	char path[512];

	for (i = 0; i < n; i++) {
		if (has_suffix(list[i]->d_name, suffix)) {
			count++;
			if (fn)
				fn(list[i]->d_name, fixture(list[i]->d_name,
							    path, sizeof(path)));
		}
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	return count;
}

static void leak_fixture(const char *name, const char *path)
{
	char err[256], want[32], want_rule[32];
	struct leak_judgement j;
	struct leak_seq s;

	header_word(path, "expect=", want, sizeof(want));
	header_word(path, "rule=", want_rule, sizeof(want_rule));
	if (leak_seq_load(path, &s, err, sizeof(err))) {
		ksft_test_result_fail("%s: %s\n", name, err);
		return;
	}
	leak_judge(&leak_rule, s.drained, s.control, s.ncontrol, s.loop,
		   s.nloop, &j);
	ksft_test_result(!strcmp(leak_verdict_name(j.verdict), want) &&
			 !strcmp(rule_word(j.rule), want_rule),
			 "%s: %s by %s after %d rounds (want %s by %s)\n",
			 name, leak_verdict_name(j.verdict), j.rule, j.rounds,
			 want, want_rule);
}

static void layout_fixture(const char *name, const char *path)
{
	struct layout_judgement j;
	struct layout_report r;
	unsigned long long pb = 64;
	char want[16] = "";

	if (slab_read(path, text, sizeof(text)) || layout_parse(text, &r)) {
		ksft_test_result_fail("%s: unreadable\n", name);
		return;
	}
	kv_get(text, "expect", want, sizeof(want));
	kv_get_ull(text, "parent_bits", &pb);
	layout_judge(text, &r, (int)pb, -1, &j);
	ksft_test_result(!strcmp(j.fail ? "fail" : "pass", want),
			 "%s: %s%s%s (want %s)\n", name,
			 j.fail ? "fail" : "pass", j.nwhy ? ": " : "",
			 j.nwhy ? j.why[0] : "", want);
}

static void test_maps(void)
{
	struct layout_libs libs;
	char path[512];

	slab_read(fixture("dyn-unpatched.maps", path, sizeof(path)), text,
		  sizeof(text));
	layout_lib_maps(text, "", "/tests/exec_layout_64_dyn", &libs, NULL,
			NULL);
	ksft_test_result(libs.total == 3 && libs.low == 2 &&
			 libs.lowest == 0x3c1000,
			 "maps: unpatched dynamic child: 2 of 3 libraries below 4 GiB, lowest 0x%llx\n",
			 libs.lowest);
	slab_read(fixture("dyn-patched.maps", path, sizeof(path)), text,
		  sizeof(text));
	layout_lib_maps(text, "", "/tests/exec_layout_64_dyn", &libs, NULL,
			NULL);
	ksft_test_result(libs.total == 3 && libs.low == 0,
			 "maps: patched dynamic child: 3 libraries, none below 4 GiB\n");
	slab_read(fixture("layout-64-of-32-unpatched.report", path,
			  sizeof(path)), text, sizeof(text));
	layout_lib_maps(text, "map=", "/tests/exec_layout_64", &libs, NULL,
			NULL);
	ksft_test_result(libs.total == 0,
			 "maps: map= lines of a report; anonymous maps are no library\n");
}

/* The exec loop and the storm on this host, with true(1) and false(1). */
static void test_execloop(void)
{
	char *const yes[] = { "/bin/true", NULL };
	char *const no[] = { "/bin/false", NULL };
	char *const *const argvs[] = { yes, no };
	const int want[] = { 0, 0 };
	struct exec_stats st, st2;
	struct exec_storm storm;
	int rc, rc2;

	rc = exec_loop(yes, 5, 0, &st);
	rc2 = exec_loop(no, 3, 0, &st2);
	ksft_test_result(!rc && !st.bad && !rc2 && st2.bad == 3 &&
			 WIFEXITED(st2.first_bad) &&
			 WEXITSTATUS(st2.first_bad) == 1,
			 "exec_loop: 5 of true pass, 3 of false counted bad (exit 1)\n");
	rc = exec_storm_start(&storm, 2, argvs, want, 2);
	usleep(200000);
	exec_storm_stop(&storm);
	ksft_test_result(!rc && *storm.ok > 0 && *storm.failed > 0,
			 "exec storm: 2 children, true counted ok (%ld), false failed (%ld)\n",
			 *storm.ok, *storm.failed);
}

static void test_misc(void)
{
	int rhel[ES_NCAND] = { 0, 1, 1, 1, 0, 1, 1, 1 };
	int ovz[ES_NCAND] = { 0, 0, 0, 0, 0, 1, 1, 1 };
	int partial[ES_NCAND] = { 0, 1, 1, 1, -1, -1, -1, -1 };
	unsigned long long v;
	char name[64], val[16];

	ksft_test_result(!es_flag16_matters(rhel) && es_flag16_matters(ovz) &&
			 !es_flag16_matters(partial),
			 "exec-shield: flag 16 matters on OpenVZ only\n");
	ksft_test_result(!strcmp(kmod_name("/tests/binfmt-misc.ko", name,
					   sizeof(name)), "binfmt_misc") &&
			 !strcmp(kmod_name("execfix.ko", name, sizeof(name)),
				 "execfix"),
			 "kmod_name: basename, no .ko, '-' as '_'\n");
	ksft_test_result(!kv_get("a=1\nkey=x y\n", "key", val, sizeof(val)) &&
			 !strcmp(val, "x y") && kv_get("akey=1\n", "key", val, sizeof(val)) &&
			 !kv_get_ull("n=0x10\n", "n", &v) && v == 16,
			 "kv: whole keys at line starts, numbers in any base\n");
}

static const char meminfo_text[] =
	"MemTotal:        1543020 kB\n"
	"LowTotal:         895912 kB\n"
	"LowFree:          894716 kB\n"
	"Slab:               2868 kB\n";
static const char geo_text[] =
	"slabinfo - version: 2.1\n"
	"size-64 3 59 64 59 1 : tunables 120 60 8 : slabdata 1 1 0\n"
	"size-32 2373 2486 32 113 1 : tunables 120 60 8 : slabdata 22 22 0\n"
	"kmalloc-32 100 128 32 128 1 : tunables 0 0 0 : slabdata 1 1 0\n";

static const char zoneinfo_text[] =
	"Node 0, zone      DMA\n  pages free     3968\n  pagesets\n    cpu: 0\n"
	"              count: 2\n              high:  0\n"
	"Node 0, zone   Normal\n  pages free     223000\n  pagesets\n    cpu: 0\n"
	"              count: 167\n              high:  186\n    cpu: 1\n"
	"              count: 30\n"
	"Node 0, zone  HighMem\n  pagesets\n    cpu: 0\n              count: 90\n";

static void test_lowmem(void)
{
	double c32 = slab_object_cost(geo_text, SLAB_SLAB, 32, 4096);
	double h;

	ksft_test_result(meminfo_kb(meminfo_text, "LowFree") == 894716 &&
			 meminfo_kb(meminfo_text, "Slab") == 2868 &&
			 meminfo_kb(meminfo_text, "HighFree") == -1 &&
			 meminfo_kb(meminfo_text, "Low") == -1,
			 "meminfo_kb: whole keys, -1 for a line it does not have\n");
	ksft_test_result(zoneinfo_lowmem_pcp(zoneinfo_text) == 199 &&
			 zoneinfo_lowmem_pcp("nothing\n") == -1,
			 "zoneinfo_lowmem_pcp: per-CPU free pages of every zone but HighMem\n");
	ksft_test_result(c32 > 36.24 && c32 < 36.25 &&
			 slab_object_cost(geo_text, SLAB_SLUB, 32, 4096) == 32.0 &&
			 slab_object_cost(geo_text, SLAB_SLAB, 96, 4096) == 0 &&
			 slab_object_cost("size-32 1 2\n", SLAB_SLAB, 32, 4096) == 0,
			 "slab_object_cost: page per objects of the slab (size-32: 4096/113), 0 unknown\n");
	/* 1 GiB at 1 KiB per exec: 1048576 execs, at 10/s 29.1 hours */
	h = lowmem_hours(1048576, 1024, 10);
	ksft_test_result(h > 29.12 && h < 29.13 &&
			 lowmem_hours(1048576, 0, 10) < 0 &&
			 lowmem_hours(1048576, -5, 10) < 0 &&
			 lowmem_hours(1048576, 1024, 0) < 0,
			 "lowmem_hours: free / kept per exec / rate; -1 when nothing is kept or no rate\n");
}

static void test_arch(void)
{
	ksft_test_result(kernel_bits() == (int)(8 * sizeof(long)) ||
			 (sizeof(long) == 4 && kernel_bits() == 64),
			 "kernel_bits: %d, as this program's width allows (%d-bit)\n",
			 kernel_bits(), (int)(8 * sizeof(long)));
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FIXTURES-DIR\n", argv[0]);
		return 2;
	}
	fixtures = argv[1];
	ksft_print_header();
	ksft_set_plan(NTESTS + each_fixture(".seq", NULL) +
		      each_fixture(".report", NULL));
	test_slab();
	test_leak_rule();
	each_fixture(".seq", leak_fixture);
	each_fixture(".report", layout_fixture);
	test_maps();
	test_execloop();
	test_misc();
	test_arch();
	test_lowmem();
	if (ksft_get_fail_cnt())
		ksft_exit_fail();
	ksft_exit_pass();
	return 0;
}
