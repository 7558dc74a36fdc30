// SPDX-License-Identifier: GPL-2.0
/*
 * qemu-runner-guest.c - guest programs for tests/qemu-runner.sh, which
 * checks that qemu/run-qemu gives the right verdict for each way a run can
 * end.  One static binary, installed under several names; the name says
 * what it does:
 *
 *	pass		prints TAP, exits 0
 *	fail		prints TAP, exits 1
 *	skip		exits 4 (kselftest's skip)
 *	hang		sleeps forever (the runner's timeout must catch it)
 *	poweroff	powers the guest off itself: no verdict, no panic
 *	kmsg_bug	writes a BUG: line to the kernel log, then hangs: a
 *			wedged kernel, which the runner must not wait out
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

static int write_kmsg(const char *msg)
{
	int fd = open("/dev/kmsg", O_WRONLY);

	if (fd < 0 || write(fd, msg, strlen(msg)) < 0) {
		perror("/dev/kmsg");
		return 1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');

	(void)argc;
	name = name ? name + 1 : argv[0];
	printf("1..1\n");
	fflush(stdout);
	if (strcmp(name, "pass") == 0) {
		printf("ok 1 - %s\n", name);
		return 0;
	}
	if (strcmp(name, "fail") == 0) {
		printf("not ok 1 - %s: failing on purpose\n", name);
		return 1;
	}
	if (strcmp(name, "skip") == 0) {
		printf("ok 1 - %s # SKIP on purpose\n", name);
		return 4;
	}
	if (strcmp(name, "hang") == 0) {
		for (;;)
			pause();
	}
	if (strcmp(name, "poweroff") == 0) {
		sync();
		reboot(RB_POWER_OFF);
		perror("reboot");
		return 1;
	}
	if (strcmp(name, "kmsg_bug") == 0) {
		if (write_kmsg("<2>BUG: written by the qemu-runner self-test\n"))
			return 1;
		for (;;)
			pause();
	}
	fprintf(stderr, "%s: unknown behaviour\n", name);
	return 2;
}
