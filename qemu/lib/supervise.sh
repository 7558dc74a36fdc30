# Booting qemu and following the guest while it runs: the results port,
# the console, splats, hangs and signals.  Sourced by qemu/run-qemu, never
# run.
# shellcheck shell=bash
# Variables are shared with the other parts of qemu/run-qemu:
# shellcheck disable=SC2034,SC2154

splat_pattern='Kernel panic - not syncing|Oops: |kernel BUG at|BUG:|general protection fault|Unable to handle kernel|WARNING:'

# kernel_without_acpi: the kernel's System.map (NAME.System.map or
# System.map beside it, as vendor-proof leaves them) says it was built
# without ACPI; no map found: not known, false.
kernel_without_acpi() {
	local map

	for map in "${kernel%.bzImage}.System.map" "$(dirname "$kernel")/System.map"; do
		[ -f "$map" ] || continue
		! grep -q ' acpi_os_initialize$' "$map"
		return
	done
	return 1
}

# qemu_command: the qemu arguments for this run, in qemu_args.
qemu_command() {
	local accel_opt monitor_opt

	# no_timer_check: on a loaded host TCG can miss the timer interrupts
	# the IO-APIC check counts, and the kernel panics "IO-APIC + timer
	# doesn't work" (seen on 2.6.32-431 and Debian 6.1 guests at load 15).
	cmdline="console=ttyS0 panic=-1 rdinit=/init no_timer_check"
	[ "$stress" -eq 0 ] || cmdline="$cmdline execfix.stress=$stress"
	# A kernel without ACPI has no PM timer to calibrate the TSC against;
	# under TCG on a loaded host the PIT alone fails, cpu_khz stays 0 and
	# setup_local_APIC() WARNs (proof/config/allno.config): its local APIC
	# stays off, whoever boots it.
	# shellcheck disable=SC2310  # no map is an answer
	if kernel_without_acpi; then
		cmdline="$cmdline nolapic"
	fi
	cmdline="$cmdline${append}"

	# Multi-threaded TCG only where it was measured safe (--tcg-thread
	# auto, resolve_tcg_thread): QEMU 7.2's multi-threaded TCG keeps a
	# translated block of kernel text that another vCPU has just patched
	# back.  2.6.32 arms and disarms a kprobe with a 1-byte text_poke(); a
	# vCPU that still runs the int3 of a disarmed probe gets "not my
	# breakpoint, retry at addr" from kprobe_handler(), forever: a soft
	# lockup at the probe address while guest memory (monitor x and xp)
	# holds the original byte; rewriting that same byte through the
	# gdbstub (which invalidates the translations of that address) freed
	# the vCPU at once.  docs/design.md, "SMP safety", has the runs.
	accel_opt=$accel
	[ "$accel" != tcg ] || accel_opt="tcg,thread=$tcg_thread"
	monitor_opt=none
	[ -z "$monitor" ] || monitor_opt="unix:$monitor,server=on,wait=off"
	qemu_args=(-accel "$accel_opt" -m "$mem_mb" -smp "$smp"
		-nodefaults -display none -monitor "$monitor_opt" -no-reboot
		-kernel "$boot_kernel" -initrd "$out_dir/initramfs.cpio"
		-append "$cmdline")
	if [ "$shell" -eq 1 ]; then
		# The console on this terminal, and in console.log as always.
		qemu_args+=(-chardev "stdio,id=console,signal=off,logfile=$out_dir/console.log"
			-serial chardev:console)
	else
		qemu_args+=(-serial "file:$out_dir/console.log")
	fi
	qemu_args+=(-serial "file:$out_dir/results.tap")
	[ "$accel" = tcg ] || qemu_args+=(-cpu host)
	[ "$icount" = 0 ] || qemu_args+=(-icount "shift=0,sleep=off")
}

qemu_pid=""
stop_qemu() {
	if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then
		kill -TERM "$qemu_pid" 2>/dev/null || true
		wait "$qemu_pid" 2>/dev/null || true
	fi
	qemu_pid=""
}

# on_signal NAME NUMBER: stop qemu, exit 128+NUMBER.
# shellcheck disable=SC2317 # called by trap
on_signal() {
	trap - INT TERM HUP
	stop_qemu
	echo "# $PROG: interrupted (SIG$1); qemu stopped" >&2
	exit $((EX_SIGNAL + $2))
}

# start_qemu: qemu in the background; qemu_pid is the timeout process.
start_qemu() {
	trap stop_qemu EXIT
	trap 'on_signal INT 2' INT
	trap 'on_signal TERM 15' TERM
	trap 'on_signal HUP 1' HUP

	: >"$out_dir/results.tap"
	: >"$out_dir/console.log"
	echo "# $PROG: $(basename "$kernel")$([ "$boot_kernel" = "$kernel" ] || echo " (PVH entry)"), accel $accel$([ "$accel" != tcg ] || echo " (thread=$tcg_thread${tcg_thread_why:+, $tcg_thread_why})") -smp $smp$([ "$arch" = x86_64 ] || echo " --arch $arch"), timeout ${timeout_s}s, output in $out_dir"
	t_qemu_start=$(now_us)
	if [ "$shell" -eq 1 ]; then
		# --foreground: qemu stays in the terminal's process group, so it
		# can read it (the shell's input); "<&0" keeps this script's stdin
		# (a background job gets /dev/null otherwise).
		timeout --foreground --kill-after=5 "$timeout_s" \
			qemu-system-x86_64 "${qemu_args[@]}" <&0 2>"$out_dir/qemu.stderr" &
	else
		# timeout makes its own process group: ^C reaches us, and we stop
		# it, which stops qemu; if we die uncleanly, timeout still ends qemu
		# in time.
		timeout --kill-after=5 "$timeout_s" qemu-system-x86_64 "${qemu_args[@]}" \
			</dev/null >"$out_dir/qemu.stderr" 2>&1 &
	fi
	qemu_pid=$!
	echo "$qemu_pid" >"$out_dir/qemu.pid"
}

# pump() sets these through printf -v.
# shellcheck disable=SC2034
partial_results="" partial_console=""
init_uptime=""
t_init_seen=""
t_verdict=""
running=""
plan_count=""
t_splat=""
declare -A result_exit=() result_verdict=() result_time=()

handle_result_line() {
	# 2.6.32's 8250 driver puts a stray 0xff on the port when it sets it up.
	local line=${1//[!$'\t'' '-~]/} name rest
	printf '%s\n' "$line"
	t_progress=${EPOCHREALTIME//[.,]/}
	case $line in
	"# execfix-init: start uptime="*)
		init_uptime=${line#*uptime=}
		t_init_seen=$(now_us) ;;
	"# run: "*)
		running=${line#"# run: "} ;;
	"# result: "*)
		rest=${line#"# result: "}
		name=${rest%% *}
		rest=" ${rest#* } "
		[[ $rest =~ \ exit=([^ ]*) ]] && result_exit[$name]=${BASH_REMATCH[1]}
		[[ $rest =~ \ verdict=([^ ]*) ]] && result_verdict[$name]=${BASH_REMATCH[1]}
		[[ $rest =~ \ time=([^ ]*) ]] && result_time[$name]=${BASH_REMATCH[1]}
		running="" ;;
	"1.."*)
		plan_count=${line#1..} ;;
	"# execfix-init: done"*)
		t_verdict=$(now_us) ;;
	esac
}

# shellcheck disable=SC2317 # called by pump
handle_console_line() {
	# With --shell the console is on the terminal already.
	[ "$show_console" -eq 0 ] || [ "$shell" -eq 1 ] || printf '%s\n' "$1" >&2
	if [ -z "$t_splat" ] && [[ $1 =~ $splat_pattern ]]; then
		t_splat=${EPOCHREALTIME//[.,]/}
	fi
}

pump() {	# fd partial-var handler
	local fd=$1 var=$2 handler=$3 line
	while IFS= read -r line <&"$fd"; do
		line="${!var}$line"
		printf -v "$var" '%s' ""
		"$handler" "${line%$'\r'}"
	done
	printf -v "$var" '%s' "${!var}$line"
}

# follow_guest: read both ports until qemu ends or is stopped; sets
# qemu_rc, stopped_after_report, stopped_after_splat, t_qemu_exit.
follow_guest() {
	exec 3<"$out_dir/results.tap"
	exec 4<"$out_dir/console.log"
	qemu_rc=""
	stopped_after_report=0
	stopped_after_splat=0
	t_progress=$(now_us)
	while :; do
		pump 3 partial_results handle_result_line
		pump 4 partial_console handle_console_line
		if ! kill -0 "$qemu_pid" 2>/dev/null; then
			qemu_rc=0
			wait "$qemu_pid" || qemu_rc=$?
			qemu_pid=""
			break
		fi
		# Reported but not powered off: don't wait for the timeout (a
		# --shell guest stays up on purpose).
		if [ "$shell" -eq 0 ] && [ -n "$t_verdict" ] &&
		   [ "$(( $(now_us) - t_verdict ))" -gt 15000000 ]; then
			stopped_after_report=1
			stop_qemu
			qemu_rc=0
			break
		fi
		# A splat, then no report for 30 s: a wedged kernel will not
		# recover, so don't wait for the timeout (the splat decides the
		# verdict).
		if [ "$shell" -eq 0 ] && [ -n "$t_splat" ] && [ -z "$t_verdict" ] &&
		   [ "$(( $(now_us) - (t_splat > t_progress ? t_splat : t_progress) ))" -gt 30000000 ]; then
			stopped_after_splat=1
			stop_qemu
			qemu_rc=0
			break
		fi
		sleep 0.1
	done
	t_qemu_exit=$(now_us)
	pump 3 partial_results handle_result_line
	pump 4 partial_console handle_console_line
	[ -z "$partial_results" ] || handle_result_line "$partial_results"
	exec 3<&- 4<&-
}
