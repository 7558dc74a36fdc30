# TAP helpers shared by the tests/*.sh scripts: sourced, never run.
# shellcheck shell=bash

tap_count=0
tap_failed=0
tap_skipped=0

# tap_result STATUS DESCRIPTION [LOG [LINES]]: one TAP line, "ok" when
# STATUS is 0; anything else is "not ok", an empty STATUS too: under
# "shopt -s inherit_errexit" a "$(CONDITION; echo $?)" whose CONDITION
# fails ends before its echo and gives "". A failure shows the last LINES
# (default 40) of LOG.
tap_result() {
	tap_count=$((tap_count + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_count - $2"
	else
		tap_failed=$((tap_failed + 1))
		echo "not ok $tap_count - $2"
		[ -z "${3:-}" ] || sed 's/^/#   /' "$3" | tail -n "${4:-40}"
	fi
}

# tap_skip DESCRIPTION: a test that cannot run here.
tap_skip() {
	tap_count=$((tap_count + 1))
	tap_skipped=$((tap_skipped + 1))
	echo "ok $tap_count # SKIP $1"
}

# tap_check DESCRIPTION COMMAND...: one TAP line, "ok" when COMMAND succeeds.
tap_check() {
	local what=$1 rc=0
	shift
	"$@" || rc=$?
	tap_result "$rc" "$what"
}

# tap_runs OUT WANT PATTERN DESCRIPTION COMMAND...: one TAP line, "ok" when
# COMMAND exits WANT and prints (stdout or stderr) a line matching PATTERN;
# the output stays in the file OUT, and its first 30 lines are shown on a
# failure.
tap_runs() {
	local out=$1 want=$2 pat=$3 desc=$4 rc=0
	shift 4
	"$@" >"$out" 2>&1 || rc=$?
	if [ "$rc" = "$want" ] && grep -q -- "$pat" "$out"; then
		tap_result 0 "$desc"
	else
		tap_result 1 "$desc"
		echo "# exit $rc (wanted $want), output:"
		sed 's/^/#   /' "$out" | head -n 30
	fi
}

# tap_diag FILE...: the files' lines as TAP diagnostics.
tap_diag() {
	sed 's/^/# /' "$@"
}

# tap_require_tools TOOL...: end the test as a skip (exit 4, plan 1..0)
# when one of the tools is not installed.
tap_require_tools() {
	local tool
	for tool in "$@"; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "1..0 # SKIP $tool not installed (scripts/install-deps)"
			exit 4
		fi
	done
}
