#!/bin/bash
# The whole suite under QEMU on Debian's stock kernel (qemu/run-debian):
#  1. as README's main command runs it: every test passes;
#  2. with the module's injection mode (inject_leak=1): the leak detector
#     must FAIL, and does so as the expected failure the runner checks;
#  3. 200 load/unload cycles of execfix.ko while a '#!' script is exec'd in
#     a loop on a second CPU, then the module must still load and work.
# interp_leak's rules are each seen deciding both ways: the module's exact
# counts in one round of 200 execs (1: pass, 2: the injected leak), and the
# slab counters alone in two drained rounds of 500 that agree, each read in
# parts (interp_leak_slab, i.e. --slab-only: the injected leak in 2, the
# fixed kernel in 3).
# TAP 13; exit 0 pass, 1 fail, 4 skip.
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

tap_require_tools qemu-system-x86_64 musl-gcc i386-linux-musl-gcc make
# shellcheck source=../scripts/lib/debian.sh
. "$repo/scripts/lib/debian.sh"
kver=$(debian_kver)
[ -n "$kver" ] ||
	tap_skip_all "no Debian kernel image and headers (linux-image-amd64, linux-headers-amd64)"

tap_workdir qemu-debian --keep-failed

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

# program_out NAME PROGRAM: the report lines of PROGRAM in run NAME.
program_out() {
	awk -v p="$2" '$0 == "# run: " p { on = 1 } on { print } /^# result: / { on = 0 }' \
		"$work/$1/results.tap" 2>/dev/null
}

# says NAME PROGRAM ERE DESCRIPTION: PROGRAM's report in run NAME has a line
# matching ERE.
says() {
	program_out "$1" "$2" >"$work/$1-$2.out"
	if grep -qE "$3" "$work/$1-$2.out"; then
		tap_result 0 "$1: $4"
	else
		tap_result 1 "$1: $4" "$work/$1-$2.out"
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
says suite interp_leak "^# ok [0-9]+ #! script: .* stays flat.*verdict by the module's exact counts after 200 execs" \
	"interp_leak's '#!' verdict passes on the module's exact counts after 200 execs"

# The suite's programs plus interp_leak under the name that ignores the module.
slab=$work/slab-tests
cp -a "$repo/build/selftests-musl" "$slab"
ln -f "$slab/interp_leak" "$slab/interp_leak_slab"

run inject --inject -- --selftests "$slab" --test exec_layout_64 --test interp_leak \
	--test interp_leak_slab --expect-fail interp_leak_slab
verdicts inject "load_execfix pass" "exec_layout_64 pass" "interp_leak xfail" \
	"interp_leak_slab xfail"
says inject interp_leak "^# not ok [0-9]+ #! script: .* grows.*verdict by the module's exact counts after 200 execs" \
	"interp_leak detects the injected leak on the module's exact counts after 200 execs"
says inject interp_leak_slab "^# not ok [0-9]+ #! script: .* grows.*verdict by 2 rounds agree after 1000 execs" \
	"interp_leak --slab-only detects the injected leak in two drained rounds of 500 execs"
# The detector's own words: it saw the injected copies as a leak.
if grep -qE '^# not ok [0-9]+ #! script: .* grows' "$work/inject/results.tap"; then
	tap_result 0 "inject: interp_leak reports the '#!' script loop as leaking"
else
	tap_result 1 "inject: interp_leak reports the '#!' script loop as leaking" \
		"$work/inject/results.tap"
fi

run stress --stress 200 -- --selftests "$slab" --test exec_layout_64 --test interp_leak_slab
verdicts stress "stress_execfix pass" "load_execfix pass" "exec_layout_64 pass" \
	"interp_leak_slab pass"
says stress interp_leak_slab "^# ok [0-9]+ #! script: .* stays flat.*verdict by 2 rounds agree after 1000 execs" \
	"interp_leak --slab-only passes the fixed kernel in two drained rounds of 500 execs"
if grep -qE '^# 200 cycles done, [1-9][0-9]* of them with script execs' \
	"$work/stress/results.tap"; then
	tap_result 0 "stress: 200 cycles done with script execs running"
else
	tap_result 1 "stress: 200 cycles done with script execs running" \
		"$work/stress/results.tap"
fi
grep -E '^# (200 cycles|[0-9]+ script execs)' "$work/stress/results.tap" |
	sed 's/^/# stress: /' || true

tap_done
