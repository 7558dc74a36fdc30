#!/bin/bash
# bench/run ("make bench") boots what this host has, the way it says: the
# guest sections find Debian's kernel (no hard-coded release) and the module
# section counts guest time in instructions (--icount) whatever the
# runner's --help says.  qemu/run-qemu is replaced by a stub that records
# its arguments, so nothing boots; the builds are real.  TAP 13; exit 0
# pass, 1 fail, 4 skip.
set -eu
shopt -s inherit_errexit

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=lib/tap.sh
. "$here/lib/tap.sh"
# shellcheck source=../scripts/lib/debian.sh
. "$repo/scripts/lib/debian.sh"

echo "TAP version 13"
kver=$(debian_kver)
if [ -z "$kver" ]; then
	echo "1..0 # SKIP no Debian kernel image, modules and headers (linux-image-amd64, linux-headers-amd64)"
	exit 4
fi
tap_require_tools musl-gcc i386-linux-musl-gcc qemu-system-x86_64 make

T=$(mktemp -d "${TMPDIR:-/tmp}/bench-test.XXXXXX")
trap 'rm -rf "$T"' EXIT

# The stub runner: one line of arguments per call; its --help knows no
# --icount (bench must not ask).
cat >"$T/run-qemu" <<'STUB'
#!/bin/bash
[ "${1:-}" != --help ] || { echo "Usage: run-qemu --kernel IMAGE"; exit 0; }
echo "$*" >>"${STUB_CALLS:?}"
out=""
while [ $# -gt 0 ]; do [ "$1" != --out ] || out=$2; shift; done
mkdir -p "$out"
echo "# bench: stub ratio 1.000" >"$out/results.tap"
echo "# # bench: stub guest figure"
echo "# run-qemu: timing: stub"
STUB
chmod +x "$T/run-qemu"

rc=0
BENCH_SECTIONS="selftests_guest module" RUN_QEMU=$T/run-qemu STUB_CALLS=$T/calls \
	"$repo/bench/run" >"$T/out" 2>&1 || rc=$?
sed 's/^/# /' "$T/out"
tap_result "$rc" "bench/run (guest and module sections, stub runner) exits 0" "$T/out"
kernel=/boot/vmlinuz-$kver
tap_result "$([ "$(grep -c -- "--kernel $kernel " "$T/calls" 2>/dev/null)" = 2 ]; echo $?)" \
	"both guest sections boot Debian's $kernel" "$T/calls"
tap_result "$(grep -- '--module ' "$T/calls" 2>/dev/null | grep -q -- ' --icount'; echo $?)" \
	"the module section counts guest time in instructions (--icount)" "$T/calls"
tap_result "$(grep -q 'stub ratio' "$T/out"; echo $?)" "the module section prints the guest's figures" "$T/out"
rc=0
"$repo/bench/run" --help >"$T/help" 2>&1 || rc=$?
tap_result "$([ "$rc" = 0 ] && grep -q '^Exit codes' "$T/help"; echo $?)" "bench/run --help prints its exit codes" "$T/help"
echo "1..$tap_count"
[ "$tap_failed" -eq 0 ]
