#!/bin/bash
# The whole suite under QEMU on Debian's stock kernel (qemu/run-debian):
#  1. as README's main command runs it: every test passes;
#  2. with the module's injection mode (inject_leak=1): the leak detector
#     must FAIL, and does so as the expected failure the runner checks;
#  3. 200 load/unload cycles of execfix.ko while a '#!' script is exec'd in
#     a loop on a second CPU, then the module must still load and work.
# TAP 13; exit 0 pass, 1 fail, 4 skip.
set -eu
shopt -s inherit_errexit

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=lib/tap.sh
. "$here/lib/tap.sh"

tap_require_tools qemu-system-x86_64 musl-gcc i386-linux-musl-gcc make
# shellcheck source=../scripts/lib/debian.sh
. "$repo/scripts/lib/debian.sh"
kver=$(debian_kver)
if [ -z "$kver" ]; then
	echo "1..0 # SKIP no Debian kernel image and headers (linux-image-amd64, linux-headers-amd64)"
	exit 4
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/qemu-debian.XXXXXX")
# Kept when something failed: the logs are the evidence.
trap 'if echo "1..$tap_count"
[ "$tap_failed" -eq 0 ]; then rm -rf "$work"; else echo "# logs kept in $work"; fi' EXIT

echo "TAP version 13"

# run NAME [run-debian args...]: run-debian exits 0.
run() {
	local name=$1 rc=0
	shift
	# A bound on CI time: a healthy run takes 15-70 s, 250 s on a busy host.
	"$repo/qemu/run-debian" --out "$work/$name" --timeout 400 "$@" \
		>"$work/$name.log" 2>&1 || rc=$?
	grep -E '^# run-qemu: (timing|PASS|FAIL)' "$work/$name.log" | sed "s/^/# $name: /" || true
	if [ "$rc" -eq 0 ]; then
		tap_result 0 "$name: run-debian ${*:-(no options)} exits 0"
	else
		echo "# exit $rc" >>"$work/$name.log"
		tap_result 1 "$name: run-debian ${*:-(no options)} exits 0" "$work/$name.log"
	fi
}

# verdicts NAME 'TEST VERDICT'...: results.tsv rows of run NAME.
verdicts() {
	local name=$1 tsv=$work/$1/results.tsv bad="" pair
	shift
	for pair in "$@"; do
		awk -F '\t' -v t="${pair% *}" -v v="${pair#* }" \
			'$1 == t && $3 == v { f = 1 } END { exit !f }' \
			"$tsv" 2>/dev/null || bad="$bad $pair;"
	done
	if [ -z "$bad" ]; then
		tap_result 0 "$name: results.tsv: $*"
	else
		tap_result 1 "$name: results.tsv: missing:$bad" "$tsv"
	fi
}

run suite
verdicts suite "load_execfix pass" "exec_layout_32 pass" "exec_layout_64 pass" \
	"interp_leak pass"

run inject --inject
verdicts inject "load_execfix pass" "exec_layout_64 pass" "interp_leak xfail"
# The detector's own words: it saw the injected copies as a leak.
if grep -qE '^# not ok [0-9]+ #! script: .* grows' "$work/inject/results.tap"; then
	tap_result 0 "inject: interp_leak reports the '#!' script loop as leaking"
else
	tap_result 1 "inject: interp_leak reports the '#!' script loop as leaking" \
		"$work/inject/results.tap"
fi

run stress --stress 200 -- --test exec_layout_64
verdicts stress "stress_execfix pass" "load_execfix pass" "exec_layout_64 pass"
if grep -qE '^# 200 cycles done, [1-9][0-9]* of them with script execs' \
	"$work/stress/results.tap"; then
	tap_result 0 "stress: 200 cycles done with script execs running"
else
	tap_result 1 "stress: 200 cycles done with script execs running" \
		"$work/stress/results.tap"
fi
grep -E '^# (200 cycles|[0-9]+ script execs)' "$work/stress/results.tap" |
	sed 's/^/# stress: /' || true

echo "1..$tap_count"
[ "$tap_failed" -eq 0 ]
