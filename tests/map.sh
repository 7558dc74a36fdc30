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

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

MAP=$repo/proof/map
tap_workdir map-test
# shellcheck source-path=SCRIPTDIR source=lib/patch-fixtures.sh
. "$here/lib/patch-fixtures.sh"
export PATCHCTL

make_tree "$work/trees/old" pre pre noexec
make_tree "$work/trees/stock" pre post
make_tree "$work/trees/fixed" post post
# A rewritten arch_pick_mmap_layout() that resets the pointer first:
# neither 0001 nor its reverse applies.
make_tree "$work/trees/rewritten" pre-edit post
printf '\tmm->get_unmapped_exec_area = NULL;\n' >>"$work/trees/rewritten/arch/x86/mm/mmap.c"
printf 'BUILD:=431\n' >"$work/trees/stock/Makefile.common"
before=$(cd "$work/trees" && find . -type f -exec md5sum {} + | sort)

printf '# provenance\nold\told\trhel\towner/repo\taaaa\t2.6.32-71.el6\nstock\tstock\trhel\towner/repo\tbbbb\n' >"$work/list"
printf 'fixed\tfixed\topenvz\towner/ovz\tcccc\t2.6.32-042stab108.1\nrewritten\trewritten\tderivative\towner/d\tdddd\t-\n' >>"$work/list"
mkdir -p "$work/proofs/stock"
printf 'VERDICT: PROOF OK on stock\n' >"$work/proofs/stock/report.txt"
printf 'objects stock\t480\nbuild stock\t100.0 s (clean, -j2, load 1)\nboot stock\t2.5 s to /init (1.0 s uptime), suite 4.0 s\n' \
	>"$work/proofs/stock/timings.tsv"
rc=0
"$MAP" --trees "$work/trees" --proofs "$work/proofs" --tsv "$work/map.tsv" --markdown "$work/map.md" "$work/list" \
	>"$work/out" 2>&1 || rc=$?
row() { awk -F'\t' -v t="$1" '$2 == t { $1 = $1; print }' OFS='|' "$work/map.tsv"; }
tap_result "$([ "$rc" = 0 ]; echo $?)" "map over four fixture trees: exit 0" "$work/out"
tap_result "$([ "$(row old)" = "2.6.32-71.el6|old|rhel|owner/repo|aaaa|present|needs-full-backport|-|-|-" ]; echo $?)" \
	"no bprm_change_interp(): layout present, interp needs the full backport" "$work/map.tsv"
tap_result "$([ "$(row stock)" = "2.6.32-431.el6|stock|rhel|owner/repo|bbbb|present|fixed|ok|100.0|2.5" ]; echo $?)" \
	"stock -431 shape: release from Makefile.common, layout present, interp fixed, the proof's verdict and times" "$work/map.tsv"
tap_result "$([ "$(row fixed)" = "2.6.32-042stab108.1|fixed|openvz|owner/ovz|cccc|fixed|fixed|-|-|-" ]; echo $?)" \
	"both fixes in the tree: fixed, fixed; the list's release kept" "$work/map.tsv"
tap_result "$([ "$(row rewritten | cut -d'|' -f1,6)" = "-|fixed" ]; echo $?)" \
	"the fix in another form (patchctl-present) is fixed, not a conflict; no release: '-'" "$work/map.tsv"
tap_result "$(grep -q '^| stock | rhel | 2.6.32-431.el6 | owner/repo @ bbbb | present | fixed | ok | 480 | 100.0 | 2.5 |$' "$work/map.md"; echo $?)" \
	"the Markdown table carries the objects compiled" "$work/map.md"
after=$(cd "$work/trees" && find . -type f -exec md5sum {} + | sort)
tap_result "$([ "$before" = "$after" ]; echo $?)" "every tree byte-identical afterwards"

bad() {
	local want=$1 what=$2 rc=0
	shift 2
	"$MAP" "$@" >"$work/bad.out" 2>&1 || rc=$?
	tap_result "$([ "$rc" = "$want" ] && grep -q "$what" "$work/bad.out"; echo $?)" \
		"refused with exit $want: $what" "$work/bad.out"
}
printf 'x\tnope\trhel\to/r\tc\n' >"$work/list-missing"
printf 'x\told\tvendor\to/r\tc\n' >"$work/list-kind"
printf 'x\told\trhel\n' >"$work/list-short"
bad 2 "not a kernel source tree" --trees "$work/trees" "$work/list-missing"
bad 2 "kind 'vendor'" --trees "$work/trees" "$work/list-kind"
bad 2 "want NAME PATH KIND SOURCE COMMIT" --trees "$work/trees" "$work/list-short"
bad 2 "no such file" "$work/none"

# The committed map: the header and ten columns execfix-check reads, one
# row per tree of the provenance list, each status a map word.
M=$repo/data/affected-kernels.tsv
L=$repo/data/trees.list
tap_result "$(awk -F'\t' '!/^#/ && NF != 10 { bad = 1 } END { exit bad }' "$M" &&
	[ "$(grep -vc '^#' "$M")" = "$(( $(grep -c '^[^#]' "$L") + 1 ))" ] &&
	awk -F'\t' '!/^#/ && NR > 1 && $1 != "uname" && ($6 !~ /^(present|fixed|n\/a|conflict)$/ ||
		$7 !~ /^(present|fixed|needs-full-backport|conflict)$/) { bad = 1 } END { exit bad }' "$M"; echo $?)" \
	"data/affected-kernels.tsv: ten columns, a row per tree of data/trees.list, map words only" "$M"

tap_done
