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
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

# shellcheck source=../scripts/lib/debian.sh
. "$repo/scripts/lib/debian.sh"
# shellcheck source=../scripts/lib/modsrc.sh
. "$repo/scripts/lib/modsrc.sh"
tap_workdir execfix-module-test

[ -n "${KDIR_DEB:-}" ] || KDIR_DEB=$(debian_kdir)
[ -n "$KDIR_DEB" ] || [ -n "${KDIR_EL6:-}" ] ||
	tap_skip_all "no kernel headers: install linux-headers-amd64 (scripts/install-deps) or set KDIR_EL6"

# (called through tap_check)
# shellcheck disable=SC2317
has_feature() {	# has_feature DIR NAME
	grep -q "^#define EXECFIX_HAVE_$2 1" "$1/execfix_features.h"
}

# shellcheck disable=SC2317
lacks_feature() {
	! grep -q "^#define EXECFIX_HAVE_$2 1" "$1/execfix_features.h"
}

# build_module LABEL KDIR "FEATURES THAT MUST BE FOUND" "FEATURES THAT MUST NOT"
build_module() {
	local label=$1 kdir=$2 want=$3 unwanted=$4 dir=$work/$1 f rel
	modsrc_stage "$repo/module" "$dir"
	# shellcheck disable=SC2310  # its status: whether there is a module to check
	tap_kbuild "$label" "builds against $kdir" "$dir/execfix.ko" "$dir/build.log" \
		-C "$kdir" M="$dir" modules || return 0
	tap_diag "$dir/execfix_features.h"
	for f in $want; do
		tap_check "$label: compile probe finds $f" has_feature "$dir" "$f"
	done
	for f in $unwanted; do
		tap_check "$label: compile probe finds no $f" lacks_feature "$dir" "$f"
	done
	rel=$(debian_release "$kdir")
	[ -n "$rel" ] || rel=unknown
	tap_check "$label: vermagic is $rel" \
		grep -q "^$rel " <(modinfo -F vermagic "$dir/execfix.ko")
	tap_check "$label: parameter inject_leak" \
		grep -q '^inject_leak:' <(modinfo -F parm "$dir/execfix.ko")
}

if [ -n "$KDIR_DEB" ]; then
	build_module debian "$KDIR_DEB" \
		"PROC_OPS IN_COMPAT_SYSCALL KRETPROBE_ENTRY_HANDLER COPY_FROM_KERNEL_NOFAULT" \
		"MM_EXEC_AREA MM_SHLIB_BASE IS_COMPAT_TASK PROBE_KERNEL_READ"
else
	tap_skip "debian: no /usr/src/linux-headers-*-amd64"
fi

if [ -n "${KDIR_EL6:-}" ]; then
	build_module el6 "$KDIR_EL6" \
		"MM_EXEC_AREA MM_SHLIB_BASE IS_COMPAT_TASK KRETPROBE_ENTRY_HANDLER PROBE_KERNEL_READ" \
		"PROC_OPS IN_COMPAT_SYSCALL COPY_FROM_KERNEL_NOFAULT"
else
	tap_skip "el6: KDIR_EL6 not set (a configured, built 2.6.32 el6 build directory)"
fi

# The static guest driver, 64- and 32-bit, with warnings as errors.
guest_cflags="-std=c99 -O2 -Wall -Wextra -Werror -static"
guest=$work/guest
# compiler, target, package that provides the compiler
for build in "musl-gcc execfix-guest musl-tools" \
	"i386-linux-musl-gcc execfix-guest32 musl-dev:i386"; do
	read -r cc target package <<<"$build"
	if ! command -v "$cc" >/dev/null 2>&1; then
		tap_skip "guest driver: no $cc ($package)"
	elif make -s -C "$repo/selftests/module" GUEST_OUT="$guest" \
		GUEST_CFLAGS="$guest_cflags" "$guest/$target" \
		>"$work/$target.log" 2>&1; then
		tap_result 0 "guest driver builds ($cc, -Werror)"
	else
		tap_result 1 "guest driver builds ($cc, -Werror)"
		tap_diag "$work/$target.log"
	fi
done

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
	tap_diag "$work/qemu-$label.log"
	if [ "$rc" = 0 ]; then
		tap_result 0 "$label guest ($kernel): every /proc/execfix file checked, 64- and 32-bit reader, $stress load/unload cycles"
	else
		tap_result 1 "$label guest ($kernel): run-qemu exit $rc"
		if [ -f "$out/console.log" ]; then
			tap_diag <(tail -n 40 "$out/console.log")
		fi
	fi
}

qemu_ready() {
	[ "${EXECFIX_MODULE_QEMU:-1}" != 0 ] && [ -x "$repo/qemu/run-qemu" ] &&
		command -v qemu-system-x86_64 >/dev/null 2>&1 &&
		[ -x "$guest/execfix-guest" ] && [ -x "$guest/execfix-guest32" ]
}

if [ -n "$KDIR_DEB" ] && [ -f "$work/debian/execfix.ko" ]; then
	kernel=${KERNEL_DEB:-/boot/vmlinuz-$(debian_release "$KDIR_DEB")}
	# shellcheck disable=SC2310 # a predicate: its status is the answer
	if ! qemu_ready; then
		tap_skip "debian guest: needs qemu/run-qemu, qemu-system-x86_64 and both guest builds"
	elif [ ! -f "$kernel" ]; then
		tap_skip "debian guest: no $kernel (linux-image-amd64)"
	else
		guest_check debian "$kernel" "$work/debian/execfix.ko"
	fi
fi
if [ -n "${KERNEL_EL6:-}" ] && [ -f "$work/el6/execfix.ko" ]; then
	# shellcheck disable=SC2310 # a predicate: its status is the answer
	if qemu_ready; then
		guest_check el6 "$KERNEL_EL6" "$work/el6/execfix.ko"
	else
		tap_skip "el6 guest: needs qemu/run-qemu, qemu-system-x86_64 and both guest builds"
	fi
fi

tap_done
