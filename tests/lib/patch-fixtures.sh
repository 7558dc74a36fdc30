# Fixture kernel trees built from el6-execfix's own patches, and tree
# checksums: sourced by the tests, never run.
# shellcheck shell=bash
#
# It is sourced after tests/lib/tap.sh, whose repo gives PATCHES (the
# patches/ directory) and PATCHCTL (the patchctl to run).  A hunk's
# context and '-' lines give the pre-image, context and '+' lines the
# post-image (this parser is independent of patchctl's), so no vendor file
# is needed.
PATCHES=${repo:?source tests/lib/tap.sh first}/patches
PATCHCTL=$repo/scripts/patchctl
mapfile -t SERIES < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$PATCHES/series")
P1=${SERIES[0]}
P2=${SERIES[1]}


# patch_image PATCH MODE: "F<TAB>path" then "L<TAB>line" records of the
# hunks' pre-image (MODE pre) or post-image (post); pre-edit/post-edit
# change the last context line of every hunk, as a local edit would.
patch_image() {
	awk -v mode="$2" '
	function img(t) { print "L\t" t }
	state == "hunk" {
		c = substr($0, 1, 1)
		t = substr($0, 2)
		if ($0 == "")
			c = " "
		if (c == "\\")
			next
		if (c == " " || c == "-")
			old--
		if (c == " " || c == "+")
			new--
		if (c == " ") {
			if (old == 0 && mode ~ /-edit$/)
				t = t " /* local edit */"
			img(t)
		} else if (c == "-" && mode ~ /^pre/) {
			img(t)
		} else if (c == "+" && mode ~ /^post/) {
			img(t)
		}
		if (old <= 0 && new <= 0) {
			img("/* fixture: after a hunk */")
			state = ""
		}
		next
	}
	/^\+\+\+ b\// {
		f = substr($0, 7)
		sub(/\t.*$/, "", f)
		print "F\t" f
		next
	}
	/^@@ -/ {
		split($0, w, " ")
		n = split(substr(w[2], 2), a, ",")
		old = (n > 1) ? a[2] : 1
		n = split(substr(w[3], 2), a, ",")
		new = (n > 1) ? a[2] : 1
		state = "hunk"
		img("/* fixture: before a hunk */")
	}' "$1"
}

# gen_files PATCH MODE DEST
gen_files() {
	local line cur=""
	while IFS= read -r line; do
		case $line in
		F$'\t'*)
			cur="$3/${line#F$'\t'}"
			mkdir -p "$(dirname "$cur")"
			printf '/* fixture for %s */\n' "${line#F$'\t'}" >"$cur"
			;;
		L$'\t'*)
			printf '%s\n' "${line#L$'\t'}" >>"$cur"
			;;
		esac
	done < <(patch_image "$1" "$2")
}

touched_files() {
	sed -n 's/^+++ b\/\([^\t]*\).*/\1/p' "$1"
}

# make_tree DIR STATE1 STATE2 [PREREQ] [MAKEFILE-SUBLEVEL]
#   STATEn: pre | post | pre-edit | post-edit for patch n
#   PREREQ: ok (default) | noexec (fs/exec.c lacks bprm_change_interp) |
#           direct (binfmt_misc.c assigns bprm->interp directly)
make_tree() {
	local d=$1 s1=$2 s2=$3 pre=${4:-ok} sub=${5:-32}
	case $pre in
	ok | noexec | direct) ;;
	*)
		echo "make_tree: unknown PREREQ '$pre'" >&2
		return 1
		;;
	esac
	mkdir -p "$d"
	printf 'VERSION = 2\nPATCHLEVEL = 6\nSUBLEVEL = %s\nEXTRAVERSION =\nRHEL_MAJOR = 6\nRHEL_MINOR = 5\nRHEL_RELEASE = 430\n' "$sub" >"$d/Makefile"
	gen_files "$PATCHES/$P1" "$s1" "$d"
	gen_files "$PATCHES/$P2" "$s2" "$d"
	mkdir -p "$d/fs"
	if [ "$pre" != noexec ]; then
		echo 'int bprm_change_interp(char *interp, struct linux_binprm *bprm)' >>"$d/fs/exec.c"
	fi
	echo '	retval = bprm_change_interp(interp, bprm);' >"$d/fs/binfmt_script.c"
	if [ "$pre" = direct ]; then
		echo '	bprm->interp = iname;	/* for binfmt_script */' >"$d/fs/binfmt_misc.c"
	else
		echo '	retval = bprm_change_interp(iname, bprm);' >"$d/fs/binfmt_misc.c"
	fi
}

# Every path and every file's checksum: equal output = identical tree.
tree_sum() {
	(cd "$1" && find . -print0 | LC_ALL=C sort -z | xargs -0 ls -ld --time-style=+ |
		awk '{ $2 = ""; print }' && find . -type f -print0 | LC_ALL=C sort -z |
		xargs -0 -r sha256sum) | sha256sum
}

no_leftovers() {
	[ -z "$(find "$1" \( -name '*.orig' -o -name '*.rej' -o -name '.patchctl*' \) -print)" ]
}

# --- running patchctl (uses tests/lib/tap.sh) ---

check() { # check DESCRIPTION COMMAND...
	local d=$1 rc=0
	shift
	"$@" || rc=$?
	tap_result $rc "$d"
}
diag() {
	sed 's/^/# /'
}

# pc ARGS...: runs patchctl; its stdout+stderr in OUT, its exit status in RC.
OUT=
RC=0
pc() {
	RC=0
	OUT=$("$PATCHCTL" "$@" 2>&1) || RC=$?
}
has() { printf '%s\n' "$OUT" | grep -qF -e "$1"; }
row() { printf '%s\n' "$OUT" | grep -F -e "$1: " | head -n 1; }

# refusal DESC EXPECTED-RC DIR ARGS...: patchctl ARGS must exit with that
# code and leave DIR (a tree, or an rpmbuild directory with spec and
# SOURCES) byte-identical with no leftovers.
refusal() {
	local desc=$1 want=$2 dir=$3 before after
	shift 3
	before=$(tree_sum "$dir")
	pc "$@"
	after=$(tree_sum "$dir")
	tap_result "$([ "$RC" = "$want" ] && echo 0 || echo 1)" "$desc: exit $want (got $RC)"
	[ "$RC" = "$want" ] || printf '%s\n' "$OUT" | diag
	if [ "$before" = "$after" ] && no_leftovers "$dir"; then
		tap_result 0 "$desc: $(basename -- "$dir") byte-identical (checksums of every file), no .orig/.rej/temp"
	else
		tap_result 1 "$desc: $(basename -- "$dir") byte-identical (checksums of every file), no .orig/.rej/temp"
	fi
}
