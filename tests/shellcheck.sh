#!/bin/bash
# Every shell script of the project is shellcheck-clean (.shellcheckrc at
# the top lets it follow tests/lib/tap.sh).
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

echo "TAP version 13"
if ! command -v shellcheck >/dev/null 2>&1; then
	echo "1..0 # SKIP shellcheck not installed (scripts/install-deps installs it)"
	exit 4
fi

cd "$repo"
# Shell scripts are the tracked files whose first line names bash or sh.
scripts=$(git ls-files 2>/dev/null | while read -r f; do
	[ -f "$f" ] && head -n 1 "$f" | grep -qE '^#!.*\b(ba)?sh\b' && echo "$f"
done)
[ -n "$scripts" ] || scripts=$(grep -rlE '^#!.*\b(ba)?sh\b' scripts qemu vendor tests module .ci)

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for f in $scripts; do
	rc=0
	shellcheck "$f" >"$log" 2>&1 || rc=$?
	tap_result "$rc" "shellcheck $f" "$log"
done
echo "1..$tap_count"
[ "$tap_failed" -eq 0 ]
