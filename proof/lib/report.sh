# The proof's report: the subtests of each boot, the evidence of failures,
# counts, and the before/after table.  Sourced by proof/vendor-proof, never
# run.  Every function reads the boots' results under $RUNS/VARIANT/
# (results.tap from qemu/run-qemu, subtests.tsv from report_subtests).
# shellcheck shell=bash
# awk programs are passed in single quotes on purpose:
# shellcheck disable=SC2016

# report_subtests TAP: one line per guest subtest:
# program<TAB>key<TAB>verdict<TAB>description.  key is the description up
# to its first ':' (the part that names the case, without the measured
# values); verdict ok|FAIL|skip.
report_subtests() {
	awk '
	/^# run: / { prog = $3; next }
	/^# result: / { prog = ""; next }
	prog != "" && /^# (not ok|ok) [0-9]+/ {
		line = substr($0, 3)
		verdict = (line ~ /^not ok/) ? "FAIL" : "ok"
		sub(/^(not ok|ok) [0-9]+ (- )?/, "", line)
		# a skipped case is named by its reason (all would be "skip" else)
		if (line ~ /# SKIP/) { verdict = "skip"; sub(/^.*# SKIP /, "", line) }
		key = line
		sub(/:.*$/, "", key)
		if (verdict == "skip") line = "skip: " line
		printf "%s\t%s\t%s\t%s\n", prog, key, verdict, line
	}' "$1"
}

# report_evidence VARIANT: every failing case, and for the first two of each
# program the lines the test printed about it (addresses, allocator symbol
# the module saw, slab growth per exec, the module's outstanding count),
# maps left out.
report_evidence() {
	awk '
	/^# run: / { prog = $3; buf = ""; shown = 0; next }
	/^# (not ok|ok) [0-9]+/ {
		if ($0 ~ /^# not ok/) {
			line = substr($0, 3)
			sub(/^not ok [0-9]+ (- )?/, "", line)
			printf "  FAIL %s: %s\n", prog, line
			if (shown++ < 2)
				printf "%s", buf
		}
		buf = ""
		next
	}
	/^# # / {
		l = substr($0, 5)
		if (l ~ /^ *#? *[0-9a-f]+-[0-9a-f]+ / || l ~ /maps of the child/ || l ~ /^ *$/)
			next
		sub(/^ +/, "", l)
		buf = buf "        " l "\n"
	}' "$RUNS/$1/results.tap"
}

# report_count VARIANT AWK-CONDITION: subtests of the variant matching it.
report_count() { awk -F'\t' "$2 { n++ } END { print n + 0 }" "$RUNS/$1/subtests.tsv"; }
layout_fail() { report_count "$1" '$1 ~ /^exec_layout/ && $3 == "FAIL"'; }
libs_fail() { report_count "$1" '$1 ~ /^exec_layout/ && $3 == "FAIL" && $2 ~ / libraries$/'; }
layout_other_fail() { report_count "$1" '$1 ~ /^exec_layout/ && $3 == "FAIL" && $2 !~ /^parent 32 -> child 64/'; }
leak_fail() { report_count "$1" '$1 == "interp_leak" && $3 == "FAIL"'; }
all_fail() { report_count "$1" '$3 == "FAIL"'; }
prog_count() { report_count "$1" "\$1 == \"$2\""; }
# report_lowmem VARIANT: interp_leak's lowmem case (32-bit HIGHMEM kernels):
# its line after "lowmem: ", empty when the case did not run.
report_lowmem() {
	awk -F'\t' '$1 == "interp_leak" && $2 == "lowmem" { sub(/^(skip: )?lowmem: /, "", $4); print $4; exit }' \
		"$RUNS/$1/subtests.tsv"
}
# 32-bit kernels: exec_layout cases judged (ok or FAIL; none may be), and
# those that said "not applicable (32-bit kernel)".
layout_judged() { report_count "$1" '$1 ~ /^exec_layout/ && $3 != "skip"'; }
layout_na() { report_count "$1" '$1 ~ /^exec_layout/ && $3 == "skip" && $4 ~ /not applicable \(32-bit kernel\)/'; }
# prog_verdict VARIANT PROGRAM: its verdict in run-qemu's results.tsv
# (pass, fail, skip, ...), empty when it did not run.
prog_verdict() { awk -F'\t' -v p="$2" '$1 == p { print $3; exit }' "$RUNS/$1/results.tsv"; }

# report_table VARIANT...: the before/after table as TSV: one row per
# subtest (first-seen order over all variants), one column per variant;
# a cell is the verdict, with the exec map address or the slab growth.
report_table() {
	local v prog key cell

	printf 'test'
	for v in "$@"; do printf '\t%s' "$v"; done
	printf '\n'
	for v in "$@"; do cut -f1,2 "$RUNS/$v/subtests.tsv"; done | awk '!seen[$0]++' |
	while IFS=$'\t' read -r prog key; do
		printf '%s: %s' "$prog" "$key"
		for v in "$@"; do
			cell=$(awk -F'\t' -v p="$prog" -v k="$key" '$1 == p && $2 == k {
				c = $3
				if (match($4, /exec map 0x[0-9a-f]+/))
					c = c " " substr($4, RSTART + 9, RLENGTH - 9)
				else if (match($4, /[-+]?[0-9.]+ objects\/exec/))
					c = c " " substr($4, RSTART, RLENGTH)
				else if (match($4, /free lowmem [-+][0-9.]+ kB per 1000/))
					c = c " " substr($4, RSTART + 12, RLENGTH - 12)
				print c
				exit
			}' "$RUNS/$v/subtests.tsv")
			printf '\t%s' "${cell:--}"
		done
		printf '\n'
	done
}
