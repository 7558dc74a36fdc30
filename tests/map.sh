#!/bin/bash
# proof/map, the affected-kernel map, on fixture trees built from the
# patches themselves (tests/lib/patch-fixtures.sh): each patchctl status
# becomes its map word, a proof output gives the proof columns, a fix in
# another form (patchctl-present) counts as fixed, bad input is refused
# with exit 2, the trees stay byte-identical, and the committed map is the
# one proof/map writes from data/trees.list's columns.  TAP 13; exit 0
# pass, 1 fail.  Seconds.
set -eu
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PATCHES=$ROOT/patches
PATCHCTL=$ROOT/scripts/patchctl
MAP=$ROOT/proof/map
T=$(mktemp -d "${TMPDIR:-/tmp}/map-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
# shellcheck source-path=SCRIPTDIR source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"
# shellcheck source-path=SCRIPTDIR source=lib/patch-fixtures.sh
. "$(dirname "$0")/lib/patch-fixtures.sh"
export PATCHCTL

echo "TAP version 13"

make_tree "$T/trees/old" pre pre noexec
make_tree "$T/trees/stock" pre post
make_tree "$T/trees/fixed" post post
# A rewritten arch_pick_mmap_layout() that resets the pointer first:
# neither 0001 nor its reverse applies.
make_tree "$T/trees/rewritten" pre-edit post
printf '\tmm->get_unmapped_exec_area = NULL;\n' >>"$T/trees/rewritten/arch/x86/mm/mmap.c"
printf 'BUILD:=431\n' >"$T/trees/stock/Makefile.common"
before=$(cd "$T/trees" && find . -type f -exec md5sum {} + | sort)

printf '# provenance\nold\told\trhel\towner/repo\taaaa\t2.6.32-71.el6\nstock\tstock\trhel\towner/repo\tbbbb\n' >"$T/list"
printf 'fixed\tfixed\topenvz\towner/ovz\tcccc\t2.6.32-042stab108.1\nrewritten\trewritten\tderivative\towner/d\tdddd\t-\n' >>"$T/list"
mkdir -p "$T/proofs/stock"
printf 'VERDICT: PROOF OK on stock\n' >"$T/proofs/stock/report.txt"
printf 'objects stock\t480\nbuild stock\t100.0 s (clean, -j2, load 1)\nboot stock\t2.5 s to /init (1.0 s uptime), suite 4.0 s\n' \
	>"$T/proofs/stock/timings.tsv"
rc=0
"$MAP" --trees "$T/trees" --proofs "$T/proofs" --tsv "$T/map.tsv" --markdown "$T/map.md" "$T/list" \
	>"$T/out" 2>&1 || rc=$?
row() { awk -F'\t' -v t="$1" '$2 == t { $1 = $1; print }' OFS='|' "$T/map.tsv"; }
tap_result "$([ "$rc" = 0 ]; echo $?)" "map over four fixture trees: exit 0" "$T/out"
tap_result "$([ "$(row old)" = "2.6.32-71.el6|old|rhel|owner/repo|aaaa|present|needs-full-backport|-|-|-" ]; echo $?)" \
	"no bprm_change_interp(): layout present, interp needs the full backport" "$T/map.tsv"
tap_result "$([ "$(row stock)" = "2.6.32-431.el6|stock|rhel|owner/repo|bbbb|present|fixed|ok|100.0|2.5" ]; echo $?)" \
	"stock -431 shape: release from Makefile.common, layout present, interp fixed, the proof's verdict and times" "$T/map.tsv"
tap_result "$([ "$(row fixed)" = "2.6.32-042stab108.1|fixed|openvz|owner/ovz|cccc|fixed|fixed|-|-|-" ]; echo $?)" \
	"both fixes in the tree: fixed, fixed; the list's release kept" "$T/map.tsv"
tap_result "$([ "$(row rewritten | cut -d'|' -f1,6)" = "-|fixed" ]; echo $?)" \
	"the fix in another form (patchctl-present) is fixed, not a conflict; no release: '-'" "$T/map.tsv"
tap_result "$(grep -q '^| stock | rhel | 2.6.32-431.el6 | owner/repo @ bbbb | present | fixed | ok | 480 | 100.0 | 2.5 |$' "$T/map.md"; echo $?)" \
	"the Markdown table carries the objects compiled" "$T/map.md"
after=$(cd "$T/trees" && find . -type f -exec md5sum {} + | sort)
tap_result "$([ "$before" = "$after" ]; echo $?)" "every tree byte-identical afterwards"

bad() {
	local want=$1 what=$2 rc=0
	shift 2
	"$MAP" "$@" >"$T/bad.out" 2>&1 || rc=$?
	tap_result "$([ "$rc" = "$want" ] && grep -q "$what" "$T/bad.out"; echo $?)" \
		"refused with exit $want: $what" "$T/bad.out"
}
printf 'x\tnope\trhel\to/r\tc\n' >"$T/list-missing"
printf 'x\told\tvendor\to/r\tc\n' >"$T/list-kind"
printf 'x\told\trhel\n' >"$T/list-short"
bad 2 "not a kernel source tree" --trees "$T/trees" "$T/list-missing"
bad 2 "kind 'vendor'" --trees "$T/trees" "$T/list-kind"
bad 2 "want NAME PATH KIND SOURCE COMMIT" --trees "$T/trees" "$T/list-short"
bad 2 "no such file" "$T/none"

# The committed map: the header and ten columns execfix-check reads, one
# row per tree of the provenance list, each status a map word.
M=$ROOT/data/affected-kernels.tsv
L=$ROOT/data/trees.list
tap_result "$(awk -F'\t' '!/^#/ && NF != 10 { bad = 1 } END { exit bad }' "$M" &&
	[ "$(grep -vc '^#' "$M")" = "$(( $(grep -c '^[^#]' "$L") + 1 ))" ] &&
	awk -F'\t' '!/^#/ && NR > 1 && $1 != "uname" && ($6 !~ /^(present|fixed|n\/a|conflict)$/ ||
		$7 !~ /^(present|fixed|needs-full-backport|conflict)$/) { bad = 1 } END { exit bad }' "$M"; echo $?)" \
	"data/affected-kernels.tsv: ten columns, a row per tree of data/trees.list, map words only" "$M"

echo "1..$tap_count"
[ "$tap_failed" = 0 ]
