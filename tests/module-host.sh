#!/bin/bash
# tests/module-host.sh: what can be checked of execfix.ko and its guest
# program on the host, without booting a guest:
#   - a kernel with no safe kernel-memory read (neither probe compiles) is
#     refused at build time (needs Debian's kernel headers, else skipped);
#   - the module's unload wait is bounded in jiffies, not in sleep calls
#     (its code compiled against a simulated clock);
#   - the guest program's "cycles" never signals pid -1 when fork() fails.
# TAP 13; exit 0 pass, 1 fail.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/lib/tap.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/execfix-module-host.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

echo "TAP version 13"

# ---- a build with no safe read must fail, and say why -----------------------
kdir=${KDIR_DEB:-$(find /usr/src -maxdepth 1 -name 'linux-headers-*-amd64' 2>/dev/null |
	sort -V | tail -n 1)}
if [ -n "$kdir" ] && [ -d "$kdir" ]; then
	mkdir -p "$work/nosafe"
	tar -C "$repo/module" --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude=.tmp_versions \
		--exclude=modules.order --exclude=Module.symvers \
		--exclude=execfix_features.h -cf - . | tar -C "$work/nosafe" -xf -
	rc=0
	make -C "$work/nosafe" KDIR="$kdir" \
		EXECFIX_PROBES_OFF="copy_from_kernel_nofault probe_kernel_read" \
		>"$work/nosafe.log" 2>&1 || rc=$?
	st=0
	[ "$rc" != 0 ] && [ ! -e "$work/nosafe/execfix.ko" ] &&
		grep -q 'error: #error "execfix needs a safe kernel read' \
			"$work/nosafe.log" || st=1
	tap_result "$st" "build with both safe-read probes off fails with a clear #error (make exit $rc)" \
		"$work/nosafe.log" 15
else
	tap_skip "no-safe-read build: no /usr/src/linux-headers-*-amd64 (or KDIR_DEB)"
fi

# ---- the unload wait is bounded in time, at any HZ ---------------------------
# module/execfix_wait.h compiled against a simulated clock: a sleep of t
# ticks advances jiffies by t, msleep(m) sleeps msecs_to_jiffies(m) + 1
# ticks as the kernel's does. A call that never returns must not hold the
# unload for more than the 10 s asked for.
mkdir -p "$work/sim/linux"
cat >"$work/sim/linux/sched.h" <<'EOF'
#ifndef SIM_SCHED_H
#define SIM_SCHED_H
#include <stdio.h>
typedef struct { int counter; } atomic_t;
static unsigned long jiffies;
#define atomic_read(v) ((v)->counter)
#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
static unsigned long msecs_to_jiffies(unsigned int m)
{
	return (m * (unsigned long)HZ + 999) / 1000;
}
static long schedule_timeout_uninterruptible(long t)
{
	jiffies += t < 1 ? 1 : t;
	return 0;
}
static void msleep(unsigned int m)
{
	schedule_timeout_uninterruptible(msecs_to_jiffies(m) + 1);
}
#endif
EOF
: >"$work/sim/linux/jiffies.h"
cat >"$work/sim/wait.c" <<'EOF'
#include <linux/sched.h>
#include "execfix_wait.h"

int main(void)
{
	atomic_t stuck = { 1 }, idle = { 0 };
	unsigned long ms;
	int left;

	left = execfix_wait_for_zero(&idle, 10000);
	if (left || jiffies) {
		printf("nothing in flight: waited %lu ticks\n", jiffies);
		return 1;
	}
	left = execfix_wait_for_zero(&stuck, 10000);
	ms = jiffies * 1000 / HZ;
	printf("HZ=%d: a call stuck in flight held the unload %lu ms (limit 10000), %d left\n",
	       HZ, ms, left);
	return left == 1 && ms >= 10000 && ms <= 10000 + 2000 / HZ + 8 ? 0 : 1;
}
EOF
for hz in 250 1000 100; do
	st=0
	gcc -std=gnu99 -Wall -Wno-unused-function -DHZ="$hz" -I"$work/sim" \
		-I"$repo/module" -o "$work/sim/wait-$hz" "$work/sim/wait.c" \
		>"$work/sim/wait-$hz.log" 2>&1 &&
		"$work/sim/wait-$hz" >>"$work/sim/wait-$hz.log" 2>&1 || st=1
	tap_result "$st" "unload wait at HZ=$hz: $(tail -n 1 "$work/sim/wait-$hz.log")" \
		"$work/sim/wait-$hz.log"
done

# ---- the guest program when fork() fails -------------------------------------
# selftests/module/ linked with fork() that fails (EAGAIN) and a kill() that
# records instead of signalling: "cycles" must report the failure and never
# send kill(pid <= 0), which would reach every process it may signal.
guest_src=$repo/selftests/module
mkdir -p "$work/fork/tmp"
cat >"$work/fork/wrap.c" <<'EOF'
#include <errno.h>
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>

pid_t __wrap_fork(void)
{
	errno = EAGAIN;
	return -1;
}

int __wrap_kill(pid_t pid, int sig)
{
	if (pid <= 0) {
		printf("# kill(%d, %d): a signal to a whole group or to every process\n",
		       (int)pid, sig);
		fflush(stdout);
		_exit(99);
	}
	errno = ESRCH;
	return -1;
}
EOF
st=0
rc=0
if gcc -std=gnu99 -O2 -Wall -Wl,--wrap=fork -Wl,--wrap=kill \
	-o "$work/fork/guest" "$guest_src"/*.c "$work/fork/wrap.c" \
	>"$work/fork/log" 2>&1; then
	EXECFIX_TMP=$work/fork/tmp "$work/fork/guest" cycles "$work/no-such.ko" 1 \
		>>"$work/fork/log" 2>&1 || rc=$?
	[ "$rc" = 1 ] && grep -q '^not ok .*fork' "$work/fork/log" || st=1
else
	st=1
fi
tap_result "$st" "guest cycles: fork() failing is reported, no kill(-1) (exit $rc)" \
	"$work/fork/log"

echo "1..$tap_count"
[ "$tap_failed" = 0 ]
