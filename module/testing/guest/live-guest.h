/* SPDX-License-Identifier: GPL-2.0 */
/*
 * live-guest: shared by its files (live-guest.c: main and the helpers;
 * live-interp.c, live-check.c, live-stress.c: the tests by job).
 */
#ifndef EXECFIX_LIVE_GUEST_H
#define EXECFIX_LIVE_GUEST_H

#include <stddef.h>

#define T		"/tests/"
#define LIVE_KO		T "execfix_live.ko"
#define HOOK_KO		T "execfix_hook.ko"
#define LIVE_PROC	"/proc/execfix_live"
#define SCRIPT		"/tmp/live-guest-script"
#define N_EXECS		500
#define KPE		"/sys/kernel/debug/tracing/kprobe_events"
#define KPE_EN		"/sys/kernel/debug/tracing/events/kprobes/enable"

/* what the kernel is expected to have: execfix_expect= on its command line */
extern int expect_layout, expect_leak;

void show_dmesg(const char *tag);
int run(char *const argv[], int quiet, char *out, size_t out_size);
int live_value(const char *key, unsigned long long *v);
void show_file(const char *path);
int load_live(int *interp_only);
int run_execs(char *const argv[], int n, int want);
int script_execs(int n);
int write_script(void);
int cmdline_value(const char *key, char *val, size_t size);
int test_layout(void);
int test_interp(void);
int test_hook(void);
int test_check(void);
int test_kprobe_events(void);
int test_bench(void);
int test_module_stress(void);
int test_noise(void);
int test_scan(void);
int test_restricted(void);
int judge_fixture(const char *path);

#endif /* EXECFIX_LIVE_GUEST_H */
