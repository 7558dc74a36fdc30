#!/bin/bash
# The measurement library (measure/) on the host: it builds for every
# guest and host compiler (-Werror), and its unit tests judge the fixtures
# of measure/tests/fixtures/ (slabinfo sequences, layout probe reports,
# maps files) as measure/tests/unit.c says they must be judged.
# TAP 13; exit 0 pass, 1 fail, 4 skip.
set -eu
shopt -s inherit_errexit

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=lib/tap.sh
. "$here/lib/tap.sh"

echo "TAP version 13"
tap_require_tools gcc
T=$(mktemp -d "${TMPDIR:-/tmp}/measure.XXXXXX")
trap 'rm -rf "$T"' EXIT

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
		-I"$repo/selftests/compat" -o "$T/unit-$cc" \
		"$repo/measure/tests/unit.c" "${srcs[@]}" >"$T/$cc.log" 2>&1 || rc=$?
	tap_result "$rc" "library and unit tests build with $cc -std=c99 -static -Werror" "$T/$cc.log"
done

rc=0
gcc "${flags[@]}" -o "$T/unit" "$repo/measure/tests/unit.c" "${srcs[@]}" \
	>"$T/gcc.log" 2>&1 || rc=$?
tap_result "$rc" "library and unit tests build with gcc -Werror" "$T/gcc.log"
if [ "$rc" = 0 ]; then
	rc=0
	"$T/unit" "$repo/measure/tests/fixtures" >"$T/unit.out" 2>&1 || rc=$?
	tap_diag "$T/unit.out"
	tap_result "$rc" "unit tests: $(grep -c '^ok ' "$T/unit.out") passed, $(grep -c '^not ok ' "$T/unit.out") failed"
fi
# The static guest builds run here too (i386 through IA32 emulation): the
# same verdicts in the guests' own word sizes.
for cc in musl-gcc i386-linux-musl-gcc; do
	[ -x "$T/unit-$cc" ] || continue
	rc=0
	"$T/unit-$cc" "$repo/measure/tests/fixtures" >"$T/unit-$cc.out" 2>&1 || rc=$?
	tap_result "$rc" "unit tests pass built static with $cc" "$T/unit-$cc.out"
done

echo "1..$tap_count"
[ "$tap_failed" -eq 0 ]
