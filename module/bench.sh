#!/bin/bash
# module/bench.sh: exec rate of a '#!' script loop in a guest with execfix.ko
# loaded vs unloaded, alternated in one boot, printed as a ratio (target:
# >= 0.95). Figures only, no verdict. For tests/bench.
#
# Usage: module/bench.sh [KDIR [KERNEL]]
#   KDIR    headers to build against (default: newest /usr/src/linux-headers-*-amd64)
#   KERNEL  image to boot (default: /boot/vmlinuz-<release of KDIR>)
#
# Under TCG the wall clock follows the host's load; when qemu/run-qemu offers
# --icount (guest time counted in instructions), it is used, and the figures
# become repeatable.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/execfix-module-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

kdir=${1:-$(find /usr/src -maxdepth 1 -name 'linux-headers-*-amd64' | sort -V | tail -n 1)}
if [ -z "$kdir" ] || [ ! -d "$kdir" ]; then
	echo "module bench: no kernel headers (linux-headers-amd64)" >&2
	exit 1
fi
release=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
	"$kdir/include/generated/utsrelease.h" "$kdir/include/linux/utsrelease.h" 2>/dev/null |
	head -n 1)
kernel=${2:-/boot/vmlinuz-$release}
[ -f "$kernel" ] || { echo "module bench: no kernel image $kernel" >&2; exit 1; }

mkdir -p "$work/src" "$work/tests"
cp -r "$here/Kbuild" "$here/Kbuild.flags" "$here/gen-features.sh" "$here/probes" \
	"$here"/execfix_*.c "$here"/execfix*.h "$work/src/"
make -C "$kdir" M="$work/src" modules >"$work/build.log" 2>&1 ||
	{ cat "$work/build.log"; exit 1; }
make -s -C "$repo/selftests/module" GUEST_OUT="$work/guest" "$work/guest/execfix-guest" >/dev/null
cp "$work/guest/execfix-guest" "$work/tests/execfix_module_bench"

args=(--kernel "$kernel" --module "$work/src/execfix.ko"
	--selftests "$work/tests" --test execfix_module_bench --out "$work/qemu")
if "$repo/qemu/run-qemu" --help 2>/dev/null | grep -q -e '--icount'; then
	args+=(--icount)
	clock="instruction-counted guest time (--icount)"
else
	clock="wall clock under TCG (noisy: follows the host's load)"
fi
rc=0
"$repo/qemu/run-qemu" "${args[@]}" >"$work/run.log" 2>&1 || rc=$?
echo "execfix.ko exec-rate bench: $(basename "$kernel"), $clock"
grep -a 'bench:' "$work/qemu/results.tap" 2>/dev/null | sed 's/^# *//' || true
[ "$rc" = 0 ] || { echo "run-qemu exit $rc"; tail -n 20 "$work/run.log"; exit 1; }
