#!/bin/bash
# The measurement library (measure/) on the host: it builds for every
# guest and host compiler (-Werror), and its unit tests judge the fixtures
# of measure/tests/fixtures/ (slabinfo sequences, layout probe reports,
# maps files) as measure/tests/unit.c says they must be judged.
# TAP 13; exit 0 pass, 1 fail, 4 skip.
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

tap_require_tools gcc
tap_workdir measure

srcs=("$repo"/measure/*.c)
flags=(-std=gnu99 -O2 -Wall -Wextra -Werror -I"$repo/measure" -I"$repo/selftests/compat")

# The guest compilers build the library as the guests do (static, C99).
for cc in musl-gcc i386-linux-musl-gcc; do
	if ! command -v "$cc" >/dev/null 2>&1; then
		tap_skip "library builds with $cc: not installed (scripts/install-deps)"
		continue
	fi
	rc=0
	"$cc" -std=c99 -O2 -Wall -Wextra -Werror -static -I"$repo/measure" \
		-I"$repo/selftests/compat" -o "$work/unit-$cc" \
		"$repo/measure/tests/unit.c" "${srcs[@]}" >"$work/$cc.log" 2>&1 || rc=$?
	tap_result "$rc" "library and unit tests build with $cc -std=c99 -static -Werror" "$work/$cc.log"
done

rc=0
gcc "${flags[@]}" -o "$work/unit" "$repo/measure/tests/unit.c" "${srcs[@]}" \
	>"$work/gcc.log" 2>&1 || rc=$?
tap_result "$rc" "library and unit tests build with gcc -Werror" "$work/gcc.log"
if [ "$rc" = 0 ]; then
	rc=0
	"$work/unit" "$repo/measure/tests/fixtures" >"$work/unit.out" 2>&1 || rc=$?
	tap_diag "$work/unit.out"
	tap_result "$rc" "unit tests: $(grep -c '^ok ' "$work/unit.out") passed, $(grep -c '^not ok ' "$work/unit.out") failed"
fi
# The static guest builds run here too (i386 through IA32 emulation): the
# same verdicts in the guests' own word sizes.
for cc in musl-gcc i386-linux-musl-gcc; do
	[ -x "$work/unit-$cc" ] || continue
	rc=0
	"$work/unit-$cc" "$repo/measure/tests/fixtures" >"$work/unit-$cc.out" 2>&1 || rc=$?
	tap_result "$rc" "unit tests pass built static with $cc" "$work/unit-$cc.out"
done

tap_done
