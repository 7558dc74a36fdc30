#!/bin/bash
# tests/module.sh: module/execfix.ko builds with no compiler warning against
# Debian's kernel headers (and a 2.6.32 build directory in $KDIR_EL6 when
# set), its compile probes find each kernel's own features, the static guest
# driver builds, and, when QEMU and a kernel image are at hand, every
# /proc/execfix file is checked inside a guest (qemu/run-qemu).
#
# Env: KDIR_DEB     Debian headers (default: newest /usr/src/linux-headers-*-amd64)
#      KERNEL_DEB   image to boot for them (default /boot/vmlinuz-<their release>)
#      KDIR_EL6     a configured and built 2.6.32 el6 build directory (optional)
#      KERNEL_EL6   its bzImage, to check the module in a guest too (optional)
#      EXECFIX_MODULE_QEMU=0   skip the guest checks
#      EXECFIX_MODULE_STRESS   load/unload cycles in the guest (default 200)
# Prints TAP 13; exits 0 pass, 1 fail, 4 skip (no kernel headers at all).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/execfix-module-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n - $* # SKIP"; }
check() {	# check "description" command...
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}
diag() { sed 's/^/# /' "$@"; }

if [ -z "${KDIR_DEB:-}" ]; then
	KDIR_DEB=$(find /usr/src -maxdepth 1 -name 'linux-headers-*-amd64' 2>/dev/null |
		sort -V | tail -n 1)
fi
if [ -z "$KDIR_DEB" ] && [ -z "${KDIR_EL6:-}" ]; then
	echo "1..0 # SKIP no kernel headers: install linux-headers-amd64 (scripts/install-deps) or set KDIR_EL6"
	exit 4
fi

echo "TAP version 13"

# A clean copy of the module sources per kernel: nothing built in the tree.
copy_sources() {
	mkdir -p "$1"
	cp -r "$repo/module/Kbuild" "$repo/module/Kbuild.flags" "$repo/module/Makefile" \
		"$repo/module/gen-features.sh" "$repo/module/probes" \
		"$repo"/module/execfix_*.c "$repo"/module/execfix*.h "$1/"
	rm -f "$1/execfix_features.h"
}

# (called through check)
# shellcheck disable=SC2317
has_feature() {	# has_feature DIR NAME
	grep -q "^#define EXECFIX_HAVE_$2 1" "$1/execfix_features.h"
}

# shellcheck disable=SC2317
lacks_feature() {
	! has_feature "$@"
}

# The release modules must carry (UTS_RELEASE: Debian's kernel.release differs).
kernel_release() {
	local h
	for h in "$1/include/generated/utsrelease.h" "$1/include/linux/utsrelease.h"; do
		if [ -f "$h" ]; then
			sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$h"
			return 0
		fi
	done
	echo unknown
}

# build_module LABEL KDIR "FEATURES THAT MUST BE FOUND" "FEATURES THAT MUST NOT"
build_module() {
	local label=$1 kdir=$2 want=$3 unwanted=$4 dir=$work/$1 f rel
	copy_sources "$dir"
	if make -C "$kdir" M="$dir" modules >"$dir/build.log" 2>&1 &&
		[ -f "$dir/execfix.ko" ]; then
		ok "$label: builds against $kdir"
	else
		not_ok "$label: builds against $kdir"
		diag <(tail -n 30 "$dir/build.log")
		return 0
	fi
	if grep -qi 'warning' "$dir/build.log"; then
		not_ok "$label: no compiler or modpost warning"
		diag <(grep -i -B3 -A3 'warning' "$dir/build.log" | head -n 40)
	else
		ok "$label: no compiler or modpost warning"
	fi
	diag "$dir/execfix_features.h"
	for f in $want; do
		check "$label: compile probe finds $f" has_feature "$dir" "$f"
	done
	for f in $unwanted; do
		check "$label: compile probe finds no $f" lacks_feature "$dir" "$f"
	done
	rel=$(kernel_release "$kdir")
	check "$label: vermagic is $rel" \
		grep -q "^$rel " <(modinfo -F vermagic "$dir/execfix.ko")
	check "$label: parameter inject_leak" \
		grep -q '^inject_leak:' <(modinfo -F parm "$dir/execfix.ko")
}

if [ -n "$KDIR_DEB" ]; then
	build_module debian "$KDIR_DEB" \
		"PROC_OPS IN_COMPAT_SYSCALL KRETPROBE_ENTRY_HANDLER COPY_FROM_KERNEL_NOFAULT" \
		"MM_EXEC_AREA MM_SHLIB_BASE IS_COMPAT_TASK PROBE_KERNEL_READ"
else
	skip "debian: no /usr/src/linux-headers-*-amd64"
fi

if [ -n "${KDIR_EL6:-}" ]; then
	build_module el6 "$KDIR_EL6" \
		"MM_EXEC_AREA MM_SHLIB_BASE IS_COMPAT_TASK KRETPROBE_ENTRY_HANDLER PROBE_KERNEL_READ" \
		"PROC_OPS IN_COMPAT_SYSCALL COPY_FROM_KERNEL_NOFAULT"
else
	skip "el6: KDIR_EL6 not set (a configured, built 2.6.32 el6 build directory)"
fi

# The static guest driver, 64- and 32-bit, with warnings as errors.
guest_cflags="-std=c99 -O2 -Wall -Wextra -Werror -static"
guest=$work/guest
# compiler, target, package that provides the compiler
for build in "musl-gcc execfix-guest musl-tools" \
	"i386-linux-musl-gcc execfix-guest32 musl-dev:i386"; do
	read -r cc target package <<<"$build"
	if ! command -v "$cc" >/dev/null 2>&1; then
		skip "guest driver: no $cc ($package)"
	elif make -s -C "$repo/selftests/module" GUEST_OUT="$guest" \
		GUEST_CFLAGS="$guest_cflags" "$guest/$target" \
		>"$work/$target.log" 2>&1; then
		ok "guest driver builds ($cc, -Werror)"
	else
		not_ok "guest driver builds ($cc, -Werror)"
		diag "$work/$target.log"
	fi
done

if command -v shellcheck >/dev/null 2>&1; then
	check "shellcheck module/gen-features.sh module/bench.sh tests/module.sh" \
		shellcheck "$repo/module/gen-features.sh" "$repo/module/bench.sh" \
			"$repo/tests/module.sh"
else
	skip "shellcheck not installed"
fi

# guest_check LABEL KERNEL KO: every /proc/execfix file checked in a guest,
# after N load/unload cycles while a script is exec'd in a loop.
guest_check() {
	local label=$1 kernel=$2 ko=$3 out=$work/qemu-$1 rc=0
	local stress=${EXECFIX_MODULE_STRESS:-200}
	mkdir -p "$work/tests-$label"
	cp "$guest/execfix-guest" "$work/tests-$label/execfix_module_check"
	cp "$guest/execfix-guest32" "$work/tests-$label/execfix_module_check32"
	"$repo/qemu/run-qemu" --kernel "$kernel" --module "$ko" \
		--selftests "$work/tests-$label" \
		--test execfix_module_check --test execfix_module_check32 \
		--stress "$stress" --out "$out" >"$work/qemu-$label.log" 2>&1 || rc=$?
	diag "$work/qemu-$label.log"
	if [ "$rc" = 0 ]; then
		ok "$label guest ($kernel): every /proc/execfix file checked, 64- and 32-bit reader, $stress load/unload cycles"
	else
		not_ok "$label guest ($kernel): run-qemu exit $rc"
		[ -f "$out/console.log" ] && diag <(tail -n 40 "$out/console.log")
	fi
}

qemu_ready() {
	[ "${EXECFIX_MODULE_QEMU:-1}" != 0 ] && [ -x "$repo/qemu/run-qemu" ] &&
		command -v qemu-system-x86_64 >/dev/null 2>&1 &&
		[ -x "$guest/execfix-guest" ] && [ -x "$guest/execfix-guest32" ]
}

if [ -n "$KDIR_DEB" ] && [ -f "$work/debian/execfix.ko" ]; then
	kernel=${KERNEL_DEB:-/boot/vmlinuz-$(kernel_release "$KDIR_DEB")}
	if ! qemu_ready; then
		skip "debian guest: needs qemu/run-qemu, qemu-system-x86_64 and both guest builds"
	elif [ ! -f "$kernel" ]; then
		skip "debian guest: no $kernel (linux-image-amd64)"
	else
		guest_check debian "$kernel" "$work/debian/execfix.ko"
	fi
fi
if [ -n "${KERNEL_EL6:-}" ] && [ -f "$work/el6/execfix.ko" ]; then
	if qemu_ready; then
		guest_check el6 "$KERNEL_EL6" "$work/el6/execfix.ko"
	else
		skip "el6 guest: needs qemu/run-qemu, qemu-system-x86_64 and both guest builds"
	fi
fi

echo "1..$n"
exit $failed
