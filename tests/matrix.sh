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

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

M=$repo/proof/matrix

tap_workdir matrix-test

# shellcheck source=../proof/lib/matrix.sh
. "$repo/proof/lib/matrix.sh"

# runs WANT PATTERN DESCRIPTION COMMAND...: tap_runs with its output in $work/out
runs() { tap_runs "$work/out" "$@"; }

# fake_tree DIR VERSION PATCHLEVEL SUBLEVEL [BEHAVIOUR]: what the checks look
# at; BEHAVIOUR tells the stand-in vendor-proof what to report.
fake_tree() {
	mkdir -p "$1/arch/x86" "$1/fs"
	: >"$1/fs/exec.c"
	printf 'VERSION = %s\nPATCHLEVEL = %s\nSUBLEVEL = %s\nRHEL_MAJOR = 6\n' "$2" "$3" "$4" >"$1/Makefile"
	[ -z "${5:-}" ] || echo "$5" >"$1/behaviour"
}

# ---- bad input: exit 2, nothing started
runs 2 'no trees' "no argument: usage error" "$M"
runs 2 'no such directory or list file' "a missing tree or list refused" "$M" "$work/nonexistent"
mkdir -p "$work/empty/sub"
runs 2 'no kernel tree in it' "a directory without kernel trees refused" "$M" --out "$work/o" "$work/empty"
fake_tree "$work/trees/linux-2.6.32-279.el6" 2 6 32 bug-old
fake_tree "$work/trees/linux-2.6.32-71.el6" 2 6 32 broken
fake_tree "$work/trees/linux-2.6.32-504.el6" 2 6 32 fixed
mkdir -p "$work/trees/notes"
printf '# trees\n\nlinux-2.6.32-279.el6\n  %s/trees/linux-2.6.32-504.el6  # the fixed one\n' "$work" >"$work/trees/good.list"
printf '%s\n' "$work/trees/linux-2.6.32-279.el6" "$work/trees/nowhere" >"$work/bad.list"
runs 2 'bad.list line 2' "a list naming a missing tree: refused with its line" "$M" --out "$work/o" "$work/bad.list"
fake_tree "$work/v3/linux-3.10" 3 10 0
runs 2 'not 2.6.32' "a tree that is not 2.6.32 refused" "$M" --out "$work/o" "$work/v3/linux-3.10"
fake_tree "$work/dup/linux-2.6.32-279.el6" 2 6 32
runs 2 'two trees named' "two trees of one name refused (outputs would collide)" \
	"$M" --out "$work/o" "$work/trees/linux-2.6.32-279.el6" "$work/dup/linux-2.6.32-279.el6"
mkdir -p "$work/precious"
echo keep >"$work/precious/file"
runs 2 'refusing to empty it' "a foreign non-empty --out refused" \
	"$M" --out "$work/precious" "$work/trees/linux-2.6.32-279.el6"
tap_result "$([ "$(cat "$work/precious/file")" = keep ]; echo $?)" "... and left as it was"
runs 2 'unknown option' "an unknown option refused" "$M" --frobnicate "$work/trees"
runs 0 'Exit codes' "--help describes the exit codes" "$M" --help
tap_result "$([ ! -e "$work/o" ]; echo $?)" "no output directory was made by any refused run"

# ---- which trees
got=$(matrix_trees "$work/trees" 2>"$work/err" | xargs -n1 basename | tr '\n' ' ')
tap_result "$([ "$got" = "linux-2.6.32-71.el6 linux-2.6.32-279.el6 linux-2.6.32-504.el6 " ]; echo $?)" \
	"directory of trees: its kernel trees in version order (got: $got)"
tap_result "$(grep -q 'notes: not a kernel tree, skipped' "$work/err"; echo $?)" \
	"directory of trees: a subdirectory that is no tree is named and skipped" "$work/err"
got=$(matrix_trees "$work/trees/good.list" | xargs -n1 basename | tr '\n' ' ')
tap_result "$([ "$got" = "linux-2.6.32-279.el6 linux-2.6.32-504.el6 " ]; echo $?)" \
	"list file: comments and blank lines skipped, relative and absolute paths (got: $got)"

# ---- exit code of the one table
tap_result "$([ "$(matrix_exit 0 0 0)/$(matrix_exit 0 3 0)/$(matrix_exit 3 1 0)/$(matrix_exit 2 0)/$(matrix_exit 0 1)" = 0/3/1/3/1 ]; echo $?)" \
	"exit code: 0 all held, 3 a tree not built, 1 any expectation failed (wins over 3)"

# ---- a 32-bit kernel: every layout subtest skipped is "n/a", not "pass"
mkdir -p "$work/r32"
printf 'exec_layout_32\tparent 32 -> child 32\tskip\tskip: x\ninterp_leak\tlowmem\tFAIL\tx\n' >"$work/r32/subtests.tsv"
tap_result "$([ "$(matrix_verdict "$work/r32" layout)/$(matrix_verdict "$work/r32" leak)" = "n/a/FAIL(1)" ]; echo $?)" \
	"layout tests all skipped (32-bit kernel): n/a, not pass"

# ---- the whole matrix with a stand-in vendor-proof
# It writes what vendor-proof writes, as the tree's behaviour file says:
# bug-old: layout FAIL -> pass, no bprm_change_interp (-71..-279);
# bug: both bugs, the leak one through the partial variant (-431);
# fixed: both fixes present (-504); failing: an expectation failed;
# broken: the kernel does not build (exit 3).
cat >"$work/fake-vp" <<'EOF'
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
chmod +x "$work/fake-vp"
fake_tree "$work/trees/linux-2.6.32-431.el6" 2 6 32 bug
have_musl=1
for tool in musl-gcc i386-linux-musl-gcc make column; do
	command -v "$tool" >/dev/null || have_musl=0
done
if [ "$have_musl" = 1 ]; then
	export FAKE_LOG=$work/fake.log
	: >"$FAKE_LOG"
	runs 3 'linux-2.6.32-504.el6: vendor-proof' \
		"matrix over a directory: a tree that does not build (exit 3) does not stop the others" \
		env VENDOR_PROOF="$work/fake-vp" "$M" --out "$work/m" --no-ccache --jobs 1 "$work/trees"
	cp "$work/out" "$work/m.out"
	row() { awk -F'\t' -v t="$1" '$1 == t' "$work/m/matrix.tsv"; }
	cell() { row "$1" | cut -f"$2"; }
	tap_result "$([ "$(cell linux-2.6.32-279.el6 3)|$(cell linux-2.6.32-279.el6 4)|$(cell linux-2.6.32-279.el6 5)" = "FAIL(2) -> pass|n/a|n/a" ]; echo $?)" \
		"table: -279-like tree: layout FAIL -> pass, leak n/a" "$work/m/matrix.tsv"
	tap_result "$([ "$(cell linux-2.6.32-431.el6 3)|$(cell linux-2.6.32-431.el6 4)|$(cell linux-2.6.32-431.el6 5)|$(cell linux-2.6.32-431.el6 6)" = "FAIL(2) -> pass|pass -> pass|FAIL(3) -> pass|ok" ]; echo $?)" \
		"table: -431-like tree: layout FAIL -> pass, partial backport FAIL -> pass, proof ok" "$work/m/matrix.tsv"
	tap_result "$([ "$(cell linux-2.6.32-504.el6 3)|$(cell linux-2.6.32-504.el6 4)" = "pass -> pass|pass -> pass" ]; echo $?)" \
		"table: tree with both fixes: pass -> pass" "$work/m/matrix.tsv"
	tap_result "$([ "$(cell linux-2.6.32-71.el6 6)|$(cell linux-2.6.32-71.el6 3)" = "not built/booted (exit 3)|- -> -" ]; echo $?)" \
		"table: the tree that did not build says so" "$work/m/matrix.tsv"
	tap_result "$([ "$(cell linux-2.6.32-431.el6 2)|$(cell linux-2.6.32-431.el6 7)|$(cell linux-2.6.32-431.el6 9)" = "RHEL 6.5, 2.6.32-431.el6|100.0|12.0" ]; echo $?)" \
		"table: release identity, clean build and boot times from the tree's output" "$work/m/matrix.tsv"
	tap_result "$([ "$(cell linux-2.6.32-431.el6 10)" = 90/100 ]; echo $?)" \
		"table: ccache hits/(hits+misses) of the tree's builds" "$work/m/matrix.tsv"
	tap_result "$(awk -F'\t' 'NF != 12 { bad = 1 } END { exit bad || NR != 5 }' "$work/m/matrix.tsv"; echo $?)" \
		"matrix.tsv: a header and one row per tree, 12 columns each" "$work/m/matrix.tsv"
	tap_result "$([ "$(cell linux-2.6.32-431.el6 12)" = 480 ]; echo $?)" \
		"table: objects the clean build compiled" "$work/m/matrix.tsv"
	tap_result "$(grep -q '^linux-2.6.32-431.el6 .*FAIL(2) -> pass' "$work/m/matrix.txt" &&
		grep -q '^total: .* for 4 tree(s)' "$work/m/matrix.txt"; echo $?)" \
		"matrix.txt: the table in columns and the total time" "$work/m.out"
	tap_result "$([ "$(grep -c -- "--selftests $work/m/selftests" "$FAKE_LOG")" = 4 ] &&
		[ -x "$work/m/selftests/interp_leak" ] && grep -q -- '--no-ccache' "$FAKE_LOG" &&
		grep -q -- '--jobs 1' "$FAKE_LOG"; echo $?)" \
		"the selftests are built once and given to every vendor-proof, with the options passed on" "$FAKE_LOG"
	tap_result "$([ "$(cat "$work/m/trees/linux-2.6.32-71.el6.rc")" = 3 ] &&
		grep -q 'FAILED: kernel build' "$work/m/trees/linux-2.6.32-71.el6.log"; echo $?)" \
		"each tree's exit code and log are kept"

	fake_tree "$work/t2/linux-2.6.32-358.el6" 2 6 32 failing
	runs 1 'exit 1' "an expectation failed on one tree: exit 1" \
		env VENDOR_PROOF="$work/fake-vp" "$M" --out "$work/m2" --no-ccache "$work/t2/linux-2.6.32-358.el6" "$work/trees/linux-2.6.32-504.el6"
	tap_result "$([ "$(awk -F'\t' '$1 == "linux-2.6.32-358.el6" { print $6 }' "$work/m2/matrix.tsv")" = "FAILED(2)" ]; echo $?)" \
		"table: a failed proof counts its failed checks" "$work/m2/matrix.tsv"
	runs 0 'exit 0' "every expectation held (list file): exit 0" \
		env VENDOR_PROOF="$work/fake-vp" "$M" --out "$work/m2" --no-ccache "$work/trees/good.list"

	: >"$FAKE_LOG"
	runs 0 'job: fail -> pass' "--lava-jobs: the table shows what each job must show" \
		env VENDOR_PROOF="$work/fake-vp" "$M" --out "$work/m3" --no-ccache --lava-jobs "$work/jobs" "$work/trees/good.list"
	tap_result "$(grep -q -- "--lava-jobs $work/jobs/linux-2.6.32-279.el6" "$FAKE_LOG" &&
		[ -f "$work/jobs/linux-2.6.32-504.el6/partial/job.yaml" ] && [ -f "$work/jobs/.matrix-jobs" ] &&
		[ "$(cut -f1,2 "$work/jobs/jobs.tsv" | tr '\t\n' ': ')" = "tree:variant linux-2.6.32-279.el6:stock linux-2.6.32-504.el6:stock " ]; echo $?)" \
		"--lava-jobs: one job directory per tree and kernel, DIR/jobs.tsv lists them" "$work/jobs/jobs.tsv"
	tap_result "$([ "$(awk -F'\t' '$1 == "linux-2.6.32-504.el6" { print $5 "|" $6 }' "$work/m3/matrix.tsv")" = "job: fail -> pass|jobs written" ]; echo $?)" \
		"--lava-jobs: partial backport cell from the jobs' expect.tsv" "$work/m3/matrix.tsv"
	mkdir -p "$work/foreign-jobs" && echo keep >"$work/foreign-jobs/file"
	runs 2 'refusing to empty it' "--lava-jobs into a foreign non-empty directory refused" \
		env VENDOR_PROOF="$work/fake-vp" "$M" --out "$work/m3" --lava-jobs "$work/foreign-jobs" "$work/trees/good.list"
else
	tap_skip "matrix runs with a stand-in vendor-proof: need musl-gcc, i386-linux-musl-gcc, make, column (scripts/install-deps)"
fi

# ---- what a --lava-jobs job holds: the initramfs run-qemu would boot, no boot
kernel=$(compgen -G '/boot/vmlinuz-*' | head -n 1 || true)
if [ -n "$kernel" ] && [ -r "$kernel" ] && [ "$have_musl" = 1 ] && command -v qemu-system-x86_64 >/dev/null; then
	make -C "$repo/selftests" OUTPUT="$work/st" CC=musl-gcc CC32=i386-linux-musl-gcc LDFLAGS=-static >"$work/st.log" 2>&1 || true
	runs 0 'not booted' "run-qemu --initramfs-only: the guest is built, not booted" \
		"$repo/qemu/run-qemu" --kernel "$kernel" --selftests "$work/st" --append nmi_watchdog=0 \
		--out "$work/rq" --initramfs-only
	tap_result "$([ -s "$work/rq/initramfs.cpio" ] && grep -q 'rdinit=/init .*nmi_watchdog=0' "$work/rq/cmdline" &&
		[ ! -e "$work/rq/console.log" ] && [ ! -e "$work/rq/results.tap" ]; echo $?)" \
		"... initramfs.cpio and the command line written, no console (nothing ran)"
	runs 0 'wrote' "lava/write-job on that kernel and initramfs" \
		"$repo/lava/write-job" --kernel "$kernel" --initramfs "$work/rq/initramfs.cpio" \
		--cmdline "$(cat "$work/rq/cmdline")" --out "$work/job"
	tap_result "$(for f in job.yaml device.yaml kernel initramfs.cpio; do [ -s "$work/job/$f" ] || exit 1; done
		grep -q "url: file://$work/job/initramfs.cpio" "$work/job/job.yaml" &&
		cmp -s "$work/job/initramfs.cpio" "$work/rq/initramfs.cpio"; echo $?)" \
		"... the job directory: job, device, kernel, that initramfs by file:// URL" "$work/job/job.yaml"
	runs 2 'exclude each other' "run-qemu: --initramfs-only with --shell refused" \
		"$repo/qemu/run-qemu" --kernel "$kernel" --out "$work/rq2" --initramfs-only --shell
	# a vendor-proof kernel, NAME.bzImage with NAME.System.map beside it:
	# built without ACPI it boots with nolapic, with ACPI as it is
	mkdir -p "$work/kern"
	ln -sf "$kernel" "$work/kern/stock.bzImage"
	for acpi in without with; do
		printf 'ffffffff81000000 T _text\n' >"$work/kern/stock.System.map"
		[ "$acpi" = without ] ||
			printf 'ffffffff81300000 T acpi_os_initialize\n' >>"$work/kern/stock.System.map"
		rm -rf "$work/rq-$acpi"
		"$repo/qemu/run-qemu" --kernel "$work/kern/stock.bzImage" --selftests "$work/st" \
			--out "$work/rq-$acpi" --initramfs-only >"$work/rq-$acpi.log" 2>&1 || true
	done
	tap_result "$(grep -qw nolapic "$work/rq-without/cmdline" && [ -s "$work/rq-with/cmdline" ] &&
		! grep -qw nolapic "$work/rq-with/cmdline"; echo $?)" \
		"run-qemu: a kernel whose System.map has no ACPI boots with nolapic, one with ACPI without" \
		"$work/rq-without/cmdline"
else
	tap_skip "run-qemu --initramfs-only and write-job: need a /boot/vmlinuz-*, qemu-system-x86_64 and musl (scripts/install-deps)"
fi

# ---- the real matrix
if [ -z "${MATRIX_TREES:-}" ]; then
	tap_plan
	echo "# SKIP real matrix: MATRIX_TREES unset (no vendor trees here; run MATRIX_TREES=dir-of-trees-or-list tests/matrix.sh); quick checks $tap_count/$tap_count ok"
	exit "$EX_SKIP"
fi
out=${MATRIX_OUT:-$repo/build/matrix-test}
rc=0
"$M" --out "$out" "$MATRIX_TREES" >"$work/real.log" 2>&1 || rc=$?
sed 's/^/# /' "$work/real.log"
tap_result "$rc" "matrix over $MATRIX_TREES (exit $rc; table in $out/matrix.txt)"
tap_done
