#!/bin/bash
# tests/smp-stress.sh: module/testing/host/smp-stress and run-qemu's SMP options
# refuse bad input before any boot (exit EX_USAGE, saying what is wrong),
# run-qemu's --tcg-thread auto gives QEMU the threading its rule says (a fake
# qemu-system-x86_64 records its arguments), and smp-stress's --help carries
# the exit codes of scripts/lib/exit-codes.sh.
# The boots themselves (minutes each, a 2.6.32 vendor-proof kernel) are not
# run here: docs/design.md, "SMP safety under QEMU", has their figures.
# TAP 13; exit 0 pass, 1 fail.
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

stress=$repo/module/testing/host/smp-stress
tap_workdir smp-stress

# refused NAME WANT_TEXT COMMAND...: exit EX_USAGE and WANT_TEXT in the output.
refused() {
	local name=$1 want=$2 rc=0
	shift 2
	"$@" >"$work/out" 2>&1 || rc=$?
	if [ "$rc" -eq "$EX_USAGE" ] && grep -qF -- "$want" "$work/out"; then
		tap_result 0 "$name: exit $EX_USAGE, says '$want'"
	else
		echo "exit $rc" >>"$work/out"
		tap_result 1 "$name: exit $EX_USAGE, says '$want'" "$work/out"
	fi
}

: >"$work/bzImage"
mkdir -p "$work/stage"
printf '#!/bin/sh\n' >"$work/stage/module_stress"
chmod +x "$work/stage/module_stress"
: >"$work/stage/execfix.ko"
ok=(--kernel "$work/bzImage" --stage "$work/stage" --modules execfix.ko)

refused "no kernel" "--kernel IMAGE" "$stress" --stage "$work/stage"
refused "no staged module_stress" "no module_stress" \
	"$stress" --kernel "$work/bzImage" --stage "$work"
refused "module not staged" "not in $work/stage" \
	"$stress" "${ok[@]:0:4}" --modules execfix_live.ko
refused "bad --tcg-thread" "--tcg-thread single|multi" \
	"$stress" "${ok[@]}" --tcg-thread many
refused "bad --kprobes-opt" "--kprobes-opt 0|1" "$stress" "${ok[@]}" --kprobes-opt 2
refused "zero runs" "not a number > 0" "$stress" "${ok[@]}" --runs 0
refused "run-qemu: bad --tcg-thread" "--tcg-thread must be single, multi or auto" \
	"$repo/qemu/run-qemu" --kernel "$work/bzImage" --tcg-thread many
refused "run-qemu: --tcg-thread multi with --icount" "--icount needs single-threaded TCG" \
	"$repo/qemu/run-qemu" --kernel "$work/bzImage" --tcg-thread multi --icount
refused "run-qemu: --monitor with a comma" "--monitor: a socket path without commas" \
	"$repo/qemu/run-qemu" --kernel "$work/bzImage" --monitor "$work/a,b"

# A qemu-system-x86_64 that says FAKE_QEMU_VERSION and records the -accel
# value it was started with, then stops (the run itself then fails: no guest).
mkdir -p "$work/fakeqemu"
cat >"$work/fakeqemu/qemu-system-x86_64" <<EOF
#!/bin/sh
if [ "\$1" = --version ]; then
	echo "QEMU emulator version \$FAKE_QEMU_VERSION (fake)"
	exit 0
fi
while [ \$# -gt 0 ]; do
	[ "\$1" != -accel ] || echo "\$2" >"$work/accel"
	shift
done
EOF
chmod +x "$work/fakeqemu/qemu-system-x86_64"

# threading VERSION WANT RUN-QEMU-ARGS...: run-qemu under a QEMU of VERSION
# starts it with -accel WANT.
threading() {
	local version=$1 want=$2 name
	shift 2
	name="run-qemu $* under QEMU $version: -accel $want"
	rm -f "$work/accel"
	FAKE_QEMU_VERSION=$version PATH="$work/fakeqemu:$PATH" "$repo/qemu/run-qemu" \
		--kernel "$work/bzImage" --out "$work/run" --timeout 30 "$@" >"$work/out" 2>&1 || true
	if [ "$(cat "$work/accel" 2>/dev/null)" = "$want" ]; then
		tap_result 0 "$name"
	else
		echo "-accel given: $(cat "$work/accel" 2>/dev/null || echo none)" >>"$work/out"
		tap_result 1 "$name" "$work/out"
	fi
}
threading 10.0.2 tcg,thread=multi --smp 2
threading 10.0.2 tcg,thread=multi --smp 4
threading 7.2.0 tcg,thread=single --smp 4
threading 10.0.2 tcg,thread=single --smp 1
threading 10.0.2 tcg,thread=single --smp 2 --icount
threading 7.2.0 tcg,thread=multi --smp 2 --tcg-thread multi
threading 10.0.2 tcg,thread=single --smp 2 --tcg-thread single

refused "qemu-backports: two directories" "Usage: qemu-backports" \
	"$repo/scripts/qemu-backports" "$work/a" "$work/b"

# qemu-backports where apt knows no bookworm-backports: exit EX_ENV with the
# lines that add it, and nothing written (a fake apt-cache that knows only
# bookworm).
mkdir -p "$work/fakebin"
printf '#!/bin/sh\necho " qemu-system-x86 | 1:7.2+dfsg-7 | http://deb.debian.org/debian bookworm/main amd64 Packages"\n' \
	>"$work/fakebin/apt-cache"
chmod +x "$work/fakebin/apt-cache"
rc=0
PATH="$work/fakebin:$PATH" "$repo/scripts/qemu-backports" "$work/qb" >"$work/out" 2>&1 || rc=$?
if [ "$rc" -eq "$EX_ENV" ] && grep -q 'Suites: bookworm-backports' "$work/out" && [ ! -e "$work/qb" ]; then
	tap_result 0 "qemu-backports without bookworm-backports in apt: exit $EX_ENV, says how to add it, writes nothing"
else
	echo "exit $rc" >>"$work/out"
	tap_result 1 "qemu-backports without bookworm-backports in apt: exit $EX_ENV, says how to add it, writes nothing" "$work/out"
fi

rc=0
"$stress" --help >"$work/help" 2>&1 || rc=$?
{ exit_codes_help EX_OK EX_FAIL EX_USAGE EX_ENV EX_SIGNAL; } >"$work/want"
if [ "$rc" -eq 0 ] && grep -qFf "$work/want" "$work/help" &&
   [ "$(grep -cFxf "$work/want" "$work/help")" -eq "$(wc -l <"$work/want")" ]; then
	tap_result 0 "--help: exit 0, the exit-code rows of scripts/lib/exit-codes.sh"
else
	tap_result 1 "--help: exit 0, the exit-code rows of scripts/lib/exit-codes.sh" "$work/help"
fi

tap_done
