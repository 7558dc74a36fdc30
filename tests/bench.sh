#!/bin/bash
# bench/run ("make bench") boots what this host has, the way it says: the
# guest sections find Debian's kernel (no hard-coded release) and the module
# section counts guest time in instructions (--icount) whatever the
# runner's --help says; leak_verdicts boots the fixed kernel without the
# module and the injected leak with it, and counts false positives and
# detections from the guest's report; suite prints the ratio of the suite's
# time to boot-to-init from the runner's files; run without BENCH_SECTIONS,
# bench/run does leak_verdicts, suite and live (the cost of execfix_live.ko)
# too; noise_table boots one guest per kernel and noise profile and prints
# the table of verdicts and false verdicts from the guests' lines.
# qemu/run-qemu is replaced by a stub that records its arguments, so
# nothing boots; the builds are real.  TAP 13; exit 0 pass, 1 fail, 4 skip.
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

# shellcheck source=../scripts/lib/debian.sh
. "$repo/scripts/lib/debian.sh"

kver=$(debian_kver)
[ -n "$kver" ] ||
	tap_skip_all "no Debian kernel image, modules and headers (linux-image-amd64, linux-headers-amd64)"
tap_require_tools musl-gcc i386-linux-musl-gcc qemu-system-x86_64 make

tap_workdir bench-test

# The stub runner: one line of arguments per call; its --help knows no
# --icount (bench must not ask).  Each --test gets a report as the guest
# writes it: the '#!' loop fails when the module injects the leak; a
# failing run exits 1.  The runner's summary and console give boot-to-init
# 2.00 s and the suite's end at uptime 5.00 s (ratio 1.50).
cat >"$work/run-qemu" <<'STUB'
#!/bin/bash
[ "${1:-}" != --help ] || { echo "Usage: run-qemu --kernel IMAGE"; exit 0; }
echo "$*" >>"${STUB_CALLS:?}"
out="" inject=0 tests=() append=""
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2 ;;
	--test) tests+=("$2") ;;
	--module-params) [ "$2" != inject_leak=1 ] || inject=1 ;;
	--append) append=$2 ;;
	esac
	shift
done
mkdir -p "$out"
# noise_table: two runs per tool; the leaking kernel is found leaky by
# execfix-check and could-not-tell by interp_leak; under "burst" the
# second check run on a clean kernel is a false "leaky".
if [ "${tests[0]:-}" = noise_table ]; then
	p=${append#*execfix_noise=}; p=${p%% *}
	case $append in *execfix_expect=leak*) v=leaky ;; *) v=clean ;; esac
	{
		echo "# run: noise_table"
		echo "# # noise-setup: profile=$p runs=2 expect=x script_rate=1000 plain_rate=1500 sizes=32,64,128 params=-"
		echo "# # noise-rule: a verdict where the stub says so"
		for i in 1 2; do
			w=$v
			[ "$p$v$i" != burstclean2 ] || w=leaky
			echo "# # noise-run: profile=$p tool=check run=$i verdict=$w exit=0 noise=7 execs=500 rounds=2 cache=size-32 secs=3.0 noise_rate=0 nested=- misc=- rule=2 rounds agree"
			w=$v; [ "$v" = clean ] || w=unknown
			echo "# # noise-run: profile=$p tool=interp_leak run=$i verdict=$w exit=0 noise=300 execs=1000 rounds=2 cache=size-32 secs=5.0 noise_rate=10 nested=$w misc=$w rule=rounds disagree"
		done
		echo "# result: noise_table exit=0 verdict=pass time=1.00"
	} >"$out/results.tap"
	exit 0
fi
{
	echo "# bench: stub ratio 1.000"
	for t in ${tests[@]+"${tests[@]}"}; do
		echo "# run: $t"
		if [ "$inject" = 1 ]; then
			echo "# not ok 3 #! script: kmalloc-32 grows up to 1.000 objects/exec"
		else
			echo "# ok 3 #! script: kmalloc-32 stays flat"
		fi
		echo "# # bench: #! script  500 execs/s, verdict after 1000 execs (2 rounds, by 2 rounds agree), max growth 3 objects/round"
		echo "# # bench: drain stub, control noise 2 objects/round of 500 execs, 3 control rounds"
		echo "# result: $t exit=$inject verdict=x time=1.00"
	done
} >"$out/results.tap"
printf 'boot_to_init_s=2.00\ninit_seen_s=3.00\nverdict_s=6.00\n' >"$out/summary"
echo "execfix-init: done, 0 failed, at uptime 5.00 s" >"$out/console.log"
printf 'test\texit\tverdict\tseconds\ninterp_leak\t0\tpass\t1.00\n' >"$out/results.tsv"
echo "# # bench: stub guest figure"
echo "# run-qemu: timing: stub"
STUB
chmod +x "$work/run-qemu"

rc=0
BENCH_SECTIONS="selftests_guest module" RUN_QEMU=$work/run-qemu STUB_CALLS=$work/calls \
	"$repo/bench/run" >"$work/out" 2>&1 || rc=$?
sed 's/^/# /' "$work/out"
tap_result "$rc" "bench/run (guest and module sections, stub runner) exits 0" "$work/out"
kernel=/boot/vmlinuz-$kver
tap_result "$([ "$(grep -c -- "--kernel $kernel " "$work/calls" 2>/dev/null)" = 2 ]; echo $?)" \
	"both guest sections boot Debian's $kernel" "$work/calls"
tap_result "$(grep -- '--module ' "$work/calls" 2>/dev/null | grep -q -- ' --icount'; echo $?)" \
	"the module section counts guest time in instructions (--icount)" "$work/calls"
tap_result "$(grep -q 'stub ratio' "$work/out"; echo $?)" "the module section prints the guest's figures" "$work/out"

# The sections with a target: execs per leak verdict, suite time against boot.
rc=0
: >"$work/calls2"
BENCH_SECTIONS="leak_verdicts suite" BENCH_LEAK_RUNS=3 RUN_QEMU=$work/run-qemu STUB_CALLS=$work/calls2 \
	"$repo/bench/run" >"$work/out2" 2>&1 || rc=$?
sed 's/^/# /' "$work/out2"
tap_result "$rc" "bench/run (leak_verdicts and suite sections, stub runner) exits 0" "$work/out2"
fixed=$(grep -v -- '--module' "$work/calls2" | grep -c -- '--test interp_leak_slab' || true)
slab_tests=$(grep -v -- '--module' "$work/calls2" | grep -o -- '--test interp_leak_slab' | wc -l)
tap_result "$([ "$fixed" = 1 ] && [ "$slab_tests" = 3 ]; echo $?)" \
	"leak_verdicts: the fixed kernel is booted once without the module, BENCH_LEAK_RUNS slab-only runs" "$work/calls2"
tap_result "$(grep -- '--module-params inject_leak=1' "$work/calls2" | grep -- '--test interp_leak ' |
	grep -q -- '--test interp_leak_slab'; echo $?)" \
	"leak_verdicts: the injected leak is run on the module's counts and slab only" "$work/calls2"
tap_result "$(grep -q 'false positives 0 of 3 runs' "$work/out2" &&
	grep -q 'detections 3 of 3 runs' "$work/out2"; echo $?)" \
	"leak_verdicts counts false positives and detections from the guest's report" "$work/out2"
tap_result "$(grep -q "slab only, fixed kernel: .*#! verdict after 1000\.\.1000 execs" "$work/out2"; echo $?)" \
	"leak_verdicts prints how many execs a verdict needed" "$work/out2"
tap_result "$([ "$(grep -c -- '--test' "$work/calls2")" -ge 2 ] &&
	[ "$(grep -v -- '--test' "$work/calls2" | grep -c -- '--pvh')" = 2 ] &&
	grep -v -- '--test' "$work/calls2" | grep -q -- '--icount'; echo $?)" \
	"suite: make run's suite booted as make run does and with --icount" "$work/calls2"
tap_result "$(grep -q 'boot-to-init 2.00 s, init-to-verdict 3.00 s, ratio 1.50' "$work/out2"; echo $?)" \
	"suite prints the ratio of the suite's time to boot-to-init" "$work/out2"
# noise_table: the table from the guests' lines, one boot per kernel and
# profile, false verdicts counted (figures: the section still exits 0).
mkdir -p "$work/stage" "$work/kernels"
for f in noise_table execfix-check interp_leak interp_stub execfix_noise.ko; do
	: >"$work/stage/$f"
done
for k in stock patched partial; do
	: >"$work/kernels/$k.bzImage"
done
rc=0
: >"$work/calls4"
BENCH_SECTIONS=noise_table BENCH_EL6_KERNELS=$work/kernels BENCH_NOISE_STAGE=$work/stage \
	BENCH_NOISE_PROFILES="none burst" BENCH_NOISE_RUNS=2 RUN_QEMU=$work/run-qemu STUB_CALLS=$work/calls4 \
	"$repo/bench/run" >"$work/out4" 2>&1 || rc=$?
sed 's/^/# /' "$work/out4"
tap_result "$rc" "bench/run noise_table (stub runner) exits 0" "$work/out4"
tap_result "$([ "$(grep -c -- '--test noise_table' "$work/calls4")" = 6 ] &&
	[ "$(grep -c -- "--kernel $work/kernels/partial.bzImage .*execfix_expect=leak" "$work/calls4")" = 2 ] &&
	[ "$(grep -c 'execfix_expect=leak' "$work/calls4")" = 2 ]; echo $?)" \
	"noise_table: one boot per kernel and profile, the partial kernel expected to leak" "$work/calls4"
tap_result "$(grep -qE '^burst +stock +check +2 +1 +1 +0 +0 +1 ' "$work/out4" &&
	grep -qE '^none +partial +interp_leak +2 +0 +0 +2 +0 +0 ' "$work/out4" &&
	grep -q '^total: 24 runs, 2 false verdicts, 0 errors' "$work/out4" &&
	grep -q '^leak rule (both tools): a verdict where the stub says so' "$work/out4"; echo $?)" \
	"noise_table: profile x kernel x tool: runs, verdicts, false verdicts, and the rule's bound" "$work/out4"
rc=0
"$repo/bench/run" --help >"$work/help" 2>&1 || rc=$?
tap_result "$([ "$rc" = 0 ] && grep -q '^Exit codes' "$work/help"; echo $?)" "bench/run --help prints its exit codes" "$work/help"
# What "make bench" runs: bench/run without BENCH_SECTIONS, with a kernel
# that is not there (each guest section says it skips) and a make that
# fails (the host section stops at once): every section's header is printed.
mkdir -p "$work/bin"
printf '#!/bin/sh\nexit 1\n' >"$work/bin/make"
chmod +x "$work/bin/make"
rc=0
env -u BENCH_SECTIONS PATH="$work/bin:$PATH" BENCH_KERNEL="$work/no-kernel" RUN_QEMU="$work/run-qemu" \
	STUB_CALLS="$work/calls3" "$repo/bench/run" >"$work/out3" 2>&1 || rc=$?
missing=""
for h in 'selftests on this host' 'selftests in a QEMU guest' 'execfix.ko: exec rate' \
	'interp_leak: execs per verdict' 'the whole suite against boot-to-init' 'execfix_live.ko: exec rate' \
	'proof kernel: objects and seconds per configuration base' 'noise table: leak verdicts'; do
	grep -qF "== $h" "$work/out3" || missing="$missing '$h'"
done
tap_result "$([ -z "$missing" ] && [ ! -e "$work/calls3" ]; echo $?)" \
	"make bench (no BENCH_SECTIONS) runs every section, leak_verdicts, suite and live included${missing:+ (missing:$missing)}" "$work/out3"
tap_done
