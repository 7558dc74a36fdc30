# say, warn and die: how every el6-execfix script talks to its user, defined
# once here: sourced, never run.  Bash 4.1 (CentOS 6, where patchctl runs).
# shellcheck shell=bash
#
# Each line starts with the program's name: $PROG when the script sets it,
# else the base name of $0.  Exit codes are the EX_* names of the one
# table (exit-codes.sh, sourced here too).
#   say MESSAGE...        a line on stdout
#   warn MESSAGE...       a line on stderr
#   die CODE MESSAGE...   a line on stderr, then exit CODE
#   die_usage MESSAGE...  die EX_USAGE, and a line that points to --help

# shellcheck source=exit-codes.sh
. "$(dirname "${BASH_SOURCE[0]}")/exit-codes.sh"

say() {
	printf '%s: %s\n' "${PROG:-${0##*/}}" "$*"
}

warn() {
	printf '%s: %s\n' "${PROG:-${0##*/}}" "$*" >&2
}

# A first argument that is no number is a caller's mistake: said as such,
# and the exit is EX_FAIL rather than bash's own complaint.
die() {
	local code=${1:-}
	case $code in
	'' | *[!0-9]*)
		warn "$* (die: no exit code given)"
		exit "$EX_FAIL" ;;
	esac
	shift
	warn "$@"
	exit "$code"
}

die_usage() {
	warn "$@"
	echo "Try '${PROG:-${0##*/}} --help'." >&2
	exit "$EX_USAGE"
}
