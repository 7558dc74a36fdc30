// SPDX-License-Identifier: GPL-2.0
/*
 * hold_64_dyn: a 64-bit dynamic program that waits, for execfix-check's
 * process scan (live-guest's check_scan).  Linked as exec_layout_64_dyn is
 * (selftests/Makefile: musl's loader, libexec_layout.so next to it, every
 * first PT_LOAD executable, not PIE), so that on a kernel with the layout
 * bug a 32-bit parent gets it ld.so and its library below 4 GiB: the
 * bug's signature in a running process.  Killed by the test.
 */
#include <stdio.h>
#include <unistd.h>

#include "exec_layout_lib.h"

int main(void)
{
	printf("lib_text=0x%lx\n", exec_layout_lib_text());
	fflush(stdout);
	pause();
	return 0;
}
