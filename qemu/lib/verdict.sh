# The verdict of a run and the files that record it: exit code and reason,
# results.tsv, summary, and the closing lines.  Sourced by qemu/run-qemu,
# never run.
# shellcheck shell=bash
# Variables are shared with the other parts of qemu/run-qemu:
# shellcheck disable=SC2034,SC2154

seconds_between() {	# start end (microseconds)
	local us=$(( $2 - $1 ))
	printf '%d.%02d' $((us / 1000000)) $(( (us % 1000000) / 10000 ))
}

# judge: exit_code, reason and failures from what the guest and qemu did.
judge() {
	local splat name

	exit_code=$EX_OK
	reason="all tests passed"
	failures=()

	# Splats first: they explain whatever else went wrong.
	splat=$(grep -aE -m1 "$splat_pattern" "$out_dir/console.log" | tr -d '\r' || true)
	if [ -n "$splat" ]; then
		exit_code=$EX_CRASH
		case $splat in
		*"Kernel panic"*) reason="kernel panic: ${splat#*] }" ;;
		*) reason="kernel oops/BUG/WARNING in the console log: ${splat#*] }" ;;
		esac
		if [ "$stopped_after_splat" -eq 1 ]; then
			reason="$reason; then no progress for 30 s: qemu stopped"
			[ -z "$running" ] || reason="$reason ('$running' was running)"
		elif [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; then
			reason="$reason; then no verdict within ${timeout_s}s"
			[ -z "$running" ] || reason="$reason ('$running' was running)"
		fi
	elif [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; then
		exit_code=$EX_TIMEOUT
		if [ -n "$t_verdict" ]; then
			reason="hang: the guest reported but did not power off within ${timeout_s}s"
		elif [ -n "$running" ]; then
			reason="hang: no verdict within ${timeout_s}s; '$running' was running"
		elif [ -n "$init_uptime" ]; then
			reason="hang: no verdict within ${timeout_s}s; init started, no step running"
		else
			reason="hang: no verdict within ${timeout_s}s; init never started (see console.log)"
		fi
	elif [ -z "$t_verdict" ]; then
		exit_code=$EX_NOREPORT
		if [ "$qemu_rc" != 0 ]; then
			reason="qemu exited with status $qemu_rc: $(tail -n 3 "$out_dir/qemu.stderr" | tr '\n' ' ')"
		elif [ -n "$running" ]; then
			reason="the guest stopped without a verdict while '$running' was running"
		elif [ -n "$init_uptime" ]; then
			reason="the guest stopped without a verdict after init started"
		elif grep -qa 'execfix-init: open /dev/ttyS1' "$out_dir/console.log"; then
			reason="the guest could not open its results port ttyS1 (needs a second 8250 UART): $(grep -a -m1 'execfix-init: open /dev/ttyS1' "$out_dir/console.log" | tr -d '\r')"
		else
			reason="the guest stopped before init reported (see console.log)"
		fi
	fi

	for name in ${plan_names[@]+"${plan_names[@]}"}; do
		case ${result_verdict[$name]:-} in
		fail) failures+=("FAIL: $name (exit ${result_exit[$name]})") ;;
		xpass) failures+=("XPASS: $name was expected to fail, but passed") ;;
		'') [ "$exit_code" -ne 0 ] || failures+=("MISSING: no result for $name") ;;
		esac
	done
	if [ "$exit_code" -eq 0 ] && [ -n "$plan_count" ] &&
	   [ "$plan_count" != "${#plan_names[@]}" ]; then
		failures+=("PLAN: the guest planned $plan_count steps, the runner ${#plan_names[@]}")
	fi
	if [ "$exit_code" -eq 0 ] && [ ${#failures[@]} -gt 0 ]; then
		exit_code=$EX_FAIL
		reason="${#failures[@]} failed: ${failures[*]}"
	fi
}

# write_results_tsv: what ran, and what did not.
write_results_tsv() {
	local name

	printf 'test\texit\tverdict\tseconds\n'
	for name in ${plan_names[@]+"${plan_names[@]}"}; do
		if [ -n "${result_verdict[$name]:-}" ]; then
			printf '%s\t%s\t%s\t%s\n' "$name" "${result_exit[$name]}" \
				"${result_verdict[$name]}" "${result_time[$name]}"
		elif [ "$name" = "$running" ] && [ "$exit_code" -eq "$EX_TIMEOUT" ]; then
			printf '%s\t-\thang\t-\n' "$name"
		else
			printf '%s\t-\tnot-run\t-\n' "$name"
		fi
	done
}

# write_summary: key=value lines; sets the *_s timings print_report uses.
write_summary() {
	init_seen_s=""
	[ -z "$t_init_seen" ] || init_seen_s=$(seconds_between "$t_qemu_start" "$t_init_seen")
	verdict_s=""
	[ -z "$t_verdict" ] || verdict_s=$(seconds_between "$t_qemu_start" "$t_verdict")
	qemu_s=$(seconds_between "$t_qemu_start" "$t_qemu_exit")
	total_s=$(seconds_between "$t_runner_start" "$(now_us)")
	build_s=$(seconds_between "$t_runner_start" "$t_initramfs_done")
	{
		echo "exit=$exit_code"
		echo "reason=$reason"
		echo "kernel=$kernel"
		echo "accel=$accel"
		echo "arch=$arch"
		echo "boot_to_init_s=$init_uptime"
		echo "init_seen_s=$init_seen_s"
		echo "verdict_s=$verdict_s"
		echo "qemu_s=$qemu_s"
		echo "initramfs_s=$build_s"
		echo "pvh=$([ "$boot_kernel" = "$kernel" ] && echo 0 || echo 1)"
		echo "total_s=$total_s"
	} >"$out_dir/summary"
}

# print_report: the closing lines on stdout.
print_report() {
	local f first

	[ "$stopped_after_report" -eq 0 ] ||
		echo "# $PROG: note: the guest reported but did not power off; qemu stopped"
	echo "# $PROG: timing: boot-to-init ${init_uptime:-?} s by the guest's clock," \
		"${init_seen_s:-?} s after qemu start (firmware and decompression come first);" \
		"verdict ${verdict_s:-none} s after qemu start; qemu ran $qemu_s s;" \
		"initramfs $build_s s; runner total $total_s s"
	for f in ${failures[@]+"${failures[@]}"}; do
		echo "# $PROG: $f"
	done
	if [ "$exit_code" -eq 0 ]; then
		echo "# $PROG: PASS: $reason"
		return 0
	fi
	echo "# $PROG: FAIL (exit $exit_code): $reason"
	case $exit_code in
	"$EX_CRASH")	# The splat itself, so that a deleted output directory loses nothing.
		echo "# $PROG: console from the first splat line:"
		grep -anE -m1 "$splat_pattern" "$out_dir/console.log" | cut -d: -f1 |
			while read -r first; do
				tail -n "+$first" "$out_dir/console.log" | head -n 40
			done | tr -d '\r' | sed 's/^/# console: /' ;;
	"$EX_TIMEOUT"|"$EX_NOREPORT")
		echo "# $PROG: last console lines:"
		tail -n 10 "$out_dir/console.log" | tr -d '\r' | sed 's/^/# console: /' ;;
	esac
	[ "$exit_code" -eq "$EX_FAIL" ] || echo "# $PROG: console: $out_dir/console.log"
}
