#!/bin/bash
# The suite as a LAVA job and as JUnit XML, on Debian's stock kernel:
#  - make lava (lava/run-suite): the normal and the injected-leak runs,
#    each direct and through lava-run; LAVA's result of every step and
#    subtest agrees with the direct run's, and interp_leak fails in LAVA
#    when the leak is injected;
#  - lava/compare is shown to catch a disagreement (a tampered results.tap,
#    a LAVA log that lost a result);
#  - results.xml of both direct runs validates against qemu/junit.xsd and
#    its counts are those of results.tsv and of the TAP lines; a tampered
#    results.tsv shows up in it, and a wrong count fails the schema.
# TAP 13; exit 0 pass, 1 fail, 4 skip.
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

# What cannot be installed here skips the whole file, naming all of it.
missing=""
for tool in qemu-system-x86_64 musl-gcc i386-linux-musl-gcc make xmllint; do
	command -v "$tool" >/dev/null || missing="$missing $tool"
done
compgen -G '/boot/vmlinuz-*' >/dev/null || missing="$missing linux-image-amd64"
compgen -G '/usr/src/linux-headers-*' >/dev/null || missing="$missing linux-headers-amd64"
[ -z "$missing" ] ||
	tap_skip_all "missing:$missing (scripts/install-deps installs them)"
lava=""
if ! command -v lava-run >/dev/null; then
	lava="lava-run not installed (Debian package lava-dispatcher; scripts/install-deps)"
elif [ "$(id -u)" != 0 ]; then
	lava="lava-run needs root"
fi

tap_workdir lava --keep-failed

# ---- subtest names: PID 1 and lava/compare derive them alike ---------------------

# PID 1's subtest_name() (qemu/subtest.c) on each line of names.in, and lava/compare's
# subtest(): the console names LAVA records and the names compare expects.
cat >"$work/names.c" <<EOF
#include "$repo/qemu/subtest.c"
int main(void)
{
	char line[1024], name[1024];

	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (!subtest_name("prog", line, name, sizeof(name)))
			printf("execfix-init: %s\n", name);
	}
	return 0;
}
EOF
cat >"$work/names.py" <<'EOF'
import importlib.machinery, importlib.util, sys
loader = importlib.machinery.SourceFileLoader("compare", sys.argv[1])
module = importlib.util.module_from_spec(importlib.util.spec_from_loader("compare", loader))
loader.exec_module(module)
for line in sys.stdin:
    case = module.subtest("prog", line.rstrip("\n"))
    if case:
        print("%s: %s" % case)
EOF
cat >"$work/names.in" <<'EOF'
ok 1 parent 32 -> child 64 (static) [exec-shield=0, stack unlimited]: exec map 0x618000
not ok 2 #! script: kmalloc-32 grows up to 1.000 objects/exec
ok 3 # SKIP dynamic 64-bit child: not built
ok 4 - with a dash: and more: colons
ok 5
not ok 6 ::::
ok 7   -   spaced   out
ok 8 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  bbbbbbbbbbbbbbbbbbb
ok x not a result
# ok 9 a diagnostic
not ok 10 non-ASCII ✗ in é the name
ok 11   - # SKIP spaced: skip
EOF
if ! python3 -c 'import yaml' 2>/dev/null; then
	tap_skip "subtest names: python3-yaml not installed (comes with lava-dispatcher)"
elif ! gcc -std=gnu99 -o "$work/names" "$work/names.c" >"$work/names.log" 2>&1; then
	tap_result 1 "subtest names: building qemu/subtest.c's subtest_name() for the host" "$work/names.log"
else
	"$work/names" <"$work/names.in" | sed 's/^execfix-init: //' >"$work/names.c.out"
	python3 "$work/names.py" "$repo/lava/compare" <"$work/names.in" >"$work/names.py.out" 2>&1 || true
	if [ "$(wc -l <"$work/names.c.out")" -eq 10 ] &&
	   diff "$work/names.c.out" "$work/names.py.out" >"$work/names.diff" 2>&1; then
		tap_result 0 "subtest names: qemu/subtest.c and lava/compare name 10 TAP lines alike"
	else
		cat "$work/names.c.out" >>"$work/names.diff"
		tap_result 1 "subtest names: qemu/subtest.c and lava/compare name TAP lines alike" "$work/names.diff"
	fi
fi

# ---- the runs ------------------------------------------------------------------

rc=0
if [ -z "$lava" ]; then
	# A bound on CI time: a healthy boot takes 40-250 s on a busy host.
	"$repo/lava/run-suite" --out "$work" --timeout 400 >"$work/run-suite.log" 2>&1 || rc=$?
	grep -E '^(# [a-z]+: direct: |run-suite: )' "$work/run-suite.log" | sed 's/^\(# \)\{0,1\}/# /' || true
	tap_result "$rc" "make lava (lava/run-suite) exits 0 (exit $rc)" "$work/run-suite.log"
else
	# Only the direct runs, for the JUnit checks.
	"$repo/qemu/run-debian" --out "$work/normal/direct" --timeout 400 \
		>"$work/normal.log" 2>&1 || true
	"$repo/qemu/run-debian" --inject --out "$work/inject/direct" --timeout 400 \
		>"$work/inject.log" 2>&1 || true
	tap_skip "make lava: $lava"
fi

# compare_ok RUN: lava/compare of RUN agrees.
compare_ok() {
	local run=$1 rc=0
	"$repo/lava/compare" --lava-log "$work/$run/lava.log" --run "$work/$run/direct" \
		>"$work/$run.compare" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ] && grep -q 'all agree' "$work/$run.compare"; then
		tap_result 0 "$run: LAVA's results agree with the direct run's ($(tail -n 1 "$work/$run.compare" | sed 's/^compare: //'))"
	else
		tap_result 1 "$run: LAVA's results agree with the direct run's" "$work/$run.compare"
	fi
}

# lava_result RUN CASE RESULT: LAVA's log records CASE of suite execfix as RESULT.
lava_result() {
	grep '"lvl": "results"' "$work/$1/lava.log" |
		grep -F "\"test_case_id\": \"$2\"" | grep -qF "\"result\": \"$3\""
}

if [ -z "$lava" ]; then
	compare_ok normal
	# Every subtest is a case: the 32/64 matrix and each leak loop.
	n=$(grep -c '"test_case_id": "\(exec_layout_32\|exec_layout_64\|interp_leak\)\.[0-9]' "$work/normal/lava.log" || true)
	tap=$(grep -cE '^# (not )?ok [0-9]+' "$work/normal/direct/results.tap" || true)
	if [ "$n" -gt 0 ] && [ "$n" -eq "$tap" ]; then
		tap_result 0 "normal: LAVA has one test case per subtest ($n, as results.tap)"
	else
		tap_result 1 "normal: LAVA has one test case per subtest: $n cases, $tap TAP lines" "$work/normal.compare"
	fi
	compare_ok inject
	# Subtest ids carry the TAP number, which depends on the cases before
	# (e.g. interp_leak's module-accounting proof): find them by name.
	script_id=$(grep -o '"test_case_id": "interp_leak\.[0-9]*\.script"' "$work/inject/lava.log" |
		head -n 1 | cut -d'"' -f4 || true)
	misc_id=$(grep -o '"test_case_id": "interp_leak\.[0-9]*\.binfmt_misc"' "$work/normal/lava.log" |
		head -n 1 | cut -d'"' -f4 || true)
	# shellcheck disable=SC2310  # lava_result is a grep: its status is the verdict
	if [ -n "$script_id" ] && lava_result inject interp_leak fail && lava_result inject "$script_id" fail &&
	   lava_result normal interp_leak pass; then
		tap_result 0 "inject: LAVA records interp_leak and its '#!' script loop as failed (normal run: passed)"
	else
		tap_result 1 "inject: LAVA records interp_leak and its '#!' script loop as failed" "$work/inject.compare"
	fi

	# The check can fail: the direct run altered (one subtest), then LAVA's
	# log with one result taken out.
	cp -a "$work/normal/direct" "$work/tampered"
	sed -i '0,/^# ok 2 /s/^# ok 2 /# not ok 2 /' "$work/tampered/results.tap"
	rc=0
	"$repo/lava/compare" --lava-log "$work/normal/lava.log" --run "$work/tampered" \
		>"$work/tampered.compare" 2>&1 || rc=$?
	if [ "$rc" -eq 1 ] && grep -qE '^compare: exec_layout_32\.2\..*: direct fail, LAVA pass' "$work/tampered.compare"; then
		tap_result 0 "compare fails on a tampered results.tap ($(grep -m1 'direct fail, LAVA pass' "$work/tampered.compare"))"
	else
		echo "# exit $rc" >>"$work/tampered.compare"
		tap_result 1 "compare fails on a tampered results.tap" "$work/tampered.compare"
	fi
	grep -v "\"test_case_id\": \"${misc_id:-interp_leak.binfmt_misc}\"" "$work/normal/lava.log" >"$work/lost.log"
	rc=0
	"$repo/lava/compare" --lava-log "$work/lost.log" --run "$work/normal/direct" \
		>"$work/lost.compare" 2>&1 || rc=$?
	if [ "$rc" -eq 1 ] && [ -n "$misc_id" ] &&
		grep -q "^compare: $misc_id: direct pass, LAVA -" "$work/lost.compare"; then
		tap_result 0 "compare fails when LAVA lost a result"
	else
		echo "# exit $rc" >>"$work/lost.compare"
		tap_result 1 "compare fails when LAVA lost a result" "$work/lost.compare"
	fi
else
	for t in "normal: LAVA agrees" "normal: one LAVA case per subtest" "inject: LAVA agrees" \
		"inject: interp_leak fails in LAVA" "compare fails on a tampered results.tap" \
		"compare fails when LAVA lost a result"; do
		tap_skip "$t: $lava"
	done
fi

# ---- JUnit ----------------------------------------------------------------------

xsd=$repo/qemu/junit.xsd

# xpath FILE EXPR: the value of an XPath expression in the XML ("?" if none).
# It never fails, so it may run in a condition.
xpath() {
	xmllint --xpath "$2" "$1" 2>/dev/null || echo "?"
}

# junit_counts DIR: the steps suite counts results.tsv's verdicts, each
# program's suite its TAP lines, the totals add up.
junit_counts() {
	local dir=$1 xml=$1/results.xml want got p bad=""
	for p in results.tsv results.tap; do
		[ -f "$dir/$p" ] || { echo " no $p;"; return 0; }
	done
	want=$(awk -F '\t' 'NR > 1 { n++ } $3 == "fail" || $3 == "xpass" { f++ }
		$3 == "hang" || $3 == "not-run" { e++ } $3 == "skip" { s++ }
		END { printf "%d %d %d %d", n, f, e, s }' "$dir/results.tsv")
	got=""
	for a in tests failures errors skipped; do
		got="$got${got:+ }$(xpath "$xml" "string(/testsuites/testsuite[@name='steps']/@$a)")"
	done
	[ "$want" = "$got" ] || bad="$bad steps suite: results.tsv $want, results.xml $got;"
	for p in exec_layout_32 exec_layout_64 interp_leak; do
		want=$(awk -v p="$p" '/^# run: / { r = ($3 == p) } /^# result: / { r = 0 }
			r && /^# (not )?ok [0-9]+/ { n++ } END { print n + 0 }' "$dir/results.tap")
		got=$(xpath "$xml" "count(/testsuites/testsuite[@name='$p']/testcase[@classname='$p'])")
		[ "$want" = "$got" ] || bad="$bad $p: $want TAP lines, $got testcases;"
	done
	want=$(xpath "$xml" "count(//testcase)")
	got=$(xpath "$xml" "string(/testsuites/@tests)")
	[ "$want" = "$got" ] || bad="$bad testsuites tests=$got, $want testcases;"
	echo "$bad"
}

for run in normal inject; do
	dir=$work/$run/direct
	if xmllint --noout --schema "$xsd" "$dir/results.xml" >"$work/$run.xmllint" 2>&1; then
		tap_result 0 "$run: results.xml validates against qemu/junit.xsd"
	else
		tap_result 1 "$run: results.xml validates against qemu/junit.xsd" "$work/$run.xmllint"
	fi
	bad=$(junit_counts "$dir")
	if [ -z "$bad" ]; then
		tap_result 0 "$run: results.xml counts are results.tsv's ($(xpath "$dir/results.xml" "string(/testsuites/@tests)") testcases)"
	else
		echo "#$bad" >"$work/$run.counts"
		tap_result 1 "$run: results.xml counts are results.tsv's" "$work/$run.counts"
	fi
done
# The expected failure is no JUnit failure; its subtests say why.
xml=$work/inject/direct/results.xml
# shellcheck disable=SC2310  # xpath never fails ("?" instead)
if [ "$(xpath "$xml" "string(/testsuites/@failures)")" = 0 ] &&
   xpath "$xml" "string(//testsuite[@name='interp_leak']/testcase[contains(@name, ' #! script')]/system-out)" |
	grep -q '^expected failure.*not ok [0-9]* #! script: .* grows'; then
	tap_result 0 "inject: results.xml has no failure; interp_leak's '#!' loop is an expected failure"
else
	tap_result 1 "inject: results.xml has no failure; interp_leak's '#!' loop is an expected failure" "$xml"
fi

# The converter and the schema can fail: a step and one of its subtests
# turned into failures, and a count made wrong.
fail=$work/junit-fail
cp -a "$work/normal/direct" "$fail"
sed -i 's/^exec_layout_64\t0\tpass/exec_layout_64\t1\tfail/' "$fail/results.tsv"
# The 64-bit child of a 64-bit parent, whatever its number in this run.
sed -i 's/^# ok \([0-9]*\) parent 64 -> child 64 (static) \[default layout\]/# not ok \1 parent 64 -> child 64 (static) [default layout]/' \
	"$fail/results.tap"
"$repo/qemu/results-junit" "$fail"
bad=$(junit_counts "$fail")
msg=$(xpath "$fail/results.xml" "string(//testsuite[@name='exec_layout_64']/testcase[contains(@name, 'parent 64 -> child 64 (static) [default layout]')]/failure/@message)")
# shellcheck disable=SC2310  # xpath never fails ("?" instead)
if [ "$(xpath "$fail/results.xml" "string(/testsuites/@failures)")" = 2 ] &&
   [ "$(xpath "$fail/results.xml" "string(//testsuite[@name='steps']/@failures)")" = 1 ] &&
   [ -z "$bad" ] && [[ $msg == "not ok "[0-9]*" parent 64 -> child 64 (static)"* ]] &&
   xmllint --noout --schema "$xsd" "$fail/results.xml" 2>/dev/null; then
	tap_result 0 "a failed step and subtest are JUnit failures (message: $msg)"
else
	tap_result 1 "a failed step and subtest are JUnit failures" "$fail/results.xml"
fi
# The first tests="N" (of <testsuites>, always there) made "one"; the copy
# must differ from a results.xml the schema takes.
good=$work/normal/direct/results.xml
sed '0,/ tests="[0-9]*"/s// tests="one"/' "$good" >"$work/bad.xml" 2>/dev/null || true
if ! xmllint --noout --schema "$xsd" "$good" >/dev/null 2>&1; then
	tap_result 1 "qemu/junit.xsd refuses a count that is not a number: the unchanged results.xml does not validate" "$good"
elif cmp -s "$good" "$work/bad.xml"; then
	tap_result 1 "qemu/junit.xsd refuses a count that is not a number: the change (tests=\"one\") did not happen" "$good"
elif ! xmllint --noout --schema "$xsd" "$work/bad.xml" >"$work/bad.xmllint" 2>&1; then
	tap_result 0 "qemu/junit.xsd refuses a count that is not a number (tests=\"one\")"
else
	tap_result 1 "qemu/junit.xsd refuses a count that is not a number" "$work/bad.xml"
fi

tap_done
