#!/bin/bash
# scripts/lib/msg.sh, the one say/warn/die of the project's scripts:
#  - what each prints and where, and die's exit code (a missing code is
#    the caller's mistake: EX_FAIL and said so);
#  - exit-codes.sh may be sourced again after msg.sh (which sources it);
#  - no tracked shell script defines its own die, die_usage, die_env,
#    fatal, warn or say, except the ones listed in $pending below, whose
#    owners are to convert them (proof/ and module/testing/); the list may
#    only shrink: a listed file that no longer defines one fails too.
#    selftests/run_kselftest.sh is exempt: it is installed and run alone on
#    the tested machine (POSIX sh, CentOS 6), with no scripts/lib/ beside it.
# TAP 13; exit 0 pass, 1 fail.
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

tap_workdir msg-test
lib=$repo/scripts/lib/msg.sh

# run NAME SNIPPET: bash with msg.sh sourced runs SNIPPET as "prog-x";
# stdout in work/NAME.out, stderr in work/NAME.err, exit code echoed.
run() {
	local rc=0
	bash -c ". '$lib'; . '$repo/scripts/lib/exit-codes.sh'; $2" prog-x >"$work/$1.out" 2>"$work/$1.err" || rc=$?
	echo "$rc"
}
# shellcheck disable=SC2016 # expanded by the inner bash
rc=$(run die 'die "$EX_SPEC" "no such spec"; echo after')
tap_result "$([ "$rc" = 9 ] && [ "$(cat "$work/die.err")" = "prog-x: no such spec" ] && [ ! -s "$work/die.out" ]; echo $?)" \
	"die CODE MESSAGE: 'prog-x: MESSAGE' on stderr only, exit CODE ($rc), and nothing after" "$work/die.err"
rc=$(run nocode 'die "a message without a code"')
tap_result "$([ "$rc" = 1 ] && grep -q '^prog-x: a message without a code (die: no exit code given)$' "$work/nocode.err"; echo $?)" \
	"die without a code: exit EX_FAIL ($rc), and says so" "$work/nocode.err"
rc=$(run prog 'PROG=mine; warn "w"; say "s"; die_usage "u"')
tap_result "$([ "$rc" = 2 ] && [ "$(cat "$work/prog.out")" = "mine: s" ] &&
	[ "$(cat "$work/prog.err")" = "$(printf "mine: w\nmine: u\nTry 'mine --help'.")" ]; echo $?)" \
	"PROG names the lines; say on stdout, warn and die_usage on stderr, die_usage exits EX_USAGE ($rc)" "$work/prog.err"

# Definitions of the message functions in tracked shell scripts.
pending=""
cd "$repo"
: >"$work/defs"
while IFS= read -r f; do
	[ -f "$f" ] || continue
	head -n 5 "$f" | grep -qE '^#!.*\b(ba)?sh\b|^# shellcheck shell=bash' || continue
	grep -nE '^[[:space:]]*(function[[:space:]]+)?(die|die_usage|die_env|fatal|warn|say)[[:space:]]*\(\)' "$f" |
		sed "s|^|$f:|" >>"$work/defs" || true
done < <(git ls-files 2>/dev/null || find . -type f -not -path './.git/*' -not -path './build/*' | sed 's|^\./||')
grep -v '^scripts/lib/msg\.sh:\|^selftests/run_kselftest\.sh:' "$work/defs" >"$work/others" || true
bad=$(cut -d: -f1 "$work/others" | sort -u | grep -vxF -f <(tr ' ' '\n' <<<"$pending") || true)
tap_result "$([ -z "$bad" ]; echo $?)" \
	"no script but scripts/lib/msg.sh defines die/die_usage/die_env/fatal/warn/say (pending: $pending)" "$work/others"
gone=""
for f in $pending; do
	grep -q "^$f:" "$work/others" || gone="$gone $f"
done
tap_result "$([ -z "$gone" ]; echo $?)" \
	"every pending file still defines one (else take it off the list:${gone:- none})"
tap_result "$([ "$(grep -c '^scripts/lib/msg\.sh:' "$work/defs")" = 4 ]; echo $?)" \
	"scripts/lib/msg.sh defines say, warn, die and die_usage" "$work/defs"
tap_done
