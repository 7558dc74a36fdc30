#!/bin/bash
# tests/checkpatch.sh: the kernel's scripts/checkpatch.pl (--no-tree) finds
# nothing in the module's C (module/, module/probes/) and in its guest
# program (selftests/module/). Skipped when no current checkpatch.pl is at
# hand: set CHECKPATCH to one (e.g. scripts/checkpatch.pl of Debian's
# linux-source-6.1 tarball, with spelling.txt and const_structs.checkpatch
# next to it), or put checkpatch.pl in PATH.
# TAP 13; exit 0 pass, 1 fail, 4 skip.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=tests/lib/tap.sh
. "$here/lib/tap.sh"

cp=${CHECKPATCH:-$(command -v checkpatch.pl 2>/dev/null || true)}
if [ -z "$cp" ] || [ ! -f "$cp" ]; then
	echo "1..0 # SKIP no checkpatch.pl: set CHECKPATCH=/path/to/linux/scripts/checkpatch.pl"
	exit 4
fi
# The SPDX checks came with 4.x; a 2.6.32 tree's checkpatch judges by
# rules the module does not follow (and would miss the ones it does).
if ! grep -q 'SPDX-License-Identifier' "$cp"; then
	echo "1..0 # SKIP $cp predates the SPDX rules: use a current kernel's checkpatch.pl"
	exit 4
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/execfix-checkpatch.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "TAP version 13"
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

files=("$repo"/module/*.c "$repo"/module/*.h "$repo"/module/probes/*.c
	"$repo"/selftests/module/*.c "$repo"/selftests/module/*.h)
st=0
(cd "$repo" && perl "$cp" --no-tree --terse -f "${files[@]#"$repo"/}") \
	>"$work/module.log" 2>&1 || st=1
grep -v '^total: 0 errors, 0 warnings' "$work/module.log" | grep -q . && st=1
tap_result "$st" "checkpatch: ${#files[@]} files of module/, module/probes/, selftests/module/ clean" \
	"$work/module.log"

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

echo "1..$tap_count"
[ "$tap_failed" = 0 ]
