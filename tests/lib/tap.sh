# TAP helpers shared by the tests/*.sh scripts: sourced, never run.
# shellcheck shell=bash
#
# It is also their one preamble: a script sets "set -eu" and "shopt -s
# inherit_errexit" (they must hold before anything runs), then sources this
# file, which sets here (the tests/ directory) and repo (the checkout),
# sources the exit-code table (EX_OK, EX_SKIP, exit_on_signal, ...) and
# prints the TAP version line, which TAP wants first.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=scripts/lib/exit-codes.sh
. "$repo/scripts/lib/exit-codes.sh"

tap_count=0
tap_failed=0
tap_skipped=0
tap_keep_failed=""
# A background job of the test (a stand-in server, a run to be signalled),
# or "": tap_stop_bg stops it, and so does the end of the test.
tap_bg_pid=""
echo "TAP version 13"

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

# tap_require_tools TOOL...: end the test as a skip (EX_SKIP, plan 1..0)
# when one of the tools is not installed.
tap_require_tools() {
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 ||
			tap_skip_all "$tool not installed (scripts/install-deps)"
	done
}

# tap_skip_all REASON: end the test before any check as a skip: plan 1..0
# with REASON, EX_SKIP.
tap_skip_all() {
	echo "1..0 # SKIP $1"
	exit "$EX_SKIP"
}

# tap_workdir NAME [--keep-failed]: make $work, the test's private directory
# ($TMPDIR/NAME.XXXXXX), removed when the test ends; with --keep-failed it
# is kept (and named) when a check failed: the logs are the evidence.  INT,
# TERM and HUP end the test with 128+N after that.  A test with more to
# undo at the end sets its own EXIT trap and calls tap_cleanup from it.
tap_workdir() {
	work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
	tap_keep_failed=${2:-}
	trap tap_cleanup EXIT
	exit_on_signal
}

# tap_stop_bg: kill and reap the background job $tap_bg_pid, if any.
tap_stop_bg() {
	[ -n "$tap_bg_pid" ] || return 0
	kill "$tap_bg_pid" 2>/dev/null || true
	wait "$tap_bg_pid" 2>/dev/null || true
	tap_bg_pid=""
}

# tap_cleanup: stop the background job, then remove $work, or keep it (see
# tap_workdir).
tap_cleanup() {
	tap_stop_bg
	if [ -n "$tap_keep_failed" ] && [ "$tap_failed" -ne 0 ]; then
		echo "# logs kept in $work"
	else
		rm -rf "$work"
	fi
}

# tap_kbuild LABEL WHAT KO LOG MAKE-ARG...: two checks of a kernel module
# build: "LABEL: WHAT" when make MAKE-ARG... (its output in LOG) makes KO,
# then "LABEL: no compiler or modpost warning" in LOG.  Status 1, and no
# second check, when the build failed: there is no module to check further.
tap_kbuild() {
	local label=$1 what=$2 ko=$3 log=$4 rc=0
	shift 4
	make "$@" >"$log" 2>&1 && [ -f "$ko" ] || rc=1
	tap_result "$rc" "$label: $what"
	[ "$rc" = 0 ] || { tap_diag <(tail -n 30 "$log"); return 1; }
	! grep -qi 'warning' "$log" || rc=1
	tap_result "$rc" "$label: no compiler or modpost warning"
	[ "$rc" = 0 ] || tap_diag <(grep -i -B3 -A3 'warning' "$log" | head -n 40)
}

# tap_plan: the plan line, after the last check; a test with a failed
# check ends there with EX_FAIL.
tap_plan() {
	echo "1..$tap_count"
	[ "$tap_failed" -eq 0 ] || {
		echo "# $tap_failed of $tap_count failed"
		exit "$EX_FAIL"
	}
}

# tap_done: the plan, then the end of the test: EX_FAIL when a check
# failed, else EX_OK.
tap_done() {
	tap_plan
	exit "$EX_OK"
}
