#!/bin/bash
# tests/live.sh: execfix-check, execfix_live.ko and the test-only hook module.
#  host: execfix-check builds static (musl, with its 32-bit helper), its
#        --help carries the exit codes of scripts/lib/exit-codes.sh, a bad
#        option exits EX_USAGE;
#  guest (Debian's kernel under QEMU, through qemu/run-debian with the staged
#        programs of module/testing/host/stage-guest): execfix-check says "not
#        affected by either bug" (check_verdict), execfix_live.ko refuses to
#        load for the layout (no exec-shield), and with interp_only=1 its
#        interp part frees nothing (the kernel frees the names itself:
#        standing_down) (live_layout, live_interp); the hook module is
#        refused (CR0.WP pinned), so hook_integrity skips.
#        check_scan: a JIT-like process (anonymous MAP_32BIT code) is listed
#        apart, never hit, and a dynamic 64-bit child of a 32-bit parent is
#        hit only where the layout bug is; check_restricted: not root,
#        /proc/slabinfo masked, /proc/sys read-only: could not tell where it
#        cannot look, nothing changed.
# A guest run passes only when live_layout, live_interp, check_verdict,
# check_scan and check_restricted each PASS in its results.tsv: a run where
# they skip (the programs or modules did not do their part) fails.  When no guest can run here (no
# QEMU or Debian kernel) the script skips as a whole (exit 4), so make
# check says so instead of counting the host checks as the pass.
# The 2.6.32 runs (stock/patched/partial -431) need a vendor-proof build:
# set EXECFIX_LIVE_EL6=OUT (vendor-proof --out directory) to run them too;
# EXECFIX_LIVE_OVZ=OUT (an OpenVZ 042stab tree's) runs its stock kernel at
# exec-shield 17, where flag 16 installs the ia32 allocator: affected, and
# the workarounds in order: ulimit -s, exec-shield 1 (bit 16 cleared), 0.
# TAP 13; exit 0 pass, 1 fail, 4 skip.
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

tap_require_tools musl-gcc i386-linux-musl-gcc make

tap_workdir execfix-live --keep-failed

# ---- host ------------------------------------------------------------------
check=$work/check/execfix-check
if make -s -C "$repo/tools/execfix-check" OUTPUT="$work/check" CC=musl-gcc \
	CC32=i386-linux-musl-gcc >"$work/build.log" 2>&1 && [ -x "$check" ]; then
	tap_result 0 "execfix-check builds"
else
	tap_result 1 "execfix-check builds" "$work/build.log"
	tap_done
fi
# ELF class byte: 1 is 32-bit. No program interpreter: static. The
# helper's own message text inside execfix-check: it is embedded.
elf_class() { od -An -tu1 -j4 -N1 "$1" | tr -d ' '; }
class32=none
[ ! -s "$work/check/helper32" ] || class32=$(elf_class "$work/check/helper32")
if ! readelf -lW "$check" | grep -q 'program interpreter' &&
	[ "$class32" = 1 ] &&
	grep -qa 'rlimit_errno=' "$check"; then
	tap_result 0 "execfix-check is static and carries a 32-bit helper"
else
	readelf -lW "$check" "$work/check/helper32" >"$work/elf.log" 2>&1 || true
	tap_result 1 "execfix-check is static and carries a 32-bit helper" "$work/elf.log"
fi
bad=""
"$check" --help >"$work/help.txt"
for name in EX_OK EX_FAIL EX_USAGE EX_ENV EX_SKIP; do
	grep -qE "^ +${!name}  " "$work/help.txt" || bad="$bad $name=${!name}"
done
if [ -z "$bad" ]; then
	tap_result 0 "execfix-check --help lists the table's codes"
else
	tap_result 1 "execfix-check --help lists the table's codes (missing:$bad)" "$work/help.txt"
fi
rc=0
"$check" --no-such-option >/dev/null 2>&1 || rc=$?
tap_result "$([ "$rc" -eq "$EX_USAGE" ] && echo 0 || echo 1)" \
	"execfix-check --no-such-option exits EX_USAGE ($rc)"

# ---- guest -----------------------------------------------------------------
# run_guest NAME OUT COMMAND...: COMMAND (a runner writing OUT/results.tsv)
# exits 0 and each of $must_pass has the verdict pass there (hook_integrity
# may skip: a kernel that pins CR0.WP refuses the hook module); their own
# TAP is in the log.
must_pass="live_layout live_interp check_verdict check_scan check_restricted"
guest_runs=0
run_guest() {
	local name=$1 out=$2 rc=0 t v bad=""
	shift 2
	guest_runs=$((guest_runs + 1))
	"$@" >"$work/$name.log" 2>&1 || rc=$?
	grep -E '^(ok|not ok) [0-9]+ - ' "$work/$name.log" | sed "s/^/# $name: /" || true
	for t in $must_pass; do
		v=$(awk -F '\t' -v t="$t" '$1 == t { print $3 }' "$out/results.tsv" 2>/dev/null || true)
		[ "$v" = pass ] || bad="$bad $t=${v:-missing}"
	done
	tap_result "$([ "$rc" -eq 0 ] && [ -z "$bad" ] && echo 0 || echo 1)" \
		"$name: ${must_pass// /, } pass (exit $rc${bad:+; not passed:$bad})" \
		"$work/$name.log" 80
}
tests=(--test live_layout --test live_interp --test hook_integrity --test check_verdict
	--test check_scan --test check_restricted)

kdir=$(find /usr/src -maxdepth 1 -name 'linux-headers-*-amd64' 2>/dev/null | sort -V | tail -n 1)
kver=${kdir#/usr/src/linux-headers-}
if ! command -v qemu-system-x86_64 >/dev/null; then
	tap_skip "Debian guest: qemu-system-x86_64 not installed"
elif [ -z "$kdir" ] || [ ! -r "/boot/vmlinuz-$kver" ]; then
	tap_skip "Debian guest: no Debian kernel image and headers (linux-image-amd64, linux-headers-amd64)"
elif ! "$repo/module/testing/host/stage-guest" "$kdir" "$work/deb" >"$work/stage-deb.log" 2>&1; then
	tap_result 1 "Debian guest: stage-guest builds the programs and modules" "$work/stage-deb.log"
else
	run_guest debian "$work/debian-run" "$repo/qemu/run-debian" --kver "$kver" --out "$work/debian-run" \
		--timeout 900 -- --selftests "$work/deb" "${tests[@]}"
fi

# ---- 2.6.32 (optional: a vendor-proof output) ---------------------------------
vp=${EXECFIX_LIVE_EL6:-}
if [ -z "$vp" ]; then
	tap_skip "2.6.32 guests: set EXECFIX_LIVE_EL6 to a vendor-proof --out directory"
elif ! "$repo/module/testing/host/stage-guest" "$vp/work/build" "$work/el6" >"$work/stage-el6.log" 2>&1; then
	tap_result 1 "2.6.32: stage-guest builds the programs and modules" "$work/stage-el6.log"
else
	# execfix.ko (for integrity) on stock and patched; not on partial:
	# it counts frees at the kernel's call sites, so the names that
	# execfix_live.ko frees itself would look leaked to interp_leak.
	for v in stock:layout:m patched::m partial:leak:; do
		IFS=: read -r kernel expect with_module <<<"$v"
		module=()
		[ -z "$with_module" ] || module=(--module "$work/el6/execfix.ko")
		run_guest "el6-$kernel" "$work/el6-$kernel-run" "$repo/qemu/run-qemu" --kernel "$vp/kernels/$kernel.bzImage" \
			${module[@]+"${module[@]}"} --selftests "$work/el6" "${tests[@]}" \
			--append "execfix_expect=$expect nmi_watchdog=0" \
			--out "$work/el6-$kernel-run" --timeout 900
	done
fi

# ---- OpenVZ 042stab at exec-shield 17 (optional) ------------------------------
vz=${EXECFIX_LIVE_OVZ:-}
if [ -z "$vz" ]; then
	tap_skip "OpenVZ guest: set EXECFIX_LIVE_OVZ to an OpenVZ 042stab vendor-proof --out directory"
elif ! "$repo/module/testing/host/stage-guest" "$vz/work/build" "$work/ovz" >"$work/stage-ovz.log" 2>&1; then
	tap_result 1 "OpenVZ: stage-guest builds the programs and modules" "$work/stage-ovz.log"
else
	saved=$must_pass
	must_pass="check_verdict check_scan check_restricted"
	run_guest ovz-stock "$work/ovz-stock-run" "$repo/qemu/run-qemu" --kernel "$vz/kernels/stock.bzImage" \
		--selftests "$work/ovz" --test check_verdict --test check_scan --test check_restricted \
		--append "execfix_expect=layout execfix_check_es=17 execfix_check_wa=stack,cleared:1,off:0 nmi_watchdog=0" \
		--out "$work/ovz-stock-run" --timeout 900
	must_pass=$saved
fi

tap_plan
if [ "$guest_runs" -eq 0 ]; then
	echo "# SKIP no guest ran here: the host checks alone are not the live tests"
	exit "$EX_SKIP"
fi
