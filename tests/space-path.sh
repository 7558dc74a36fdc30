#!/bin/bash
# A checkout whose path has a space ("/tmp/my kernels/el6-execfix") is
# refused at once, with one message and exit 2, as kbuild refuses one: by
# the top Makefile (make run, make check, make module, and .ci/run, which
# runs make check), by selftests/Makefile (its directory, or an OUTPUT with
# a space), and through measure/measure.mk by tools/execfix-check/Makefile
# (or an OUTPUT) and selftests/module/Makefile (or a GUEST_OUT).  Nothing
# runs first: a scripts/install-deps that leaves a mark
# stands in for the real one.  The same files in a path without a space
# are accepted.  TAP 13; exit 0 pass, 1 fail.
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

tap_workdir space-path

# checkout DIR: the files that decide, and a stand-in install-deps.
checkout() {
	mkdir -p "$1/selftests/module" "$1/scripts" "$1/.ci" "$1/measure" \
		"$1/tools/execfix-check"
	cp "$repo/Makefile" "$1/"
	cp "$repo/selftests/Makefile" "$1/selftests/"
	cp "$repo/selftests/module/Makefile" "$1/selftests/module/"
	cp "$repo/measure/measure.mk" "$1/measure/"
	cp "$repo/tools/execfix-check/Makefile" "$1/tools/execfix-check/"
	cp "$repo/.ci/run" "$1/.ci/"
	printf '#!/bin/sh\ntouch "%s/ran"\n' "$work" >"$1/scripts/install-deps"
	chmod +x "$1/scripts/install-deps"
}
spaced="$work/my kernels/el6-execfix"
checkout "$spaced"
checkout "$work/plain"

msg='el6-execfix cannot work in a path with a space'
# refused DESC DIR COMMAND...: COMMAND run in DIR exits 2 with the message
# and runs nothing.
refused() {
	local desc=$1 dir=$2 rc=0
	shift 2
	rm -f "$work/ran"
	(cd "$dir" && "$@") >"$work/out" 2>&1 || rc=$?
	tap_result "$([ "$rc" = 2 ] && grep -qF "$msg" "$work/out" && [ "$(grep -c "$msg" "$work/out")" = 1 ] &&
		[ ! -e "$work/ran" ]; echo $?)" "$desc: exit 2 ($rc), one message, nothing run" "$work/out"
}
refused "make run under '$spaced'" "$spaced" make run
refused "make check under '$spaced'" "$spaced" make check
refused "make module under '$spaced'" "$spaced" make module
refused ".ci/run under '$spaced'" "$spaced" .ci/run
refused "make -C selftests under '$spaced'" "$spaced" make -C selftests
refused "make -C selftests OUTPUT='$work/a b'" "$work/plain" make -C selftests OUTPUT="$work/a b"
refused "make BUILD='$work/a b' selftests" "$work/plain" make BUILD="$work/a b" selftests
refused "make -C tools/execfix-check under '$spaced'" "$spaced" make -C tools/execfix-check
refused "make -C tools/execfix-check OUTPUT='$work/a b'" "$work/plain" make -C tools/execfix-check OUTPUT="$work/a b"
refused "make -C selftests/module under '$spaced'" "$spaced" make -C selftests/module
refused "make -C selftests/module GUEST_OUT='$work/a b'" "$work/plain" make -C selftests/module GUEST_OUT="$work/a b"

# The check must not refuse a plain path.
rc=0
(cd "$work/plain" && make help) >"$work/out" 2>&1 || rc=$?
tap_result "$([ "$rc" = 0 ] && ! grep -qF "$msg" "$work/out"; echo $?)" \
	"make help in a path without a space: exit 0 ($rc)" "$work/out"
# accepted DIR: make -n in the repository's DIR (no space in its path), its
# output directory in $work, gets past measure.mk's check.
accepted() {
	local dir=$1 var=$2 rc=0
	make -n -C "$repo/$dir" "$var=$work/out" >"$work/out" 2>&1 || rc=$?
	tap_result "$([ "$rc" = 0 ] && ! grep -qF "$msg" "$work/out"; echo $?)" \
		"make -n -C $dir $var=DIR in a path without a space: exit 0 ($rc)" "$work/out"
}
accepted tools/execfix-check OUTPUT
accepted selftests/module GUEST_OUT
tap_done
