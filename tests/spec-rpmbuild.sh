#!/bin/bash
# scripts/patchctl spec, proven with the real rpmbuild -bp (TAP; exit 0
# pass, 1 fail, 4 skip when rpmbuild is not installed).
#
# Source0 tarballs are built from fixture trees made from the patches' own
# context (tests/lib/patch-fixtures.sh): a -431-like tree (0002 already
# in), a -71-like tree (no bprm_change_interp()) and a partial backport
# (both apply).  The spec's %prep defines ApplyPatch and ApplyOptionalPatch
# the way RHEL 6's kernel.spec does (patch -p1 -F1 -s, a patch of fewer
# than 10 lines skipped) and unpacks Source0 into a vanilla tree it
# hard-links, as RHEL 6 does.  Every refusal is checked with checksums of
# every file of the rpmbuild directory (spec and SOURCES) before and after.
# eval '...' is how check() takes compound conditions (so "before" is
# used there, and the functions it calls are called nowhere else).
# shellcheck disable=SC2016,SC2034,SC2317
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

# shellcheck source-path=SCRIPTDIR source=lib/patch-fixtures.sh
. "$here/lib/patch-fixtures.sh"

command -v rpmbuild >/dev/null 2>&1 ||
	tap_skip_all "rpmbuild not installed (Debian package rpm; scripts/install-deps installs it)"

tap_workdir spec-rpmbuild

# topdir DIR KVERSION TREE: an rpmbuild _topdir with the spec and TREE as
# its Source0, linux-KVERSION.tar.xz (top directory linux-KVERSION).
topdir() {
	local d=$1 kv=$2
	mkdir -p "$d/SPECS" "$d/SOURCES" "$d/tmp/linux-$kv"
	cp -a "$3/." "$d/tmp/linux-$kv/"
	tar -C "$d/tmp" -cJf "$d/SOURCES/linux-$kv.tar.xz" "linux-$kv"
	rm -rf "$d/tmp"
	: >"$d/SOURCES/linux-kernel-test.patch"
	sed "s/@KVERSION@/$kv/" >"$d/SPECS/kernel.spec" <<'EOF'
%define kversion @KVERSION@
Name: kernel
Summary: The Linux kernel (el6-execfix fixture)
License: GPLv2
Version: 2.6.32
Release: 1
Source0: linux-%{kversion}.tar.xz

# empty final patch file to facilitate testing of kernel patches
Patch999999: linux-kernel-test.patch

%description
A fixture: only its %%prep is used.

%prep
patch_command='patch -p1 -F1 -s'

ApplyPatch()
{
  local patch=$1
  shift
  if [ ! -f $RPM_SOURCE_DIR/$patch ]; then
    exit 1
  fi
  case "$patch" in
  *.bz2) bunzip2 < "$RPM_SOURCE_DIR/$patch" | $patch_command ${1+"$@"} ;;
  *.gz) gunzip < "$RPM_SOURCE_DIR/$patch" | $patch_command ${1+"$@"} ;;
  *) $patch_command ${1+"$@"} < "$RPM_SOURCE_DIR/$patch" ;;
  esac
}

# don't apply patch if it's empty
ApplyOptionalPatch()
{
  local patch=$1
  shift
  if [ ! -f $RPM_SOURCE_DIR/$patch ]; then
    exit 1
  fi
  local C=$(wc -l $RPM_SOURCE_DIR/$patch | awk '{print $1}')
  if [ "$C" -gt 9 ]; then
    ApplyPatch $patch ${1+"$@"}
  fi
}

%setup -q -n kernel-%{kversion} -c
mv linux-%{kversion} vanilla-%{kversion}
cp -rl vanilla-%{kversion} linux-%{kversion}
cd linux-%{kversion}

# empty final patch to facilitate testing of kernel patches
ApplyOptionalPatch linux-kernel-test.patch

# get rid of unwanted files resulting from patch fuzz
find . \( -name "*.orig" -o -name "*~" \) -exec rm -f {} \; >/dev/null
EOF
}

# prep DIR: rpmbuild -bp there; its exit code in PREP_RC (as pc sets RC),
# the BUILD tree in BT, the log in DIR/prep.log.
prep() {
	PREP_RC=0
	rpmbuild -bp --define "_topdir $1" "$1/SPECS/kernel.spec" >"$1/prep.log" 2>&1 || PREP_RC=$?
	BT=$(find "$1/BUILD" -maxdepth 2 -type d -name 'linux-*' 2>/dev/null | head -n 1)
}

reset_line() { grep -A2 '^void arch_pick_mmap_layout' "$1/arch/x86/mm/mmap.c" | grep -q 'get_unmapped_exec_area = NULL;'; }
kfrees() { grep -c '^		kfree(bprm->interp);$' "$1/fs/exec.c" || true; }
declares() { grep -q "^Patch[0-9]*: $2\$" "$1/SPECS/kernel.spec" && grep -q "^ApplyOptionalPatch $2\$" "$1/SPECS/kernel.spec"; }
mentions() { grep -qF "$2" "$1/SPECS/kernel.spec"; }

make_tree "$work/tree-431" pre post         # -358/-431: 0002 shipped
make_tree "$work/tree-71" pre pre noexec    # -71..-279: no bprm_change_interp()
make_tree "$work/tree-partial" pre pre      # partial CVE-2012-4530 backport
make_tree "$work/tree-conflict" pre-edit pre

# --- the checks can fail: what the old "spec" did ---------------------------

# Both patches added regardless of the source (by hand, as the old
# command did): on -431 %prep stops at 0002; on -71 it applies 0002 and the
# BUILD tree frees a stack buffer.  These are the failures patchctl spec
# must prevent.
O431=$work/old-431
topdir "$O431" 2.6.32-431.el6 "$work/tree-431"
O71=$work/old-71
topdir "$O71" 2.6.32-71.el6 "$work/tree-71"
for d in "$O431" "$O71"; do
	cp "$PATCHES/$P1" "$PATCHES/$P2" "$d/SOURCES/"
	sed -i -e "s/^Patch999999:/Patch99001: $P1\nPatch99002: $P2\n&/" \
		-e "s/^ApplyOptionalPatch linux-kernel-test.patch/ApplyOptionalPatch $P1\nApplyOptionalPatch $P2\n&/" \
		"$d/SPECS/kernel.spec"
done
prep "$O431"
check "control: -431-like Source0 with 0002 added blindly: rpmbuild -bp fails" test "$PREP_RC" != 0
grep -iE 'reversed|previously applied|error' "$O431/prep.log" | head -n 3 | diag
prep "$O71"
check "control: -71-like Source0 with 0002 added blindly: %prep passes and the BUILD tree kfree()s bprm->interp (the memory corruption)" \
	eval '[ "$PREP_RC" = 0 ] && [ "$(kfrees "$BT")" = 1 ]'

# --- -431-like ---------------------------------------------------------------

D=$work/rpm-431
topdir "$D" 2.6.32-431.el6 "$work/tree-431"
pc spec "$D/SPECS/kernel.spec"
printf '%s\n' "$OUT" | diag
check "-431-like: patchctl spec exits 0, adds 0001, reports 0002 already in the source" \
	eval '[ "$RC" = 0 ] && declares "$D" "$P1" && ! mentions "$D" "$P2" && has "$P2: already in the source"'
prep "$D"
check "-431-like: rpmbuild -bp passes" test "$PREP_RC" = 0
[ "$PREP_RC" = 0 ] || tail -n 20 "$D/prep.log" | diag
check "-431-like: BUILD tree has the reset line and free_bprm()'s kfree once" \
	eval 'reset_line "$BT" && [ "$(kfrees "$BT")" = 1 ]'
before=$(tree_sum "$D")
pc spec "$D/SPECS/kernel.spec"
check "-431-like: patchctl spec again: nothing to do, checksums identical" \
	eval '[ "$RC" = 0 ] && has "nothing to do" && [ "$(tree_sum "$D")" = "$before" ]'
pc spec --tree "$BT" "$D/SPECS/kernel.spec"
check "-431-like: patchctl spec --tree on the BUILD tree agrees: nothing to do, checksums identical" \
	eval '[ "$RC" = 0 ] && has "nothing to do" && [ "$(tree_sum "$D")" = "$before" ]'

# --- -71-like ----------------------------------------------------------------

D=$work/rpm-71
topdir "$D" 2.6.32-71.el6 "$work/tree-71"
refusal "-71-like: patchctl spec refuses 0002" 7 "$D" spec "$D/SPECS/kernel.spec"
check "-71-like: the reason is apply's (no bprm_change_interp, stack buffer)" \
	eval 'has "$P2: prerequisite missing: fs/exec.c" && has "stack"'
make_tree "$work/apply-71" pre pre noexec
pc apply "$work/apply-71"
check "-71-like: apply on the same tree exits 7 too" test "$RC" = 7
pc spec "$D/SPECS/kernel.spec" 0001
check "-71-like: patchctl spec SPEC 0001 adds 0001 only" \
	eval '[ "$RC" = 0 ] && declares "$D" "$P1" && ! mentions "$D" "$P2" && [ ! -e "$D/SOURCES/$P2" ]'
prep "$D"
check "-71-like: rpmbuild -bp passes" test "$PREP_RC" = 0
check "-71-like: BUILD tree has the reset line and no kfree(bprm->interp)" \
	eval 'reset_line "$BT" && [ "$(kfrees "$BT")" = 0 ]'
refusal "-71-like: patchctl spec (all) after 0001 is in" 7 "$D" spec "$D/SPECS/kernel.spec"

# --- partial backport ------------------------------------------------------------

D=$work/rpm-partial
topdir "$D" 2.6.32-431.el6 "$work/tree-partial"
pc spec "$D/SPECS/kernel.spec"
check "partial backport: patchctl spec adds both" \
	eval '[ "$RC" = 0 ] && declares "$D" "$P1" && declares "$D" "$P2"'
prep "$D"
check "partial backport: rpmbuild -bp passes" test "$PREP_RC" = 0
check "partial backport: BUILD tree has the reset line and free_bprm()'s kfree" \
	eval 'reset_line "$BT" && [ "$(kfrees "$BT")" = 1 ]'
check "partial backport: no .orig/.rej left in the BUILD tree" \
	eval '[ -z "$(find "$BT" -name "*.orig" -o -name "*.rej")" ]'

# --- more refusals ------------------------------------------------------------------

D=$work/rpm-conflict
topdir "$D" 2.6.32-431.el6 "$work/tree-conflict"
refusal "conflicting local edit in Source0" 6 "$D" spec "$D/SPECS/kernel.spec"
D=$work/rpm-nosource
topdir "$D" 2.6.32-431.el6 "$work/tree-partial"
rm "$D/SOURCES/linux-2.6.32-431.el6.tar.xz"
refusal "Source0 missing from SOURCES" 9 "$D" spec "$D/SPECS/kernel.spec"
D=$work/rpm-stale
topdir "$D" 2.6.32-431.el6 "$work/tree-431"
cp "$O431/SPECS/kernel.spec" "$D/SPECS/kernel.spec"
cp "$PATCHES/$P1" "$PATCHES/$P2" "$D/SOURCES/"
refusal "a spec that already applies 0002 to a -431-like Source0" 9 "$D" spec "$D/SPECS/kernel.spec"

tap_done
