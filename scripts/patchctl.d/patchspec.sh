# patchctl's kernel.spec side: which source a RHEL6-style kernel.spec
# builds, and adding Patch/ApplyOptionalPatch lines to it: sourced, never
# run.
# shellcheck shell=bash
# SOURCE0 and SOURCE_TREE are for the caller.
# shellcheck disable=SC2034
#
# The caller provides die (scripts/lib/msg.sh), WORK (a scratch
# directory) and snapshot_paths (the files the patches touch or inspect).

# The first free PatchNNNNN number tried.
readonly SPEC_FIRST_PATCHNUM=99001
# The line the new apply lines go before, and the declarations' form.
readonly SPEC_DECL_RE='^Patch[0-9]+:'
readonly SPEC_MARKER_RE='^[[:space:]]*(ApplyOptionalPatch|ApplyPatch)[[:space:]]+linux-kernel-test\.patch([[:space:]]|$)'

# spec_check SPEC: refuses a file without Patch declarations or without
# the linux-kernel-test.patch apply line.
spec_check() {
	grep -Eq "$SPEC_DECL_RE" "$1" ||
		die "$EX_SPEC" "'$1' has no PatchNNNN: declarations; is it a kernel.spec?"
	grep -Eq "$SPEC_MARKER_RE" "$1" ||
		die "$EX_SPEC" "'$1' has no 'ApplyOptionalPatch linux-kernel-test.patch' (or ApplyPatch) line to put the patches before"
}

# spec_has SPEC NAME: sets HAS_DECL and HAS_APPLY to 1 or 0: whether the
# spec has a PatchNNNN: line / an ApplyPatch or ApplyOptionalPatch line
# for NAME.
spec_has() {
	local n=${2//./\\.} rc
	HAS_DECL=1 HAS_APPLY=1
	rc=0
	grep -Eq "^Patch[0-9]+:[[:space:]]*${n}[[:space:]]*$" -- "$1" || rc=$?
	[ "$rc" -le 1 ] || die "$EX_SPEC" "cannot read '$1'"
	[ "$rc" = 0 ] || HAS_DECL=0
	rc=0
	grep -Eq "^[[:space:]]*(ApplyOptionalPatch|ApplyPatch)[[:space:]]+${n}([[:space:]]|$)" -- "$1" || rc=$?
	[ "$rc" -le 1 ] || die "$EX_SPEC" "cannot read '$1'"
	[ "$rc" = 0 ] || HAS_APPLY=0
}

# --- Source0 -------------------------------------------------------------

# spec_read_macros SPEC: fills SPEC_MACRO[name]=body from the spec's
# %define/%global lines and its Name/Version/Release tags.  A name given
# two different bodies (e.g. in %if branches) is marked ambiguous: which
# one holds depends on conditions this reader does not evaluate.
spec_read_macros() {
	local kind name body
	declare -gA SPEC_MACRO=() SPEC_AMBIGUOUS=()
	spec_macro_lines "$1" >"$WORK/spec.macros"
	while IFS=$'\t' read -r kind name body; do
		[ "$kind" = M ] || continue
		if [ -n "${SPEC_MACRO[$name]+set}" ] && [ "${SPEC_MACRO[$name]}" != "$body" ]; then
			SPEC_AMBIGUOUS[$name]=1
		fi
		SPEC_MACRO[$name]=$body
	done <"$WORK/spec.macros"
}

# The %define/%global lines and Name/Version/Release tags of a spec, as
# "M<TAB>name<TAB>body" lines.
spec_macro_lines() {
	LC_ALL=C awk '
	{ sub(/[ \t]+$/, "") }
	/^[ \t]*%(define|global)[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]/ {
		line = $0
		sub(/^[ \t]*%(define|global)[ \t]+/, "", line)
		name = line
		sub(/[ \t].*$/, "", name)
		body = substr(line, length(name) + 1)
		sub(/^[ \t]+/, "", body)
		# multi-line bodies (ending in a backslash) are not for file names
		if (body !~ /\\$/)
			print "M\t" name "\t" body
		next
	}
	tolower($0) ~ /^(name|version|release)[ \t]*:/ {
		tag = tolower($0)
		sub(/[ \t]*:.*$/, "", tag)
		body = $0
		sub(/^[^:]*:[ \t]*/, "", body)
		print "M\t" tag "\t" body
	}' "$1"
}

# spec_expand TEXT [DEPTH]: expands %{name}, %name, %{?name}, %{?name:x},
# %{!?name:x} and %% with SPEC_MACRO into EXPANDED; returns 1 with WHY
# set when TEXT uses anything else, an unknown or ambiguous macro.
spec_expand() {
	local s=$1 depth=${2:-0} out="" body name rest i c level neg cond alt
	if [ "$depth" -gt 20 ]; then
		WHY="macros nest too deep (recursive definition?)"
		return 1
	fi
	while [ -n "$s" ]; do
		case $s in
		%%*)
			out+=%
			s=${s:2}
			;;
		%\{*)
			# Find the matching closing brace.
			level=0
			for ((i = 1; i < ${#s}; i++)); do
				c=${s:i:1}
				if [ "$c" = "{" ]; then
					level=$((level + 1))
				elif [ "$c" = "}" ]; then
					level=$((level - 1))
					[ "$level" -gt 0 ] || break
				fi
			done
			if [ "$level" != 0 ]; then
				WHY="unbalanced braces in '$1'"
				return 1
			fi
			body=${s:2:i-2}
			s=${s:i+1}
			neg=0 cond=0 alt=""
			case $body in
			'!?'*) neg=1 cond=1 body=${body:2} ;;
			'?!'*) neg=1 cond=1 body=${body:2} ;;
			'?'*) cond=1 body=${body:1} ;;
			*) ;;
			esac
			name=${body%%:*}
			if [ "$name" != "$body" ]; then
				alt=${body#*:}
				[ "$cond" = 1 ] || {
					WHY="'%{$body}' is not a macro this reader expands"
					return 1
				}
			fi
			if ! [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
				WHY="'%{$body}' is not a macro this reader expands"
				return 1
			fi
			if [ -n "${SPEC_AMBIGUOUS[$name]+set}" ]; then
				WHY="%$name is defined more than once (in %if branches?)"
				return 1
			fi
			if [ "$cond" = 1 ]; then
				if { [ -n "${SPEC_MACRO[$name]+set}" ] && [ "$neg" = 0 ]; } ||
					{ [ -z "${SPEC_MACRO[$name]+set}" ] && [ "$neg" = 1 ]; }; then
					if [ "$body" != "$name" ]; then
						spec_expand "$alt" $((depth + 1)) || return 1
						out+=$EXPANDED
					elif [ "$neg" = 0 ]; then
						spec_expand "${SPEC_MACRO[$name]}" $((depth + 1)) || return 1
						out+=$EXPANDED
					fi
				fi
				continue
			fi
			if [ -z "${SPEC_MACRO[$name]+set}" ]; then
				WHY="%$name is not defined in the spec"
				return 1
			fi
			spec_expand "${SPEC_MACRO[$name]}" $((depth + 1)) || return 1
			out+=$EXPANDED
			;;
		%[A-Za-z_]*)
			rest=${s:1}
			name=${rest%%[!A-Za-z0-9_]*}
			s=${rest:${#name}}
			if [ -n "${SPEC_AMBIGUOUS[$name]+set}" ]; then
				WHY="%$name is defined more than once (in %if branches?)"
				return 1
			fi
			if [ -z "${SPEC_MACRO[$name]+set}" ]; then
				WHY="%$name is not defined in the spec"
				return 1
			fi
			spec_expand "${SPEC_MACRO[$name]}" $((depth + 1)) || return 1
			out+=$EXPANDED
			;;
		%*)
			WHY="'${s:0:2}...' (shell, lua or builtin macro) is not something this reader expands"
			return 1
			;;
		*)
			rest=${s%%\%*}
			out+=$rest
			s=${s:${#rest}}
			;;
		esac
	done
	EXPANDED=$out
}

# spec_source0_lines FILE: the values of the Source0:/Source: tags.
spec_source0_lines() {
	LC_ALL=C awk '
	tolower($0) ~ /^source0?[ \t]*:/ {
		v = $0
		sub(/^[^:]*:[ \t]*/, "", v)
		sub(/[ \t]+$/, "", v)
		print v
	}' "$1"
}

# spec_source0 SPEC: sets SOURCE0 to the file name of the spec's Source0
# (a URL's last part, as rpmbuild looks it up in SOURCES), expanding the
# spec's own macros; where those do not settle it, asks rpmspec -P if it
# is installed; else refuses.
spec_source0() {
	local spec=$1 values v names="" why="" out
	values=$(spec_source0_lines "$spec")
	[ -n "$values" ] || die "$EX_SPEC" "'$spec' has no Source0: line"
	spec_read_macros "$spec"
	while IFS= read -r v; do
		if ! spec_expand "$v"; then
			why="Source0 '$v': $WHY"
			break
		fi
		v=${EXPANDED##*/}
		case $'\n'"$names" in *$'\n'"$v"$'\n'*) ;; *) names="$names$v"$'\n' ;; esac
	done <<<"$values"
	if [ -z "$why" ] && [ "$(printf '%s' "$names" | grep -c .)" -gt 1 ]; then
		why="Source0 has $(printf '%s' "$names" | grep -c .) different values (in %if branches?)"
	fi
	if [ -z "$why" ]; then
		SOURCE0=${names%$'\n'}
		return 0
	fi
	if ! command -v rpmspec >/dev/null 2>&1; then
		die "$EX_SPEC" "cannot tell which tarball '$spec' builds: $why; install rpm (for rpmspec -P) or give the source tree with --tree DIR"
	fi
	if ! out=$(rpmspec -P "$spec" 2>"$WORK/rpmspec.err"); then
		die "$EX_SPEC" "cannot tell which tarball '$spec' builds: $why; rpmspec -P fails too ($(head -n 2 "$WORK/rpmspec.err" | tr '\n' ' ')); give the source tree with --tree DIR"
	fi
	printf '%s\n' "$out" >"$WORK/spec.parsed"
	values=$(spec_source0_lines "$WORK/spec.parsed")
	if [ "$(printf '%s\n' "$values" | grep -c .)" != 1 ] || [[ $values == *%* ]]; then
		die "$EX_SPEC" "cannot tell which tarball '$spec' builds: $why; rpmspec -P gives '$(printf '%s' "$values" | tr '\n' ' ')'; give the source tree with --tree DIR"
	fi
	SOURCE0=${values##*/}
}

# spec_unpack_source TARBALL DEST: extracts from TARBALL (any compression
# tar reads) its top Makefile and every file snapshot_paths names into
# DEST, and sets SOURCE_TREE to the tree's top directory in DEST.  Members
# the tarball lacks are fine (the status logic reports them); a tarball
# tar cannot read is refused.
spec_unpack_source() {
	local tb=$1 dest=$2 first lead="" name prefix="" f rc=0 members=()
	if [ ! -f "$tb" ] || [ ! -r "$tb" ]; then
		die "$EX_SPEC" "Source0 '$tb' is missing or unreadable; put it there or give the source tree with --tree DIR"
	fi
	first=$(LC_ALL=C tar -tf "$tb" 2>"$WORK/tar.err" | head -n 1) || true
	[ -n "$first" ] ||
		die "$EX_SPEC" "cannot read Source0 '$tb' as a tar archive: $(head -n 2 "$WORK/tar.err" | tr '\n' ' ')"
	name=$first
	if [ "${name#./}" != "$name" ]; then
		lead=./
		name=${name#./}
	fi
	if [[ $name == */* ]]; then
		prefix="$lead${name%%/*}/"
	else
		prefix=$lead
	fi
	members+=("${prefix}Makefile")
	snapshot_paths | LC_ALL=C sort -u >"$WORK/paths"
	while IFS= read -r f; do
		# patchctl apply's record belongs to a tree, not to a tarball.
		[ -z "$f" ] || [ "$f" = "$RECORD" ] || members+=("$prefix$f")
	done <"$WORK/paths"
	mkdir -p "$dest"
	# --occurrence: stop reading once every member was found.
	LC_ALL=C tar -xf "$tb" -C "$dest" --no-same-owner --occurrence "${members[@]}" 2>"$WORK/tar.err" || rc=$?
	if [ "$rc" != 0 ] && grep -Ev ': Not found in archive$|^tar: Exiting with failure status due to previous errors$' \
		"$WORK/tar.err" | grep -q .; then
		die "$EX_SPEC" "cannot read Source0 '$tb': $(head -n 2 "$WORK/tar.err" | tr '\n' ' ')"
	fi
	SOURCE_TREE=$dest/$prefix
	SOURCE_TREE=${SOURCE_TREE%/}
}

# spec_other_patches SPEC SOURCES: refuses when %prep applies, besides the
# series, a patch file from SOURCES that changes a file the series touches
# or inspects: Source0 is then not what the series would meet (decide on
# the BUILD tree of rpmbuild -bp with --tree instead).  Lines naming a
# shell variable (inside ApplyPatch's own definition) are skipped.
spec_other_patches() {
	local spec=$1 sources=$2 name f hit
	LC_ALL=C awk '/^[ \t]*(ApplyOptionalPatch|ApplyPatch)[ \t]+[^ \t$]/ { print $2 }' "$spec" >"$WORK/spec.applied"
	snapshot_paths >"$WORK/paths"
	while IFS= read -r name; do
		case " ${P_ALL[*]} linux-kernel-test.patch " in *" $name "*) continue ;; *) ;; esac
		if [[ $name == *%* ]]; then
			spec_expand "$name" ||
				die "$EX_SPEC" "cannot tell which file '$spec' applies with '$name': $WHY; give the tree %prep builds with --tree DIR"
			name=$EXPANDED
		fi
		f=$sources/$name
		# rpmbuild itself stops on a missing one.
		[ -f "$f" ] || continue
		case $name in
		*.bz2) bzip2 -dc -- "$f" >"$WORK/other.patch" ;;
		*.gz) gzip -dc -- "$f" >"$WORK/other.patch" ;;
		*.xz) xz -dc -- "$f" >"$WORK/other.patch" ;;
		*) cp -- "$f" "$WORK/other.patch" ;;
		esac || die "$EX_SPEC" "cannot read $f, which the spec applies"
		sed -n 's|^+++ [^/]*/\([^[:space:]]*\).*|\1|p' "$WORK/other.patch" >"$WORK/other.files"
		hit=$(grep -xF -f "$WORK/paths" -- "$WORK/other.files" | head -n 1) || true
		[ -z "$hit" ] ||
			die "$EX_SPEC" "the spec also applies $name, which changes $hit: Source0 is not what these patches would meet; run rpmbuild -bp and decide on its BUILD tree with --tree DIR"
	done <"$WORK/spec.applied"
}

# --- editing ---------------------------------------------------------------

# spec_edit SPEC OUT NAME...: writes to OUT the spec with, for each NAME,
# a PatchNNNNN: declaration (unused numbers from SPEC_FIRST_PATCHNUM) and
# an ApplyOptionalPatch line, unless it already has them.  New
# declarations go just before the linux-kernel-test.patch one (which stays
# last), or after the last declaration if there is none; new apply lines
# just before the linux-kernel-test.patch apply line.  Both go above the
# comment lines that introduce those lines.  Says what it adds.
spec_edit() {
	local spec=$1 out=$2 name num used
	shift 2
	used=" $(sed -n 's/^Patch\([0-9][0-9]*\):.*/\1/p' "$spec" | sed 's/^0*//' | tr '\n' ' ') "
	num=$SPEC_FIRST_PATCHNUM
	: >"$WORK/decls"
	: >"$WORK/applies"
	for name in "$@"; do
		spec_has "$spec" "$name"
		if [ "$HAS_DECL" = 0 ]; then
			while [[ $used == *" $num "* ]]; do
				num=$((num + 1))
			done
			used="$used$num "
			printf 'Patch%s: %s\n' "$num" "$name" >>"$WORK/decls"
			echo "spec: adding Patch$num: $name"
		fi
		if [ "$HAS_APPLY" = 0 ]; then
			printf 'ApplyOptionalPatch %s\n' "$name" >>"$WORK/applies"
			echo "spec: adding ApplyOptionalPatch $name"
		fi
	done
	DECLS=$WORK/decls APPLIES=$WORK/applies LC_ALL=C awk '
	BEGIN {
		decls = ENVIRON["DECLS"]
		applies = ENVIRON["APPLIES"]
	}
	function emit(file,    l) {
		while ((getline l < file) > 0)
			print l
		close(file)
	}
	FNR == NR {
		line[FNR] = $0
		if ($0 ~ /^Patch[0-9]+:/) {
			lastdecl = FNR
			if ($0 ~ /^Patch[0-9]+:[ \t]*linux-kernel-test\.patch[ \t]*$/ && !testdecl)
				testdecl = FNR
		}
		if (!marker && $0 ~ /^[ \t]*(ApplyOptionalPatch|ApplyPatch)[ \t]+linux-kernel-test\.patch([ \t]|$)/)
			marker = FNR
		next
	}
	FNR == 1 {
		if (testdecl)
			for (declat = testdecl; declat > 1 && line[declat - 1] ~ /^#/; declat--)
				;
		for (applyat = marker; applyat > 1 && line[applyat - 1] ~ /^[ \t]*#/; applyat--)
			;
	}
	{
		if (testdecl && FNR == declat)
			emit(decls)
		if (FNR == applyat)
			emit(applies)
		print
		if (!testdecl && FNR == lastdecl)
			emit(decls)
	}' "$spec" "$spec" >"$out"
}
