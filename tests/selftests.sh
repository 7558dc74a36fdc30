#!/bin/bash
# Host-side checks of selftests/: it builds (glibc 64/32, musl static 64/32)
# with -std=gnu99 -Wall -Wextra -Werror, uses nothing newer than Linux
# 2.6.32 / glibc 2.12 / gcc 4.4, builds through a kernel tree's lib.mk when
# one is available, and the host build's suite passes here.  Also checks
# that interp_leak cleans up after itself when killed.
#
# Env: KSELFTEST_DIR  a kernel's tools/testing/selftests (for the lib.mk
#                     build; default: the first one found under /usr/src and
#                     /lib/modules/$(uname -r)/build)
#      EXECFIX_LEAK_EXECS  passed on to interp_leak (default: its own)
#      SELFTESTS_BUILDS_ONLY=1  stop after the builds and the binaries check
# TAP 13 on stdout; exit 0 pass, 1 fail, 4 skip.
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

src=$repo/selftests
tap_workdir execfix-selftests

# skip DESCRIPTION WHY
skip() { tap_skip "$1: $2"; }

# ---- builds -----------------------------------------------------------------

# For the lib.mk build only (the standalone Makefile does this itself):
# Debian's gcc -m32 lacks <asm/*.h> unless linux-libc-dev:i386 is installed;
# the i686 cross headers that musl-dev:i386 pulls in have the same files.
cc32="gcc -m32"
probe='#include <errno.h>
#include <sys/mman.h>
int main(void) { return 0; }'
if ! echo "$probe" | $cc32 -x c - -o "$work/probe" >/dev/null 2>&1 &&
	[ -d /usr/i686-linux-gnu/include/asm ]; then
	mkdir -p "$work/inc32"
	ln -s /usr/i686-linux-gnu/include/asm "$work/inc32/asm"
	cc32="gcc -m32 -isystem $work/inc32"
fi

# build NAME DIR MAKE-ARGS...: build the suite into DIR, expect all 4 programs
build() {
	local name=$1 out=$2 f missing=""
	shift 2
	if make -C "$src" OUTPUT="$out" USERCFLAGS=-Werror "$@" >"$work/$name.log" 2>&1; then
		for f in exec_layout_32 exec_layout_64 interp_leak interp_stub; do
			[ -x "$out/$f" ] || missing="$missing $f"
		done
		if [ -z "$missing" ]; then
			tap_result 0 "$name build (-std=gnu99 -Wall -Wextra -Werror)"
			return 0
		fi
		tap_diag "$work/$name.log"
		tap_result 1 "$name build: missing:$missing"
	else
		tap_diag "$work/$name.log"
		tap_result 1 "$name build failed"
	fi
	return 1
}

host_ok=0 musl_ok=0
# shellcheck disable=SC2310 # build() reports; its status says whether to go on
build "host glibc" "$work/host" CC=gcc && host_ok=1
if command -v musl-gcc >/dev/null && command -v i386-linux-musl-gcc >/dev/null; then
	# shellcheck disable=SC2310 # as above
	build "musl static" "$work/musl" CC=musl-gcc CC32=i386-linux-musl-gcc \
		LDFLAGS=-static && musl_ok=1
else
	skip "musl static build" "musl-gcc or i386-linux-musl-gcc missing (scripts/install-deps)"
fi

# ---- the binaries are what the guests need -----------------------------------

# elf_check FILE CLASS STATIC: ELF class, static when asked, no exec stack
elf_check() {
	local f=$1 class=$2 static=$3 hdr
	hdr=$(readelf -hl "$f" 2>&1) || { echo "$f: not ELF"; return 1; }
	grep -q "Class:[[:space:]]*$class" <<<"$hdr" || { echo "$f: not $class"; return 1; }
	if [ "$static" = 1 ] && grep -q 'INTERP' <<<"$hdr"; then
		echo "$f: dynamically linked"
		return 1
	fi
	if grep -A1 'GNU_STACK' <<<"$hdr" | grep -q 'RWE'; then
		echo "$f: executable stack (gives READ_IMPLIES_EXEC, hides the layout bug)"
		return 1
	fi
	return 0
}

# The 32-bit set, for 32-bit kernels (i686 guests): CC itself builds i386
# programs, every program is ELF32 and static, and no 64-bit one is built.
if command -v i386-linux-musl-gcc >/dev/null; then
	rc=0
	make -C "$src" OUTPUT="$work/musl32" USERCFLAGS=-Werror CC=i386-linux-musl-gcc \
		LDFLAGS=-static >"$work/musl32.log" 2>&1 || rc=$?
	: >"$work/elf32.log"
	for f in exec_layout_32 interp_leak interp_stub; do
		# shellcheck disable=SC2310 # a check: its status is the answer
		elf_check "$work/musl32/$f" ELF32 1 >>"$work/elf32.log" 2>&1 || rc=1
	done
	for f in exec_layout_64 exec_layout_64_dyn libexec_layout.so; do
		[ ! -e "$work/musl32/$f" ] || { echo "$f built" >>"$work/elf32.log"; rc=1; }
	done
	cat "$work/elf32.log" >>"$work/musl32.log"
	tap_result "$rc" "musl static 32-bit set (CC=i386-linux-musl-gcc): exec_layout_32, interp_leak, interp_stub, all ELF32 static; no 64-bit program" "$work/musl32.log"
else
	skip "musl static 32-bit set" "i386-linux-musl-gcc missing (scripts/install-deps)"
fi

# Only the binaries of builds that succeeded: a failed build was reported
# as such above, and its leftovers say nothing about the sources.
built=""
[ $host_ok = 0 ] || built="$built host"
[ $musl_ok = 0 ] || built="$built musl"
if [ -n "$built" ]; then
	: >"$work/elf.log"
	elf_bad=0
	for d in $built; do
		static=0
		[ "$d" = musl ] && static=1
		for check in "exec_layout_32 ELF32 $static" "exec_layout_64 ELF64 $static" \
			"interp_leak ELF64 $static" "interp_stub ELF64 1"; do
			read -r f class st <<<"$check"
			# shellcheck disable=SC2310 # a check: its status is the answer
			elf_check "$work/$d/$f" "$class" "$st" >>"$work/elf.log" || elf_bad=1
		done
	done
	if [ $elf_bad = 0 ]; then
		tap_result 0 "binaries ($built ): ELF32/ELF64 as named, musl ones and interp_stub static, no executable stack"
	else
		tap_diag "$work/elf.log"
		tap_result 1 "binaries ($built ) are not what their names say"
	fi
else
	skip "binaries" "no build succeeded"
fi
[ "${SELFTESTS_BUILDS_ONLY:-0}" != 1 ] || tap_done

# The dynamic child and its library are linked as CentOS 6 links: the first
# PT_LOAD executable, so the loader maps them with PROT_EXEC; musl's loader.
if [ $musl_ok = 1 ]; then
	dyn_bad=""
	for f in exec_layout_64_dyn libexec_layout.so; do
		readelf -lW "$work/musl/$f" 2>/dev/null |
			awk '$1 == "LOAD" { rx = / R E /; n++; exit } END { exit !(n && rx) }' ||
			dyn_bad="$dyn_bad $f:first-PT_LOAD-not-RE"
	done
	readelf -lW "$work/musl/exec_layout_64_dyn" 2>/dev/null |
		grep -q 'interpreter: /lib/ld-musl-x86_64.so.1' ||
		dyn_bad="$dyn_bad exec_layout_64_dyn:no-musl-loader"
	readelf -dW "$work/musl/exec_layout_64_dyn" 2>/dev/null | grep -q 'NEEDED.*libexec_layout.so' ||
		dyn_bad="$dyn_bad exec_layout_64_dyn:not-linked-to-libexec_layout.so"
	if [ -z "$dyn_bad" ]; then
		tap_result 0 "musl dynamic child: exec_layout_64_dyn + libexec_layout.so, first PT_LOAD R E, loader ld-musl"
	else
		tap_result 1 "musl dynamic child:$dyn_bad"
	fi
else
	skip "musl dynamic child" "musl build not done"
fi

# ---- nothing newer than 2.6.32 / glibc 2.12 / gcc 4.4 -------------------------

# Syscalls and flags after 2.6.32, glibc functions after 2.12 (clock_gettime
# needs -lrt there), C features after gcc 4.4, headers that CentOS 6 lacks.
new_api='\b(getrandom|memfd_create|execveat|prlimit|syncfs|setns|process_vm_readv|process_vm_writev|name_to_handle_at|open_by_handle_at|sendmmsg|renameat2|seccomp|bpf|copy_file_range|statx|clone3|pidfd_[a-z_]+|close_range|faccessat2|openat2|finit_module|kcmp|userfaultfd|membarrier|mlock2|pkey_[a-z]+|preadv2|pwritev2|io_uring_[a-z_]+|reallocarray|explicit_bzero|strlcpy|strlcat|secure_getenv|getauxval|aligned_alloc|timespec_get|getentropy|clock_gettime|_Static_assert|static_assert|_Generic|_Atomic|__builtin_[a-z_]+_overflow|__has_include|O_TMPFILE|O_PATH|MAP_FIXED_NOREPLACE|MAP_SHARED_VALIDATE|MFD_[A-Z_]+|MADV_DONTDUMP|MADV_FREE|PR_SET_NO_NEW_PRIVS|PR_SET_CHILD_SUBREAPER)\b|fallthrough|#include <(sys/random|sys/auxv|stdatomic|threads|linux/memfd|sys/pidfd)\.h>'
if grep -nE "$new_api" "$src"/*.c "$src"/*.h "$src"/compat/*.h \
	"$repo"/measure/*.c "$repo"/measure/*.h >"$work/api.log"; then
	tap_diag "$work/api.log"
	tap_result 1 "sources (selftests/, measure/) use APIs newer than Linux 2.6.32 / glibc 2.12 / gcc 4.4"
else
	tap_result 0 "sources (selftests/, measure/) use nothing newer than Linux 2.6.32 / glibc 2.12 / gcc 4.4 (grep)"
fi

# ---- through a kernel tree's lib.mk -------------------------------------------

ksft=${KSELFTEST_DIR:-}
if [ -z "$ksft" ]; then
	for d in /usr/src/linux-*/tools/testing/selftests \
		"/lib/modules/$(uname -r)/build/tools/testing/selftests"; do
		if [ -f "$d/lib.mk" ] && [ -f "$d/kselftest.h" ]; then
			ksft=$d
			break
		fi
	done
fi
if [ -n "$ksft" ] && [ -f "$ksft/lib.mk" ] && [ -f "$ksft/kselftest.h" ]; then
	# A private copy of the tree's framework files, never the tree itself.
	mkdir -p "$work/ksft"
	cp -a "$ksft/lib.mk" "$ksft/kselftest.h" "$work/ksft/"
	[ -d "$ksft/kselftest" ] && cp -a "$ksft/kselftest" "$work/ksft/"
	cp -a "$src" "$work/ksft/execfix"
	cp -a "$repo/measure" "$work/ksft/execfix/measure"	# as README says
	rm -f "$work/ksft/execfix/compat/kselftest.h"	# the tree's must be used
	if make -C "$work/ksft/execfix" OUTPUT="$work/ksft-out" CC32="$cc32" \
		USERCFLAGS=-Werror >"$work/ksft.log" 2>&1 &&
		[ -x "$work/ksft-out/exec_layout_64" ] &&
		[ -x "$work/ksft-out/interp_leak" ] &&
		[ -x "$work/ksft-out/interp_stub" ]; then
		tap_result 0 "builds through $ksft/lib.mk against its kselftest.h"
	else
		tap_diag "$work/ksft.log"
		tap_result 1 "build through $ksft/lib.mk"
	fi
else
	skip "build through a kernel tree's lib.mk" "no tools/testing/selftests with lib.mk here (set KSELFTEST_DIR)"
fi

# ---- run the suite on this host -------------------------------------------------

# run_prog NAME PATH ARGS...: one TAP line for a whole program
run_prog() {
	local name=$1 prog=$2 rc=0
	shift 2
	"$prog" "$@" >"$work/run.log" 2>&1 || rc=$?
	tap_diag "$work/run.log"
	case $rc in
	0) tap_result 0 "$name" ;;
	4) skip "$name" "$(grep -m1 -o 'SKIP.*' "$work/run.log" || echo "skipped")" ;;
	126)
		# An i386 program on a kernel without IA32 emulation (6.7+ can
		# have it off at boot); the QEMU guest tests run the 32-bit cases.
		if [ "$(od -An -tx1 -N5 "$prog" | tr -d ' \n')" = 7f454c4601 ]; then
			skip "$name" "this host's kernel runs no i386 programs (IA32 emulation off)"
		else
			tap_result 1 "$name (exit $rc)"
		fi
		;;
	*) tap_result 1 "$name (exit $rc)" ;;
	esac
}

for p in exec_layout_64 exec_layout_32 interp_leak; do
	if [ $host_ok = 1 ]; then
		run_prog "host build: $p" "$work/host/$p"
	else
		skip "host build: $p" "not built"
	fi
done
for p in exec_layout_64 exec_layout_32; do
	if [ $musl_ok = 1 ]; then
		run_prog "musl static build on this host: $p" "$work/musl/$p"
	else
		skip "musl static build on this host: $p" "not built"
	fi
done

# ---- the standalone run_tests target ----------------------------------------------

if [ $host_ok = 1 ]; then
	rc=0
	make -s -C "$src" OUTPUT="$work/host" CC=gcc \
		run_tests >"$work/run_tests.log" 2>&1 || rc=$?
	if [ $rc = 0 ] && head -1 "$work/run_tests.log" | grep -q '^TAP version 13' &&
		grep -q '^1\.\.3$' "$work/run_tests.log" &&
		[ "$(grep -c '^ok [0-9]* selftests: execfix: ' "$work/run_tests.log")" = 3 ]; then
		tap_result 0 "make run_tests (standalone): TAP summary of 3 programs"
	else
		tap_diag "$work/run_tests.log"
		tap_result 1 "make run_tests (standalone), exit $rc"
	fi
else
	skip "make run_tests" "host build failed"
fi

# ---- interp_leak leaves nothing behind when killed -----------------------------------

binfmt=/proc/sys/fs/binfmt_misc
if [ $host_ok != 1 ]; then
	skip "interp_leak cleans up on SIGTERM" "host build failed"
elif [ "$(id -u)" != 0 ]; then
	skip "interp_leak cleans up on SIGTERM" "needs root"
else
	was_mounted=0
	[ -e "$binfmt/register" ] && was_mounted=1
	# It registers after the two control rounds and stays registered for
	# the six rounds that follow: seconds to catch it at 3000 execs a round.
	EXECFIX_LEAK_EXECS=3000 TMPDIR="$work" "$work/host/interp_leak" \
		>"$work/kill.log" 2>&1 &
	tap_bg_pid=$!	# the end of the test stops it if this part does not
	leak_pid=$tap_bg_pid
	entry="$binfmt/execfix-leak-$leak_pid"
	for _ in $(seq 1 600); do
		[ -e "$entry" ] && break
		kill -0 "$leak_pid" 2>/dev/null || break
		sleep 0.1
	done
	registered=0
	[ -e "$entry" ] && registered=1
	kill -TERM "$leak_pid" 2>/dev/null || true
	rc=0
	wait "$leak_pid" || rc=$?
	tap_bg_pid=""
	left=""
	[ -e "$entry" ] && left="$left binfmt_misc entry;"
	ls -d "$work"/execfix-leak.* >/dev/null 2>&1 && left="$left temp dir;"
	if [ $was_mounted = 0 ] && [ -e "$binfmt/register" ]; then
		left="$left binfmt_misc still mounted;"
	fi
	if [ $registered = 0 ]; then
		tap_diag "$work/kill.log"
		skip "interp_leak cleans up on SIGTERM" "never saw its binfmt_misc entry (no binfmt_misc here?)"
	elif [ -z "$left" ] && [ $rc = 143 ]; then
		tap_result 0 "interp_leak killed while registered: entry, temp dir and mount gone (exit $rc)"
	else
		tap_diag "$work/kill.log"
		tap_result 1 "interp_leak after SIGTERM (exit $rc) left:$left"
	fi
fi

tap_plan
# Nothing passed and nothing failed: nothing could be checked here.
[ "$tap_count" -gt "$tap_skipped" ] || exit "$EX_SKIP"
exit "$EX_OK"
