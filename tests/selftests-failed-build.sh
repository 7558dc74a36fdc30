#!/bin/bash
# tests/selftests.sh on a host whose "gcc -m32" cannot build (no 32-bit
# headers or libraries, as on a fresh Debian 12): it says that the host
# build failed, and judges the binaries of the builds that succeeded only,
# instead of calling the failed build's leftovers "not what their names
# say".  A gcc wrapper first in PATH refuses -m32.  TAP 13; exit 0 pass,
# 1 fail, 4 skip.
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

tap_require_tools gcc musl-gcc i386-linux-musl-gcc make
tap_workdir selftests-failed-build
mkdir "$work/bin"
cat >"$work/bin/gcc" <<EOF2
#!/bin/bash
for a in "\$@"; do
	if [ "\$a" = -m32 ]; then
		echo "fatal error: asm/errno.h: No such file or directory (test: no 32-bit headers)" >&2
		exit 1
	fi
done
exec $(command -v gcc) "\$@"
EOF2
chmod +x "$work/bin/gcc"

rc=0
PATH="$work/bin:$PATH" SELFTESTS_BUILDS_ONLY=1 bash "$here/selftests.sh" >"$work/out" 2>&1 || rc=$?
tap_result "$([ "$rc" = 1 ]; echo $?)" "selftests.sh fails (exit $rc) when the host's 32-bit build cannot be done" "$work/out"
tap_result "$(grep -qE '^not ok [0-9]+ - host glibc build' "$work/out"; echo $?)" \
	"it says the host glibc build failed" "$work/out"
tap_result "$(! grep -q 'not what their names say' "$work/out"; echo $?)" \
	"it does not call the failed build's leftovers wrong binaries" "$work/out"
tap_result "$(grep -qE '^ok [0-9]+ - binaries \( musl \)' "$work/out"; echo $?)" \
	"the musl build's binaries are still checked" "$work/out"
tap_done
