#!/bin/bash
# Tests of scripts/patchctl (TAP 13; exit 0 pass, 1 fail).
#
# The fixture trees are built here, at test time, from the patches
# themselves: a hunk's context and '-' lines give the pre-image, context
# and '+' lines the post-image (this parser is independent of patchctl's).
# Every refusal is checked to leave the tree byte-identical (checksums of
# every file, and the list of every path) with no .orig/.rej/temp file.
#
# KSRC_DIR=/dir/of/trees additionally runs status on every real tree in it
# (read-only) and apply/revert round trips on scratch copies of the -431
# and -71 trees found there; what each reports is printed as TAP comments.
# eval '...' is how check() takes compound conditions: expansion is meant
# to happen at eval time.
# shellcheck disable=SC2016,SC2034,SC2317
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

tap_workdir patchctl-test
# Everything below lives under a path with spaces on purpose.
W="$work/with space"
mkdir -p "$W"
IMMUTABLE=()
cleanup() {
	local f
	for f in ${IMMUTABLE[@]+"${IMMUTABLE[@]}"}; do
		chattr -R -i "$f" 2>/dev/null || true
	done
	chmod -R u+w "$work" 2>/dev/null || true
	tap_cleanup
}
trap cleanup EXIT

# shellcheck source-path=SCRIPTDIR source=../scripts/lib/ktree.sh
. "$repo/scripts/lib/ktree.sh"
# shellcheck source-path=SCRIPTDIR source=lib/patch-fixtures.sh
. "$here/lib/patch-fixtures.sh"

# --- the harness can see what it must see -------------------------------------

H="$W/harness"
make_tree "$H" pre pre
h0=$(tree_sum "$H")
printf 'x' >>"$H/Makefile"
h1=$(tree_sum "$H")
check "harness: tree_sum notices a one-byte change" test "$h0" != "$h1"
truncate -s -1 "$H/Makefile"
: >"$H/fs/exec.c.orig"
check "harness: tree_sum notices a new empty file" test "$h0" != "$(tree_sum "$H")"
check "harness: no_leftovers notices a .orig file" eval '! no_leftovers "$H"'
rm "$H/fs/exec.c.orig"
check "harness: tree_sum is back to the original" test "$h0" = "$(tree_sum "$H")"
check "harness: make_tree refuses an unknown PREREQ (as the 2.6.33 tree once passed 'tap_result')" \
	eval '! make_tree "$W/bad prereq" pre pre tap_result 2>/dev/null'

# set -e is off inside a function run in $(...) or a condition (shellcheck
# -o all: SC2311, SC2310): patchctl must not run its own functions there.
if command -v shellcheck >/dev/null 2>&1; then
	sc_log="$work/shellcheck-o-all.log"
	(cd "$repo" && shellcheck -o all -i SC2310,SC2311 scripts/patchctl \
		scripts/patchctl.d/patchset.sh scripts/patchctl.d/patchspec.sh scripts/patchctl.d/install-files.sh) >"$sc_log" 2>&1 &&
		rc=0 || rc=$?
	tap_result "$rc" "patchctl and its libraries: no function of theirs runs where set -e is off (shellcheck -o all SC2310/SC2311)" "$sc_log"
else
	tap_skip "shellcheck -o all: shellcheck not installed"
fi

# --- the patches themselves ------------------------------------------------

check "series lists the two patches in order" \
	eval '[ ${#SERIES[@]} = 2 ] && [ "${P1%%-*}" = 0001 ] && [ "${P2%%-*}" = 0002 ]'
for p in "$P1" "$P2"; do
	check "$p: git format-patch form, project author" \
		eval 'head -n 1 "$PATCHES/$p" | grep -q "^From [0-9a-f]\{40\} " &&
		grep -qx "From: el6-execfix developers <dev@el6-execfix.invalid>" "$PATCHES/$p"'
done
check "0002 declares its prerequisite (bprm_change_interp in fs/exec.c)" \
	grep -q 'patchctl-requires: fs/exec.c .*bprm_change_interp' "$PATCHES/$P2"
check "patches touch disjoint files (fixture generator assumes it)" \
	eval '[ -z "$(comm -12 <(touched_files "$PATCHES/$P1" | sort) <(touched_files "$PATCHES/$P2" | sort))" ]'

# Both patches apply with plain patch --fuzz=0 and with git am to the
# pre-image, giving the post-image.
A="$W/plain patch"
make_tree "$A" pre pre
make_tree "$W/expect post" post post
rc=0
for p in "$P1" "$P2"; do
	patch -s -d "$A" -p1 --fuzz=0 --no-backup-if-mismatch -i "$PATCHES/$p" || rc=1
done
tap_result $rc "patch -p1 --fuzz=0 applies both patches to the pre-image fixture"
check "... and gives the post-image" diff -r "$A" "$W/expect post"
G="$W/git am"
make_tree "$G" pre pre
rc=0
(cd "$G" && git init -q && git -c user.name=t -c user.email=t@t add -A &&
	git -c user.name=t -c user.email=t@t commit -qm base &&
	git -c user.name=t -c user.email=t@t am -q "$PATCHES/$P1" "$PATCHES/$P2") || rc=1
tap_result $rc "git am applies both patches to the pre-image fixture"
rm -rf "$G/.git"
check "... and gives the post-image" diff -r "$G" "$W/expect post"

# --- status ------------------------------------------------------------------

S="$W/tree pre"
make_tree "$S" pre pre
pc status "$S"
check "status on the pre-image: exit 0" test "$RC" = 0
check "status prints version 2.6.32 and RHEL_RELEASE from the Makefile" \
	eval 'has "version: 2.6.32" && has "RHEL_RELEASE=430"'
check "status: 0001 applies" eval '[ "$(row "$P1")" = "$P1: applies" ]'
check "status: 0002 applies" eval '[ "$(row "$P2")" = "$P2: applies" ]'

make_tree "$W/tree post" post post
pc status "$W/tree post"
check "status on the post-image: both already applied, exit 0" \
	eval '[ "$RC" = 0 ] && [ "$(row "$P1")" = "$P1: already applied" ] && [ "$(row "$P2")" = "$P2: already applied" ]'

make_tree "$W/tree mixed" post pre
pc status "$W/tree mixed"
check "status on a partly patched tree: already applied + applies" \
	eval '[ "$RC" = 0 ] && [ "$(row "$P1")" = "$P1: already applied" ] && [ "$(row "$P2")" = "$P2: applies" ]'

make_tree "$W/tree conflict" pre-edit pre
f1=$(touched_files "$PATCHES/$P1" | head -n 1)
pc status "$W/tree conflict"
check "status with a local edit: exit 6, conflicts naming $f1 hunk #1" \
	eval '[ "$RC" = 6 ] && row "$P1" | grep -q "conflicts: $f1 hunk #1 (@@ "'
printf '%s\n' "$OUT" | diag

make_tree "$W/tree noexec" pre pre noexec
check "the 0002 pre-image without bprm_change_interp still applies TEXTUALLY" \
	patch -s --dry-run -d "$W/tree noexec" -p1 --fuzz=0 -i "$PATCHES/$P2"
pc status "$W/tree noexec"
check "status without bprm_change_interp(): exit 7, 0002 prerequisite missing" \
	eval '[ "$RC" = 7 ] && row "$P2" | grep -q "prerequisite missing: fs/exec.c .*bprm_change_interp"'
check "... and 0001 still applies" eval '[ "$(row "$P1")" = "$P1: applies" ]'
printf '%s\n' "$OUT" | diag

make_tree "$W/tree direct" pre pre direct
pc status "$W/tree direct"
check "status with binfmt_misc assigning bprm->interp: exit 7, prerequisite missing" \
	eval '[ "$RC" = 7 ] && row "$P2" | grep -q "prerequisite missing: fs/binfmt_misc.c matches"'

# A prerequisite file that cannot be read is an error, not "no match":
# grep exits 2 for it inside a function whose result patchctl captures,
# where set -e does not reach.  FAILGREP: a grep that fails on
# binfmt_misc.c as an I/O error would.
FAILGREP="$work/failgrep"
mkdir -p "$FAILGREP"
cat >"$FAILGREP/grep" <<EOF
#!/bin/bash
for a; do
	case \$a in */fs/binfmt_misc.c) echo "grep: \$a: Input/output error" >&2; exit 2 ;; esac
done
exec $(command -v grep) "\$@"
EOF
chmod +x "$FAILGREP/grep"
RC=0
OUT=$(PATH="$FAILGREP:$PATH" "$PATCHCTL" status "$S" 2>&1) || RC=$?
check "status when a prerequisite file cannot be read: exit 1 naming it, no verdict on 0002" \
	eval '[ "$RC" = 1 ] && has "cannot read" && has "binfmt_misc.c" && ! has "$P2: applies"'
printf '%s\n' "$OUT" | diag

pc status "$W/tree post" 0002
check "status restricted to 0002 prints only 0002" \
	eval '[ "$RC" = 0 ] && ! has "$P1" && has "$P2: already applied"'

check "make status KSRC='path with spaces' works" \
	eval 'make -s -C "$repo" status KSRC="$S" >"$work/make.out" && grep -qx "$P1: applies" "$work/make.out"'

# --- apply / revert ----------------------------------------------------------

AP="$W/apply me"
make_tree "$AP" pre pre
orig=$(tree_sum "$AP")
pc apply "$AP"
check "apply on the pre-image: exit 0, both applied" \
	eval '[ "$RC" = 0 ] && has "applied: $P1" && has "applied: $P2"'
check "apply: touched files equal the post-image" \
	eval 'for f in $(touched_files "$PATCHES/$P1") $(touched_files "$PATCHES/$P2"); do cmp -s "$AP/$f" "$W/expect post/$f" || exit 1; done'
check "apply: no .orig/.rej/temp left" no_leftovers "$AP"
once=$(tree_sum "$AP")
pc apply "$AP"
check "apply again: exit 0, says nothing to do, tree unchanged" \
	eval '[ "$RC" = 0 ] && has "nothing to do" && [ "$(tree_sum "$AP")" = "$once" ]'
pc revert "$AP"
check "revert: exit 0, both reverted" \
	eval '[ "$RC" = 0 ] && has "reverted: $P1" && has "reverted: $P2"'
check "apply then revert: byte-identical to the original" \
	eval '[ "$(tree_sum "$AP")" = "$orig" ] && no_leftovers "$AP"'
pc revert "$AP"
check "revert again: exit 0, nothing to do, tree unchanged" \
	eval '[ "$RC" = 0 ] && has "nothing to do" && [ "$(tree_sum "$AP")" = "$orig" ]'

MX="$W/mixed apply"
make_tree "$MX" post pre
orig=$(tree_sum "$MX")
pc apply "$MX"
check "apply on a partly patched tree applies only what is missing" \
	eval '[ "$RC" = 0 ] && has "applied: $P2" && ! has "applied: $P1" && cmp -s "$MX/fs/exec.c" "$W/expect post/fs/exec.c"'
pc revert "$MX"
check "revert there removes only what apply added (0001 was the tree's own)" \
	eval '[ "$RC" = 0 ] && has "reverted: $P2" && ! has "reverted: $P1" && [ "$(tree_sum "$MX")" = "$orig" ]'

V="$W/vendor patched"
make_tree "$V" post post
orig=$(tree_sum "$V")
pc revert "$V"
check "revert on a tree that shipped the changes itself leaves them alone" \
	eval '[ "$RC" = 0 ] && has "left alone" && has "nothing to do" && [ "$(tree_sum "$V")" = "$orig" ]'

SUB="$W/only 0001"
make_tree "$SUB" pre pre noexec
orig=$(tree_sum "$SUB")
pc apply "$SUB" 0001
check "apply KSRC 0001 on a tree lacking 0002's prerequisite applies 0001 only" \
	eval '[ "$RC" = 0 ] && has "applied: $P1" && ! has "$P2"'
pc revert "$SUB"
check "... and revert restores it byte for byte" \
	eval '[ "$RC" = 0 ] && [ "$(tree_sum "$SUB")" = "$orig" ]'

# --- refusals ----------------------------------------------------------------

refusal "apply with a conflicting local edit" 6 "$W/tree conflict" apply "$W/tree conflict"
make_tree "$W/revert conflict" post-edit post
refusal "revert with a conflicting local edit" 6 "$W/revert conflict" revert "$W/revert conflict"
refusal "apply without 0002's prerequisite (all or nothing: 0001 not applied either)" \
	7 "$W/tree noexec" apply "$W/tree noexec"
check "... says why (no bprm_change_interp, stack buffer)" \
	eval 'has "bprm_change_interp" && has "stack"'
refusal "apply with binfmt_misc assigning bprm->interp" 7 "$W/tree direct" apply "$W/tree direct"

mkdir -p "$W/not a tree/sub"
echo 'all:' >"$W/not a tree/Makefile"
for cmd in status apply revert; do
	refusal "$cmd on a directory that is not a kernel tree" 11 "$W/not a tree" "$cmd" "$W/not a tree"
done
check "... message says it is not a kernel tree" has "not a kernel tree"
refusal "apply on a directory without Makefile" 11 "$W/not a tree/sub" apply "$W/not a tree/sub"
pc apply "$W/does not exist"
check "apply on a missing directory: exit 11" test "$RC" = 11

make_tree "$W/tree 2.6.33" pre pre ok 33
for cmd in status apply revert; do
	refusal "$cmd on a 2.6.33 tree" 12 "$W/tree 2.6.33" "$cmd" "$W/tree 2.6.33"
done
check "... message names the version" has "2.6.33"

# Read-only tree: a read-only bind mount in a private mount namespace if
# this machine allows it, else immutable files, else (non-root) chmod.
RO="$W/read only"
make_tree "$RO" pre pre
ro_method=
if unshare -m sh -c 'mount --bind -o ro "$1" "$1" && ! touch "$1/.probe" 2>/dev/null' _ "$RO" 2>/dev/null; then
	ro_method=bind
elif chattr -R +i "$RO" 2>/dev/null; then
	IMMUTABLE+=("$RO")
	if touch "$RO/.probe" 2>/dev/null; then
		rm -f "$RO/.probe"
		chattr -R -i "$RO"
	else
		ro_method=chattr
	fi
elif [ "$(id -u)" != 0 ]; then
	chmod -R a-w "$RO"
	ro_method="chmod"
fi
echo "# read-only tree simulated with: ${ro_method:-nothing (no method works here)}"
if [ -n "$ro_method" ]; then
	before=$(tree_sum "$RO")
	RC=0
	case $ro_method in
	bind)
		OUT=$(unshare -m sh -c 'mount --bind -o ro "$1" "$1" && shift && exec "$@"' _ \
			"$RO" "$PATCHCTL" apply "$RO" 2>&1) || RC=$?
		;;
	*)
		pc apply "$RO"
		;;
	esac
	[ "$ro_method" != chattr ] || chattr -R -i "$RO"
	tap_result "$([ "$RC" = 5 ] && echo 0 || echo 1)" "apply on a read-only tree ($ro_method): exit 5 (got $RC)"
	check "... message says not writable" has "not writable"
	check "... tree byte-identical, no leftovers" \
		eval '[ "$(tree_sum "$RO")" = "$before" ] && no_leftovers "$RO"'
	# status only reads: it works on a read-only tree.
	if [ "$ro_method" = bind ]; then
		RC=0
		OUT=$(unshare -m sh -c 'mount --bind -o ro "$1" "$1" && shift && exec "$@"' _ \
			"$RO" "$PATCHCTL" status "$RO" 2>&1) || RC=$?
		check "status works on a read-only tree" test "$RC" = 0
	fi
else
	tap_skip "read-only tree: no way to make a directory read-only here"
fi

# Mangled patch files: each variant in a copy of patches/.
mangle() { # mangle NAME SED-EXPR-or-command on the copy of 0001
	local d="$W/patches $1"
	rm -rf "$d"
	cp -r "$PATCHES" "$d"
	shift
	"$@" "$d"
	echo "$d"
}
# Drops the hunk's last line (the one before the "-- " signature).
truncate_hunk() {
	awk 'NR == FNR { if ($0 == "-- ") cut = FNR - 1; next } FNR != cut' \
		"$1/$P1" "$1/$P1" >"$1/x" && mv "$1/x" "$1/$P1"
}
bad_header() { sed -i 's/^@@ -\([0-9]*\),\([0-9]*\) /@@ -\1,x\2 /' "$1/$P1"; }
garbage() { printf 'this is not a patch\n' >"$1/$P1"; }
missing() { rm -f "$1/$P2"; }
bad_regex() { sed -i 's/^\(    patchctl-requires: fs\/exec.c \).*/\1^int bprm_change_interp\\(([/' "$1/$P2"; }
cut_file() { head -n "$(($(grep -n '^@@ ' "$1/$P1" | head -n 1 | cut -d: -f1) + 2))" "$1/$P1" >"$1/x" && mv "$1/x" "$1/$P1"; }
MG="$W/tree for mangled"
make_tree "$MG" pre pre
for kind in truncate_hunk cut_file bad_header garbage missing bad_regex; do
	d=$(mangle "$kind" "$kind")
	if cmp -s "$d/$P1" "$PATCHES/$P1" && cmp -s "$d/$P2" "$PATCHES/$P2" && [ -f "$d/$P2" ]; then
		tap_result 1 "mangling '$kind' changed nothing (test defect)"
		continue
	fi
	for cmd in apply status; do
		PATCHCTL_PATCHES_DIR=$d refusal "$cmd with a mangled patch ($kind)" 8 "$MG" "$cmd" "$MG"
	done
done
check "... message says mangled" eval 'PATCHCTL_PATCHES_DIR="$W/patches truncate_hunk" "$PATCHCTL" apply "$MG" 2>&1 | grep -q "mangled patch $P1"'

pc
check "no arguments: usage, exit 2" eval '[ "$RC" = 2 ] && has "Usage:"'
pc frobnicate "$S"
check "unknown command: exit 2" test "$RC" = 2
refusal "unknown patch name" 2 "$S" apply "$S" 0042
# A failure while writing (here: fs/exec.c append-only, which only the
# final rename trips over) must roll back the files already replaced.
RB="$W/rollback"
make_tree "$RB" pre pre
if chattr +a "$RB/fs/exec.c" 2>/dev/null; then
	IMMUTABLE+=("$RB")
	before=$(tree_sum "$RB")
	pc apply "$RB"
	chattr -a "$RB/fs/exec.c"
	check "a write failing part-way: exit 10, says it restored the originals" \
		eval '[ "$RC" = 10 ] && has "restored the original files"'
	check "... tree byte-identical (0001 rolled back), no leftovers" \
		eval '[ "$(tree_sum "$RB")" = "$before" ] && no_leftovers "$RB"'
else
	tap_skip "rollback: chattr +a does not work here"
fi

pc --help
help_codes() {
	local c
	[ "$RC" = 0 ] || return 1
	for c in 0 1 2 5 6 7 8 9 10 11 12; do
		printf '%s\n' "$OUT" | grep -Eq "^ +$c  " || return 1
	done
}
check "--help prints every exit code patchctl uses, from the one table" help_codes
check "... with the table's own text (11 = not a kernel tree, 12 = not 2.6.32)" \
	eval 'has "   11  not a kernel source tree" && has "   12  the kernel is not 2.6.32"'

# --- spec --------------------------------------------------------------------

# source0 TREE TARBALL: a Source0 tarball of TREE (one top directory, as
# RHEL's are), xz-compressed.
source0() {
	local top=$work/tarball-tmp/linux-2.6.32-431.el6
	rm -rf "$work/tarball-tmp"
	mkdir -p "$top"
	cp -a "$1/." "$top/"
	tar -C "$work/tarball-tmp" -cJf "$2" linux-2.6.32-431.el6
	rm -rf "$work/tarball-tmp"
}
# spec_dir DIR SOURCE-TREE: an rpmbuild layout with the fixture spec and
# SOURCE-TREE as its Source0 (none when SOURCE-TREE is "").
spec_dir() {
	mkdir -p "$1/SPECS" "$1/SOURCES"
	cp "$W/spec.orig" "$1/SPECS/kernel.spec"
	: >"$1/SOURCES/linux-kernel-test.patch"
	: >"$1/SOURCES/site-local-fix.patch"
	[ -z "$2" ] || source0 "$2" "$1/SOURCES/linux-2.6.32-431.el6.tar.xz"
}

cat >"$W/spec.orig" <<'EOF'
%define rpmversion 2.6.32
%define pkgrelease 431.el6
%define rheltarball %{rpmversion}-%{pkgrelease}
Name: kernel%{?variant}
Version: %{rpmversion}
Release: %{pkgrelease}%{?dist}
Source0: linux-%{rheltarball}.tar.xz
Source1: Makefile.common
Summary: The Linux kernel (fixture)
License: GPLv2

Patch99001: site-local-fix.patch

# empty final patch file to facilitate testing of kernel patches
Patch999999: linux-kernel-test.patch

%description
The kernel package contains the Linux kernel.

%prep
# (tests/spec-rpmbuild.sh runs a %prep with RHEL 6's ApplyPatch and
# ApplyOptionalPatch through rpmbuild; here only the lines matter.)
ApplyOptionalPatch() { patch -p1 -F1 -s <"$RPM_SOURCE_DIR/$1"; }

ApplyOptionalPatch site-local-fix.patch
# empty final patch to facilitate testing of kernel patches
ApplyOptionalPatch linux-kernel-test.patch

%build
EOF

# spec_declares_ DIR NAME: DIR's spec declares and applies NAME.
spec_declares_() { grep -q "^Patch[0-9]*: $2\$" "$1/SPECS/kernel.spec" && grep -q "^ApplyOptionalPatch $2\$" "$1/SPECS/kernel.spec"; }

# Source trees, as the tarballs hold them.
make_tree "$W/src pre" pre pre            # a partial backport: both apply
make_tree "$W/src 431" pre post           # -358/-431: 0002 already in
make_tree "$W/src 71" pre pre noexec      # -71..-279: no bprm_change_interp()
make_tree "$W/src conflict" pre-edit pre

RPM="$W/rpm build"
spec_dir "$RPM" "$W/src pre"
SPEC="$RPM/SPECS/kernel.spec"
pc spec "$SPEC"
check "spec (Source0 found through %{rheltarball}, both apply): exit 0" test "$RC" = 0
printf '%s\n' "$OUT" | diag
check "spec: says what it decided on: Source0 in SOURCES, version, both 'applies'" \
	eval 'has "source: $RPM/SPECS/../SOURCES/linux-2.6.32-431.el6.tar.xz" && has "version: 2.6.32" &&
	[ "$(row "$P1")" = "$P1: applies" ] && [ "$(row "$P2")" = "$P2: applies" ]'
check "spec: Patch declarations with unused numbers, just before linux-kernel-test.patch's" \
	eval 'grep -B3 "^Patch999999: linux-kernel-test.patch" "$SPEC" | tr "\n" "|" |
	grep -qxF "Patch99002: $P1|Patch99003: $P2|# empty final patch file to facilitate testing of kernel patches|Patch999999: linux-kernel-test.patch|"'
check "spec: ApplyOptionalPatch lines in series order before the linux-kernel-test.patch one" \
	eval 'grep -B4 "^ApplyOptionalPatch linux-kernel-test.patch" "$SPEC" | tr "\n" "|" |
	grep -qxF "ApplyOptionalPatch site-local-fix.patch|ApplyOptionalPatch $P1|ApplyOptionalPatch $P2|# empty final patch to facilitate testing of kernel patches|ApplyOptionalPatch linux-kernel-test.patch|"'
check "spec: nothing else changed" \
	eval '[ "$(diff "$W/spec.orig" "$SPEC" | grep -c "^[<>]")" = 4 ] && ! diff "$W/spec.orig" "$SPEC" | grep -q "^<"'
check "spec: patches copied into ../SOURCES" \
	eval 'cmp -s "$PATCHES/$P1" "$RPM/SOURCES/$P1" && cmp -s "$PATCHES/$P2" "$RPM/SOURCES/$P2"'
before=$(tree_sum "$RPM")
pc spec "$SPEC"
check "spec again: exit 0, nothing to do, spec and SOURCES unchanged" \
	eval '[ "$RC" = 0 ] && has "nothing to do" && [ "$(tree_sum "$RPM")" = "$before" ] && no_leftovers "$RPM"'

# The spec's own apply lines, run the way %prep runs them, patch the
# source tree into the post-image.
PREP="$W/prep tree"
cp -a "$W/src pre" "$PREP"
rc=0
while read -r _ name; do
	[ -s "$RPM/SOURCES/$name" ] || continue
	patch -d "$PREP" -p1 -F1 -s --no-backup-if-mismatch <"$RPM/SOURCES/$name" || rc=1
done < <(sed -n '/^%prep/,/^%build/ s/^\(ApplyOptionalPatch\) \([^ ]*\)$/\1 \2/p' "$SPEC")
tap_result $rc "spec: its ApplyOptionalPatch lines apply the copied patches (patch -p1 -F1)"
check "... giving the post-image" eval 'for f in $(touched_files "$PATCHES/$P1") $(touched_files "$PATCHES/$P2"); do cmp -s "$PREP/$f" "$W/expect post/$f" || return 1; done'

# --dry-run prints the diff and writes nothing.
DR="$W/dry run"
spec_dir "$DR" "$W/src pre"
refusal "spec --dry-run (writes nothing)" 0 "$DR" spec --dry-run "$DR/SPECS/kernel.spec"
check "spec --dry-run: prints the diff it would make and the files it would copy" \
	eval 'has "+Patch99002: $P1" && has "+ApplyOptionalPatch $P2" && has "would copy $P1"'

# -431-like Source0: 0002 is already there.
S431="$W/spec 431"
spec_dir "$S431" "$W/src 431"
pc spec "$S431/SPECS/kernel.spec"
printf '%s\n' "$OUT" | diag
check "spec on a -431-like Source0: exit 0, 0001 added, 0002 reported already applied" \
	eval '[ "$RC" = 0 ] && [ "$(row "$P2")" = "$P2: already applied" ] && has "$P2: already in the source; not added" &&
	spec_declares_ "$S431" "$P1" && ! grep -q "$P2" "$S431/SPECS/kernel.spec" && [ ! -e "$S431/SOURCES/$P2" ]'

# -71-like Source0: 0002's prerequisite is missing: refused as apply does.
S71="$W/spec 71"
spec_dir "$S71" "$W/src 71"
refusal "spec on a -71-like Source0 (no bprm_change_interp)" 7 "$S71" spec "$S71/SPECS/kernel.spec"
check "... with apply's reason (prerequisite missing, stack buffer)" \
	eval 'row "$P2" | grep -q "prerequisite missing: fs/exec.c .*bprm_change_interp.*stack"'
make_tree "$W/apply 71" pre pre noexec
pc apply "$W/apply 71"
check "... the same exit code as apply on that tree" test "$RC" = 7
pc spec "$S71/SPECS/kernel.spec" 0001
check "spec SPEC 0001 on the -71-like Source0 adds 0001 only" \
	eval '[ "$RC" = 0 ] && spec_declares_ "$S71" "$P1" && ! grep -q "$P2" "$S71/SPECS/kernel.spec"'

SC="$W/spec conflict"
spec_dir "$SC" "$W/src conflict"
refusal "spec on a Source0 with a conflicting local edit" 6 "$SC" spec "$SC/SPECS/kernel.spec"

# The spec already applies 0002 (an earlier, unsafe run) but Source0 has it.
SS="$W/spec stale"
spec_dir "$SS" "$W/src 431"
sed -i -e "s/^Patch99001: site-local-fix.patch/&\nPatch99005: $P2/" \
	-e "s/^ApplyOptionalPatch site-local-fix.patch/&\nApplyOptionalPatch $P2/" "$SS/SPECS/kernel.spec"
refusal "spec that applies 0002 to a Source0 that already has it" 9 "$SS" spec "$SS/SPECS/kernel.spec"
check "... says so" has "already contains $P2"
SS7="$W/spec stale 71"
spec_dir "$SS7" "$W/src 71"
cp "$SS/SPECS/kernel.spec" "$SS7/SPECS/kernel.spec"
refusal "spec that applies 0002 to a -71-like Source0" 7 "$SS7" spec "$SS7/SPECS/kernel.spec"
check "... tells to remove those lines" has "already applies $P2: remove"

# %prep applies another patch before these: harmless when it changes other
# files; refused when it changes a file the series touches or inspects
# (Source0 is then not what the patches would meet).
SO="$W/spec other"
spec_dir "$SO" "$W/src pre"
printf -- '--- a/Documentation/site.txt\n+++ b/Documentation/site.txt\n@@ -0,0 +1 @@\n+site\n' |
	gzip -c >"$SO/SOURCES/site-doc.patch.gz"
sed -i 's/^ApplyOptionalPatch site-local-fix.patch/&\nApplyPatch site-doc.patch.gz/' "$SO/SPECS/kernel.spec"
pc spec --dry-run "$SO/SPECS/kernel.spec"
check "spec whose %prep applies another patch to other files: accepted" eval '[ "$RC" = 0 ] && has "would copy $P1"'
printf -- '--- a/fs/exec.c\n+++ b/fs/exec.c\n@@ -1 +1 @@\n-x\n+y\n' >"$SO/SOURCES/site-exec.patch"
sed -i 's/^ApplyPatch site-doc.patch.gz/&\nApplyPatch site-exec.patch/' "$SO/SPECS/kernel.spec"
refusal "spec whose %prep applies another patch to fs/exec.c" 9 "$SO" spec "$SO/SPECS/kernel.spec"
check "... names it and points to --tree" eval 'has "site-exec.patch, which changes fs/exec.c" && has "--tree"'
pc spec --dry-run --tree "$W/src pre" "$SO/SPECS/kernel.spec"
check "... and with --tree it decides on that tree" eval '[ "$RC" = 0 ] && has "would copy $P2"'

# --tree: decide on a given tree (e.g. rpmbuild -bp's BUILD tree).
ST="$W/spec tree"
spec_dir "$ST" ""
pc spec --tree "$W/src 431" "$ST/SPECS/kernel.spec"
check "spec --tree DIR (no Source0 needed): decides on DIR: 0001 added, 0002 already applied" \
	eval '[ "$RC" = 0 ] && has "tree: $W/src 431" && spec_declares_ "$ST" "$P1" && ! grep -q "$P2" "$ST/SPECS/kernel.spec"'
ST7="$W/spec tree 71"
spec_dir "$ST7" "$W/src pre"
refusal "spec --tree on a -71-like tree (Source0 would allow both: --tree wins)" 7 "$ST7" \
	spec --tree "$W/src 71" "$ST7/SPECS/kernel.spec"
refusal "spec --tree on a directory that is not a kernel tree" 11 "$ST7" \
	spec --tree "$W/not a tree" "$ST7/SPECS/kernel.spec"
refusal "spec --tree on a 2.6.33 tree" 12 "$ST7" spec --tree "$W/tree 2.6.33" "$ST7/SPECS/kernel.spec"

# Source0 cannot be found or read: refused, never guessed.
SN="$W/spec no source"
spec_dir "$SN" ""
refusal "spec whose Source0 is not in SOURCES" 9 "$SN" spec "$SN/SPECS/kernel.spec"
check "... says which file and suggests --tree" eval 'has "linux-2.6.32-431.el6.tar.xz" && has "--tree"'
printf 'not a tarball\n' >"$SN/SOURCES/linux-2.6.32-431.el6.tar.xz"
refusal "spec whose Source0 is not a tar archive" 9 "$SN" spec "$SN/SPECS/kernel.spec"
SV="$W/spec 2.6.33"
spec_dir "$SV" "$W/tree 2.6.33"
refusal "spec whose Source0 is not 2.6.32" 12 "$SV" spec "$SV/SPECS/kernel.spec"
# Macros this reader cannot settle: rpmspec -P decides if installed, else
# a refusal.  NORPM: a PATH without rpmspec.
NORPM="$work/norpm"
mkdir -p "$NORPM"
for tool in bash sh awk sed grep tar xz mktemp cp mv rm cmp diff dirname cat chmod mkdir head tr sort patch find ls wc; do
	ln -sf "$(command -v "$tool")" "$NORPM/$tool"
done
SM="$W/spec macros"
spec_dir "$SM" "$W/src pre"
sed -i 's/^%define pkgrelease 431.el6/%if 1\n%define pkgrelease 431.el6\n%else\n%define pkgrelease 431.fc\n%endif/' "$SM/SPECS/kernel.spec"
before=$(tree_sum "$SM")
RC=0
OUT=$(PATH=$NORPM "$PATCHCTL" spec "$SM/SPECS/kernel.spec" 2>&1) || RC=$?
check "spec with %if-dependent Source0 macros and no rpmspec: exit 9, unchanged" \
	eval '[ "$RC" = 9 ] && has "defined more than once" && has "rpmspec" && [ "$(tree_sum "$SM")" = "$before" ]'
printf '%s\n' "$OUT" | diag
if command -v rpmspec >/dev/null 2>&1; then
	pc spec "$SM/SPECS/kernel.spec"
	check "spec with %if-dependent Source0 macros: rpmspec -P settles them (exit 0, both added)" \
		eval '[ "$RC" = 0 ] && spec_declares_ "$SM" "$P1" && spec_declares_ "$SM" "$P2"'
else
	tap_skip "rpmspec -P fallback: rpm is not installed (scripts/install-deps installs it)"
fi
sed -i 's/^Source0: .*/Source0: linux-%{undefined_here}.tar.xz/' "$SN/SPECS/kernel.spec"
RC=0
before=$(tree_sum "$SN")
OUT=$(PATH=$NORPM "$PATCHCTL" spec "$SN/SPECS/kernel.spec" 2>&1) || RC=$?
check "spec whose Source0 uses an undefined macro (no rpmspec): exit 9, unchanged" \
	eval '[ "$RC" = 9 ] && has "%undefined_here is not defined" && [ "$(tree_sum "$SN")" = "$before" ]'

# ApplyPatch marker and an explicit SOURCES directory (also the older
# second-argument form).
mkdir -p "$W/spec two/sources dir"
sed -e 's/^ApplyOptionalPatch linux-kernel-test.patch/ApplyPatch linux-kernel-test.patch/' \
	"$W/spec.orig" >"$W/spec two/kernel.spec"
source0 "$W/src pre" "$W/spec two/sources dir/linux-2.6.32-431.el6.tar.xz"
pc spec "$W/spec two/kernel.spec" "$W/spec two/sources dir"
check "spec with an ApplyPatch marker and explicit SOURCES: lines before the marker, files copied" \
	eval '[ "$RC" = 0 ] && grep -B2 "^ApplyPatch linux-kernel-test.patch" "$W/spec two/kernel.spec" | head -n 1 | grep -qx "ApplyOptionalPatch $P2" &&
	cmp -s "$PATCHES/$P2" "$W/spec two/sources dir/$P2"'

if [ "$ro_method" = bind ]; then
	RS="$W/ro rpm"
	spec_dir "$RS" "$W/src pre"
	before=$(tree_sum "$RS")
	RC=0
	OUT=$(unshare -m sh -c 'mount --bind -o ro "$1" "$1" && shift && exec "$@"' _ \
		"$RS" "$PATCHCTL" spec "$RS/SPECS/kernel.spec" 2>&1) || RC=$?
	check "spec on a read-only rpmbuild tree: exit 5, unchanged" \
		eval '[ "$RC" = 5 ] && [ "$(tree_sum "$RS")" = "$before" ] && no_leftovers "$RS"'
fi
# A write failing part-way (the spec append-only: only its rename fails
# after the patches were copied) puts SOURCES back.
RW="$W/spec rollback"
spec_dir "$RW" "$W/src pre"
if chattr +a "$RW/SPECS/kernel.spec" 2>/dev/null; then
	IMMUTABLE+=("$RW/SPECS")
	before=$(tree_sum "$RW")
	pc spec "$RW/SPECS/kernel.spec"
	chattr -a "$RW/SPECS/kernel.spec"
	check "spec: a write failing part-way: exit 10, SOURCES restored, byte-identical" \
		eval '[ "$RC" = 10 ] && has "restored the original files" && [ "$(tree_sum "$RW")" = "$before" ] && no_leftovers "$RW"'
else
	tap_skip "spec rollback: chattr +a does not work here"
fi
grep -v 'linux-kernel-test' "$W/spec.orig" >"$RPM/SPECS/nomarker.spec"
refusal "spec without the linux-kernel-test.patch marker" 9 "$RPM" spec "$RPM/SPECS/nomarker.spec"
refusal "spec on a missing file" 9 "$RPM" spec "$RPM/SPECS/nope.spec"
mkdir -p "$W/no sources/SPECS"
cp "$W/spec.orig" "$W/no sources/SPECS/kernel.spec"
refusal "spec whose SOURCES directory does not exist" 9 "$W/no sources" spec "$W/no sources/SPECS/kernel.spec"
refusal "spec with an unknown option" 2 "$RPM" spec --frob "$SPEC"

# --- real trees --------------------------------------------------------------

# expected_state TREE-NAME PATCH: what a stock RHEL6 tree must report.
expected_state() {
	local rel
	rel=$(printf '%s\n' "$1" | sed -n 's/^\(linux-\)\{0,1\}2\.6\.32-\([0-9]*\).*el6$/\2/p')
	[ -n "$rel" ] || return 0
	case $2 in
	0001*) if [ "$rel" -ge 504 ]; then echo "already applied"; else echo "applies"; fi ;;
	0002*) if [ "$rel" -ge 358 ]; then echo "already applied"; else echo "prerequisite missing"; fi ;;
	esac
}

if [ -n "${KSRC_DIR:-}" ] && [ -d "$KSRC_DIR" ]; then
	for tree in "$KSRC_DIR"/*/; do
		tree=${tree%/}
		[ -f "$tree/Makefile" ] || continue
		name=$(basename "$tree")
		stamp="$work/stamp"
		touch "$stamp"
		pc status "$tree"
		echo "# --- status $tree (exit $RC)"
		printf '%s\n' "$OUT" | diag
		for p in "$P1" "$P2"; do
			want=$(expected_state "$name" "$p")
			[ -n "$want" ] || continue
			check "real tree $name: ${p%%-*} $want" eval 'row "$p" | grep -q "^$p: $want"'
		done
		s1=$(expected_state "$name" "$P1")
		s2=$(expected_state "$name" "$P2")
		if [ "$s2" = "prerequisite missing" ]; then
			check "real tree $name: 0002 would apply TEXTUALLY (patch --dry-run); only the prerequisite check stops it" \
				patch -s --dry-run -d "$tree" -p1 --fuzz=0 -i "$PATCHES/$P2"
		fi
		# spec --tree decides as status did.
		if [ -n "$s1" ]; then
			RS="$W/real spec $name"
			spec_dir "$RS" ""
			pc spec --dry-run --tree "$tree" "$RS/SPECS/kernel.spec"
			case $s2:$s1 in
			"prerequisite missing:"*) check "real tree $name: spec --tree refuses 0002 (exit 7)" test "$RC" = 7 ;;
			"already applied:applies") check "real tree $name: spec --tree would add 0001 only" \
				eval '[ "$RC" = 0 ] && has "would copy $P1" && ! has "would copy $P2"' ;;
			*) check "real tree $name: spec --tree has nothing to add" eval '[ "$RC" = 0 ] && has "nothing to do"' ;;
			esac
		fi
		check "real tree $name: status and spec --tree wrote nothing" \
			eval '[ -z "$(find "$tree" -newer "$stamp" -print -quit 2>/dev/null)" ]'
	done
	for rel in 431 71; do
		src="$KSRC_DIR/2.6.32-$rel.el6"
		[ -d "$src" ] || src="$KSRC_DIR/linux-2.6.32-$rel.el6"
		[ -d "$src" ] || continue
		cp_="$W/real $rel copy"
		cp -a "$src" "$cp_"
		pc apply "$cp_"
		echo "# --- apply on a copy of 2.6.32-$rel.el6 (exit $RC)"
		printf '%s\n' "$OUT" | diag
		if [ "$rel" = 431 ]; then
			check "real -431 copy: apply applies 0001 only (0002 is stock)" \
				eval '[ "$RC" = 0 ] && has "applied: $P1" && ! has "applied: $P2"'
			check "real -431 copy: arch_pick_mmap_layout() now resets the pointer" \
				eval 'grep -A2 "^void arch_pick_mmap_layout" "$cp_/arch/x86/mm/mmap.c" | grep -q "get_unmapped_exec_area = NULL;"'
			grep -A2 '^void arch_pick_mmap_layout' "$cp_/arch/x86/mm/mmap.c" | diag
			pc revert "$cp_"
			check "real -431 copy: apply then revert is byte-identical to the original" \
				eval '[ "$RC" = 0 ] && diff -r -q "$src" "$cp_" >/dev/null'
			# The partial-backport state: the three free_bprm() lines gone.
			ktree_partial_backport "$src/fs/exec.c" "$cp_/fs/exec.c"
			check "real -431 partial backport: 3 lines removed from free_bprm()" \
				eval '[ "$(diff "$src/fs/exec.c" "$cp_/fs/exec.c" | grep -c "^<")" = 3 ]'
			partial=$(tree_sum "$cp_")
			pc status "$cp_"
			echo "# --- status on -431 partial backport (exit $RC)"
			printf '%s\n' "$OUT" | diag
			check "real -431 partial backport: both patches apply" \
				eval '[ "$RC" = 0 ] && [ "$(row "$P2")" = "$P2: applies" ] && [ "$(row "$P1")" = "$P1: applies" ]'
			pc apply "$cp_"
			check "real -431 partial backport: apply restores stock fs/exec.c" \
				eval '[ "$RC" = 0 ] && cmp -s "$src/fs/exec.c" "$cp_/fs/exec.c" && no_leftovers "$cp_"'
			pc revert "$cp_"
			check "real -431 partial backport: revert gives it back byte for byte" \
				eval '[ "$RC" = 0 ] && [ "$(tree_sum "$cp_")" = "$partial" ]'
		else
			check "real -71 copy: apply refused (0002 prerequisite), exit 7" test "$RC" = 7
			check "real -71 copy: unchanged" diff -r -q "$src" "$cp_"
			pc apply "$cp_" 0001
			check "real -71 copy: apply 0001 alone works" eval '[ "$RC" = 0 ] && has "applied: $P1"'
			pc revert "$cp_"
			check "real -71 copy: revert gives back the original" \
				eval '[ "$RC" = 0 ] && diff -r -q "$src" "$cp_" >/dev/null'
		fi
		rm -rf "$cp_"
	done
else
	echo "# KSRC_DIR not set: real vendor trees not exercised"
fi

# --- compiling the touched objects in a configured vendor tree --------------

# PATCHCTL_KBUILD_SRC (a 2.6.32-431.el6 source tree that builds with this
# toolchain) and PATCHCTL_KBUILD_O (its configured, built O= directory):
# copies both, puts fs/exec.c in the partial-backport state, applies the
# patches with patchctl and rebuilds just the objects they touch.
if [ -n "${PATCHCTL_KBUILD_SRC:-}" ] && [ -n "${PATCHCTL_KBUILD_O:-}" ]; then
	KB="$work/kbuild"
	mkdir -p "$KB"
	cp -a "$PATCHCTL_KBUILD_SRC" "$KB/src"
	cp -a "$PATCHCTL_KBUILD_O" "$KB/o"
	ktree_partial_backport "$PATCHCTL_KBUILD_SRC/fs/exec.c" "$KB/src/fs/exec.c"
	for f in $(touched_files "$PATCHES/$P1") $(touched_files "$PATCHES/$P2"); do
		mkdir -p "$KB/pre/$(dirname "$f")"
		cp "$KB/src/$f" "$KB/pre/$f"
	done
	pc apply "$KB/src"
	check "kbuild copy: both patches applied" eval '[ "$RC" = 0 ] && has "applied: $P1" && has "applied: $P2"'
	objs=$( (touched_files "$PATCHES/$P1"; touched_files "$PATCHES/$P2") | sed 's/\.c$/.o/')
	rc=0
	# shellcheck disable=SC2086 # object list
	make -C "$KB/src" O="$KB/o" -j2 $objs >"$work/kbuild.log" 2>&1 || rc=$?
	grep -E '^ +CC ' "$work/kbuild.log" | diag
	tap_result $rc "kbuild: make O=... $(printf '%s' "$objs" | tr '\n' ' ') compiles the patched files"
	bad=0
	for f in $(touched_files "$PATCHES/$P1") $(touched_files "$PATCHES/$P2"); do
		added=$(diff "$KB/pre/$f" "$KB/src/$f" | sed -n 's/^[0-9,]*[ac]\([0-9,]*\)$/\1/p')
		[ -n "$added" ] || bad=1
		for range in $added; do
			for l in $(seq "${range%,*}" "${range#*,}"); do
				echo "# kbuild: checking $f:$l: $(sed -n "${l}p" "$KB/src/$f")"
				! grep -q "$f:$l:.*\(warning\|error\)" "$work/kbuild.log" || bad=1
			done
		done
	done
	tap_result $bad "kbuild: no warning on the lines the patches add"
	# The same pattern does see the files' existing warnings.
	# shellcheck disable=SC2310  # diagnostics only; grep finding nothing is fine
	grep -E "($(printf '%s\n' "$objs" | paste -sd' ' | sed 's/\.o/\\.c/g; s/ /|/g')):[0-9]+:[0-9]+: warning" "$work/kbuild.log" |
		sed 's/^.*\/\(\(arch\|fs\)\/\)/\1/' | diag || true
	chmod -R u+w "$KB" && rm -rf "$KB"
fi

tap_done
