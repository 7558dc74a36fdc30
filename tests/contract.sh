#!/bin/bash
# tests/contract.sh: docs/design.md is the contract of /proc/execfix: the
# keys it lists for each file, in its order, are the keys the module's
# seq_printf()/seq_puts() calls print (module/execfix_<file>.c), and
# module/README.md names every one of them.
#
# Keys are compared with their variable parts blurred: "probe.%s=" in the
# code and `probe.<where>=` in the docs are both probe.<>; a key that is all
# variable (a helper's "%s=") is left out, the literal keys its callers pass
# (execfix_show_fn(m, "key", ...)) are counted instead.
# Order: for each two keys next to each other in the docs, the code must
# print the first one before the second one somewhere (a file has branches).
#
# Env: DESIGN, README  other copies to check (e.g. an older design.md)
# TAP 13; exit 0 pass, 1 fail.
# Backticks in patterns below are Markdown's, not command substitutions:
# shellcheck disable=SC2016
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

design=${DESIGN:-$repo/docs/design.md}
readme=${README:-$repo/module/README.md}
tap_workdir execfix-contract

files="layout interp integrity"

# code_keys FILE: the keys module/execfix_FILE.c prints, in the order its
# execfix_FILE_show() prints them (the keys of a function it calls count
# where the call is, helpers of module/execfix_sites.c included), one per
# line, repeated as often as printed.
code_keys() {
	awk -v show="execfix_$1_show" '
		# A function starts at column 0 and ends at "}" at column 0.
		/^[a-z].*[ *][a-z_0-9]+\(/ && !/;$/ {
			fn = $0; sub(/\(.*/, "", fn); sub(/.*[ *]/, "", fn)
			next
		}
		/^}/ { fn = ""; next }
		fn == "" { next }
		{
			rest = $0
			while (match(rest, /seq_(printf|puts)\(m, "[^"]*"|execfix_show_fn\(m, "[^"]*"|[a-z_0-9]+\(/)) {
				tok = substr(rest, RSTART, RLENGTH)
				rest = substr(rest, RSTART + RLENGTH)
				if (tok ~ /^execfix_show_fn\(m, "/) {
					sub(/^[^"]*"/, "", tok); sub(/"$/, "", tok)
					out[fn] = out[fn] tok "\n"
				} else if (tok ~ /^seq_/) {
					sub(/^[^"]*"/, "", tok); sub(/"$/, "", tok)
					n = split(tok, line, /\\n/)
					for (i = 1; i <= n; i++) {
						if (line[i] !~ /=/)
							continue
						k = line[i]; sub(/=.*/, "", k)
						gsub(/%[a-z]+/, "<>", k)
						if (k != "<>")
							out[fn] = out[fn] k "\n"
					}
				} else {
					sub(/\($/, "", tok)
					out[fn] = out[fn] "CALL " tok "\n"
				}
			}
		}
		function expand(f, depth,    n, i, l, r) {
			if (depth > 5)
				return ""
			n = split(out[f], l, "\n")
			r = ""
			for (i = 1; i < n; i++)
				if (l[i] ~ /^CALL /)
					r = r expand(substr(l[i], 6), depth + 1)
				else
					r = r l[i] "\n"
			return r
		}
		END { printf "%s", expand(show, 0) }' "$repo/module/execfix_$1.c" \
		"$repo/module/execfix_sites.c"
}

# doc_keys DOC FILE: the keys of FILE in DOC's "## Module" section, in the
# order listed: the `key=` tokens of the bullet "- `FILE`" and its lines.
doc_keys() {
	awk -v file="$2" '
		/^## / { in_mod = ($0 ~ /^## Module/); item = 0; next }
		!in_mod { next }
		/^- `/ { item = (index($0, "- `" file "`") == 1) }
		/^$/ { item = 0 }
		item { print }' "$1" |
		grep -o '`[A-Za-z0-9_.<>]*=' | tr -d '`=' |
		sed 's/<[^>]*>/<>/g' | grep -v -x '<>' || true
}

# compare DOC: every file's keys and their order; prints the problems
# found, returns 1 when there are some.
compare() {
	local f problems=0
	for f in $files; do
		code_keys "$f" >"$work/code.$f"
		doc_keys "$1" "$f" >"$work/doc.$f"
		if [ ! -s "$work/doc.$f" ]; then
			echo "$f: no '- \`$f\`' item with keys in the Module section of $1"
			problems=1
			continue
		fi
		sort -u "$work/code.$f" >"$work/code.$f.set"
		sort -u "$work/doc.$f" >"$work/doc.$f.set"
		comm -23 "$work/code.$f.set" "$work/doc.$f.set" |
			sed "s/^/$f: printed but not documented: /" >"$work/missing"
		comm -13 "$work/code.$f.set" "$work/doc.$f.set" |
			sed "s/^/$f: documented but never printed: /" >>"$work/missing"
		awk 'NR == FNR { if (!($0 in first)) first[$0] = NR; last[$0] = NR; next }
			{
				if (prev != "" && (prev in first) && ($0 in last) &&
				    first[prev] > last[$0])
					printf "%s: documented %s= before %s=, printed after it\n",
						file, prev, $0
				prev = $0
			}' file="$f" "$work/code.$f" "$work/doc.$f" >>"$work/missing"
		if [ -s "$work/missing" ]; then
			cat "$work/missing"
			problems=1
		fi
	done
	return "$problems"
}

for f in $files; do
	n=$(code_keys "$f" | sort -u | wc -l)
	st=0
	[ "$n" -ge 5 ] || st=1
	tap_result "$st" "module/execfix_$f.c: $n distinct keys found in its seq_printf/seq_puts calls"
done

st=0
# shellcheck disable=SC2310  # the status is the verdict (a command failing inside shows as a difference)
compare "$design" >"$work/design.log" || st=1
tap_result "$st" "$(basename "$design"): keys and order of every /proc/execfix file as printed" \
	"$work/design.log"

# The comparison must be able to fail: a key dropped, two keys swapped.
sed -e 's/`alloc_probe=[^`]*`, //' -e 's/`free_probe=/`zz_free_probe=/' \
	"$design" >"$work/broken.md"
st=0
# shellcheck disable=SC2310  # the status is the verdict (a command failing inside shows as a difference)
compare "$work/broken.md" >"$work/broken.log" && st=1
grep -q 'printed but not documented: alloc_probe' "$work/broken.log" || st=1
grep -q 'documented but never printed: zz_free_probe' "$work/broken.log" || st=1
tap_result "$st" "a design.md without alloc_probe= and with a renamed key is refused" \
	"$work/broken.log"
sed -e 's/`hooked=N`/`@@H`/' -e 's/`selftest=[^`]*`/`hooked=N`/' -e 's/`@@H`/`selftest=`/' \
	"$design" >"$work/swapped.md"
st=0
# shellcheck disable=SC2310  # the status is the verdict (a command failing inside shows as a difference)
compare "$work/swapped.md" >"$work/swapped.log" && st=1
grep -q 'integrity: documented .* before .*, printed after it' "$work/swapped.log" || st=1
tap_result "$st" "a design.md with hooked= and selftest= swapped is refused" "$work/swapped.log"

# module/README.md: names every key printed (as `key` or `key=...`).
grep -o '`[A-Za-z0-9_.<>]*[`=]' "$readme" | tr -d '`=' | sed 's/<[^>]*>/<>/g' |
	sort -u >"$work/readme.set"
st=0
for f in $files; do
	code_keys "$f"
done | sort -u | comm -23 - "$work/readme.set" >"$work/readme.log"
[ ! -s "$work/readme.log" ] || st=1
tap_result "$st" "$(basename "$readme") names every key the module prints" "$work/readme.log"

tap_done
