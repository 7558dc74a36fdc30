# proof/matrix's parts: which trees, one row of the combined table from a
# tree's vendor-proof output, the table, the exit code.  Sourced, never run.
# shellcheck shell=bash
# awk programs are passed in single quotes on purpose:
# shellcheck disable=SC2016

# matrix_is_tree DIR: DIR looks like a kernel source tree.
matrix_is_tree() {
	[ -f "$1/Makefile" ] && [ -d "$1/arch/x86" ] && [ -f "$1/fs/exec.c" ]
}

# matrix_trees ARG...: the trees, one absolute path a line.  One argument
# that is a tree: that tree; a directory that is not: its subdirectories
# that are trees (in version order; others are named on stderr and
# skipped); a file: a list, one tree a line (blank lines and '#' comments
# skipped, relative paths from the list's directory).  Several arguments:
# each must be a tree.  Returns 1 with the reason on stderr on bad input.
matrix_trees() {
	local a d line n=0 base found

	if [ $# -eq 1 ] && [ -d "$1" ] && ! matrix_is_tree "$1"; then
		found=()
		for d in "$1"/*/; do
			[ -d "$d" ] || continue
			d=${d%/}
			if matrix_is_tree "$d"; then
				found+=("$(realpath -- "$d")")
			else
				echo "matrix: $d: not a kernel tree, skipped" >&2
			fi
		done
		[ ${#found[@]} -gt 0 ] || { echo "matrix: $1: no kernel tree in it" >&2; return 1; }
		printf '%s\n' "${found[@]}" | sort -V
		return 0
	fi
	if [ $# -eq 1 ] && [ -f "$1" ]; then
		base=$(cd "$(dirname "$1")" && pwd)
		while IFS= read -r line || [ -n "$line" ]; do
			n=$((n + 1))
			line=${line%%#*}
			line=$(echo "$line" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
			[ -n "$line" ] || continue
			case $line in /*) ;; *) line=$base/$line ;; esac
			if [ ! -d "$line" ] || ! matrix_is_tree "$line"; then
				echo "matrix: $1 line $n: $line: not a kernel source tree" >&2
				return 1
			fi
			realpath -- "$line"
		done <"$1"
		return 0
	fi
	for a in "$@"; do
		if [ ! -d "$a" ]; then
			echo "matrix: $a: no such directory or list file" >&2
			return 1
		fi
		matrix_is_tree "$a" || { echo "matrix: $a: not a kernel source tree" >&2; return 1; }
		realpath -- "$a"
	done
}

# matrix_fails RUNDIR AWK-CONDITION: subtests of one boot matching it.
matrix_fails() {
	awk -F'\t' "$2 && \$3 == \"FAIL\" { n++ } END { print n + 0 }" "$1/subtests.tsv"
}

# matrix_verdict RUNDIR WHAT: "FAIL(n)" or "pass" for the layout or leak
# subtests of one boot; "n/a" when every one of them was skipped (the
# layout tests on a 32-bit kernel); "-" when it did not boot.
matrix_verdict() {
	local cond n

	[ -f "$1/subtests.tsv" ] || { echo "-"; return 0; }
	case $2 in
	layout) cond='$1 ~ /^exec_layout/' ;;
	leak) cond='$1 == "interp_leak"' ;;
	esac
	n=$(awk -F'\t' "$cond { t++; if (\$3 != \"skip\") j++ } END { print (t && !j) ? \"na\" : \"\" }" "$1/subtests.tsv")
	[ -z "$n" ] || { echo "n/a"; return 0; }
	n=$(matrix_fails "$1" "$cond")
	if [ "$n" -gt 0 ]; then echo "FAIL($n)"; else echo pass; fi
}

# matrix_expect JOBDIR PROG: what a LAVA job's program must do (expect.tsv).
matrix_expect() {
	[ -f "$1/expect.tsv" ] || { echo "-"; return 0; }
	awk -F'\t' -v p="$2" '$1 == p { print $2; f = 1 } END { if (!f) print "-" }' "$1/expect.tsv"
}

# matrix_header: the TSV header of the combined table.
matrix_header() {
	printf 'tree\trelease\tlayout bug\tinterp leak\tleak, partial backport\tproof\tbuild clean s\tbuild incr s\tboot s\tccache hits\twall s\tobjects clean\n'
}

# matrix_row NAME OUT RC WALL [JOBS]: one row from a vendor-proof output
# directory OUT (its exit code RC, its wall time WALL); with JOBS (its
# --lava-jobs directory) the cells are what each job must show.
matrix_row() {
	local name=$1 out=$2 rc=$3 wall=$4 jobs=${5:-} rel maj min r layout leak partial proof after st2
	local clean incr boot hits objects

	rel="?"
	if [ -f "$out/identity.txt" ]; then
		maj=$(sed -n 's/^rhel_major=//p' "$out/identity.txt")
		min=$(sed -n 's/^rhel_minor=//p' "$out/identity.txt")
		r=$(sed -n 's/^rhel_release=//p' "$out/identity.txt")
		rel="RHEL $maj.$min"
		[ -z "$r" ] || rel="$rel, 2.6.32-$((r + 1)).el6"
	fi
	st2=$(grep '^0002-' "$out/status-stock.txt" 2>/dev/null | head -n 1 | cut -d: -f2- || true)
	after=patched
	if [ -n "$jobs" ]; then
		[ -d "$jobs/patched" ] || after=stock
		layout="job: $(matrix_expect "$jobs/stock" exec_layout_32) -> $(matrix_expect "$jobs/$after" exec_layout_32)"
		leak="job: $(matrix_expect "$jobs/stock" interp_leak) -> $(matrix_expect "$jobs/$after" interp_leak)"
		partial="job: $(matrix_expect "$jobs/partial" interp_leak) -> $(matrix_expect "$jobs/partial+0002" interp_leak)"
		[ -d "$jobs/partial" ] || partial="n/a"
	else
		[ -d "$out/runs/patched" ] || after=stock
		layout="$(matrix_verdict "$out/runs/stock" layout) -> $(matrix_verdict "$out/runs/$after" layout)"
		leak="$(matrix_verdict "$out/runs/stock" leak) -> $(matrix_verdict "$out/runs/$after" leak)"
		partial="$(matrix_verdict "$out/runs/partial" leak) -> $(matrix_verdict "$out/runs/partial+0002" leak)"
		[ -d "$out/runs/partial" ] || partial="n/a"
	fi
	case $st2 in *"prerequisite missing"*) leak="n/a"; partial="n/a" ;; esac
	case $rc in
	0) proof=ok; [ -z "$jobs" ] || proof="jobs written" ;;
	1) proof="FAILED($(grep -c '^CHECK FAILED' "$out/report.txt" 2>/dev/null || echo '?'))" ;;
	2) proof="refused (exit 2)" ;;
	3) proof="not built/booted (exit 3)" ;;
	*) proof="error (exit $rc)" ;;
	esac
	clean=$(awk -F'\t' '$1 == "build stock" { split($2, a, " "); print a[1] }' "$out/timings.tsv" 2>/dev/null || true)
	incr=$(awk -F'\t' '$1 ~ /^build / && $1 != "build stock" { split($2, a, " "); s += a[1]; n++ }
		END { if (n) printf "%.1f", s }' "$out/timings.tsv" 2>/dev/null || true)
	boot=$(awk -F'\t' '$1 ~ /^boot / { split($2, a, " "); s += a[1]
			if (match($2, /suite [0-9.]+/)) s += substr($2, RSTART + 6, RLENGTH - 6); n++ }
		END { if (n) printf "%.1f", s }' "$out/timings.tsv" 2>/dev/null || true)
	hits=$(awk -F'\t' '$1 ~ /^ccache / { split($2, a, " "); h += a[1]
			if (match($2, /[0-9]+ misses/)) m += substr($2, RSTART, RLENGTH - 7) + 0; n++ }
		END { if (n) printf "%d/%d", h, h + m }' "$out/timings.tsv" 2>/dev/null || true)
	objects=$(awk -F'\t' '$1 == "objects stock" { print $2 }' "$out/timings.tsv" 2>/dev/null || true)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rel" "$layout" "$leak" "$partial" \
		"$proof" "${clean:--}" "${incr:--}" "${boot:--}" "${hits:--}" "$wall" "${objects:--}"
}

# matrix_exit RC...: the matrix's exit code from the trees' vendor-proof
# codes: 1 when an expectation failed anywhere, else 3 when a tree could
# not be built, booted or was refused, else 0.
matrix_exit() {
	local rc worst=0

	for rc in "$@"; do
		case $rc in
		0) ;;
		1) worst=1 ;;
		*) [ "$worst" = 1 ] || worst=3 ;;
		esac
	done
	echo "$worst"
}
