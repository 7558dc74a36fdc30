#!/bin/bash
# tests/module-host.sh: what can be checked of execfix.ko and its guest
# program on the host, without booting a guest:
#   - a kernel with no safe kernel-memory read (neither probe compiles) is
#     refused at build time (needs Debian's kernel headers, else skipped);
#   - the module's unload wait is bounded in jiffies, not in sleep calls
#     (its code compiled against a simulated clock);
#   - the guest program's "cycles" never signals pid -1 when fork() fails;
#   - the functions the modules scan for free sites cover every caller of
#     free_bprm() (a fixture; the tree in KSRC when set).
# TAP 13; exit 0 pass, 1 fail.
set -eu

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

tap_workdir execfix-module-host

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
	-I"$repo/measure" -I"$repo/selftests/compat" \
	-o "$work/fork/guest" "$guest_src"/*.c \
	"$repo"/measure/*.c "$work/fork/wrap.c" \
	>"$work/fork/log" 2>&1; then
	EXECFIX_TMP=$work/fork/tmp "$work/fork/guest" cycles "$work/no-such.ko" 1 \
		>>"$work/fork/log" 2>&1 || rc=$?
	[ "$rc" = 1 ] && grep -q '^not ok .*fork' "$work/fork/log" || st=1
else
	st=1
fi
tap_result "$st" "guest cycles: fork() failing is reported, no kill(-1) (exit $rc)" \
	"$work/fork/log"

# ---- free-site discovery covers every caller of free_bprm() -------------------
# free_bprm() may be inlined into any function that calls it (gcc -O2, vendor
# configurations: into do_execve()); the modules scan the functions named in
# exsite_bprm_free_funcs (module/execfix_sites.c) for kfree() calls. A caller
# outside that list would hide its frees. Checked on a fixture tree with such
# a caller (must be reported), and on KSRC when set.
scan_list=$(awk '/exsite_bprm_free_funcs\[.*\] = \{/ { on = 1; next }
	on && /^};/ { exit }
	on && match($0, /"[a-z_0-9]+"/) { print substr($0, RSTART + 1, RLENGTH - 2) }' \
	"$repo/module/execfix_sites.c")
# uncovered_callers TREE: "file: function" for each caller of free_bprm() in
# TREE's fs/ and kernel/ that the list does not name.
uncovered_callers() {
	local f
	for f in "$1"/fs/*.c "$1"/kernel/*.c; do
		[ -f "$f" ] || continue
		awk -v list="$scan_list" -v file="${f#"$1"/}" '
			BEGIN { n = split(list, l, "\n"); for (i = 1; i <= n; i++) ok[l[i]] = 1 }
			# A definition starts at column 0 with "name(" and no ";".
			/^[a-z].*[ *][a-z_0-9]+\(/ && !/;[ \t]*$/ {
				fn = $0; sub(/\(.*/, "", fn); sub(/.*[ *]/, "", fn); next
			}
			/^}/ { fn = ""; next }
			fn != "" && fn != "free_bprm" && /[^a-z_0-9]free_bprm\(/ && !(fn in ok) {
				print file ": " fn; ok[fn] = 1
			}' "$f"
	done
}
mkdir -p "$work/callers/fs"
printf '%s\n' 'void free_bprm(struct linux_binprm *bprm)' '{' '}' \
	'int do_execve(char *filename)' '{' '	free_bprm(bprm);' '}' \
	'static int do_execve_vz(char *filename)' '{' '	free_bprm(bprm);' '}' \
	>"$work/callers/fs/exec.c"
uncovered_callers "$work/callers" >"$work/callers.out"
out=$(cat "$work/callers.out")
tap_result "$([ -n "$scan_list" ] && [ "$out" = "fs/exec.c: do_execve_vz" ]; echo $?)" \
	"free-site list: a fixture caller of free_bprm() outside it is reported (${out:-nothing})"
if [ -n "${KSRC:-}" ] && [ -f "$KSRC/fs/exec.c" ]; then
	uncovered_callers "$KSRC" >"$work/callers.out"
	out=$(cat "$work/callers.out")
	tap_result "$([ -z "$out" ]; echo $?)" \
		"free-site list covers every caller of free_bprm() in $KSRC${out:+ (not: $(echo "$out" | tr '\n' ' '))}"
else
	tap_skip "free-site list against a real tree: set KSRC=/path/to/a/2.6.32 tree"
fi

tap_done
