# patchctl's patch set: reading the series and its patches, and deciding
# on a scratch copy what each patch would do to a tree: sourced, never run.
# shellcheck shell=bash
# "[ A ] && [ B ] || die" is meant throughout: die unless both tests hold.
# P_ALL, SNAP_FILES, PROBLEM, FAILED, TREE_ID are for the caller.
# shellcheck disable=SC2015,SC2034
#
# The caller provides die (scripts/lib/msg.sh), PATCHES_DIR (the patch
# set) and WORK (a scratch directory).  load_series fills the P_* arrays; snapshot
# copies from a source tree every file the patches touch or inspect into
# $WORK/tree and $WORK/orig; evaluate then tries them there, in series
# order, so that patch N+1 sees the result of patch N.  "status", "apply",
# "revert" and "spec" all decide with these functions.

# What "apply" applied, so that "revert" removes exactly that and never a
# change the vendor tree shipped itself (stock -358 and later contain
# 0002's lines; reverting those would reintroduce the leak).
readonly RECORD=.el6-execfix-applied


# Checks one patch file's structure (so that a truncated or hand-edited
# patch is refused before anything runs) and prints what it touches:
#   F<TAB>path                   one per file
#   H<TAB>path<TAB>n<TAB>header  one per hunk
# or E<TAB>line<TAB>message and status 1.
scan_patch() {
	LC_ALL=C awk '
	function err(msg) {
		printf "E\t%d\t%s\n", NR, msg
		bad = 1
		exit 1
	}
	function path(s) {
		s = substr(s, 5)
		sub(/\t.*$/, "", s)
		return s
	}
	state == "hunk" {
		c = substr($0, 1, 1)
		if ($0 == "")
			c = " "
		if (c == " ") {
			old--; new--
		} else if (c == "-") {
			old--
		} else if (c == "+") {
			new--
		} else if (c == "\\") {
			next
		} else {
			err(sprintf("hunk #%d of %s ends early (%d old and %d new lines missing)", hn, file, old, new))
		}
		if (old < 0 || new < 0)
			err(sprintf("hunk #%d of %s is longer than its header says", hn, file))
		if (old == 0 && new == 0)
			state = "between"
		next
	}
	/^--- / && state != "filehdr" {
		minus = path($0)
		if ((getline) <= 0 || $0 !~ /^\+\+\+ /)
			err("\"--- \" line not followed by \"+++ \"")
		plus = path($0)
		if (minus == "/dev/null" || plus == "/dev/null")
			err("creates or deletes a file (not supported)")
		if (minus !~ /^a\// || plus !~ /^b\//)
			err("file names must start with a/ and b/ (-p1)")
		file = substr(plus, 3)
		if (substr(minus, 3) != file)
			err("renames are not supported")
		if (file ~ /^\// || file ~ /(^|\/)\.\.(\/|$)/ || file == "")
			err("unsafe file name " file)
		print "F\t" file
		nfiles++
		hn = 0
		state = "filehdr"
		next
	}
	/^@@ / && (state == "filehdr" || state == "between") {
		if (!match($0, /^@@ -[0-9]+(,[0-9]+)? \+[0-9]+(,[0-9]+)? @@/))
			err("malformed hunk header")
		h = substr($0, 4, RLENGTH - 6)
		split(h, part, " ")
		n = split(substr(part[1], 2), a, ",")
		old = (n > 1) ? a[2] + 0 : 1
		n = split(substr(part[2], 2), a, ",")
		new = (n > 1) ? a[2] + 0 : 1
		if (old == 0 && new == 0)
			err("empty hunk")
		hn++
		print "H\t" file "\t" hn "\t" $0
		state = "hunk"
		next
	}
	state == "filehdr" {
		err("no hunk after the file header of " file)
	}
	END {
		if (bad)
			exit 1
		if (state == "hunk")
			err(sprintf("hunk #%d of %s is truncated", hn, file))
		if (state == "filehdr")
			err("no hunk after the file header of " file)
		if (nfiles == 0)
			err("no diff found")
	}' "$1"
}

# Prerequisites live in the patch's notes (after the "---" line, before
# the diff; git am and patch ignore that part):
#   patchctl-requires: FILE ERE   FILE must exist and contain a match
#   patchctl-forbids: FILE ERE    FILE must not contain a match
#   patchctl-reason: TEXT         why (may repeat; lines are joined)
#   patchctl-present: FILE ERE    the fix in another form: when the patch
#                                 neither applies nor reverses and every
#                                 such line matches, it is already applied
# Prints "requires<TAB>file<TAB>ere", "forbids<TAB>...", "present<TAB>...",
# "reason<TAB>text".
scan_prereqs() {
	LC_ALL=C awk '
	/^diff --git / || /^--- a\// { exit }
	match($0, /^[ \t]*patchctl-(requires|forbids|present|reason):/) {
		kind = $0
		sub(/^[ \t]*patchctl-/, "", kind)
		sub(/:.*$/, "", kind)
		rest = substr($0, RLENGTH + 1)
		sub(/^[ \t]+/, "", rest)
		sub(/[ \t]+$/, "", rest)
		if (kind == "reason") {
			print "reason\t" rest
			next
		}
		f = rest
		sub(/[ \t].*$/, "", f)
		re = substr(rest, length(f) + 1)
		sub(/^[ \t]+/, "", re)
		if (f == "" || re == "")
			printf "E\t%d\tpatchctl-%s needs FILE and a regular expression\n", NR, kind
		else
			print kind "\t" f "\t" re
	}' "$1"
}

# Fills P_NAME/P_PATH/P_FILES/P_HUNKS/P_PREREQ for the selected patches
# (arguments: names or numbers; none = the whole series).
load_series() {
	local series=$PATCHES_DIR/series line name scan pre i want found
	[ -f "$series" ] && [ -r "$series" ] ||
		die "$EX_BADPATCH" "no readable series file: $series"
	P_NAME=()
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line%%#*}
		line=$(printf '%s' "$line" | tr -d ' \t\r')
		[ -n "$line" ] || continue
		case $line in
		*/*) die "$EX_BADPATCH" "series: '$line' must be a file name in $PATCHES_DIR" ;;
		esac
		P_NAME+=("$line")
	done <"$series"
	[ ${#P_NAME[@]} -gt 0 ] || die "$EX_BADPATCH" "series file lists no patch: $series"
	P_ALL=("${P_NAME[@]}")

	if [ $# -gt 0 ]; then
		local selected=()
		for want in "$@"; do
			found=0
			for name in "${P_NAME[@]}"; do
				case $name in
				"$want" | "$want"-*)
					selected+=("$name")
					found=1
					;;
				esac
			done
			[ $found = 1 ] || die "$EX_USAGE" "no patch '$want' in $series"
		done
		# Keep series order whatever order the arguments came in.
		local ordered=()
		for name in "${P_NAME[@]}"; do
			for want in "${selected[@]}"; do
				if [ "$name" = "$want" ]; then
					ordered+=("$name")
					break
				fi
			done
		done
		P_NAME=("${ordered[@]}")
	fi

	P_PATH=() P_FILES=() P_HUNKS=() P_PREREQ=()
	for i in "${!P_NAME[@]}"; do
		name=${P_NAME[$i]}
		P_PATH[i]=$PATCHES_DIR/$name
		[ -f "${P_PATH[$i]}" ] && [ -r "${P_PATH[$i]}" ] ||
			die "$EX_BADPATCH" "patch listed in series is missing or unreadable: ${P_PATH[$i]}"
		scan=$(scan_patch "${P_PATH[$i]}") ||
			die "$EX_BADPATCH" "mangled patch $name: line $(printf '%s\n' "$scan" | awk -F'\t' '$1 == "E" { print $2 ": " $3 }')"
		P_FILES[i]=$(printf '%s\n' "$scan" | awk -F'\t' '$1 == "F" { print $2 }')
		P_HUNKS[i]=$(printf '%s\n' "$scan" | awk '/^H\t/')
		pre=$(scan_prereqs "${P_PATH[$i]}")
		if printf '%s\n' "$pre" | grep -q '^E'; then
			die "$EX_BADPATCH" "mangled patch $name: line $(printf '%s\n' "$pre" | awk -F'\t' '$1 == "E" { print $2 ": " $3; exit }')"
		fi
		P_PREREQ[i]=$pre
		# A bad regular expression is a broken patch, not a missing
		# prerequisite: grep -E exits 2 for it.
		while IFS=$'\t' read -r kind f re; do
			case $kind in requires | forbids | present) ;; *) continue ;; esac
			local grc=0
			grep -Eq -e "$re" /dev/null 2>/dev/null || grc=$?
			[ $grc -ne 2 ] || die "$EX_BADPATCH" "mangled patch $name: bad regular expression for $f: $re"
		done <<<"$pre"
	done
}


# run_patch DIR PATCHFILE [patch options]: output in PATCH_OUT, patch's
# exit status as ours.
run_patch() {
	local dir=$1 pf=$2 rc=0
	shift 2
	# Rejects go to the scratch area: "-r -" only means "discard" in
	# newer patch versions.
	PATCH_OUT=$(LC_ALL=C patch -d "$dir" -p1 --fuzz=0 --force \
		--no-backup-if-mismatch --reject-file="$WORK/rejects" \
		--quoting-style=literal \
		"$@" -i "$pf" 2>&1) || rc=$?
	return $rc
}

# failed_hunks I: sets FAILED to the failing file and hunk(s) of patch I
# in PATCH_OUT, with the hunks' headers.
failed_hunks() {
	local i=$1 out
	out=$(printf '%s\n' "$PATCH_OUT" | HUNKS=${P_HUNKS[$i]} LC_ALL=C awk '
	BEGIN {
		n = split(ENVIRON["HUNKS"], line, "\n")
		for (k = 1; k <= n; k++) {
			split(line[k], f, "\t")
			hdr[f[2] "\t" f[3]] = f[4]
		}
	}
	/^(checking|patching) file / { file = $0; sub(/^(checking|patching) file /, "", file) }
	/^Hunk #[0-9]+ FAILED/ {
		num = $2
		sub(/^#/, "", num)
		printf "%s%s hunk #%s (%s)", sep, file, num, hdr[file "\t" num]
		sep = "; "
	}')
	if [ -z "$out" ]; then
		out=$(printf '%s\n' "$PATCH_OUT" | sed -e '/^\(checking\|patching\) file/d' -e 3q | tr '\n' ' ')
	fi
	FAILED=$out
}

# snapshot SRC: copies every file the selected patches touch or inspect
# from the tree SRC into $WORK/tree (to be patched) and $WORK/orig
# (pristine), same relative paths; SNAP_FILES lists them.
snapshot() {
	local src=$1 i f kind
	mkdir -p "$WORK/tree" "$WORK/orig"
	SNAP_FILES=()
	for i in "${!P_NAME[@]}"; do
		while IFS= read -r f; do
			[ -z "$f" ] || SNAP_FILES+=("$f")
		done <<<"${P_FILES[$i]}"
		while IFS=$'\t' read -r kind f _; do
			case $kind in requires | forbids | present) SNAP_FILES+=("$f") ;; esac
		done <<<"${P_PREREQ[$i]}"
	done
	SNAP_FILES+=("$RECORD")
	for f in "${SNAP_FILES[@]}"; do
		[ -f "$src/$f" ] || continue
		[ ! -f "$WORK/orig/$f" ] || continue
		mkdir -p "$WORK/tree/$(dirname "$f")" "$WORK/orig/$(dirname "$f")"
		cp -p -- "$src/$f" "$WORK/tree/$f" && cp -p -- "$src/$f" "$WORK/orig/$f" ||
			die "$EX_FAIL" "cannot read $src/$f"
	done
}

# snapshot_paths: the files snapshot reads, one a line (relative paths).
snapshot_paths() {
	local i f kind
	for i in "${!P_NAME[@]}"; do
		printf '%s\n' "${P_FILES[$i]}"
		while IFS=$'\t' read -r kind f _; do
			case $kind in requires | forbids | present) printf '%s\n' "$f" ;; esac
		done <<<"${P_PREREQ[$i]}"
	done
	printf '%s\n' "$RECORD"
}

# grep_file ERE FILE: 0 when FILE has a match, 1 when not; a file grep
# cannot read is an error (grep says 2), never "no match".
grep_file() {
	local rc=0
	grep -Eq -e "$1" -- "$2" || rc=$?
	[ "$rc" -le 1 ] || die "$EX_FAIL" "cannot read $2 (grep exit $rc)"
	return "$rc"
}

# prereq_problem I: sets PROBLEM to "" when patch I's prerequisites hold
# in $WORK/tree, else to why not.  (A variable, not output: a function
# run inside $(...) or a condition runs without set -e.)
prereq_problem() {
	local i=$1 kind f re reason="" why="" rc line
	while IFS=$'\t' read -r kind f re; do
		if [ "$kind" = reason ]; then
			reason="$reason${reason:+ }$f${re:+ $re}"
		fi
	done <<<"${P_PREREQ[$i]}"
	while IFS=$'\t' read -r kind f re; do
		case $kind in
		requires)
			if [ ! -f "$WORK/tree/$f" ]; then
				why="$f is missing"
			else
				rc=0
				grep_file "$re" "$WORK/tree/$f" || rc=$?
				[ "$rc" = 0 ] || why="$f has no match for /$re/"
			fi
			;;
		forbids)
			if [ -f "$WORK/tree/$f" ]; then
				rc=0
				grep_file "$re" "$WORK/tree/$f" || rc=$?
				if [ "$rc" = 0 ]; then
					line=$(grep -Ehm1 -e "$re" -- "$WORK/tree/$f")
					why="$f matches /$re/ (${line#"${line%%[![:space:]]*}"})"
				fi
			fi
			;;
		*) ;;
		esac
		[ -z "$why" ] || break
	done <<<"${P_PREREQ[$i]}"
	PROBLEM=$why${why:+${reason:+: $reason}}
}

# present_form I: 0 when patch I has patchctl-present lines and every one
# matches in $WORK/tree (the fix is there in another form); sets PRESENT
# to the first match.
present_form() {
	local kind f re n=0 line
	PRESENT=
	while IFS=$'\t' read -r kind f re; do
		[ "$kind" = present ] || continue
		n=$((n + 1))
		[ -f "$WORK/tree/$f" ] || return 1
		grep_file "$re" "$WORK/tree/$f" || return 1
		line=$(grep -Ehm1 -e "$re" -- "$WORK/tree/$f")
		[ -n "$PRESENT" ] || PRESENT="$f: ${line#"${line%%[![:space:]]*}"}"
	done <<<"${P_PREREQ[$1]}"
	[ "$n" -gt 0 ]
}

# Decides, patch by patch in DIRECTION order, what each would do, and
# performs it on the scratch copy so that the next patch sees the result.
# Sets P_STATE[i] to applies|applied|conflict|prereq (forward) or
# reverts|kept|unapplied|conflict (reverse), and P_DETAIL[i].
evaluate() {
	local direction=$1 i order f missing fwd rev
	P_STATE=() P_DETAIL=()
	order=${!P_NAME[*]}
	if [ "$direction" = reverse ]; then
		# shellcheck disable=SC2086 # indices: split on purpose
		order=$(printf '%s\n' $order | sort -rn)
	fi
	for i in $order; do
		missing=
		while IFS= read -r f; do
			[ -f "$WORK/tree/$f" ] || missing="$missing $f"
		done <<<"${P_FILES[$i]}"
		if [ "$direction" = forward ]; then
			prereq_problem "$i"
			P_DETAIL[i]=$PROBLEM
			if [ -n "$PROBLEM" ]; then
				P_STATE[i]=prereq
				continue
			fi
		fi
		if [ -n "$missing" ]; then
			P_STATE[i]=conflict
			P_DETAIL[i]="file missing in the tree:$missing"
			continue
		fi
		fwd=0 rev=0
		run_patch "$WORK/tree" "${P_PATH[$i]}" --dry-run -R || rev=$?
		run_patch "$WORK/tree" "${P_PATH[$i]}" --dry-run || fwd=$?
		[ $fwd -le 1 ] && [ $rev -le 1 ] ||
			die "$EX_BADPATCH" "patch(1) cannot use ${P_NAME[$i]}: $(printf '%s' "$PATCH_OUT" | head -n 2 | tr '\n' ' ')"
		if [ $fwd = 0 ] && [ $rev = 0 ]; then
			P_STATE[i]=conflict
			P_DETAIL[i]="ambiguous: the patch applies both forward and in reverse"
			continue
		fi
		if [ "$direction" = forward ]; then
			if [ $fwd = 0 ]; then
				P_STATE[i]=applies
				run_patch "$WORK/tree" "${P_PATH[$i]}" ||
					die "$EX_FAIL" "applying ${P_NAME[$i]} to the scratch copy failed after a clean dry run: $PATCH_OUT"
			elif [ $rev = 0 ]; then
				P_STATE[i]=applied
			elif present_form "$i"; then
				P_STATE[i]=applied
				P_DETAIL[i]="in another form ($PRESENT)"
			else
				run_patch "$WORK/tree" "${P_PATH[$i]}" --dry-run || true
				P_STATE[i]=conflict
				failed_hunks "$i"
				P_DETAIL[i]=$FAILED
			fi
		else
			if [ $rev = 0 ] && ! recorded "${P_NAME[$i]}"; then
				# Not put there by apply: the tree's own code.
				P_STATE[i]=kept
			elif [ $rev = 0 ]; then
				P_STATE[i]=reverts
				run_patch "$WORK/tree" "${P_PATH[$i]}" -R ||
					die "$EX_FAIL" "reverting ${P_NAME[$i]} on the scratch copy failed after a clean dry run: $PATCH_OUT"
			elif [ $fwd = 0 ]; then
				P_STATE[i]=unapplied
			else
				run_patch "$WORK/tree" "${P_PATH[$i]}" --dry-run -R || true
				P_STATE[i]=conflict
				failed_hunks "$i"
				P_DETAIL[i]=$FAILED
			fi
		fi
	done
}

# check_tree DIR WHAT: sets TREE_ID, or refuses DIR (WHAT names it in
# messages) unless it is a 2.6.32 kernel tree.
check_tree() {
	local dir=$1 what=$2 v p s var val rhel=""
	[ -d "$dir" ] || die "$EX_NOTTREE" "not a kernel tree: $what is not a directory"
	[ -f "$dir/Makefile" ] && [ -r "$dir/Makefile" ] ||
		die "$EX_NOTTREE" "not a kernel tree: $what has no top-level Makefile"
	v=$(ktree_makefile_var "$dir" VERSION)
	p=$(ktree_makefile_var "$dir" PATCHLEVEL)
	s=$(ktree_makefile_var "$dir" SUBLEVEL)
	[ -n "$v" ] && [ -n "$p" ] && [ -n "$s" ] ||
		die "$EX_NOTTREE" "not a kernel tree: the Makefile of $what does not set VERSION, PATCHLEVEL and SUBLEVEL"
	for var in RHEL_MAJOR RHEL_MINOR RHEL_RELEASE; do
		val=$(ktree_makefile_var "$dir" "$var")
		rhel="$rhel $var=${val:-(unset)}"
	done
	TREE_ID="$v.$p.$s,$rhel"
	[ "$v.$p.$s" = 2.6.32 ] ||
		die "$EX_VERSION" "$what is Linux $v.$p.$s; these patches are for 2.6.32 only"
}

# print_identity LABEL: what the patches were decided on.
print_identity() {
	echo "$1"
	echo "version: ${TREE_ID%%,*}"
	echo "rhel:${TREE_ID#*,}"
	if [ -f "$WORK/orig/$RECORD" ]; then
		echo "applied by patchctl apply: $(grep -v '^#' "$WORK/orig/$RECORD" | tr '\n' ' ')"
	fi
}

print_rows() {
	local i text
	for i in "${!P_NAME[@]}"; do
		case ${P_STATE[$i]} in
		applies) text="applies" ;;
		applied) text="already applied" ;;
		reverts) text="applied by patchctl apply (reverts)" ;;
		kept) text="applied, but not by patchctl apply (part of the tree: left alone)" ;;
		unapplied) text="not applied" ;;
		conflict) text="conflicts: ${P_DETAIL[$i]}" ;;
		prereq) text="prerequisite missing: ${P_DETAIL[$i]}" ;;
		*) text="?" ;;
		esac
		printf '%s: %s\n' "${P_NAME[$i]}" "$text"
		case ${P_STATE[$i]}:${P_DETAIL[$i]:-} in
		applied:"in another form"*) printf '  %s\n' "${P_DETAIL[$i]}" ;;
		esac
	done
}

# verdict: sets VERDICT, the exit status for the evaluated states:
# conflicts first, then prerequisites.
# shellcheck disable=SC2153 # EX_PREREQ: from exit-codes.sh, sourced by the caller
verdict() {
	local i
	VERDICT=0
	for i in "${!P_NAME[@]}"; do
		case ${P_STATE[$i]} in
		conflict)
			VERDICT=$EX_CONFLICT
			return 0
			;;
		prereq) VERDICT=$EX_PREREQ ;;
		*) ;;
		esac
	done
}

# recorded NAME: whether the scratch record lists NAME.
recorded() {
	local rc=0
	[ -f "$WORK/tree/$RECORD" ] || return 1
	grep -qxF -e "$1" -- "$WORK/tree/$RECORD" || rc=$?
	[ "$rc" -le 1 ] || die "$EX_FAIL" "cannot read the record $RECORD"
	return "$rc"
}

