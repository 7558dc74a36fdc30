#!/bin/bash
# Regression tests for two defects of selftests/:
#  - exec_layout leaked both pipe descriptors when fork() failed: run under
#    an LD_PRELOAD shim (tests/fork_fail_shim.c) whose fork() always fails,
#    the descriptors open at exit must be those open at start.
#  - "make -C selftests run_tests" had no per-test timeout: with a test
#    program that hangs and settings "timeout=2", run_tests must kill it
#    and report "not ok ... # TIMEOUT", then go on with the next test.
# TAP on stdout; exit 0 pass, 1 fail, 4 skip (no gcc).
set -eu

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

tap_require_tools gcc make
tap_workdir execfix-st-defects

# ---- run_tests had no per-test timeout: it kills a hanging test now ----------

cp -a "$repo/selftests" "$work/src"
cp -a "$repo/measure" "$work/measure"	# ../measure of the copy, as in the repository
echo "timeout=2" >"$work/src/settings"
if make -C "$work/src" OUTPUT="$work/out" >"$work/build.log" 2>&1; then
	# Stand-ins newer than their sources, so that make keeps them.
	printf '#!/bin/sh\necho "1..1"\necho "ok 1 stand-in"\n' >"$work/out/exec_layout_64"
	printf '#!/bin/sh\necho "hanging"\nexec sleep 300\n' >"$work/out/interp_leak"
	chmod +x "$work/out/exec_layout_64" "$work/out/interp_leak"
	rc=0
	start=$(date +%s)
	timeout 120 make -s -C "$work/src" OUTPUT="$work/out" run_tests \
		>"$work/run.log" 2>&1 || rc=$?
	secs=$(($(date +%s) - start))
	echo "# run_tests: exit $rc after ${secs}s"
	ok=1
	[ "$rc" != 0 ] && [ "$rc" != 124 ] || ok=0
	grep -q '^not ok [0-9]* selftests: execfix: interp_leak # TIMEOUT 2 seconds$' "$work/run.log" || ok=0
	grep -q '^ok [0-9]* selftests: execfix: exec_layout_64$' "$work/run.log" || ok=0
	grep -q '^# hanging$' "$work/run.log" || ok=0
	tap_result "$((1 - ok))" "run_tests kills a hanging test after settings' timeout=2 and reports it as TIMEOUT" "$work/run.log"
else
	tap_result 1 "selftests build for the run_tests timeout check" "$work/build.log"
fi

# ---- exec_layout leaked its pipe when fork() failed: none leaks now ----------

shim=$work/fork_fail_shim.so
if ! gcc -shared -fPIC -O2 -Wall -Wextra -Werror -o "$shim" "$here/fork_fail_shim.c" >"$work/shim.log" 2>&1; then
	tap_result 1 "fork_fail_shim.c builds" "$work/shim.log"
elif ! make -C "$repo/selftests" OUTPUT="$work/prog" >"$work/build2.log" 2>&1 ||
	[ ! -x "$work/prog/exec_layout_64" ]; then
	tap_result 1 "exec_layout_64 builds (host glibc)" "$work/build2.log"
else
	rc=0
	LD_PRELOAD=$shim "$work/prog/exec_layout_64" >"$work/fd.log" 2>&1 || rc=$?
	at_start=$(sed -n 's/^fork_fail_shim: fds_at_start=//p' "$work/fd.log")
	at_exit=$(sed -n 's/^fork_fail_shim: fds_at_exit=//p' "$work/fd.log")
	forks=$(grep -c 'cannot start child' "$work/fd.log" || true)
	if [ -z "$at_start" ] || [ "$forks" = 0 ]; then
		tap_skip "exec_layout_64 with fork() failing: the LD_PRELOAD shim did not take effect (static build?)"
	else
		echo "# exit $rc, fork() failed $forks times, descriptors open at start $at_start, at exit $at_exit"
		tap_result "$([ "$at_start" = "$at_exit" ] && echo 0 || echo 1)" \
			"exec_layout_64 closes its pipe when fork() fails ($forks failed forks, $at_start fds at start, $at_exit at exit)" \
			"$work/fd.log"
	fi
fi

tap_done
