#!/bin/bash
# The failure paths of qemu/run-qemu: each way a run can end must give its
# own exit code and say why.  Boots a real kernel (the newest
# /boot/vmlinuz-*, or $QEMU_TEST_KERNEL) with the small guest programs of
# tests/qemu-runner-guest.c.  TAP 13; exit 0 pass, 1 fail, 4 skip.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
runner=$repo/qemu/run-qemu

kernel=${QEMU_TEST_KERNEL:-$(find /boot -maxdepth 1 -name 'vmlinuz-*' 2>/dev/null | sort -V | tail -n 1)}
for tool in qemu-system-x86_64 musl-gcc; do
	if ! command -v "$tool" >/dev/null; then
		echo "1..0 # SKIP $tool not installed (scripts/install-deps)"
		exit 4
	fi
done
if [ -z "$kernel" ] || [ ! -r "$kernel" ]; then
	echo "1..0 # SKIP no readable kernel image (/boot/vmlinuz-* or QEMU_TEST_KERNEL)"
	exit 4
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/qemu-runner.XXXXXX")
bg_pid=""
# shellcheck source-path=SCRIPTDIR source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"
cleanup() {
	if [ -n "$bg_pid" ]; then
		kill "$bg_pid" 2>/dev/null || true
		wait "$bg_pid" 2>/dev/null || true
	fi
	# Kept when something failed: the logs are the evidence.
	if [ "$tap_failed" -eq 0 ]; then
		rm -rf "$work"
	else
		echo "# logs kept in $work"
	fi
}
trap cleanup EXIT

guest=$work/guest
mkdir -p "$guest"
musl-gcc -static -O2 -Wall -o "$guest/pass" "$here/qemu-runner-guest.c"
for name in fail skip hang poweroff kmsg_bug; do
	cp "$guest/pass" "$guest/$name"
done

echo "TAP version 13"
echo "1..13"
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
if [ "$rc" -eq 2 ] && grep -qF -- "--kernel IMAGE is required" "$work/usage.log"; then
	tap_result 0 "usage: no --kernel: exit 2, says so"
else
	echo "# exit $rc" >>"$work/usage.log"
	tap_result 1 "usage: no --kernel: exit 2, says so" "$work/usage.log"
fi
mkdir -p "$work/glibc"
echo 'int main(void) { return 0; }' >"$work/glibc/prog.c"
gcc -o "$work/glibc/prog" "$work/glibc/prog.c"
run_case dynamic-binary 2 "is dynamically linked" \
	--selftests "$work/glibc" --test prog

# The rule is "no glibc", not "static only": a dynamic musl program runs,
# with musl's loader brought into the guest.
mkdir -p "$work/musl-dyn"
musl-gcc -O2 -Wall -o "$work/musl-dyn/pass" "$here/qemu-runner-guest.c"
run_case dynamic-musl 0 "PASS: all tests passed" \
	--selftests "$work/musl-dyn" --test pass --timeout 120

run_case all-pass 0 "PASS: all tests passed" \
	--selftests "$guest" --test pass --test skip --test fail \
	--expect-fail fail --timeout 120
tsv_has all-pass fail 1 xfail

run_case failures 1 "FAIL: fail (exit 1)" \
	--selftests "$guest" --test fail --test pass --expect-fail pass \
	--timeout 120
if grep -qF "XPASS: pass was expected to fail, but passed" "$work/failures.log"; then
	tap_result 0 "failures: an expected failure that passed is named as such"
else
	tap_result 1 "failures: an expected failure that passed is named as such" \
		"$work/failures.log"
fi

run_case panic 3 "kernel panic: Kernel panic - not syncing" \
	--selftests "$guest" --test pass --append rdinit=/nonexistent \
	--timeout 120

# A BUG, then silence: stopped 30 s later, long before the timeout.
run_case oops 3 "BUG: written by the qemu-runner self-test; then no progress for 30 s: qemu stopped ('kmsg_bug' was running)" \
	--selftests "$guest" --test kmsg_bug --timeout 300

# Long enough to boot on a busy machine (init can take 15 s under TCG
# without PVH).
run_case hang 4 "hang: no verdict within 30s; 'hang' was running" \
	--selftests "$guest" --test pass --test hang --timeout 30
tsv_has hang hang - hang

run_case no-report 5 "stopped without a verdict while 'poweroff' was running" \
	--selftests "$guest" --test poweroff --timeout 120

# SIGINT (^C) while the guest hangs: run-qemu exits 130, and qemu with it.
# Job control on, so that the background run-qemu does not ignore SIGINT.
set -m
"$runner" --kernel "$kernel" --pvh --out "$work/interrupt" --selftests "$guest" \
	--test hang --timeout 300 >"$work/interrupt.log" 2>&1 &
bg_pid=$!
set +m
for _ in $(seq 1 1200); do
	grep -qF "# run: hang" "$work/interrupt/results.tap" 2>/dev/null && break
	sleep 0.1
done
timeout_pid=$(cat "$work/interrupt/qemu.pid" 2>/dev/null || true)
qemu_pid=$(pgrep -P "${timeout_pid:-0}" 2>/dev/null || true)
kill -INT "$bg_pid"
rc=0
wait "$bg_pid" || rc=$?
bg_pid=""
sleep 0.5
if [ "$rc" -eq 130 ] && [ -n "$qemu_pid" ] && ! kill -0 "$qemu_pid" 2>/dev/null &&
   ! kill -0 "$timeout_pid" 2>/dev/null; then
	tap_result 0 "interrupt: ^C exits 130 and stops qemu (pid $qemu_pid)"
else
	echo "# interrupt: exit $rc, qemu pid '${qemu_pid}'" >>"$work/interrupt.log"
	tap_result 1 "interrupt: ^C exits 130 and stops qemu" "$work/interrupt.log"
fi

[ "$tap_failed" -eq 0 ]
