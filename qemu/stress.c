// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-stress: the load/unload stress of the QEMU guest, a step that
 * PID 1 (init.c) runs as stress_NAME when the kernel command line has
 * execfix.stress=N.
 *
 *	execfix-stress MODULE.ko CYCLES [PARAMS]
 *
 * CYCLES load/unload cycles of the module (init_module/delete_module with
 * measure/'s one retry policy) while a child execs a '#!' script in a loop;
 * the script's interpreter is this program ("execfix-stress interp" exits
 * 0).  Its lines, which PID 1 relays as "# " lines and tests/qemu-debian.sh
 * reads:
 *
 *	N load/unload cycles of NAME while a '#!' script is exec'd in a loop
 *	cycle N: init_module|delete_module NAME: ERROR
 *	N cycles done, M of them with script execs finishing during the cycle
 *	N script execs ok, M failed
 *
 * Exit 0 when every cycle was done and every script exec worked, 1 when
 * not, 2 usage.  Static, 2.6.32's system calls only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "execloop.h"
#include "kmod.h"

#define SCRIPT	"/tmp/execfix-stress.sh"

struct overlap {
	struct exec_storm *storm;
	long last;		/* execs finished when the cycle began */
	int overlapped;		/* cycles during which one finished */
};

static void count_overlap(void *ctx, const struct kmod_cycles *c, int loaded)
{
	struct overlap *o = ctx;
	long now = *o->storm->ok + *o->storm->failed;

	(void)c;
	if (loaded)
		return;
	if (now != o->last)
		o->overlapped++;
	o->last = now;
}

static int write_script(const char *self)
{
	FILE *f = fopen(SCRIPT, "w");

	if (!f)
		return -1;
	fprintf(f, "#!%s interp\n", self);
	if (fclose(f))
		return -1;
	return chmod(SCRIPT, 0755);
}

int main(int argc, char **argv)
{
	char *script[] = { SCRIPT, NULL };
	char *const *const argvs[] = { script };
	const int want[] = { 0 };
	const char *params;
	struct kmod_cycles c;
	struct exec_storm storm;
	struct overlap o = { &storm, 0, 0 };
	char name[64], self[512];
	ssize_t n;
	int cycles, err;

	/* as the script's interpreter: argv is { self, "interp", SCRIPT } */
	if (argc >= 2 && !strcmp(argv[1], "interp"))
		return 0;
	if (argc < 3 || argc > 4 || (cycles = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: %s MODULE.ko CYCLES [PARAMS]\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	params = argc == 4 ? argv[3] : "";
	kmod_name(argv[1], name, sizeof(name));
	printf("%d load/unload cycles of %s while a '#!' script is exec'd in a loop\n",
	       cycles, name);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0 || (self[n] = '\0', write_script(self))) {
		printf("set-up failed: %s\n", strerror(errno));
		return 1;
	}
	/* Start unloaded, whatever loaded it before. */
	err = kmod_unload(name);
	if (err && err != ENOENT)
		printf("delete_module %s before the cycles: %s\n", name,
		       strerror(err));
	if (exec_storm_start(&storm, 1, argvs, want, 1)) {
		printf("set-up failed: %s\n", strerror(errno));
		exec_storm_stop(&storm);
		return 1;
	}
	err = kmod_cycles(argv[1], &params, 1, cycles, &c, count_overlap, &o);
	if (err)
		printf("cycle %d: %s %s: %s\n", c.done + 1,
		       !strcmp(c.failed, "load") ? "init_module" : "delete_module",
		       c.name, strerror(err));
	exec_storm_stop(&storm);
	printf("%d cycles done, %d of them with script execs finishing during the cycle\n",
	       c.done, o.overlapped);
	printf("%ld script execs ok, %ld failed\n", *storm.ok, *storm.failed);
	return err || *storm.failed || !*storm.ok ? 1 : 0;
}
