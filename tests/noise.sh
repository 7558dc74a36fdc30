#!/bin/bash
# tests/noise.sh: execfix_noise.ko (module/testing/kmod/, test only) builds
# with no warning against Debian's kernel headers (and a 2.6.32 build
# directory in $KDIR_EL6 when set) with EXECFIX_TESTING=m, and, when QEMU
# and a kernel image are at hand (Debian's, $KERNEL_EL6),
# module/testing/guest/noise-guest.c checks it in a guest: each mode moves
# the 32-byte cache's count at the rate asked for, the control file works
# and refuses nonsense, and "free" and unload give every object back.
#
# Env: KDIR_DEB     Debian headers (default: debian_kdir)
#      KERNEL_DEB   image to boot for them (default /boot/vmlinuz-<their release>)
#      KDIR_EL6     a configured and built 2.6.32 build directory (optional)
#      KERNEL_EL6   its bzImage, to run the guest check there too (SLAB:
#                   size-32 in /proc/slabinfo, undrained)
#      EXECFIX_NOISE_QEMU=0   skip the guest check
# TAP 13; exit 0 pass, 1 fail, 4 skip (no kernel headers at all).
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

# shellcheck source=../scripts/lib/debian.sh
. "$repo/scripts/lib/debian.sh"
# shellcheck source=../scripts/lib/modsrc.sh
. "$repo/scripts/lib/modsrc.sh"
kdir_deb=${KDIR_DEB:-$(debian_kdir)}
kdir_el6=${KDIR_EL6:-}
[ -n "$kdir_deb$kdir_el6" ] ||
	tap_skip_all "no kernel headers (linux-headers-amd64, or KDIR_EL6)"
tap_workdir execfix-noise

params="mode rate burst period_ms hold_ms size max_objects tick_ms paused"

# build_noise LABEL KDIR: the test-only build; execfix_noise.ko in $work/LABEL.
build_noise() {
	local label=$1 kdir=$2 dir=$work/$1 ko p missing=""
	modsrc_stage "$repo/module" "$dir"
	ko=$dir/testing/kmod/execfix_noise.ko
	# shellcheck disable=SC2310  # its status: whether there is a module to check
	tap_kbuild "$label" "execfix_noise.ko builds against $kdir (EXECFIX_TESTING=m)" "$ko" \
		"$dir/build.log" -C "$kdir" M="$dir" EXECFIX_TESTING=m modules || return 0
	for p in $params; do
		grep -q "^$p:" <(modinfo -F parm "$ko") || missing="$missing $p"
	done
	tap_result "$([ -z "$missing" ]; echo $?)" \
		"$label: parameters $params${missing:+ (missing:$missing)}"
}

for build in "debian:$kdir_deb:no /usr/src/linux-headers-*-amd64" \
	"el6:$kdir_el6:KDIR_EL6 not set (a configured 2.6.32 build directory)"; do
	IFS=: read -r label kdir why <<<"$build"
	if [ -n "$kdir" ]; then
		build_noise "$label" "$kdir"
	else
		tap_skip "$label: $why"
	fi
done

# The guest program, static, warnings as errors.
guest=$work/guest
mkdir -p "$guest"
if ! command -v musl-gcc >/dev/null 2>&1; then
	tap_skip "noise-guest: no musl-gcc (musl-tools)"
elif musl-gcc -std=gnu99 -O2 -Wall -Wextra -Werror -static \
	-I"$repo/selftests" -I"$repo/selftests/module" -I"$repo/selftests/compat" \
	-I"$repo/measure" -o "$guest/noise_check" \
	"$repo/module/testing/guest/noise-guest.c" "$repo/selftests/module/tap.c" \
	"$repo"/measure/*.c >"$work/guest.log" 2>&1; then
	tap_result 0 "noise-guest builds (musl-gcc, -Werror)"
else
	tap_result 1 "noise-guest builds (musl-gcc, -Werror)" "$work/guest.log"
fi

# guest_check LABEL KERNEL: noise-guest on KERNEL with the module built
# for it (in $work/LABEL), from a directory of its own.
guest_check() {
	local label=$1 kernel=$2 ko=$work/$1/testing/kmod/execfix_noise.ko
	local dir=$work/tests-$1 out=$work/qemu-$1 rc=0

	if [ "${EXECFIX_NOISE_QEMU:-1}" = 0 ]; then
		tap_skip "$label guest: EXECFIX_NOISE_QEMU=0"
		return 0
	elif ! command -v qemu-system-x86_64 >/dev/null 2>&1 ||
		[ ! -x "$guest/noise_check" ] || [ ! -f "$ko" ]; then
		tap_skip "$label guest: needs qemu-system-x86_64, the guest program and the module"
		return 0
	elif [ ! -f "$kernel" ]; then
		tap_skip "$label guest: no kernel image $kernel"
		return 0
	fi
	mkdir -p "$dir"
	cp "$guest/noise_check" "$ko" "$dir/"
	chmod 644 "$dir/execfix_noise.ko"
	"$repo/qemu/run-qemu" --kernel "$kernel" --selftests "$dir" \
		--test noise_check --out "$out" >"$out.log" 2>&1 || rc=$?
	tap_diag "$out.log"
	if [ "$rc" = 0 ]; then
		tap_result 0 "$label guest ($kernel): each mode moves the 32-byte cache at its rate, control file, free and unload return every object"
	else
		tap_result 1 "$label guest ($kernel): run-qemu exit $rc"
		[ ! -f "$out/console.log" ] || tap_diag <(tail -n 40 "$out/console.log")
	fi
}

guest_check debian "${KERNEL_DEB:-/boot/vmlinuz-$(debian_release "${kdir_deb:-/nonexistent}")}"
if [ -n "${KERNEL_EL6:-}" ]; then
	guest_check el6 "$KERNEL_EL6"
else
	tap_skip "el6 guest: KERNEL_EL6 not set (the bzImage of KDIR_EL6)"
fi

tap_done
