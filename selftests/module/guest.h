/* SPDX-License-Identifier: GPL-2.0 */
/*
 * execfix-guest: in-guest driver of execfix.ko; shared declarations.
 * Static, C99, no header or system call newer than Linux 2.6.32.
 */
#ifndef EXECFIX_GUEST_H
#define EXECFIX_GUEST_H

#include <stddef.h>

#define PROC_DIR	"/proc/execfix"
#define MODULE_NAME	"execfix"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#include "tap.h"

/* kmod.c: init_module/delete_module; 0 or -errno */
int load_module(const char *ko, const char *params);
int unload_module(void);
long get_num(const char *text, const char *key);
int show_file(const char *name, char *text, size_t size);

/*
 * scripts.c: script1 is a "#!" script run by this program ("stub"),
 * script2 a script whose interpreter is script1
 */
extern char script1[], script2[];
int make_scripts(void);
void remove_scripts(void);
int run(const char *path);
int run_many(const char *path, int n);

/* the commands */
int bad_usage(void);
int cmd_check(const char *ko, int expect_leak);
void check_interp(int expect_leak);
void check_inject(const char *ko);
void check_kfree_fallback(const char *ko, int expect_leak);
void check_probe_failure(const char *ko);
int cmd_cycles(const char *ko, int cycles);
int cmd_bench(const char *ko, int n, int rounds, const char *params);

#endif
