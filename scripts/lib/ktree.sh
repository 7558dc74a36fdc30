# Reading and transforming 2.6.32 kernel source trees: sourced, never run.
# shellcheck shell=bash

# ktree_makefile_var TREE NAME: the value of "NAME = value" in TREE's top
# Makefile (first word only; empty when unset).
ktree_makefile_var() {
	sed -n "s/^$2[[:space:]]*=[[:space:]]*\\([^[:space:]]*\\).*/\\1/p" \
		"$1/Makefile" | head -n 1
}

# ktree_uts_release FILE: the release in a generated utsrelease.h or
# version.h ("#define UTS_RELEASE "..."), empty when it has none.
ktree_uts_release() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$1" | head -n 1
}

# ktree_partial_backport IN OUT: write IN (an fs/exec.c whose free_bprm()
# frees bprm->interp) to OUT without those three lines: the state of vendor
# kernels that backported only the bprm_change_interp() half of upstream
# b66c5984 (CVE-2012-4530).  Fails, writing nothing, unless the lines are
# there exactly once.
ktree_partial_backport() {
	local in=$1 out=$2 tmp
	tmp=$(mktemp "${out}.XXXXXX")
	if ! LC_ALL=C awk '
		/^void free_bprm\(/ { inside = 1 }
		inside && /^}/ { inside = 0 }
		inside && /\/\* If a binfmt changed the interp, free it\. \*\// {
			getline cond; getline call
			if (cond ~ /^\tif \(bprm->interp != bprm->filename\)$/ &&
			    call ~ /^\t\tkfree\(bprm->interp\);$/) { found++; next }
			print; print cond; print call; next
		}
		{ print }
		END { exit found == 1 ? 0 : 1 }' "$in" >"$tmp"; then
		rm -f "$tmp"
		echo "ktree_partial_backport: $in: free_bprm() does not free bprm->interp exactly once" >&2
		return 1
	fi
	mv "$tmp" "$out"
}
