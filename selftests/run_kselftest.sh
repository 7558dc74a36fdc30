#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs el6-execfix's selftests the way kselftest's run_kselftest.sh does:
# TAP 13 on stdout, each program's own output indented as "# " lines, and
# a per-test timeout (the collection's "settings" file, "timeout=S").
# Installed next to kselftest-list.txt by "make -C selftests install";
# "make -C selftests run_tests" runs it on the build directory (-d).
#
# Plain POSIX sh: it must run on CentOS 6 (bash 4.1, coreutils 8.4, whose
# timeout(1) has no --foreground or --kill-after), on Debian's dash and on
# busybox.  Exit 0 when every test passed or was skipped, 1 otherwise,
# 2 usage.
set -eu

BASE_DIR=$(cd "$(dirname "$0")" && pwd)
DEFAULT_TIMEOUT=45	# kselftest's default when a collection sets none

usage() {
	cat <<EOF
Usage: $0 [-l] [-s] [-c COLLECTION] [-t COLLECTION:TEST]... [-o SECONDS] [-d DIR]
  -l, --list                 list the tests (COLLECTION:TEST) and exit
  -s, --summary              only the TAP lines, no program output
  -c, --collection NAME      run only this collection
  -t, --test NAME:TEST       run only this test (repeatable)
  -o, --override-timeout S   per-test timeout in seconds (0: none), instead
                             of the collection's settings (default $DEFAULT_TIMEOUT)
  -d, --dir DIR              the programs and settings file are in DIR
                             instead of $BASE_DIR/COLLECTION
  -h, --help                 this text
Tests come from $BASE_DIR/kselftest-list.txt, or from -t.
A test that runs past its timeout is killed and reported as
"not ok ... # TIMEOUT" (timeout(1) exit 124).
Exit codes: 0 all passed or skipped; 1 a test failed or timed out; 2 usage.
EOF
}

die_usage() {
	echo "$0: $*" >&2
	exit 2
}

list_file=$BASE_DIR/kselftest-list.txt
tests=""
collection=""
override=""
dir=""
summary=0
list_only=0
while [ $# -gt 0 ]; do
	case $1 in
	-l | --list) list_only=1 ;;
	-s | --summary) summary=1 ;;
	-c | --collection)
		[ $# -ge 2 ] || die_usage "$1 needs a value"
		collection=$2
		shift
		;;
	-t | --test)
		[ $# -ge 2 ] || die_usage "$1 needs a value"
		case $2 in
		*:?*) ;;
		*) die_usage "$1 wants COLLECTION:TEST, not '$2'" ;;
		esac
		tests="$tests $2"
		shift
		;;
	-o | --override-timeout)
		[ $# -ge 2 ] || die_usage "$1 needs a value"
		case $2 in
		'' | *[!0-9]*) die_usage "$1 wants a number of seconds, not '$2'" ;;
		esac
		override=$2
		shift
		;;
	-d | --dir)
		[ $# -ge 2 ] || die_usage "$1 needs a value"
		[ -d "$2" ] || die_usage "$2: no such directory"
		dir=$(cd "$2" && pwd)
		shift
		;;
	-h | --help)
		usage
		exit 0
		;;
	*) die_usage "unknown argument '$1' (see --help)" ;;
	esac
	shift
done

if [ -z "$tests" ]; then
	[ -f "$list_file" ] || die_usage "no $list_file: name the tests with -t"
	# The list's lines, without blank ones and comments.
	tests=$(sed -e '/^[[:space:]]*$/d' -e '/^#/d' "$list_file")
fi
if [ -n "$collection" ]; then
	selected=""
	for t in $tests; do
		[ "${t%%:*}" != "$collection" ] || selected="$selected $t"
	done
	tests=$selected
fi
if [ $list_only = 1 ]; then
	for t in $tests; do
		echo "$t"
	done
	exit 0
fi

# timeout_of DIR: the per-test timeout for the collection in DIR
timeout_of() {
	if [ -n "$override" ]; then
		echo "$override"
		return 0
	fi
	t=""
	if [ -f "$1/settings" ]; then
		t=$(sed -n 's/^timeout=\([0-9][0-9]*\)[[:space:]]*$/\1/p' "$1/settings")
	fi
	echo "${t:-$DEFAULT_TIMEOUT}"
}

# indent: the program's output as TAP diagnostics, line by line as it
# comes (sed would buffer it), the last line also without a newline.
indent() {
	while IFS= read -r line || [ -n "$line" ]; do
		printf '# %s\n' "$line"
	done
}

# run_one PROGRAM SECONDS: run it (under timeout(1) when SECONDS > 0) with
# stdout and stderr merged into our stdout; its exit code goes to $rc_file.
# timeout(1) without --foreground puts the program in a process group of
# its own, which a ^C on the terminal does not reach: its pid goes to
# $pid_file, for stop_test.
run_one() {
	rc=0
	if [ "$2" -gt 0 ]; then
		KSFT_TAP_LEVEL=1 timeout -s TERM "$2" "$1" 2>&1 </dev/null &
		echo $! >"$pid_file"
		wait $! || rc=$?
	else
		KSFT_TAP_LEVEL=1 "$1" 2>&1 </dev/null || rc=$?
	fi
	echo "$rc" >"$rc_file"
}

# stop_test: end the test that runs under timeout(1), if any (timeout
# passes TERM on to it).  Called from the traps:
# shellcheck disable=SC2317
stop_test() {
	if [ -s "$pid_file" ]; then
		kill -TERM "$(cat "$pid_file")" 2>/dev/null || :
	fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/run_kselftest.XXXXXX")
rc_file=$tmp/rc
pid_file=$tmp/pid
trap 'rm -rf "$tmp"' EXIT
trap 'stop_test; exit 130' INT
trap 'stop_test; exit 143' TERM

# shellcheck disable=SC2086 # the test names are words
set -- $tests
echo "TAP version 13"
echo "1..$#"
if ! command -v timeout >/dev/null 2>&1; then
	echo "# timeout(1) not found: tests run without a time limit"
	override=0
fi
n=0
failed=0
for t in "$@"; do
	n=$((n + 1))
	coll=${t%%:*}
	name=${t#*:}
	cdir=${dir:-$BASE_DIR/$coll}
	prog=$cdir/$name
	hdr="selftests: $coll: $name"
	limit=$(timeout_of "$cdir")
	echo "# $hdr"
	if [ ! -x "$prog" ]; then
		echo "# Warning: file $name is missing or not executable"
		echo "not ok $n $hdr"
		failed=1
		continue
	fi
	: >"$pid_file"
	if [ $summary = 1 ]; then
		(cd "$cdir" && run_one "$prog" "$limit") >"$tmp/out"
	else
		(cd "$cdir" && run_one "$prog" "$limit") | tee "$tmp/out" | indent
	fi
	rc=$(cat "$rc_file")
	# An i386 program on a kernel without IA32 emulation (off at build,
	# or at boot on 6.7+): execve() says ENOEXEC, and the shell or
	# timeout(1) reports it or runs the binary as a script.  A 32-bit
	# ELF (7f 'E' 'L' 'F', EI_CLASS 1) whose first output line is that is
	# a SKIP: its cases cannot exist here.  A program that ran never
	# prints this first.
	if [ "$rc" != 0 ] && [ "$rc" != 4 ] && [ "$rc" != 124 ]; then
		elf=$(od -An -tx1 -N5 "$prog" 2>/dev/null | tr -d ' \n') || elf=""
		first=$(head -n 1 "$tmp/out")
		case $elf:$first in
		7f454c4601:*"Syntax error"* | 7f454c4601:*"cannot execute"* | \
			7f454c4601:*"Exec format error"*)
			echo "ok $n $hdr # SKIP this kernel runs no i386 programs (IA32 emulation off)"
			continue
			;;
		esac
	fi
	case $rc in
	0) echo "ok $n $hdr" ;;
	4) echo "ok $n $hdr # SKIP" ;;
	124)
		echo "not ok $n $hdr # TIMEOUT $limit seconds"
		failed=1
		;;
	*)
		echo "not ok $n $hdr # exit=$rc"
		failed=1
		;;
	esac
done
exit $failed
