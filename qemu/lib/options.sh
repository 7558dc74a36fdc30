# run-qemu's options: usage text, parsing and checks.  Sourced by
# qemu/run-qemu, never run; sets the option variables main() uses.
# shellcheck shell=bash
# Variables are shared with the other parts of qemu/run-qemu:
# shellcheck disable=SC2034,SC2154

usage() {
	cat <<EOF2
Usage: $PROG --kernel IMAGE [options]

Boots IMAGE under qemu-system-x86_64 with an initramfs that holds a static
PID 1 (qemu/init.c), the modules and the static test programs; prints the
guest's TAP report and exits with the suite's verdict.

  --kernel IMAGE        kernel to boot (bzImage, e.g. /boot/vmlinuz-...)
  --module KO           module under test (execfix.ko), loaded after the others
  --module-params STR   its parameters, e.g. 'inject_leak=1'
  --extra-module KO     a module the kernel needs (binfmt_misc.ko, ...), loaded
                        first, in order; may be repeated; .ko.xz/.zst/.gz are
                        decompressed
  --selftests DIR       directory of static test programs (musl); every regular
                        file in it goes to /tests in the guest
  --test NAME           run /tests/NAME; may be repeated, in order (default:
                        every executable in DIR except the helpers
                        interp_stub, *_dyn and *.so, sorted)
  --expect-fail NAME    NAME must fail (exit 1); its failure counts as success,
                        its passing as a failure; may be repeated
  --stress N            before the tests: N load/unload cycles of the module
                        under test while a '#!' script is exec'd in a loop
                        (kernel option execfix.stress=N)
  --append ARGS         extra kernel command line (after the defaults, so it
                        can override them, e.g. 'rdinit=/other'); may repeat
  --timeout SECONDS     hard limit for the whole boot (default $timeout_default;
                        with --shell $timeout_shell)
  --out DIR             output and logs (default build/qemu-run); a previous
                        run's files there are replaced
  --pvh                 boot the ELF kernel inside IMAGE through its PVH entry
                        when it has one (CONFIG_PVH): no decompression under
                        emulation, ~5 s less for Debian's 6.1; the same kernel
                        code runs.  Extracted once into build/cache.  Without a
                        PVH entry (2.6.32) IMAGE boots as usual
  --accel tcg|kvm|auto  default tcg, or \$EXECFIX_QEMU_ACCEL; auto: kvm when
                        /dev/kvm is usable (a broken nested KVM can hang)
  --smp N               virtual CPUs (default 1)
  --tcg-thread single|multi|auto
                        TCG threading (default auto, or \$EXECFIX_TCG_THREAD):
                        multi is QEMU's multi-threaded TCG, one host thread
                        per vCPU; auto is multi with --smp 2 or more, no
                        --icount, and QEMU $mttcg_min_qemu or newer, else single
                        (older QEMU, 7.2 among them, locks up 2.6.32's
                        kprobes under multi: docs/design.md, "SMP safety")
  --monitor SOCKET      QEMU's human monitor on the unix socket SOCKET
                        (debugging a hang: info registers -a, x, xp,
                        gdbserver); without it, no monitor
  --icount              count guest time in instructions (-icount shift=0,
                        sleep=off, TCG only): benchmark figures that repeat
                        on a loaded host, not wall-clock speed
  --mem MB              guest memory (default $mem_mb)
  --arch x86_64|i386    the kernel's architecture (default x86_64).  i386: a
                        32-bit kernel, which runs no 64-bit program: PID 1
                        and the stress step are built with \$MUSL_CC32
                        (default i386-linux-musl-gcc) and a 64-bit test
                        program is refused
  --console             also copy the kernel console to stderr as it comes
  --shell               debugging: the console is this terminal, and after
                        the tests PID 1 starts a shell on it instead of
                        powering off (exit the shell to power off).  2.6.32
                        guests have no shell of their own: this puts the
                        static busybox of Debian's busybox-static package
                        (\$BUSYBOX, default /bin/busybox) in the initramfs,
                        as /bin/sh and its applets
  --initramfs-only      build the guest (initramfs.cpio) and write its kernel
                        command line to cmdline in --out, then stop without
                        booting: what a LAVA job (lava/write-job --kernel
                        --initramfs --cmdline) or another machine boots
  -h, --help            this text

Guest programs must not be glibc builds (2.6.32 refuses glibc: "kernel too
old"); musl ones may be dynamic (musl's loader is copied into the guest, other
libraries must sit next to the program); build them with
  make -C selftests OUTPUT=DIR CC=musl-gcc CC32=i386-linux-musl-gcc LDFLAGS=-static
\$MUSL_CC (default musl-gcc) builds PID 1; for a 32-bit kernel (--arch i386)
  make -C selftests OUTPUT=DIR CC=i386-linux-musl-gcc LDFLAGS=-static
builds the 32-bit set.

In the guest, PID 1 mounts proc, sysfs, devtmpfs, debugfs, tmpfs on /tmp and
binfmt_misc; loads each --extra-module (step load_NAME); does the --stress
cycles (step stress_NAME); loads --module (step load_NAME); runs each test
from /tmp with stdout and stderr in the report (lines prefixed "# "); powers
off.  A step's exit code is the program's (a load: 0 or 1, the error in the
report).  Kernel command line: console=ttyS0 panic=-1 rdinit=/init
no_timer_check, then
--append.

A kernel panic, oops, BUG or WARNING decides the verdict (exit $EX_CRASH); if
no report line follows it for 30 s, qemu is stopped then, not at the
timeout.  A guest that reported but does not power off is stopped 15 s
later (not with --shell).

$(exit_codes_help EX_OK EX_FAIL EX_USAGE EX_ENV EX_CRASH EX_NOREPORT EX_TIMEOUT EX_SIGNAL)

Files in the output directory:
  results.tap   the guest's report, as it left the second serial port
  results.tsv   one line per step: test, exit, verdict, seconds; header line
                first; verdict is pass, fail, skip, xfail (failed as
                expected), xpass (expected to fail, passed: a failure),
                hang (running when the timeout hit) or not-run
  summary       key=value: exit, reason, kernel, accel, boot_to_init_s (guest
                uptime when PID 1 started), init_seen_s (that, seen from
                qemu's start), verdict_s, qemu_s, initramfs_s, pvh, total_s
  console.log   the kernel console (ttyS0); qemu.stderr; initramfs.cpio
  results.xml   JUnit XML of every step and subtest (qemu/results-junit)
EOF2
}

timeout_default=300
timeout_shell=3600
kernel=""
module=""
module_params=""
extra_modules=()
selftests_dir=""
tests=()
expect_fail=()
stress=0
append=""
timeout_s=""
out_dir="$repo/build/qemu-run"
accel=${EXECFIX_QEMU_ACCEL:-tcg}
smp=1
tcg_thread=${EXECFIX_TCG_THREAD:-auto}
tcg_thread_why=""
# The oldest QEMU major version whose multi-threaded TCG was measured safe
# for 2.6.32's kprobes: 7.2 locks up, 10.0.2 passed the 80-boot acceptance.
# Versions between were not measured, so auto does not pick multi there.
mttcg_min_qemu=10
monitor=""
icount=0
mem_mb=512
arch=x86_64
show_console=0
pvh=0
shell=0
initramfs_only=0

need_arg() {
	[ $# -ge 2 ] || die_usage "option $1 needs an argument"
}

# parse_options ARGS...
parse_options() {
	while [ $# -gt 0 ]; do
		case $1 in
		--kernel) need_arg "$@"; kernel=$2; shift ;;
		--module) need_arg "$@"; module=$2; shift ;;
		--module-params) need_arg "$@"; module_params=$2; shift ;;
		--extra-module) need_arg "$@"; extra_modules+=("$2"); shift ;;
		--selftests) need_arg "$@"; selftests_dir=$2; shift ;;
		--test) need_arg "$@"; tests+=("$2"); shift ;;
		--expect-fail) need_arg "$@"; expect_fail+=("$2"); shift ;;
		--stress) need_arg "$@"; stress=$2; shift ;;
		--append) need_arg "$@"; append="$append $2"; shift ;;
		--timeout) need_arg "$@"; timeout_s=$2; shift ;;
		--out) need_arg "$@"; out_dir=$2; shift ;;
		--accel) need_arg "$@"; accel=$2; shift ;;
		--smp) need_arg "$@"; smp=$2; shift ;;
		--tcg-thread) need_arg "$@"; tcg_thread=$2; shift ;;
		--monitor) need_arg "$@"; monitor=$2; shift ;;
		--mem) need_arg "$@"; mem_mb=$2; shift ;;
		--arch) need_arg "$@"; arch=$2; shift ;;
		--console) show_console=1 ;;
		--pvh) pvh=1 ;;
		--icount) icount=1 ;;
		--shell) shell=1 ;;
		--initramfs-only) initramfs_only=1 ;;
		-h|--help) usage; exit "$EX_OK" ;;
		*) die_usage "unknown argument '$1'" ;;
		esac
		shift
	done
	if [ -z "$timeout_s" ]; then
		timeout_s=$timeout_default
		[ "$shell" -eq 0 ] || timeout_s=$timeout_shell
	fi
}

is_number() {
	case $1 in
	''|*[!0-9]*) return 1 ;;
	esac
}

# qemu_major: the major version of qemu-system-x86_64 on PATH, empty when
# its --version line does not say.
qemu_major() {
	qemu-system-x86_64 --version 2>/dev/null |
		sed -n '1s/^QEMU emulator version \([0-9][0-9]*\)\..*/\1/p'
}

# resolve_tcg_thread: --tcg-thread auto becomes single or multi, and
# tcg_thread_why says which rule chose it (printed with the run).
resolve_tcg_thread() {
	local major

	tcg_thread=single
	if [ "$accel" != tcg ]; then
		tcg_thread_why="not TCG"
	elif [ "$smp" -lt 2 ]; then
		tcg_thread_why="one vCPU"
	elif [ "$icount" != 0 ]; then
		tcg_thread_why="--icount needs single"
	else
		major=$(qemu_major)
		if [ -z "$major" ]; then
			tcg_thread_why="QEMU version unknown"
		elif [ "$major" -lt "$mttcg_min_qemu" ]; then
			tcg_thread_why="QEMU $major < $mttcg_min_qemu"
		else
			tcg_thread=multi
			tcg_thread_why="QEMU $major >= $mttcg_min_qemu"
		fi
	fi
	tcg_thread_why="auto: $tcg_thread_why"
}

# check_options: refuse bad input before anything is built; complete the
# test list.
check_options() {
	local n m t f q

	[ -n "$kernel" ] || die_usage "--kernel IMAGE is required"
	if [ ! -f "$kernel" ] || [ ! -r "$kernel" ]; then
		die_usage "kernel image '$kernel' is not a readable file"
	fi
	for n in "$timeout_s" "$smp" "$mem_mb" "$stress"; do
		# shellcheck disable=SC2310 # a predicate: its status is the answer
		is_number "$n" || die_usage "'$n' is not a number"
	done
	[ "$timeout_s" -gt 0 ] || die_usage "--timeout must be > 0"
	[ "$smp" -gt 0 ] || die_usage "--smp must be > 0"
	[ "$mem_mb" -ge 64 ] || die_usage "--mem must be at least 64 (MB)"
	case $accel in
	tcg|kvm) ;;
	auto) if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then accel=kvm; else accel=tcg; fi ;;
	*) die_usage "--accel must be tcg, kvm or auto" ;;
	esac
	[ "$icount" = 0 ] || [ "$accel" = tcg ] || die_usage "--icount needs --accel tcg"
	[ "$icount" = 0 ] || [ "$tcg_thread" != multi ] || die_usage "--icount needs single-threaded TCG, not --tcg-thread multi"
	[ "$initramfs_only" = 0 ] || [ "$shell" = 0 ] || die_usage "--initramfs-only and --shell exclude each other"
	case $arch in
	x86_64|i386) ;;
	*) die_usage "--arch must be x86_64 or i386, not '$arch'" ;;
	esac
	case $tcg_thread in
	single|multi|auto) ;;
	*) die_usage "--tcg-thread must be single, multi or auto, not '$tcg_thread'" ;;
	esac
	case $monitor in
	*,*) die_usage "--monitor: a socket path without commas, not '$monitor'" ;;
	esac
	[ -z "$module" ] || [ -f "$module" ] || die_usage "module '$module' not found"
	[ -n "$module" ] || [ -z "$module_params" ] || die_usage "--module-params without --module"
	[ "$stress" -eq 0 ] || [ -n "$module" ] || die_usage "--stress needs --module"
	for m in ${extra_modules[@]+"${extra_modules[@]}"}; do
		[ -f "$m" ] || die_usage "module '$m' not found"
	done
	if [ -n "$selftests_dir" ]; then
		[ -d "$selftests_dir" ] || die_usage "selftests directory '$selftests_dir' not found"
		selftests_dir=$(cd "$selftests_dir" && pwd)
	fi
	for t in ${tests[@]+"${tests[@]}"}; do
		case $t in
		*/*|*[[:space:]]*|'') die_usage "--test takes a program name in the --selftests directory, not '$t'" ;;
		esac
		if [ -z "$selftests_dir" ] || [ ! -f "$selftests_dir/$t" ]; then
			die_usage "test '$t' not found in --selftests directory"
		fi
	done
	for q in qemu-system-x86_64 timeout readelf; do
		command -v "$q" >/dev/null || die "$EX_ENV" "$q not found (scripts/install-deps installs it)"
	done
	[ "$tcg_thread" != auto ] || resolve_tcg_thread
	if [ "$arch" = i386 ]; then
		musl_cc=${MUSL_CC32:-i386-linux-musl-gcc}
		command -v "$musl_cc" >/dev/null ||
			die "$EX_ENV" "$musl_cc not found (musl-dev:i386 and musl-tools; or set MUSL_CC32)"
	else
		musl_cc=${MUSL_CC:-musl-gcc}
		command -v "$musl_cc" >/dev/null || die "$EX_ENV" "$musl_cc not found (musl-tools; or set MUSL_CC)"
	fi
	busybox=""
	if [ "$shell" -eq 1 ]; then
		busybox=${BUSYBOX:-/bin/busybox}
		[ -x "$busybox" ] ||
			die "$EX_ENV" "--shell: no $busybox (apt-get install busybox-static; or set BUSYBOX)"
		! readelf -lW "$busybox" 2>/dev/null | grep -q 'program interpreter' ||
			die "$EX_ENV" "--shell: $busybox is dynamically linked (busybox-static has the static one)"
	fi

	# Default test list: every executable but the interpreter the tests use.
	if [ ${#tests[@]} -eq 0 ] && [ -n "$selftests_dir" ]; then
		for f in "$selftests_dir"/*; do
			if [ ! -f "$f" ] || [ ! -x "$f" ]; then
				continue
			fi
			case ${f##*/} in
			interp_stub|*.so|*_dyn) ;;	# helpers the tests exec or load
			*) tests+=("${f##*/}") ;;
			esac
		done
	fi
	for t in ${expect_fail[@]+"${expect_fail[@]}"}; do
		case " ${tests[*]+${tests[*]}} " in
		*" $t "*) ;;
		*) die_usage "--expect-fail $t: no such test in this run" ;;
		esac
	done
}
