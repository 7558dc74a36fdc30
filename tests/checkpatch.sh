#!/bin/bash
# tests/checkpatch.sh: a current kernel's scripts/checkpatch.pl on every C
# file of the project and on patches/, held to a written baseline.
#
# Which checkpatch.pl: $CHECKPATCH, else checkpatch.pl in PATH, else the one
# of Debian's linux-source-6.1 (scripts/install-deps installs it), taken
# out of /usr/src/linux-source-*.tar.xz once, with spelling.txt and
# const_structs.checkpatch, into build/checkpatch/.  Skipped (exit 4) when
# there is none, or it predates the SPDX rules (a 2.6.32 tree's).
#
# Flags:
#  - always --no-tree (out-of-tree code: no kernel tree to look things up
#    in) and -f (whole files; patches/ are read as patches);
#  - kernel code (module/*.[ch], module/probes/, module/testing/kmod/)
#    gets every rule;
#  - user-space C (selftests/, qemu/, measure/, tools/execfix-check/, tests/,
#    module/testing/guest/: the guest's test programs)
#    ignores the rules that need the kernel's headers or are about kernel code
#    only: ARRAY_SIZE and
#    PREFER_DEFINED_ATTRIBUTE_MACRO (no <linux/kernel.h> or
#    compiler_attributes.h there), VOLATILE (C wants "volatile sig_atomic_t"
#    for a signal flag; the kernel's rule is about its own accessors),
#    AVOID_EXTERNS (symbols of .incbin and of the linker),
#    USE_NEGATIVE_ERRNO (user-space helpers return errno values the C
#    library's way, as pthread_*() and posix_spawn() do: 0 or a positive E*).
#
# The C is not all checkpatch-clean.  tests/checkpatch-baseline lists, per
# file and warning type, how many findings there were when this check was
# written; the check fails on a type or a count beyond it (a new finding)
# and says where a count went down (the baseline can then shrink).
# patches/ must be clean.  TAP 13; exit 0 pass, 1 fail, 4 skip.
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

baseline=$here/checkpatch-baseline
user_ignore=ARRAY_SIZE,PREFER_DEFINED_ATTRIBUTE_MACRO,VOLATILE,AVOID_EXTERNS,USE_NEGATIVE_ERRNO

# find_checkpatch: the path of checkpatch.pl, or nothing.
find_checkpatch() {
	local tarball dir
	if [ -n "${CHECKPATCH:-}" ]; then
		echo "$CHECKPATCH"
		return 0
	fi
	if command -v checkpatch.pl >/dev/null 2>&1; then
		command -v checkpatch.pl
		return 0
	fi
	tarball=$(find /usr/src -maxdepth 1 -name 'linux-source-*.tar.xz' 2>/dev/null | sort -V | tail -n 1)
	[ -n "$tarball" ] || return 0
	dir=$repo/build/checkpatch/$(basename "$tarball" .tar.xz)
	if [ ! -f "$dir/scripts/checkpatch.pl" ]; then
		mkdir -p "$dir"
		tar -xJf "$tarball" -C "$dir" --strip-components=1 --wildcards \
			'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
			'*/scripts/const_structs.checkpatch' >&2 || return 0
	fi
	echo "$dir/scripts/checkpatch.pl"
}

cp=$(find_checkpatch)
if [ -z "$cp" ] || [ ! -f "$cp" ]; then
	tap_skip_all "no checkpatch.pl: scripts/install-deps installs linux-source-6.1, or set CHECKPATCH"
fi
# The SPDX checks came with 4.x; a 2.6.32 tree's checkpatch judges by
# rules the code does not follow (and would miss the ones it does).
grep -q 'SPDX-License-Identifier' "$cp" ||
	tap_skip_all "$cp predates the SPDX rules: use a current kernel's checkpatch.pl"
tap_workdir execfix-checkpatch
echo "# $cp, version $(sed -n "s/^my \$V = '\(.*\)';/\1/p" "$cp")"

# The check must be able to fail: a file with no SPDX line and a long line.
{
	echo '#include <linux/kernel.h>'
	printf 'int x = %s;\n' "$(printf '1 + %.0s' $(seq 40))1"
} >"$work/bad.c"
st=0
perl "$cp" --no-tree --terse -f "$work/bad.c" >"$work/bad.log" 2>&1 && st=1
grep -q 'SPDX' "$work/bad.log" || st=1
tap_result "$st" "checkpatch reports a file with no SPDX line and a long line" "$work/bad.log"

# The C files, kernel and user space.
cd "$repo"
kernel=() user=()
while IFS= read -r f; do
	case $f in
	module/testing/guest/*) user+=("$f") ;;
	module/*) kernel+=("$f") ;;
	*) user+=("$f") ;;
	esac
done < <(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build/*' | sed 's|^\./||')

# counts LOG: "FILE TYPE N" per file and type of a --terse --show-types log.
counts() {
	sed -n 's/^\([^:]*\):[0-9]*: [A-Z]*:\([A-Z0-9_]*\):.*/\1 \2/p' "$1" | sort | uniq -c |
		awk '{ print $2, $3, $1 }'
}
: >"$work/c.log"
[ "${#kernel[@]}" = 0 ] || perl "$cp" --no-tree --terse --show-types -f "${kernel[@]}" >>"$work/c.log" 2>&1 || true
[ "${#user[@]}" = 0 ] || perl "$cp" --no-tree --terse --show-types --ignore "$user_ignore" -f "${user[@]}" \
	>>"$work/c.log" 2>&1 || true
counts "$work/c.log" >"$work/counts"
grep -v '^#' "$baseline" | grep . >"$work/baseline" || true

# Beyond the baseline: a pair it lacks, or a higher count.
awk 'FILENAME == ARGV[1] { base[$1 " " $2] = $3; next }
	{ k = $1 " " $2; if (!(k in base) || $3 > base[k]) print $0 " (baseline " (k in base ? base[k] : 0) ")" }' \
	"$work/baseline" "$work/counts" >"$work/new"
while read -r f t _; do
	grep "^$f:[0-9]*: [A-Z]*:$t:" "$work/c.log" >>"$work/new.lines" || true
done <"$work/new"
[ ! -s "$work/new.lines" ] || cat "$work/new.lines" >>"$work/new"
tap_result "$([ ! -s "$work/new" ]; echo $?)" \
	"checkpatch: ${#kernel[@]} kernel and ${#user[@]} user-space C files, no finding beyond tests/checkpatch-baseline ($(awk '{ n += $3 } END { print n + 0 }' "$work/counts") findings)" \
	"$work/new" 60
awk 'FILENAME == ARGV[1] { now[$1 " " $2] = $3; next }
	{ k = $1 " " $2; if ((now[k] + 0) < $3) print "# fewer than the baseline: " k " " (now[k] + 0) " (baseline " $3 ")" }' \
	"$work/counts" "$work/baseline"

# A patch is read on standard input (given as a file name, checkpatch takes
# a .patch file inside a git checkout for a source file), from outside this
# checkout; without a kernel's git history no cited upstream commit can be
# looked up, so UNKNOWN_COMMIT_ID says nothing here.
for p in "$repo"/patches/*.patch; do
	st=0
	(cd "$work" && perl "$cp" --no-tree --terse --ignore UNKNOWN_COMMIT_ID -) <"$p" >"$work/patch.log" 2>&1 || st=1
	grep -v '^total: 0 errors, 0 warnings' "$work/patch.log" | grep -q . && st=1
	tap_result "$st" "checkpatch: patches/${p##*/} clean" "$work/patch.log"
done

tap_done
