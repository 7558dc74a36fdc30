#!/bin/bash
# Tests of proof/matrix (vendor-proof over many trees, one table) (TAP 13).
#
# Always (no vendor tree): bad input refused with exit 2 before anything is
# started, nothing lost; trees found in a directory (version order) and in a
# list file; the whole matrix over fake trees with a stand-in vendor-proof
# (VENDOR_PROOF) writing fixture results: the combined table's cells, its
# TSV, a tree that cannot be built not stopping the others, the exit code
# from all rows; --lava-jobs: each tree's jobs directory and DIR/jobs.tsv;
# run-qemu --initramfs-only + lava/write-job on Debian's kernel: a job
# directory lava-run can take, nothing booted.
#
# With MATRIX_TREES=dir-of-trees or list file: also the real matrix over
# them (a vendor-proof per tree: long).  Without it that part is a SKIP.
# Exit: 0 pass, 1 fail, 4 skip (only when the real part was skipped).
# awk programs are passed in single quotes on purpose:
# shellcheck disable=SC2016
set -eu
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "$0")/.." && pwd)
M=$ROOT/proof/matrix

T=$(mktemp -d "${TMPDIR:-/tmp}/matrix-test.XXXXXX")
trap 'rm -rf "$T"' EXIT

# shellcheck source-path=SCRIPTDIR source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"
# shellcheck source=../proof/lib/matrix.sh
. "$ROOT/proof/lib/matrix.sh"

# runs WANT PATTERN DESCRIPTION COMMAND...: tap_runs with its output in $T/out
runs() { tap_runs "$T/out" "$@"; }

# fake_tree DIR VERSION PATCHLEVEL SUBLEVEL [BEHAVIOUR]: what the checks look
# at; BEHAVIOUR tells the stand-in vendor-proof what to report.
fake_tree() {
	mkdir -p "$1/arch/x86" "$1/fs"
	: >"$1/fs/exec.c"
	printf 'VERSION = %s\nPATCHLEVEL = %s\nSUBLEVEL = %s\nRHEL_MAJOR = 6\n' "$2" "$3" "$4" >"$1/Makefile"
	[ -z "${5:-}" ] || echo "$5" >"$1/behaviour"
}

echo "TAP version 13"

# ---- bad input: exit 2, nothing started
runs 2 'no trees' "no argument: usage error" "$M"
runs 2 'no such directory or list file' "a missing tree or list refused" "$M" "$T/nonexistent"
mkdir -p "$T/empty/sub"
runs 2 'no kernel tree in it' "a directory without kernel trees refused" "$M" --out "$T/o" "$T/empty"
fake_tree "$T/trees/linux-2.6.32-279.el6" 2 6 32 bug-old
fake_tree "$T/trees/linux-2.6.32-71.el6" 2 6 32 broken
fake_tree "$T/trees/linux-2.6.32-504.el6" 2 6 32 fixed
mkdir -p "$T/trees/notes"
printf '# trees\n\nlinux-2.6.32-279.el6\n  %s/trees/linux-2.6.32-504.el6  # the fixed one\n' "$T" >"$T/trees/good.list"
printf '%s\n' "$T/trees/linux-2.6.32-279.el6" "$T/trees/nowhere" >"$T/bad.list"
runs 2 'bad.list line 2' "a list naming a missing tree: refused with its line" "$M" --out "$T/o" "$T/bad.list"
fake_tree "$T/v3/linux-3.10" 3 10 0
runs 2 'not 2.6.32' "a tree that is not 2.6.32 refused" "$M" --out "$T/o" "$T/v3/linux-3.10"
fake_tree "$T/dup/linux-2.6.32-279.el6" 2 6 32
runs 2 'two trees named' "two trees of one name refused (outputs would collide)" \
	"$M" --out "$T/o" "$T/trees/linux-2.6.32-279.el6" "$T/dup/linux-2.6.32-279.el6"
mkdir -p "$T/precious"
echo keep >"$T/precious/file"
runs 2 'refusing to empty it' "a foreign non-empty --out refused" \
	"$M" --out "$T/precious" "$T/trees/linux-2.6.32-279.el6"
tap_result "$([ "$(cat "$T/precious/file")" = keep ]; echo $?)" "... and left as it was"
runs 2 'unknown option' "an unknown option refused" "$M" --frobnicate "$T/trees"
runs 0 'Exit codes' "--help describes the exit codes" "$M" --help
tap_result "$([ ! -e "$T/o" ]; echo $?)" "no output directory was made by any refused run"

# ---- which trees
got=$(matrix_trees "$T/trees" 2>"$T/err" | xargs -n1 basename | tr '\n' ' ')
tap_result "$([ "$got" = "linux-2.6.32-71.el6 linux-2.6.32-279.el6 linux-2.6.32-504.el6 " ]; echo $?)" \
	"directory of trees: its kernel trees in version order (got: $got)"
tap_result "$(grep -q 'notes: not a kernel tree, skipped' "$T/err"; echo $?)" \
	"directory of trees: a subdirectory that is no tree is named and skipped" "$T/err"
got=$(matrix_trees "$T/trees/good.list" | xargs -n1 basename | tr '\n' ' ')
tap_result "$([ "$got" = "linux-2.6.32-279.el6 linux-2.6.32-504.el6 " ]; echo $?)" \
	"list file: comments and blank lines skipped, relative and absolute paths (got: $got)"

# ---- exit code of the one table
tap_result "$([ "$(matrix_exit 0 0 0)/$(matrix_exit 0 3 0)/$(matrix_exit 3 1 0)/$(matrix_exit 2 0)/$(matrix_exit 0 1)" = 0/3/1/3/1 ]; echo $?)" \
	"exit code: 0 all held, 3 a tree not built, 1 any expectation failed (wins over 3)"

# ---- a 32-bit kernel: every layout subtest skipped is "n/a", not "pass"
mkdir -p "$T/r32"
printf 'exec_layout_32\tparent 32 -> child 32\tskip\tskip: x\ninterp_leak\tlowmem\tFAIL\tx\n' >"$T/r32/subtests.tsv"
tap_result "$([ "$(matrix_verdict "$T/r32" layout)/$(matrix_verdict "$T/r32" leak)" = "n/a/FAIL(1)" ]; echo $?)" \
	"layout tests all skipped (32-bit kernel): n/a, not pass"

# ---- the whole matrix with a stand-in vendor-proof
# It writes what vendor-proof writes, as the tree's behaviour file says:
# bug-old: layout FAIL -> pass, no bprm_change_interp (-71..-279);
# bug: both bugs, the leak one through the partial variant (-431);
# fixed: both fixes present (-504); failing: an expectation failed;
# broken: the kernel does not build (exit 3).
cat >"$T/fake-vp" <<'EOF'
#!/bin/bash
set -eu
out="" jobs="" tree=""
while [ $# -gt 0 ]; do
	case $1 in
	--out|--lava-jobs|--ccache|--selftests|--jobs|--timeout|--config)
		[ "$1" != --out ] || out=$2
		[ "$1" != --lava-jobs ] || jobs=$2
		echo "$1 $2" >>"$FAKE_LOG"; shift 2 ;;
	--*) echo "$1" >>"$FAKE_LOG"; shift ;;
	*) tree=$1; shift ;;
	esac
done
b=$(cat "$tree/behaviour")
rm -rf "$out"; mkdir -p "$out/runs"
printf 'path=%s\nkernel=2.6.32\nrhel_major=6\nrhel_minor=5\nrhel_release=430\n' "$tree" >"$out/identity.txt"
sub() { # variant layout-fails leak-fails
	mkdir -p "$out/runs/$1"
	{
		i=0; while [ $i -lt 4 ]; do
			v=ok; [ $i -ge "$2" ] || v=FAIL
			printf 'exec_layout_32\tparent 32 -> child 64 %d\t%s\tx\n' $i $v; i=$((i + 1))
		done
		i=0; while [ $i -lt 3 ]; do
			v=ok; [ $i -ge "$3" ] || v=FAIL
			printf 'interp_leak\tloop %d\t%s\tx\n' $i $v; i=$((i + 1))
		done
	} >"$out/runs/$1/subtests.tsv"
	[ -z "$jobs" ] || { mkdir -p "$jobs/$1"; : >"$jobs/$1/job.yaml"
		printf 'exec_layout_32\t%s\ninterp_leak\t%s\n' "$([ "$2" = 0 ] && echo pass || echo fail)" \
			"$([ "$3" = 0 ] && echo pass || echo fail)" >"$jobs/$1/expect.tsv"; }
	return 0
}
printf 'objects stock\t480\nbuild stock\t100.0 s (clean, -j2, load 1)\nccache stock\t90 hits (90 direct, 0 preprocessed), 10 misses, 5 uncacheable\n' >"$out/timings.tsv"
printf 'boot stock\t2.0 s to /init (1.0 s uptime), suite 10.0 s\n' >>"$out/timings.tsv"
case $b in
bug-old)
	echo '0002-interp.patch: prerequisite missing (no bprm_change_interp)' >"$out/status-stock.txt"
	sub stock 2 0; sub patched 0 0; rc=0 ;;
bug)
	echo '0002-interp.patch: applies' >"$out/status-stock.txt"
	sub stock 2 0; sub patched 0 0; sub partial 0 3; sub partial+0002 0 0; rc=0 ;;
fixed)
	echo '0002-interp.patch: already applied' >"$out/status-stock.txt"
	sub stock 0 0; sub partial 0 3; sub partial+0002 0 0; rc=0 ;;
failing)
	echo '0002-interp.patch: applies' >"$out/status-stock.txt"
	sub stock 0 0; sub patched 0 0
	printf 'CHECK FAILED: stock: layout tests FAIL\nCHECK FAILED: other\n' >"$out/report.txt"; rc=1 ;;
broken)
	echo 'vendor-proof: FAILED: kernel build (stock)' >&2; rc=3 ;;
esac
[ -z "$jobs" ] || [ "$rc" != 0 ] || printf 'variant\tjob\texpect\nstock\t%s/stock\tx\n' "$jobs" >"$jobs/jobs.tsv"
echo "VERDICT: fake $b"
exit $rc
EOF
chmod +x "$T/fake-vp"
fake_tree "$T/trees/linux-2.6.32-431.el6" 2 6 32 bug
have_musl=1
for tool in musl-gcc i386-linux-musl-gcc make column; do
	command -v "$tool" >/dev/null || have_musl=0
done
if [ "$have_musl" = 1 ]; then
	export FAKE_LOG=$T/fake.log
	: >"$FAKE_LOG"
	runs 3 'linux-2.6.32-504.el6: vendor-proof' \
		"matrix over a directory: a tree that does not build (exit 3) does not stop the others" \
		env VENDOR_PROOF="$T/fake-vp" "$M" --out "$T/m" --no-ccache --jobs 1 "$T/trees"
	cp "$T/out" "$T/m.out"
	row() { awk -F'\t' -v t="$1" '$1 == t' "$T/m/matrix.tsv"; }
	cell() { row "$1" | cut -f"$2"; }
	tap_result "$([ "$(cell linux-2.6.32-279.el6 3)|$(cell linux-2.6.32-279.el6 4)|$(cell linux-2.6.32-279.el6 5)" = "FAIL(2) -> pass|n/a|n/a" ]; echo $?)" \
		"table: -279-like tree: layout FAIL -> pass, leak n/a" "$T/m/matrix.tsv"
	tap_result "$([ "$(cell linux-2.6.32-431.el6 3)|$(cell linux-2.6.32-431.el6 4)|$(cell linux-2.6.32-431.el6 5)|$(cell linux-2.6.32-431.el6 6)" = "FAIL(2) -> pass|pass -> pass|FAIL(3) -> pass|ok" ]; echo $?)" \
		"table: -431-like tree: layout FAIL -> pass, partial backport FAIL -> pass, proof ok" "$T/m/matrix.tsv"
	tap_result "$([ "$(cell linux-2.6.32-504.el6 3)|$(cell linux-2.6.32-504.el6 4)" = "pass -> pass|pass -> pass" ]; echo $?)" \
		"table: tree with both fixes: pass -> pass" "$T/m/matrix.tsv"
	tap_result "$([ "$(cell linux-2.6.32-71.el6 6)|$(cell linux-2.6.32-71.el6 3)" = "not built/booted (exit 3)|- -> -" ]; echo $?)" \
		"table: the tree that did not build says so" "$T/m/matrix.tsv"
	tap_result "$([ "$(cell linux-2.6.32-431.el6 2)|$(cell linux-2.6.32-431.el6 7)|$(cell linux-2.6.32-431.el6 9)" = "RHEL 6.5, 2.6.32-431.el6|100.0|12.0" ]; echo $?)" \
		"table: release identity, clean build and boot times from the tree's output" "$T/m/matrix.tsv"
	tap_result "$([ "$(cell linux-2.6.32-431.el6 10)" = 90/100 ]; echo $?)" \
		"table: ccache hits/(hits+misses) of the tree's builds" "$T/m/matrix.tsv"
	tap_result "$(awk -F'\t' 'NF != 12 { bad = 1 } END { exit bad || NR != 5 }' "$T/m/matrix.tsv"; echo $?)" \
		"matrix.tsv: a header and one row per tree, 12 columns each" "$T/m/matrix.tsv"
	tap_result "$([ "$(cell linux-2.6.32-431.el6 12)" = 480 ]; echo $?)" \
		"table: objects the clean build compiled" "$T/m/matrix.tsv"
	tap_result "$(grep -q '^linux-2.6.32-431.el6 .*FAIL(2) -> pass' "$T/m/matrix.txt" &&
		grep -q '^total: .* for 4 tree(s)' "$T/m/matrix.txt"; echo $?)" \
		"matrix.txt: the table in columns and the total time" "$T/m.out"
	tap_result "$([ "$(grep -c -- "--selftests $T/m/selftests" "$FAKE_LOG")" = 4 ] &&
		[ -x "$T/m/selftests/interp_leak" ] && grep -q -- '--no-ccache' "$FAKE_LOG" &&
		grep -q -- '--jobs 1' "$FAKE_LOG"; echo $?)" \
		"the selftests are built once and given to every vendor-proof, with the options passed on" "$FAKE_LOG"
	tap_result "$([ "$(cat "$T/m/trees/linux-2.6.32-71.el6.rc")" = 3 ] &&
		grep -q 'FAILED: kernel build' "$T/m/trees/linux-2.6.32-71.el6.log"; echo $?)" \
		"each tree's exit code and log are kept"

	fake_tree "$T/t2/linux-2.6.32-358.el6" 2 6 32 failing
	runs 1 'exit 1' "an expectation failed on one tree: exit 1" \
		env VENDOR_PROOF="$T/fake-vp" "$M" --out "$T/m2" --no-ccache "$T/t2/linux-2.6.32-358.el6" "$T/trees/linux-2.6.32-504.el6"
	tap_result "$([ "$(awk -F'\t' '$1 == "linux-2.6.32-358.el6" { print $6 }' "$T/m2/matrix.tsv")" = "FAILED(2)" ]; echo $?)" \
		"table: a failed proof counts its failed checks" "$T/m2/matrix.tsv"
	runs 0 'exit 0' "every expectation held (list file): exit 0" \
		env VENDOR_PROOF="$T/fake-vp" "$M" --out "$T/m2" --no-ccache "$T/trees/good.list"

	: >"$FAKE_LOG"
	runs 0 'job: fail -> pass' "--lava-jobs: the table shows what each job must show" \
		env VENDOR_PROOF="$T/fake-vp" "$M" --out "$T/m3" --no-ccache --lava-jobs "$T/jobs" "$T/trees/good.list"
	tap_result "$(grep -q -- "--lava-jobs $T/jobs/linux-2.6.32-279.el6" "$FAKE_LOG" &&
		[ -f "$T/jobs/linux-2.6.32-504.el6/partial/job.yaml" ] && [ -f "$T/jobs/.matrix-jobs" ] &&
		[ "$(cut -f1,2 "$T/jobs/jobs.tsv" | tr '\t\n' ': ')" = "tree:variant linux-2.6.32-279.el6:stock linux-2.6.32-504.el6:stock " ]; echo $?)" \
		"--lava-jobs: one job directory per tree and kernel, DIR/jobs.tsv lists them" "$T/jobs/jobs.tsv"
	tap_result "$([ "$(awk -F'\t' '$1 == "linux-2.6.32-504.el6" { print $5 "|" $6 }' "$T/m3/matrix.tsv")" = "job: fail -> pass|jobs written" ]; echo $?)" \
		"--lava-jobs: partial backport cell from the jobs' expect.tsv" "$T/m3/matrix.tsv"
	mkdir -p "$T/foreign-jobs" && echo keep >"$T/foreign-jobs/file"
	runs 2 'refusing to empty it' "--lava-jobs into a foreign non-empty directory refused" \
		env VENDOR_PROOF="$T/fake-vp" "$M" --out "$T/m3" --lava-jobs "$T/foreign-jobs" "$T/trees/good.list"
else
	tap_skip "matrix runs with a stand-in vendor-proof: need musl-gcc, i386-linux-musl-gcc, make, column (scripts/install-deps)"
fi

# ---- what a --lava-jobs job holds: the initramfs run-qemu would boot, no boot
kernel=$(compgen -G '/boot/vmlinuz-*' | head -n 1 || true)
if [ -n "$kernel" ] && [ -r "$kernel" ] && [ "$have_musl" = 1 ] && command -v qemu-system-x86_64 >/dev/null; then
	make -C "$ROOT/selftests" OUTPUT="$T/st" CC=musl-gcc CC32=i386-linux-musl-gcc LDFLAGS=-static >"$T/st.log" 2>&1 || true
	runs 0 'not booted' "run-qemu --initramfs-only: the guest is built, not booted" \
		"$ROOT/qemu/run-qemu" --kernel "$kernel" --selftests "$T/st" --append nmi_watchdog=0 \
		--out "$T/rq" --initramfs-only
	tap_result "$([ -s "$T/rq/initramfs.cpio" ] && grep -q 'rdinit=/init .*nmi_watchdog=0' "$T/rq/cmdline" &&
		[ ! -e "$T/rq/console.log" ] && [ ! -e "$T/rq/results.tap" ]; echo $?)" \
		"... initramfs.cpio and the command line written, no console (nothing ran)"
	runs 0 'wrote' "lava/write-job on that kernel and initramfs" \
		"$ROOT/lava/write-job" --kernel "$kernel" --initramfs "$T/rq/initramfs.cpio" \
		--cmdline "$(cat "$T/rq/cmdline")" --out "$T/job"
	tap_result "$(for f in job.yaml device.yaml kernel initramfs.cpio; do [ -s "$T/job/$f" ] || exit 1; done
		grep -q "url: file://$T/job/initramfs.cpio" "$T/job/job.yaml" &&
		cmp -s "$T/job/initramfs.cpio" "$T/rq/initramfs.cpio"; echo $?)" \
		"... the job directory: job, device, kernel, that initramfs by file:// URL" "$T/job/job.yaml"
	runs 2 'exclude each other' "run-qemu: --initramfs-only with --shell refused" \
		"$ROOT/qemu/run-qemu" --kernel "$kernel" --out "$T/rq2" --initramfs-only --shell
	# a vendor-proof kernel, NAME.bzImage with NAME.System.map beside it:
	# built without ACPI it boots with nolapic, with ACPI as it is
	mkdir -p "$T/kern"
	ln -sf "$kernel" "$T/kern/stock.bzImage"
	for acpi in without with; do
		printf 'ffffffff81000000 T _text\n' >"$T/kern/stock.System.map"
		[ "$acpi" = without ] ||
			printf 'ffffffff81300000 T acpi_os_initialize\n' >>"$T/kern/stock.System.map"
		rm -rf "$T/rq-$acpi"
		"$ROOT/qemu/run-qemu" --kernel "$T/kern/stock.bzImage" --selftests "$T/st" \
			--out "$T/rq-$acpi" --initramfs-only >"$T/rq-$acpi.log" 2>&1 || true
	done
	tap_result "$(grep -qw nolapic "$T/rq-without/cmdline" && [ -s "$T/rq-with/cmdline" ] &&
		! grep -qw nolapic "$T/rq-with/cmdline"; echo $?)" \
		"run-qemu: a kernel whose System.map has no ACPI boots with nolapic, one with ACPI without" \
		"$T/rq-without/cmdline"
else
	tap_skip "run-qemu --initramfs-only and write-job: need a /boot/vmlinuz-*, qemu-system-x86_64 and musl (scripts/install-deps)"
fi

# ---- the real matrix
if [ -z "${MATRIX_TREES:-}" ]; then
	echo "1..$tap_count"
	[ "$tap_failed" -eq 0 ] || exit 1
	echo "# SKIP real matrix: MATRIX_TREES unset (no vendor trees here; run MATRIX_TREES=dir-of-trees-or-list tests/matrix.sh); quick checks $tap_count/$tap_count ok"
	exit 4
fi
out=${MATRIX_OUT:-$ROOT/build/matrix-test}
rc=0
"$M" --out "$out" "$MATRIX_TREES" >"$T/real.log" 2>&1 || rc=$?
sed 's/^/# /' "$T/real.log"
tap_result "$rc" "matrix over $MATRIX_TREES (exit $rc; table in $out/matrix.txt)"
echo "1..$tap_count"
[ "$tap_failed" -eq 0 ]
