#!/bin/bash
# The tools judge alike: the same slabinfo sequences of
# measure/tests/fixtures/ go through interp_leak's judgement, the live
# driver's (module/testing/guest/live-guest.c) and execfix-check's, all
# --judge-slabinfo FILE, which must give the same verdict, the fixture's
# own (its expect=); the layout probe reports go through exec_layout's
# judgement (--judge-report FILE PARENT_BITS), which must give each
# report's expect= and expect_libraries=, and through execfix-check's
# (--judge-report FILE PARENT_BITS), whose layout= must be exec_layout's.
# TAP 13; exit 0 pass, 1 fail, 4 skip.
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

tap_require_tools gcc make
tap_workdir measure-agree
fixtures=$repo/measure/tests/fixtures

# The programs as their own builds make them (the live driver: as
# module/testing/host/stage-guest does, with the host's compiler).
rc=0
make -s -C "$repo/selftests" OUTPUT="$work/st" CC=gcc USERCFLAGS=-Werror \
	"$work/st/interp_leak" "$work/st/exec_layout_64" >"$work/build.log" 2>&1 || rc=$?
gcc -std=gnu99 -O2 -Wall -Wextra -Werror -I"$repo/selftests" \
	-I"$repo/selftests/module" -I"$repo/selftests/compat" -o "$work/live_interp" \
	"$repo"/module/testing/guest/live-{guest,interp,check,stress,noise}.c "$repo/selftests/module/tap.c" \
	-I"$repo/measure" "$repo"/measure/*.c >>"$work/build.log" 2>&1 || rc=$?
# execfix-check as its Makefile builds it, with the host's compiler (the
# 32-bit helper is not needed to judge fixtures)
make -s -C "$repo/tools/execfix-check" OUTPUT="$work/check" CC=gcc CC32=false \
	CFLAGS="-O2 -Werror" "$work/check/execfix-check" >>"$work/build.log" 2>&1 || rc=$?
tap_result "$rc" "interp_leak, exec_layout_64, the live driver and execfix-check build" "$work/build.log"
[ "$rc" = 0 ] || tap_done

# judge PROGRAM FIXTURE: "VERDICT-LINE exit=N"
judge() {
	local out rc=0
	out=$("$1" --judge-slabinfo "$2" 2>&1) || rc=$?
	echo "$out exit=$rc"
}

for f in "$fixtures"/*.seq; do
	name=${f##*/}
	want=$(sed -n '1s/.*expect=\([a-z]*\).*/\1/p' "$f")
	a=$(judge "$work/st/interp_leak" "$f")
	b=$(judge "$work/live_interp" "$f")
	c=$(judge "$work/check/execfix-check" "$f")
	if [ "$a" = "$b" ] && [ "$a" = "$c" ] && [[ $a == "verdict=$want "* ]]; then
		tap_result 0 "$name: interp_leak, the live driver and execfix-check agree: $a"
	else
		tap_result 1 "$name: want verdict=$want from all three"
		echo "#   interp_leak:    $a"
		echo "#   live driver:    $b"
		echo "#   execfix-check:  $c"
	fi
done

for f in "$fixtures"/*.report; do
	name=${f##*/}
	want="layout=$(sed -n 's/^expect=//p' "$f") libraries=$(sed -n 's/^expect_libraries=//p' "$f")"
	want=${want% libraries=}
	[[ $want == *libraries=* ]] || want="$want libraries=none"
	bits=$(sed -n 's/^parent_bits=//p' "$f")
	got=$("$work/st/exec_layout_64" --judge-report "$f" "$bits" 2>&1 | tail -n 1) || true
	if [ "$got" = "$want" ]; then
		tap_result 0 "$name: exec_layout judges $got"
	else
		tap_result 1 "$name: exec_layout judges \"$got\", want \"$want\""
	fi
	# execfix-check judges the layout only (its probe is static)
	rc=0
	chk=$("$work/check/execfix-check" --judge-report "$f" "$bits" 2>&1) || rc=$?
	if [ "$chk" = "${want%% *}" ] && [ "$rc" = "$([ "$chk" = layout=pass ] && echo 0 || echo 1)" ]; then
		tap_result 0 "$name: execfix-check judges as exec_layout: $chk (exit $rc)"
	else
		tap_result 1 "$name: execfix-check judges \"$chk\" (exit $rc), exec_layout \"${want%% *}\""
	fi
done

tap_done
