#!/bin/bash
# Every shell script of the project is shellcheck-clean, with the optional
# check-set-e-suppressed (.shellcheckrc): set -e is off inside a function
# called from $(...) or a condition, so a failure there must be made
# visible (shopt -s inherit_errexit, or a "disable=SC2310" that says why).
# Scripts are the tracked files whose first line names bash or sh, and the
# sourced libraries ("# shellcheck shell=bash" in their head).
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

tap_require_tools shellcheck

cd "$repo"
scripts=()
while IFS= read -r f; do
	[ -f "$f" ] || continue
	if head -n 1 "$f" | grep -qE '^#!.*\b(ba)?sh\b' ||
		head -n 5 "$f" | grep -q '^# shellcheck shell=bash'; then
		scripts+=("$f")
	fi
done < <(git ls-files 2>/dev/null || find scripts qemu proof bench tests module .ci -type f 2>/dev/null)

tap_workdir shellcheck
log=$work/log
for f in "${scripts[@]}"; do
	rc=0
	shellcheck "$f" >"$log" 2>&1 || rc=$?
	tap_result "$rc" "shellcheck $f" "$log"
done
tap_done
