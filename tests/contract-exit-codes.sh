#!/bin/bash
# The one exit-code table: every EX_ line of scripts/lib/exit-codes.sh is a
# row of docs/design.md's "Exit codes" section (code, name, meaning) and
# the section has no other row; each tool's --help prints the table's rows
# through exit_codes_help.  Also shows the comparison failing on a
# design.md with one row changed.  TAP 13; exit 0 pass, 1 fail.
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

codes=$repo/scripts/lib/exit-codes.sh
design=$repo/docs/design.md

tap_workdir contract-exit-codes

# table_rows FILE: "code|name|meaning" of the "## Exit codes" section of a
# design.md.
table_rows() {
	awk '/^## / { inside = ($0 == "## Exit codes") ; next }
		inside && /^\| [0-9]+ \| `EX_[A-Z]+` \| / {
			split($0, f, / \| /)
			code = substr(f[1], 3); name = f[2]; text = f[3]
			gsub(/`/, "", name); sub(/ \|$/, "", text)
			print code "|" name "|" text
		}' "$1"
}

# code_rows: the same from exit-codes.sh.
code_rows() {
	sed -n 's/^readonly \(EX_[A-Z]*\)=\([0-9]*\) *#: \(.*\)$/\2|\1|\3/p' "$codes"
}

code_rows >"$work/code"
table_rows "$design" >"$work/table"
tap_result "$([ -s "$work/code" ]; echo $?)" "exit-codes.sh has EX_ lines ($(wc -l <"$work/code"))"
while IFS= read -r row; do
	tap_result "$(grep -qxF -- "$row" "$work/table"; echo $?)" \
		"design.md's Exit codes table has ${row%%|*} ${row#*|}" "$work/table"
done <"$work/code"
grep -vxF -f "$work/code" "$work/table" >"$work/extra" || true
tap_result "$([ ! -s "$work/extra" ]; echo $?)" \
	"design.md's table has no row that exit-codes.sh lacks" "$work/extra"

# The comparison sees a change: one meaning altered in a copy.
# shellcheck disable=SC2016 # backquotes of markdown
sed 's/^\(| 13 | `EX_CRASH` | \)kernel panic/\1kernel trouble/' "$design" >"$work/design.md"
table_rows "$work/design.md" >"$work/changed"
tap_result "$(! diff -q "$work/code" "$work/changed" >/dev/null; echo $?)" \
	"a design.md with the EX_CRASH row changed does not agree (the check detects)"

# Each tool's --help: the table's heading and only rows of the table.
# shellcheck source=../scripts/lib/exit-codes.sh
. "$codes"
for tool in qemu/run-qemu qemu/run-debian proof/vendor-proof proof/matrix bench/run tests/run-all \
	scripts/patchctl scripts/qemu-backports module/testing/host/smp-stress \
	module/testing/host/noise-table; do
	rc=0
	"$repo/$tool" --help >"$work/help" 2>&1 || rc=$?
	ok=0
	grep -q '^Exit codes (the project.s one table' "$work/help" || ok=1
	# every "  N  text" line after the heading is a row of the table
	awk '/^Exit codes \(the project/ { on = 1; next } on && /^ +[0-9]+  / { sub(/^ +/, ""); print; next } on && !/^ +[0-9]+  / { on = 0 }' \
		"$work/help" | sed 's/^\([0-9]*\)  /\1|/' >"$work/rows"
	[ -s "$work/rows" ] || ok=1
	while IFS='|' read -r code text; do
		grep -qxF "$code|$(grep "^$code|" "$work/code" | cut -d'|' -f2)|$text" "$work/code" || ok=1
	done <"$work/rows"
	[ "$rc" = "$EX_OK" ] || ok=1
	tap_result "$ok" "$tool --help prints its exit codes from the table ($(wc -l <"$work/rows") rows)" "$work/help"
done
tap_done
