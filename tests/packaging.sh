#!/bin/bash
# The packages of packaging/ and the kselftest install of selftests/:
#  - packaging/stage-sources ships what module/Kbuild builds, nothing else;
#  - "make rpm KDIR=<Debian's 6.1 headers>": rpm -qpl lists execfix.ko and
#    execfix_live.ko under /lib/modules/<kver>/extra/execfix/, %post/%postun
#    run depmod, it requires its kernel; a bad KDIR is refused (exit 2) and a
#    package whose execfix_live.ko has another vermagic (exit 3), with
#    nothing written;
#  - dkms add/build/install/remove against the 6.1 headers, in temporary
#    dkms, source and install trees (the host's /var/lib/dkms, /usr/src and
#    /lib/modules are left as they were);
#  - "make -C selftests install": the kselftest layout, whose
#    run_kselftest.sh prints TAP here under dash and bash; gen_tar's tarball
#    unpacks and runs; run_kselftest.sh uses nothing CentOS 6 lacks.
# Env: KDIR_DEB  kernel headers for the rpm/dkms checks (default: the newest
#                /usr/src/linux-headers-* with a utsrelease.h: debian_kdir)
#      KDIR_EL6  a 2.6.32 build directory: make rpm against it too
#      KDIR_EL6_I686  a 32-bit 2.6.32 build directory (vendor-proof --arch
#                i386's work/build): make rpm gives an i686 package whose
#                modules are ELF32 with that kernel's vermagic
# TAP on stdout; exit 0 pass, 1 fail, 4 a part was skipped (a tool or the
# headers are missing: the SKIP lines say which) and nothing failed.
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

# shellcheck source=scripts/lib/debian.sh
. "$repo/scripts/lib/debian.sh"
# shellcheck source=scripts/lib/modsrc.sh
. "$repo/scripts/lib/modsrc.sh"

tap_workdir execfix-packaging
export EXECFIX_LEAK_EXECS=${EXECFIX_LEAK_EXECS:-500}

# ---- the source release -------------------------------------------------------

# not_shipped LIST: the lines of a file list that no package may hold.
not_shipped() {
	grep -E '\.(o|ko|mod|mod\.c|cmd)$|execfix_features\.h|/guest/|/testing/|bench\.sh' "$1" || true
}
staged=$("$repo/packaging/stage-sources" "$work/stage" 2>"$work/stage.log") || staged=""
if [ -n "$staged" ]; then
	(cd "$staged" && find . -type f | sort) >"$work/staged.txt"
	bad=$(not_shipped "$work/staged.txt")
	ok=0
	[ -z "$bad" ] || ok=1
	# The check can fail: modsrc_stage alone (the test-only build) brings
	# module/testing/kmod/'s hook and noise modules.
	modsrc_stage "$repo/module" "$work/all"
	(cd "$work/all" && find . -type f | sort) >"$work/all.txt"
	for f in execfix_hook execfix_noise; do
		grep -q "^\./testing/kmod/$f\.c\$" "$work/all.txt" || ok=1
	done
	all_bad=$(not_shipped "$work/all.txt")
	[ -n "$all_bad" ] || ok=1
	for f in ./Kbuild ./Kbuild.flags ./dkms.conf ./LICENSE ./gen-features.sh ./execfix_main.c; do
		grep -qx "$f" "$work/staged.txt" || ok=1
	done
	tap_result $ok "stage-sources: $(wc -l <"$work/staged.txt") files, what module/Kbuild builds from, no build product, no guest program, no module/testing/ (which the check finds in modsrc_stage's full list)" "$work/staged.txt"
else
	tap_result 1 "stage-sources" "$work/stage.log"
fi

# ---- kmod RPM -------------------------------------------------------------------

kdir=${KDIR_DEB:-$(debian_kdir)}
kver=""
[ -z "$kdir" ] || kver=$(debian_release "$kdir")

# rpm_checks KDIR KVER [ARCH]: "make rpm" against KDIR, and what its
# package (ARCH: x86_64, or i686 for a 32-bit kernel) holds
rpm_checks() {
	local kdir=$1 kver=$2 arch=${3:-x86_64} rc=0 ok rpmfile kos kver_evr
	local w=$work/rpm-$tap_count
	mkdir -p "$w"
	make -s -C "$repo" rpm KDIR="$kdir" BUILD="$w/build" >"$w/rpm.log" 2>&1 || rc=$?
	rpmfile=$(find "$w/build/rpm" -name "kmod-execfix-*.$arch.rpm" 2>/dev/null | head -n 1)
	if [ $rc != 0 ] || [ -z "$rpmfile" ]; then
		tap_result 1 "make rpm KDIR=$kdir (exit $rc)" "$w/rpm.log"
		return 0
	fi
	echo "# ${rpmfile##*/}"
	rpm -qpl "$rpmfile" >"$w/qpl.txt" 2>&1
	sed 's/^/#   /' "$w/qpl.txt"
	kos=$(grep -c '\.ko$' "$w/qpl.txt" || true)
	ok=0
	[ "$kos" = 2 ] && grep -qx "/lib/modules/$kver/extra/execfix/execfix.ko" "$w/qpl.txt" &&
		grep -qx "/lib/modules/$kver/extra/execfix/execfix_live.ko" "$w/qpl.txt" || ok=1
	tap_result $ok "make rpm ($kver): rpm -qpl lists execfix.ko and execfix_live.ko under /lib/modules/$kver/extra/execfix/, nothing else" "$w/qpl.txt"

	rpm -qp --scripts "$rpmfile" >"$w/scripts.txt" 2>&1
	ok=0
	grep -A1 '^postinstall scriptlet' "$w/scripts.txt" | grep -q "depmod -a $kver" || ok=1
	grep -A1 '^postuninstall scriptlet' "$w/scripts.txt" | grep -q "depmod -a $kver" || ok=1
	tap_result $ok "make rpm ($kver): %post and %postun run depmod -a $kver" "$w/scripts.txt"

	{ rpm -qp --queryformat '%{NAME}\n' "$rpmfile"; rpm -qpR "$rpmfile"; } >"$w/req.txt" 2>&1
	ok=0
	grep -qx 'kmod-execfix' "$w/req.txt" || ok=1
	# rpm versions have one '-': 6.1.0-57-amd64 is required as 6.1.0-57_amd64
	kver_evr=${kver%%-*}
	[ "$kver_evr" = "$kver" ] || kver_evr=$kver_evr-$(echo "${kver#*-}" | tr - _)
	grep -qx "kernel-uname-r = $kver_evr" "$w/req.txt" || ok=1
	tap_result $ok "make rpm ($kver): package kmod-execfix requires kernel-uname-r = $kver_evr" "$w/req.txt"
	[ "$arch" = i686 ] || return 0
	# i686: the modules are i386 ones, with the 32-bit kernel's vermagic
	mkdir -p "$w/unpacked"
	(cd "$w/unpacked" && rpm2cpio "$rpmfile" | cpio -idm --quiet)
	ok=0
	for m in execfix execfix_live; do
		f=$w/unpacked/lib/modules/$kver/extra/execfix/$m.ko
		{ readelf -h "$f" | grep Class; modinfo -F vermagic "$f"; } >>"$w/ko.txt" 2>&1 || ok=1
		readelf -h "$f" 2>/dev/null | grep -q 'Class:[[:space:]]*ELF32' || ok=1
		[ "$(modinfo -F vermagic "$f" 2>/dev/null | cut -d' ' -f1)" = "$kver" ] || ok=1
	done
	tap_result $ok "make rpm ($kver, i686): ${rpmfile##*/}: execfix.ko and execfix_live.ko are ELF32 with vermagic $kver" "$w/ko.txt"
}

# wrong_vermagic_check KDIR KVER MODULE: build-kmod-rpm refuses (exit 3,
# nothing in --out) a package whose MODULE.ko has another vermagic.  The
# rpm2cpio it runs is a wrapper that unpacks the real package, changes the
# last character of that module's vermagic (same length) and packs it again.
wrong_vermagic_check() {
	local kdir=$1 kver=$2 m=$3 rc=0 ok=0 real
	local w=$work/vermagic-$m
	real=$(command -v rpm2cpio)
	mkdir -p "$w/bin"
	cat >"$w/bin/rpm2cpio" <<EOS
#!/bin/bash
set -eu
d=\$(mktemp -d "$w/cpio.XXXXXX")
"$real" "\$1" | (cd "\$d" && cpio -idm --quiet)
perl -0777 -pi -e 's/vermagic=\Q$kver\E /vermagic=${kver%?}X /' "\$d/lib/modules/$kver/extra/execfix/$m.ko"
(cd "\$d" && find . | cpio -o -H newc --quiet)
EOS
	chmod +x "$w/bin/rpm2cpio"
	PATH="$w/bin:$PATH" "$repo/packaging/rpm/build-kmod-rpm" --out "$w/out" "$kdir" >"$w/log" 2>&1 || rc=$?
	[ "$rc" = 3 ] && grep -q "packaged $m.ko has vermagic '${kver%?}X " "$w/log" && [ ! -e "$w/out" ] || ok=1
	tap_result $ok "build-kmod-rpm refuses a package whose $m.ko has another vermagic: exit 3 (got $rc), no output" "$w/log"
}

if [ -z "$kver" ]; then
	tap_skip "make rpm: no kernel headers (install linux-headers-amd64: scripts/install-deps, or set KDIR_DEB)"
	tap_skip "dkms: no kernel headers"
elif ! command -v rpmbuild >/dev/null 2>&1; then
	tap_skip "make rpm: rpmbuild not installed (Debian package rpm: scripts/install-deps)"
else
	rpm_checks "$kdir" "$kver"
	wrong_vermagic_check "$kdir" "$kver" execfix_live
	# A 2.6.32 build directory too, when one is given (as tests/module.sh).
	if [ -n "${KDIR_EL6:-}" ]; then
		kver_el6=$(debian_release "$KDIR_EL6")
		rpm_checks "$KDIR_EL6" "${kver_el6:-unknown}"
	fi
	# ... and a 32-bit one: an i686 package
	if [ -n "${KDIR_EL6_I686:-}" ]; then
		kver_i686=$(debian_release "$KDIR_EL6_I686")
		rpm_checks "$KDIR_EL6_I686" "${kver_i686:-unknown}" i686
	fi

	# A refusal writes nothing.
	mkdir -p "$work/notkdir"
	rc=0
	"$repo/packaging/rpm/build-kmod-rpm" --out "$work/refused" "$work/notkdir" >"$work/refuse.log" 2>&1 || rc=$?
	ok=0
	[ $rc = 2 ] && [ ! -e "$work/refused" ] || ok=1
	tap_result $ok "build-kmod-rpm refuses a directory that is not a kernel build directory: exit 2 (got $rc), no output" "$work/refuse.log"
fi

# ---- dkms -----------------------------------------------------------------------

if [ -n "$kver" ] && ! command -v dkms >/dev/null 2>&1; then
	tap_skip "dkms: not installed (Debian package dkms: scripts/install-deps)"
elif [ -n "$kver" ] && [ -z "$staged" ]; then
	tap_result 1 "dkms: nothing staged"
elif [ -n "$kver" ]; then
	# Private trees; sign_file pointing nowhere keeps dkms from creating a
	# signing key in /var/lib/dkms.
	t=$work/dkms
	mkdir -p "$t/tree" "$t/src" "$t/inst/$kver"
	trees=(--dkmstree "$t/tree" --sourcetree "$t/src" --installtree "$t/inst")
	host_before=$(ls -la /var/lib/dkms /usr/src "/lib/modules/$kver" 2>&1)
	v=${staged##*/execfix-}
	rc=0
	{
		export sign_file=/nonexistent
		dkms add "${trees[@]}" "$staged" &&
			dkms build "${trees[@]}" -m execfix -v "$v" -k "$kver" &&
			dkms install --no-depmod "${trees[@]}" -m execfix -v "$v" -k "$kver" &&
			dkms status "${trees[@]}" -m execfix
	} >"$t/log" 2>&1 || rc=$?
	installed=$(find "$t/inst/$kver" -name execfix.ko | head -n 1)
	ok=0
	[ -n "$(find "$t/inst/$kver" -name execfix_live.ko)" ] || ok=1
	[ -z "$(find "$t/inst/$kver" -name execfix_hook.ko)" ] || ok=1
	[ $rc = 0 ] && [ -n "$installed" ] &&
		grep -q "execfix/$v, $kver, x86_64: installed" "$t/log" || ok=1
	vermagic=$(modinfo -F vermagic "$installed" 2>/dev/null || true)
	[ "${vermagic%% *}" = "$kver" ] || ok=1
	tap_result $ok "dkms add/build/install -k $kver: ${installed#"$t/inst/"} (vermagic ${vermagic%% *})" "$t/log"

	rc=0
	dkms remove --no-depmod "${trees[@]}" -m execfix -v "$v" --all >"$t/remove.log" 2>&1 || rc=$?
	host_after=$(ls -la /var/lib/dkms /usr/src "/lib/modules/$kver" 2>&1)
	ok=0
	[ $rc = 0 ] && [ -z "$(find "$t/inst" -name '*.ko')" ] && [ ! -e "$t/tree/execfix" ] || ok=1
	[ "$host_before" = "$host_after" ] || ok=1
	diff <(echo "$host_before") <(echo "$host_after") >>"$t/remove.log" || true
	tap_result $ok "dkms remove: registration gone; host /var/lib/dkms, /usr/src, /lib/modules/$kver unchanged" "$t/remove.log"
fi

# ---- selftests: kselftest install, run_kselftest.sh, tarball ---------------------

if ! command -v gcc >/dev/null 2>&1; then
	tap_skip "selftests install: gcc not installed"
else
	inst=$work/kselftest
	rc=0
	make -C "$repo/selftests" OUTPUT="$work/st" INSTALL_PATH="$inst" \
		TAR_PATH="$work/execfix-selftests.tar.gz" gen_tar >"$work/install.log" 2>&1 || rc=$?
	ok=0
	[ $rc = 0 ] && [ -x "$inst/run_kselftest.sh" ] && [ -f "$inst/kselftest-list.txt" ] &&
		[ -f "$inst/execfix/settings" ] && [ -x "$inst/execfix/interp_stub" ] || ok=1
	while IFS= read -r line; do
		[ -x "$inst/execfix/${line#execfix:}" ] || { echo "listed but missing: $line" >>"$work/install.log"; ok=1; }
	done <"$inst/kselftest-list.txt"
	tap_result $ok "make -C selftests install: run_kselftest.sh, kselftest-list.txt ($(wc -l <"$inst/kselftest-list.txt") tests), execfix/ with programs and settings" "$work/install.log"

	# run_inst NAME SHELL DIR ARGS...: run DIR/run_kselftest.sh, expect TAP
	# with one result line per planned test and exit 0.
	run_inst() {
		local name=$1 sh=$2 dir=$3 rc=0 ok=0 plan results
		local log=$work/run_inst.$tap_count.log
		shift 3
		(cd / && "$sh" "$dir/run_kselftest.sh" "$@") >"$log" 2>&1 || rc=$?
		plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log")
		results=$(grep -cE '^(not )?ok [0-9]+ selftests: execfix: ' "$log" || true)
		[ $rc = 0 ] && head -n 1 "$log" | grep -qx 'TAP version 13' &&
			[ -n "$plan" ] && [ "$plan" -gt 0 ] && [ "$plan" = "$results" ] || ok=1
		tap_result $ok "$name: exit $rc, TAP plan ${plan:-none}, $results results" "$log"
	}
	if [ -x "$inst/run_kselftest.sh" ]; then
		run_inst "installed run_kselftest.sh under sh" sh "$inst"
		run_inst "installed run_kselftest.sh under bash, one test" bash "$inst" -t execfix:exec_layout_64
	else
		tap_result 1 "installed run_kselftest.sh: not installed"
	fi

	# Usage errors, the list, and a timeout of the installed runner.
	ok=0
	rc=0
	sh "$inst/run_kselftest.sh" --bogus >/dev/null 2>&1 || rc=$?
	[ $rc = 2 ] || ok=1
	[ "$(sh "$inst/run_kselftest.sh" -l 2>&1)" = "$(cat "$inst/kselftest-list.txt")" ] || ok=1
	cp -a "$inst" "$work/slow"
	printf '#!/bin/sh\nexec sleep 300\n' >"$work/slow/execfix/exec_layout_64"
	rc=0
	sh "$work/slow/run_kselftest.sh" -o 1 -t execfix:exec_layout_64 >"$work/slow.log" 2>&1 || rc=$?
	[ $rc = 1 ] && grep -q '^not ok 1 selftests: execfix: exec_layout_64 # TIMEOUT 1 seconds$' "$work/slow.log" || ok=1
	tap_result $ok "run_kselftest.sh: --bogus exits 2, -l prints the list, -o 1 kills a hanging test (TIMEOUT, exit $rc)" "$work/slow.log"

	# The tarball: one top directory, and it runs from wherever it is unpacked.
	mkdir -p "$work/unpack"
	if tar -xzf "$work/execfix-selftests.tar.gz" -C "$work/unpack" 2>"$work/tar.log" &&
		[ "$(ls "$work/unpack")" = execfix-selftests ]; then
		run_inst "tarball unpacked elsewhere: execfix-selftests/run_kselftest.sh" sh "$work/unpack/execfix-selftests"
	else
		tap_result 1 "gen_tar tarball unpacks into execfix-selftests/" "$work/tar.log"
	fi
fi

# ---- run_kselftest.sh uses nothing CentOS 6 lacks --------------------------------

# coreutils 8.4's timeout has only -s; realpath and sed -E came later; the
# shell is plain sh (POSIX, so bash 4.1, dash and busybox run it).
# centos6_problems FILE: its lines that CentOS 6 or POSIX sh cannot run
centos6_problems() {
	grep -nE 'timeout +(--foreground|--kill-after|-k|--preserve-status|-v)|\brealpath\b|sed +-E|\b(local|declare|typeset|mapfile|readarray)\b|\[\[ |\$\{[a-zA-Z_]+[,^]|<\(|==' "$1"
}
runner=$repo/selftests/run_kselftest.sh
# The check must see a --foreground that upstream's runner would use.
sed 's/timeout -s TERM/timeout --foreground -s TERM/' "$runner" >"$work/runner-fg.sh"
ok=0
# shellcheck disable=SC2310  # a grep: its status is the verdict
centos6_problems "$work/runner-fg.sh" >/dev/null || ok=1
# shellcheck disable=SC2310  # a grep: its status is the verdict
if centos6_problems "$runner" >"$work/posix.log"; then
	ok=1
fi
head -n 1 "$runner" | grep -qx '#!/bin/sh' || ok=1
tap_result "$ok" "run_kselftest.sh: #!/bin/sh, only timeout -s, no bashisms, no realpath/sed -E (CentOS 6: coreutils 8.4, bash 4.1); a --foreground copy is caught" "$work/posix.log"

tap_plan
[ "$tap_skipped" = 0 ] || { echo "# $tap_skipped of $tap_count skipped (see SKIP above)"; exit "$EX_SKIP"; }
