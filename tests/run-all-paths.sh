#!/bin/bash
# tests/run-all in a checkout whose path has spaces ("a b/"): each test
# script is run once, as one path, and counted once.  Runs a copy of
# run-all over two tiny test scripts (one passes, one skips).  TAP 13;
# exit 0 pass, 1 fail.
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

tap_workdir run-all-paths
co="$work/a b/c  d"
mkdir -p "$co/tests" "$co/scripts/lib"
cp "$repo/tests/run-all" "$co/tests/"
cp "$repo/scripts/lib/exit-codes.sh" "$co/scripts/lib/"
printf '#!/bin/bash\necho "1..1"\necho "ok 1 - fine"\n' >"$co/tests/one pass.sh"
printf '#!/bin/bash\necho "1..0 # SKIP nothing here"\nexit 4\n' >"$co/tests/two-skip.sh"

for args in "" "two-skip" "one pass"; do
	rc=0
	if [ -z "$args" ]; then
		"$co/tests/run-all" >"$work/out" 2>&1 || rc=$?
		want="1 passed, 0 failed, 1 skipped"
	else
		"$co/tests/run-all" "$args" >"$work/out" 2>&1 || rc=$?
		case $args in
		two-skip) want="0 passed, 0 failed, 1 skipped" ;;
		*) want="1 passed, 0 failed, 0 skipped" ;;
		esac
	fi
	tap_result "$([ "$rc" = 0 ] && [ "$(tail -n 1 "$work/out")" = "$want" ]; echo $?)" \
		"run-all ${args:+\"$args\" }under \"a b/c  d/\": $want (exit $rc)" "$work/out"
done
tap_done
