#!/bin/bash
# The failure paths of qemu/run-qemu: each way a run can end must give its
# own exit code and say why.  Boots a real kernel (the newest
# /boot/vmlinuz-*, or $QEMU_TEST_KERNEL) with the small guest programs of
# tests/qemu-runner-guest.c.  TAP 13; exit 0 pass, 1 fail, 4 skip.
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

runner=$repo/qemu/run-qemu
# shellcheck source=../scripts/lib/debian.sh
. "$repo/scripts/lib/debian.sh"

kernel=${QEMU_TEST_KERNEL:-$(debian_image)}
tap_require_tools qemu-system-x86_64 musl-gcc
if [ -z "$kernel" ] || [ ! -r "$kernel" ]; then
	tap_skip_all "no readable kernel image (/boot/vmlinuz-* or QEMU_TEST_KERNEL)"
fi

tap_workdir qemu-runner --keep-failed

guest=$work/guest
mkdir -p "$guest"
musl-gcc -static -O2 -Wall -o "$guest/pass" "$here/qemu-runner-guest.c"
for name in fail skip hang poweroff kmsg_bug; do
	cp "$guest/pass" "$guest/$name"
done

echo "# kernel: $kernel"

# run_case NAME EXPECTED_RC 'MESSAGE' [run-qemu args...]
# Passes when run-qemu exits EXPECTED_RC and its output contains MESSAGE.
run_case() {
	local name=$1 want_rc=$2 want_msg=$3 rc=0 log
	shift 3
	log=$work/$name.log
	"$runner" --kernel "$kernel" --pvh --out "$work/$name" "$@" >"$log" 2>&1 || rc=$?
	if [ "$rc" -ne "$want_rc" ]; then
		echo "# $name: exit $rc, want $want_rc" >>"$log"
		tap_result 1 "$name: exit $want_rc" "$log"
	elif ! grep -qF -- "$want_msg" "$log"; then
		echo "# $name: no \"$want_msg\" in the output" >>"$log"
		tap_result 1 "$name: exit $want_rc" "$log"
	else
		tap_result 0 "$name: exit $want_rc, says \"$want_msg\""
	fi
}

# tsv_has CASE TEST EXIT VERDICT: results.tsv of CASE has that row.
tsv_has() {
	local tsv=$work/$1/results.tsv
	if awk -F '\t' -v t="$2" -v e="$3" -v v="$4" \
		'$1 == t && $2 == e && $3 == v { found = 1 } END { exit !found }' \
		"$tsv" 2>/dev/null; then
		tap_result 0 "$1: results.tsv: $2 exit $3 $4"
	else
		tap_result 1 "$1: results.tsv: $2 exit $3 $4" "$tsv"
	fi
}

# No boot: bad input is refused before anything runs.
rc=0
"$runner" --selftests "$guest" >"$work/usage.log" 2>&1 || rc=$?
if [ "$rc" -eq "$EX_USAGE" ] && grep -qF -- "--kernel IMAGE is required" "$work/usage.log"; then
	tap_result 0 "usage: no --kernel: exit 2, says so"
else
	echo "# exit $rc" >>"$work/usage.log"
	tap_result 1 "usage: no --kernel: exit 2, says so" "$work/usage.log"
fi
mkdir -p "$work/glibc"
echo 'int main(void) { return 0; }' >"$work/glibc/prog.c"
gcc -o "$work/glibc/prog" "$work/glibc/prog.c"
run_case dynamic-binary "$EX_USAGE" "is dynamically linked" \
	--selftests "$work/glibc" --test prog

# The rule is "no glibc", not "static only": a dynamic musl program runs,
# with musl's loader brought into the guest.
mkdir -p "$work/musl-dyn"
musl-gcc -O2 -Wall -o "$work/musl-dyn/pass" "$here/qemu-runner-guest.c"
run_case dynamic-musl "$EX_OK" "PASS: all tests passed" \
	--selftests "$work/musl-dyn" --test pass --timeout 120

run_case all-pass "$EX_OK" "PASS: all tests passed" \
	--selftests "$guest" --test pass --test skip --test fail \
	--expect-fail fail --timeout 120
tsv_has all-pass fail 1 xfail

run_case failures "$EX_FAIL" "FAIL: fail (exit 1)" \
	--selftests "$guest" --test fail --test pass --expect-fail pass \
	--timeout 120
if grep -qF "XPASS: pass was expected to fail, but passed" "$work/failures.log"; then
	tap_result 0 "failures: an expected failure that passed is named as such"
else
	tap_result 1 "failures: an expected failure that passed is named as such" \
		"$work/failures.log"
fi

run_case panic "$EX_CRASH" "kernel panic: Kernel panic - not syncing" \
	--selftests "$guest" --test pass --append rdinit=/nonexistent \
	--timeout 120

# --arch i386, for a 32-bit kernel: PID 1 and every program i386 (this
# 64-bit kernel runs them too); a 64-bit program is refused before booting.
if command -v i386-linux-musl-gcc >/dev/null; then
	mkdir -p "$work/guest32"
	i386-linux-musl-gcc -static -O2 -Wall -o "$work/guest32/pass" "$here/qemu-runner-guest.c"
	run_case arch-i386 "$EX_OK" "PASS: all tests passed" \
		--arch i386 --selftests "$work/guest32" --test pass --timeout 120
	if grep -qx 'arch=i386' "$work/arch-i386/summary" 2>/dev/null &&
		readelf -h "$work/arch-i386/stage/init" 2>/dev/null | grep -q 'Class:[[:space:]]*ELF32'; then
		tap_result 0 "arch-i386: PID 1 is an i386 program, summary says arch=i386"
	else
		tap_result 1 "arch-i386: PID 1 is an i386 program, summary says arch=i386" "$work/arch-i386.log"
	fi
	run_case arch-i386-64bit "$EX_USAGE" "is a 64-bit program, which a 32-bit kernel (--arch i386) cannot run" \
		--arch i386 --selftests "$guest" --test pass
else
	tap_skip "arch-i386: i386-linux-musl-gcc missing (scripts/install-deps)"
fi

# A BUG, then silence: stopped 30 s later, long before the timeout.
run_case oops "$EX_CRASH" "BUG: written by the qemu-runner self-test; then no progress for 30 s: qemu stopped ('kmsg_bug' was running)" \
	--selftests "$guest" --test kmsg_bug --timeout 300

# Long enough to boot on a busy machine (init can take 15 s under TCG
# without PVH).
run_case hang "$EX_TIMEOUT" "hang: no verdict within 30s; 'hang' was running" \
	--selftests "$guest" --test pass --test hang --timeout 30
tsv_has hang hang - hang

run_case no-report "$EX_NOREPORT" "stopped without a verdict while 'poweroff' was running" \
	--selftests "$guest" --test poweroff --timeout 120

# signal_case NAME SIGNAL NUMBER WAIT-FOR: a signal to run-qemu once the file
# WAIT-FOR (in the run's output directory) exists and, for results.tap,
# the guest runs 'hang': run-qemu exits 128+NUMBER, and qemu with it.
signal_case() {
	local name=$1 sig=$2 num=$3 wait_for=$4 rc=0 timeout_pid qemu_pid
	# Job control on, so that the background run-qemu does not ignore SIGINT.
	set -m
	"$runner" --kernel "$kernel" --pvh --out "$work/$name" --selftests "$guest" \
		--test hang --timeout 300 >"$work/$name.log" 2>&1 &
	tap_bg_pid=$!
	set +m
	for _ in $(seq 1 1200); do
		case $wait_for in
		results.tap) grep -qF "# run: hang" "$work/$name/results.tap" 2>/dev/null && break ;;
		*) [ -s "$work/$name/$wait_for" ] && break ;;
		esac
		sleep 0.1
	done
	sleep 0.5
	timeout_pid=$(cat "$work/$name/qemu.pid" 2>/dev/null || true)
	qemu_pid=$(pgrep -P "${timeout_pid:-0}" 2>/dev/null || true)
	kill "-$sig" "$tap_bg_pid"
	wait "$tap_bg_pid" || rc=$?
	tap_bg_pid=""
	sleep 0.5
	if [ "$rc" -eq $((EX_SIGNAL + num)) ] && [ -n "$qemu_pid" ] &&
	   ! kill -0 "$qemu_pid" 2>/dev/null && ! kill -0 "$timeout_pid" 2>/dev/null; then
		tap_result 0 "$name: SIG$sig exits $((EX_SIGNAL + num)) and stops qemu (pid $qemu_pid)"
	else
		echo "# $name: exit $rc, qemu pid '${qemu_pid}'" >>"$work/$name.log"
		tap_result 1 "$name: SIG$sig exits $((EX_SIGNAL + num)) and stops qemu" "$work/$name.log"
	fi
}

# ^C while the guest hangs; TERM as soon as qemu runs.
signal_case interrupt INT 2 results.tap
signal_case terminate TERM 15 qemu.pid

# --shell: a shell on the console after the tests; what it is given runs
# in the guest, and its poweroff ends the run with the tests' verdict.
busybox=${BUSYBOX:-/bin/busybox}
if [ ! -x "$busybox" ]; then
	tap_skip "shell: no $busybox (apt-get install busybox-static)"
else
	rc=0
	{
		for _ in $(seq 1 600); do
			grep -qF 'execfix-init: starting /bin/sh' "$work/shell/console.log" 2>/dev/null && break
			sleep 0.2
		done
		sleep 1
		# shellcheck disable=SC2016 # $((...)) is for the guest's shell
		echo 'echo shell-says-$((6 * 7))'
		sleep 2
		echo 'poweroff -f'
		sleep 60
	} | "$runner" --kernel "$kernel" --pvh --out "$work/shell" --selftests "$guest" \
		--test pass --shell --timeout 180 >"$work/shell.log" 2>&1 || rc=$?
	if [ "$rc" -eq "$EX_OK" ] && grep -qx 'shell-says-42' <(tr -d '\r' <"$work/shell/console.log") &&
	   grep -qF 'PASS: all tests passed' "$work/shell.log"; then
		tap_result 0 "shell: busybox sh on the console ran a command; poweroff; exit 0"
	else
		echo "# shell: exit $rc" >>"$work/shell.log"
		tap_result 1 "shell: busybox sh on the console ran a command; poweroff; exit 0" "$work/shell.log"
	fi
fi

tap_done
