#!/bin/bash
# tests/execfix-check.sh: execfix-check on this host, no guest and no
# vulnerable kernel needed (tests/live.sh runs it in guests).
#  - the scan's classifier on maps fixtures (tests/fixtures/execfix-check/
#    maps): ld.so or a library low = hit, anonymous/memfd low = listed apart,
#    own text low = not hit, a normal 64-bit process = clean;
#  - the exec-shield workarounds' order on learned tables (--es-advice);
#  - --execs below the minimum is refused (EX_USAGE), --format/--map errors;
#  - every verdict through the formats, with EXECFIX_PROCFS standing in for
#    /proc: a fixture process tree (CRITICAL), a container-masked slabinfo
#    (UNKNOWN), execfix_live.ko's counters moved by a stand-in probe
#    (WARNING, mitigated), this host (OK); a slabinfo whose counts jump
#    ("could not tell" with the noise, never a verdict); non-root and a
#    read-only exec-shield sysctl (could not tell, nothing changed); a
#    writable one (workarounds in order, restored);
#  - an i686 host (EXECFIX_KERNEL_BITS=32): layout "not applicable (32-bit
#    kernel)", a stand-in execfix.ko's leak projected onto LowFree (hours
#    at the measured rate and at 10/s; null when not leaking); the 32-bit
#    build, i386 and static, naming the 64-bit build on this kernel;
#  - Prometheus output parsed by prometheus_client's own parser, JSON by
#    python3's;
#  - the affected-kernel map: built in, --map, the '.' prefix rule.
# TAP 13; exit 0 pass, 1 fail, 4 skip.
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

[ "$(id -u)" = 0 ] ||
	tap_skip_all "needs root (slabinfo, the exec-shield cases, setpriv)"
tap_require_tools musl-gcc i386-linux-musl-gcc make python3 setpriv

fx=$here/fixtures/execfix-check
tap_workdir execfix-check-test --keep-failed
chmod 755 "$work"

release=$(uname -r)
# a map whose row matches this host by the '.' rule (the release up to its
# last '.'), and a longer prefix that must not match (the release but its
# last character: not followed by a '.'), as 2.6.32-431.5.1.el6 must not
# match 2.6.32-431.el6's row
kmap=$work/map.tsv
{
	echo "# test map"
	printf 'uname\ttree\tkind\tsource\tcommit\tlayout\tinterp\tproof\tbuild_s\tboot_s\n'
	printf '%s\tHost tree\tderivative\texample.org/host\tabc123\tpresent\tneeds-full-backport\tok\t100\t30\n' \
		"${release%.*}"
	printf '%s\tWrong tree\trhel\texample.org/wrong\t-\tfixed\tfixed\t-\t-\t-\n' "${release%?}"
} >"$kmap"

check=$work/check/execfix-check
if make -s -C "$repo/tools/execfix-check" OUTPUT="$work/check" CC=musl-gcc \
	CC32=i386-linux-musl-gcc KMAP="$kmap" >"$work/build.log" 2>&1 && [ -x "$check" ]; then
	tap_result 0 "execfix-check builds (musl, static, map embedded)"
else
	tap_result 1 "execfix-check builds" "$work/build.log"
	tap_done
fi

# ---- the classifier ----------------------------------------------------------
for c in ldso-low:/bin/bash:hit lib-low:/usr/bin/python2.6:hit \
	anon-low:/usr/bin/luajit-2.0.4:anon_low own-text-low:/usr/sbin/sshd:clean \
	clean:/usr/bin/bash:clean; do
	IFS=: read -r name exe want <<<"$c"
	got=$("$check" --classify-maps "$fx/maps/$name.maps" "$exe" 2>&1 || true)
	tap_result "$([ "${got%% *}" = "$want" ] && echo 0 || echo 1)" \
		"classifier: $name.maps is $want ($got)"
done

# ---- exec-shield workarounds, in order -------------------------------------------
# tables: alloc for exec-shield 0 1 2 3 16 17 18 19
adv() { "$check" --es-advice "$@"; }
t=$(adv 17 0 0 0 0 1 1 1 1)
tap_result "$([ "$t" = "bits=0x10 cleared:1 off:0" ] && echo 0 || echo 1)" \
	"OpenVZ (flag 16 installs the allocator), exec-shield=17: 1 first (stays on), 0 after ($t)"
t=$(adv 1 0 1 1 1 0 1 1 1)
tap_result "$([ "$t" = "bits=0x3 off:0" ] && echo 0 || echo 1)" \
	"RHEL (bits 0-1 install it), exec-shield=1: only 0, said as off ($t)"
t=$(adv 3 1 1 1 1 1 1 1 1)
tap_result "$([ "$t" = "bits=0x0 off:0" ] && echo 0 || echo 1)" \
	"every value installs it: no 'cleared' value offered, 0 as off ($t)"

# ---- usage -------------------------------------------------------------------
runrc() { local rc=0; "$@" >"$work/out" 2>"$work/err" || rc=$?; echo "$rc"; }
rc=$(runrc "$check" --execs 100)
tap_result "$([ "$rc" = "$EX_USAGE" ] && grep -q 'at least 200' "$work/err" && echo 0 || echo 1)" \
	"--execs 100 with drained slab counts: refused, EX_USAGE ($rc: $(cat "$work/err"))"
rc=$(EXECFIX_LEAK_DRAIN=0 runrc "$check" --execs 499)
tap_result "$([ "$rc" = "$EX_USAGE" ] && grep -q 'at least 500' "$work/err" && echo 0 || echo 1)" \
	"--execs 499 without a drain: refused, EX_USAGE ($rc)"
mkdir -p "$work/mod"
printf 'interp_accounting=supported\nallocated=0\nfreed=0\n' >"$work/mod/interp"
rc=$(EXECFIX_PROC=$work/mod runrc "$check" --execs 19)
rc2=$(EXECFIX_PROC=$work/mod runrc "$check" --execs 20 --format json)
tap_result "$([ "$rc" = "$EX_USAGE" ] && [ "$rc2" != "$EX_USAGE" ] && echo 0 || echo 1)" \
	"with execfix.ko's counts: --execs 19 refused ($rc), 20 not ($rc2)"
# counts that do not move are not believed, and 20 execs are too few for
# the slab: could not tell
tap_result "$([ "$rc2" = "$EX_SKIP" ] && python3 -c '
import json, sys
i = json.load(open(sys.argv[1]))["interp"]
sys.exit("module_allocated" in i or i["verdict"] != "unknown")' "$work/out" && echo 0 || echo 1)" \
	"execfix.ko counts that saw no allocation: not used; 20 execs then cannot tell ($rc2)"
rc=$(runrc "$check" --format nagios --execs 5)
tap_result "$([ "$rc" = 3 ] && grep -q '^EXECFIX UNKNOWN - usage: --execs 5: at least' "$work/out" && echo 0 || echo 1)" \
	"--format nagios, bad arguments: UNKNOWN, exit 3, as the plugin guidelines ask ($rc)"
for a in "--format xml" "--execs" "--map $work/no-such-map"; do
	# shellcheck disable=SC2086
	rc=$(runrc "$check" $a)
	tap_result "$([ "$rc" = "$EX_USAGE" ] && echo 0 || echo 1)" "$a: EX_USAGE ($rc)"
done

# ---- a stand-in /proc ----------------------------------------------------------
# mkproc DIR: slabinfo and sysctls of this host, no processes
mkproc() {
	mkdir -p "$1/sys/kernel"
	ln -s /proc/slabinfo "$1/slabinfo"
	cat /proc/sys/kernel/randomize_va_space >"$1/sys/kernel/randomize_va_space"
}
# addproc DIR PID PPID COMM EXE MAPS
addproc() {
	mkdir -p "$1/$2"
	cp "$fx/maps/$6.maps" "$1/$2/maps"
	ln -s "$5" "$1/$2/exe"
	echo "$2 ($4) S $3 $2 $2 0 -1 4202752 0 0 0 0 0 0" >"$1/$2/stat"
}

# run NAME FORMAT [VAR=VALUE...] -- [ARGS]: rc, output in $work/NAME.FORMAT
run() {
	local name=$1 fmt=$2 rc=0
	shift 2
	local envs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	[ $# -eq 0 ] || shift
	env ${envs[@]+"${envs[@]}"} "$check" --format "$fmt" "$@" \
		>"$work/$name.$fmt" 2>>"$work/$name.err" || rc=$?
	echo "$rc"
}

# Debian's python3 (python3-prometheus-client), not another one on PATH
dpy=/usr/bin/python3
promcheck() {
	"$dpy" - "$1" "$2" "$3" <<'EOF'
import sys
from prometheus_client.parser import text_string_to_metric_families
text, layout, interp = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3]
fams = {f.name: f for f in text_string_to_metric_families(text)}
want = ["execfix_verdict", "execfix_leak_objects_per_exec", "execfix_hit_processes",
        "execfix_anon_low_exec_processes", "execfix_check_duration_seconds",
        "execfix_last_run_timestamp_seconds", "execfix_kernel_info"]
missing = [w for w in want if w not in fams]
assert not missing, "missing %s" % missing
for f in fams.values():
    assert f.documentation and f.type == "gauge", f.name
v = {s.labels["bug"]: int(s.value) for s in fams["execfix_verdict"].samples}
assert sorted(v) == ["interp", "layout"], v
if layout != "-":
    assert v == {"layout": int(layout), "interp": int(interp)}, v
for line in text.splitlines():
    if line.startswith("execfix_") and "{" not in line.split()[0]:
        name = line.split()[0]
        assert ("# HELP %s " % name) in text and ("# TYPE %s gauge" % name) in text, name
print("ok")
EOF
}

# CRITICAL: the experiment shows the bug (a stand-in probe's figures), and
# a 64-bit bash has ld.so low (hit), a JIT is listed apart
p=$work/proc-hit
mkproc "$p"
addproc "$p" 4241 1 sshd /usr/sbin/sshd clean
addproc "$p" 4242 4241 bash /bin/bash ldso-low
addproc "$p" 4243 1 luajit /usr/bin/luajit-2.0.4 anon-low
addproc "$p" 4244 1 sshd /usr/sbin/sshd own-text-low
rc=$(run hit nagios "EXECFIX_PROCFS=$p" "EXECFIX_PROBE32=$fx/probe32-bug")
tap_result "$([ "$rc" = 2 ] && grep -q '^EXECFIX CRITICAL - layout AFFECTED.* | leak_per_exec=[-0-9.U]*;;0.5;0 hit_processes=1;;;0 anon_low_exec_processes=1' "$work/hit.nagios" && echo 0 || echo 1)" \
	"nagios: layout bug, ld.so below 4 GiB in a 64-bit process: CRITICAL, exit 2 ($rc: $(cat "$work/hit.nagios"))"
rc=$(run hit text "EXECFIX_PROCFS=$p" "EXECFIX_PROBE32=$fx/probe32-bug")
tap_result "$([ "$rc" = "$EX_FAIL" ] &&
	grep -q 'pid 4242 (bash), parent 4241 (sshd): /lib64/ld-2.12.so at 0xa5c000' "$work/hit.text" &&
	grep -q 'anonymous exec maps below 4 GiB: JIT caches, not evidence: 1 process' "$work/hit.text" &&
	grep -q 'pid 4243 (luajit)' "$work/hit.text" && ! grep -q 'pid 4244' "$work/hit.text" &&
	echo 0 || echo 1)" \
	"text: the hit listed with its parent, the JIT apart, own text not at all; exit EX_FAIL ($rc)" "$work/hit.text"
rc=$(run hit prometheus "EXECFIX_PROCFS=$p" "EXECFIX_PROBE32=$fx/probe32-bug")
# shellcheck disable=SC2310  # a failure is this test's "not ok"
out=$(promcheck "$work/hit.prometheus" 1 0 2>&1 || true)
tap_result "$([ "$rc" = "$EX_FAIL" ] && [ "$out" = ok ] &&
	grep -qx 'execfix_hit_processes 1' "$work/hit.prometheus" &&
	grep -qx 'execfix_anon_low_exec_processes 1' "$work/hit.prometheus" && echo 0 || echo 1)" \
	"prometheus (parsed by prometheus_client): verdict layout=1, 1 hit, 1 JIT ($out)" "$work/hit.prometheus"
rc=$(run hit json "EXECFIX_PROCFS=$p" "EXECFIX_PROBE32=$fx/probe32-bug")
out=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
l = d["layout"]
assert l["verdict"] == "affected" and l["processes_hit"] == 1, l
assert [p["pid"] for p in l["processes"]] == [4242]
assert [p["pid"] for p in l["anon_low_exec"]["processes"]] == [4243]
assert d["kernel_map"]["status"] == "found" and d["kernel_map"]["kind"] == "derivative", d["kernel_map"]
print("ok")' "$work/hit.json" 2>&1 || true)
tap_result "$([ "$out" = ok ] && echo 0 || echo 1)" "json: parses; hit and JIT in their own lists; kernel_map found ($out)"

# the same processes where the experiment finds no bug (no exec-shield):
# another cause (a loader's own choice), listed, not a verdict
rc=$(run hitok nagios "EXECFIX_PROCFS=$p")
rc2=$(run hitok text "EXECFIX_PROCFS=$p")
tap_result "$([ "$rc" = 0 ] && grep -q '^EXECFIX OK - layout not affected.*1 hit process' "$work/hitok.nagios" &&
	[ "$rc2" = "$EX_OK" ] && grep -q 'placed there by another cause' "$work/hitok.text" &&
	grep -q 'pid 4242 (bash)' "$work/hitok.text" && echo 0 || echo 1)" \
	"hits where the experiment finds no bug: listed, verdict stays the probe's: OK ($rc, $rc2)" "$work/hitok.text"
# on an exec-shield kernel where the experiment cannot run, hits decide
echo 1 >"$p/sys/kernel/exec-shield"
rc=$(run hites nagios "EXECFIX_PROCFS=$p" "EXECFIX_PROBE32=$work/no-such-probe")
tap_result "$([ "$rc" = 2 ] && grep -q '^EXECFIX CRITICAL - layout AFFECTED' "$work/hites.nagios" && [ "$(cat "$p/sys/kernel/exec-shield")" = 1 ] && echo 0 || echo 1)" \
	"exec-shield kernel, experiment could not run, a hit process: CRITICAL ($rc: $(cat "$work/hites.nagios"))"

# UNKNOWN: a container that masks /proc/slabinfo with /dev/null
p=$work/proc-masked
mkproc "$p"
ln -sf /dev/null "$p/slabinfo"
rc=$(run masked nagios "EXECFIX_PROCFS=$p")
tap_result "$([ "$rc" = 3 ] && grep -q '^EXECFIX UNKNOWN - .*interp leak could not tell' "$work/masked.nagios" && echo 0 || echo 1)" \
	"nagios: slabinfo masked, no module: UNKNOWN, exit 3 ($rc: $(cat "$work/masked.nagios"))"
rc=$(run masked text "EXECFIX_PROCFS=$p")
tap_result "$([ "$rc" = "$EX_SKIP" ] && grep -q 'could not tell: /proc/slabinfo cannot be read' "$work/masked.text" && echo 0 || echo 1)" \
	"text: the leak part says could not tell and why, exit EX_SKIP ($rc)" "$work/masked.text"
rc=$(run masked prometheus "EXECFIX_PROCFS=$p")
# shellcheck disable=SC2310  # a failure is this test's "not ok"
out=$(promcheck "$work/masked.prometheus" 0 2 2>&1 || true)
tap_result "$([ "$out" = ok ] && grep -qx 'execfix_leak_objects_per_exec NaN' "$work/masked.prometheus" && echo 0 || echo 1)" \
	"prometheus: interp=2 (could not tell), leak NaN ($out)"

# could not tell from noise: slab counts that jump between readings
p=$work/proc-noisy
mkproc "$p"
# serve_noisy_slabinfo DIR SIZES [LINE]: DIR/slabinfo rewritten without
# pause, each kmalloc class of SIZES at a random count (noise no rule
# separates), LINE (a quiet class) as it is; tap_stop_bg ends it.
serve_noisy_slabinfo() {
	local p=$1 sizes=$2 quiet=${3:-}

	rm -f "$p/slabinfo"
	(
		while :; do
			{
				echo "slabinfo - version: 2.1"
				for s in $sizes; do
					echo "kmalloc-$s $((RANDOM * 30)) 999999 $s 128 1 : tunables 0 0 0 : slabdata 1 1 0"
				done
				[ -z "$quiet" ] || echo "$quiet"
			} >"$p/slabinfo.new"
			mv "$p/slabinfo.new" "$p/slabinfo"
		done
	) &
	tap_bg_pid=$!
	for _ in $(seq 50); do [ -e "$p/slabinfo" ] && break; sleep 0.1; done
}
serve_noisy_slabinfo "$p" "32 64 96 128"
rc=$(run noisy json "EXECFIX_PROCFS=$p" "EXECFIX_LEAK_DRAIN=0")
tap_stop_bg
out=$(python3 -c '
import json, sys
i = json.load(open(sys.argv[1]))["interp"]
assert i["verdict"] == "unknown" and "could not tell" in i["why"] and i["noise"] > 0, i
print("ok: " + i["why"])' "$work/noisy.json" 2>&1 || true)
tap_result "$([ "$rc" = "$EX_SKIP" ] && [ "${out%%:*}" = ok ] && echo 0 || echo 1)" \
	"slab noise beyond the rule: could not tell, with the noise; exit EX_SKIP ($rc, $out)"

# the quietest class is the largest a name reaches (128 bytes): the '#!'
# line with the padded name and the interpreter's argument must still fit
# the kernel's 128-byte buffer (a cut line lost the argument: every exec
# failed, found by the noise table under growth in the smaller classes)
p=$work/proc-quiet128
mkproc "$p"
serve_noisy_slabinfo "$p" "32 64 96" \
	"kmalloc-128 5000 999999 128 32 1 : tunables 0 0 0 : slabdata 1 1 0"
rc=$(run quiet128 json "EXECFIX_PROCFS=$p" "EXECFIX_LEAK_DRAIN=0")
tap_stop_bg
# (2.6.32's buffer is 128 bytes, this host's may be larger: the line's
# length is checked from the name's, "#!" NAME " --stub" "\n" <= 127)
out=$(python3 -c '
import json, re, sys
i = json.load(open(sys.argv[1]))["interp"]
assert i["cache"] == "kmalloc-128" and i["verdict"] == "not_affected", i
n = int(re.search(r"interpreter name of (\d+) bytes", i["why"]).group(1))
assert 2 + (n - 1) + len(" --stub") + 1 <= 127, "a #! line of %d bytes" % (n + 9)
print("ok: " + i["why"])' "$work/quiet128.json" 2>&1 || true)
tap_result "$([ "${out%%:*}" = ok ] && echo 0 || echo 1)" \
	"the 128-byte class watched: a '#!' line that fits 2.6.32's 128-byte buffer, a verdict ($rc, $out)"

# A 32-bit (i686) host: EXECFIX_KERNEL_BITS=32 stands in for its kernel.
# The layout part is not applicable; a leak (a stand-in execfix.ko,
# slabinfo masked) is projected onto LowFree.
p=$work/proc-i686
mkproc "$p"
ln -sf /dev/null "$p/slabinfo"
printf 'MemTotal: 1543020 kB\nLowTotal: 895912 kB\nLowFree: 894716 kB\nSlab: 2868 kB\n' >"$p/meminfo"
# serve_counts DIR leak|clean: the stand-in's interp file is a FIFO that
# gives each read 1000 allocations more than the last (all freed when
# clean), so every round's counts are believable however fast this host
# execs and however late a timed writer would be scheduled.  A write that
# meets a reader just closing fails (EPIPE) and the next read gets more.
# The pause after each write keeps a reader from taking more writes than
# its buffer holds, which would leave the next reader half a write.
serve_counts() {
	mkdir -p "$1"
	rm -f "$1/interp"
	mkfifo "$1/interp"
	(
		trap '' PIPE
		n=0
		while :; do
			n=$((n + 1000))
			f=0
			[ "$2" = clean ] && f=$n
			printf 'interp_accounting=supported\nallocated=%d\nfreed=%d\n' "$n" "$f" \
				>"$1/interp" 2>/dev/null || :
			sleep 0.1
		done
	) &
	tap_bg_pid=$!
}
serve_counts "$work/mod-leak" leak
# a TMPDIR longer than the 31-byte name of the size-32 class: the exact
# counts take any class, and must still get their execs
# (at most 64 bytes, or execfix-check passes it over for /tmp)
long_tmp=$(mktemp -d /tmp/execfix-check-test-longer-tmpdir.XXXXXX)
rc=$(run i686 text "EXECFIX_PROCFS=$p" "EXECFIX_PROC=$work/mod-leak" EXECFIX_KERNEL_BITS=32 "TMPDIR=$long_tmp")
rcj=$(run i686 json "EXECFIX_PROCFS=$p" "EXECFIX_PROC=$work/mod-leak" EXECFIX_KERNEL_BITS=32)
rcp=$(run i686 prometheus "EXECFIX_PROCFS=$p" "EXECFIX_PROC=$work/mod-leak" EXECFIX_KERNEL_BITS=32)
tap_stop_bg
serve_counts "$work/mod-clean" clean
rcc=$(run i686clean json "EXECFIX_PROCFS=$p" "EXECFIX_PROC=$work/mod-clean" EXECFIX_KERNEL_BITS=32)
tap_stop_bg
rmdir "$long_tmp"
tap_result "$([ "$rc" = "$EX_FAIL" ] && grep -q '^layout bug (0001): not applicable (32-bit kernel)$' "$work/i686.text" &&
	grep -q "lowmem: LowFree 894716 kB of LowTotal 895912 kB; the leak keeps" "$work/i686.text" &&
	grep -q 'gone in [0-9]* hours ([0-9.]* days) at 10 execs/s' "$work/i686.text" && echo 0 || echo 1)" \
	"i686 host, leaking: layout not applicable (32-bit kernel), the leak projected onto lowmem (exit $rc)" "$work/i686.text"
out=$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1])); c = json.load(open(sys.argv[2]))
assert j["kernel_bits"] == 32 and j["layout"]["applicable"] == 0, j["layout"]
assert j["layout"]["verdict"] == "not_affected" and j["interp"]["verdict"] == "affected", j["interp"]
l = j["lowmem"]
assert l["low_free_kb"] == 894716 and l["bytes_per_exec"] > 0, l
# the hours are LowFree over the bytes each exec keeps, at each rate
left = l["low_free_kb"] * 1024.0 / l["bytes_per_exec"] / 3600
assert l["execs_per_s"] > 0 and abs(l["hours_at_10_per_s"] - left / 10) < 0.1, l
assert abs(l["hours_at_measured_rate"] - left / l["execs_per_s"]) < 0.1, l
k = c["lowmem"]
assert c["interp"]["verdict"] == "not_affected" and k["hours_at_10_per_s"] is None, c
print("ok: %.1f bytes/exec, %.0f hours at 10/s" % (l["bytes_per_exec"], l["hours_at_10_per_s"]))' \
	"$work/i686.json" "$work/i686clean.json" 2>&1 || true)
tap_result "$([ "$rcj" = "$EX_FAIL" ] && [ "$rcc" = "$EX_OK" ] && [ "${out%%:*}" = ok ] && echo 0 || echo 1)" \
	"i686 host, JSON: kernel_bits 32, layout applicable 0, lowmem hours when leaking, null when not ($rcj/$rcc, $out)"
# shellcheck disable=SC2310  # a failure is this test's "not ok"
out=$(promcheck "$work/i686.prometheus" 0 1 2>&1 || true)
tap_result "$([ "$rcp" = "$EX_FAIL" ] && [ "$out" = ok ] && echo 0 || echo 1)" \
	"i686 host, prometheus: layout=0, interp=1 ($rcp, $out)"
# The 32-bit build, for i686 hosts: i386 and static; on this 64-bit
# kernel its layout part says to run the 64-bit build.
check32=$work/check32/execfix-check
if make -s -C "$repo/tools/execfix-check" OUTPUT="$work/check32" CC=i386-linux-musl-gcc \
	KMAP="$kmap" >"$work/build32.log" 2>&1 && readelf -h "$check32" | grep -q 'Class:[[:space:]]*ELF32' &&
	! readelf -l "$check32" | grep -q INTERP; then
	rc=0
	"$check32" --format text >"$work/c32.text" 2>&1 || rc=$?
	tap_result "$(grep -q 'could not tell: this is the 32-bit build of execfix-check, for 32-bit kernels; on this 64-bit kernel run the 64-bit build' "$work/c32.text" &&
		grep -q '^interp leak (0002): ' "$work/c32.text" && echo 0 || echo 1)" \
		"the 32-bit build (i386, static): on a 64-bit kernel the layout part names the 64-bit build, the leak part runs (exit $rc)" "$work/c32.text"
else
	tap_result 1 "the 32-bit build (CC=i386-linux-musl-gcc): i386, static" "$work/build32.log"
fi

# WARNING: execfix_live.ko clears the allocator on the probe's exec
p=$work/proc-live
mkproc "$p"
printf 'layout=active\nlayout.calls=0\nlayout.cleared=0\ninterp=off\n' >"$p/execfix_live"
rc=$(run live nagios "EXECFIX_PROCFS=$p" "EXECFIX_PROBE32=$fx/probe32-live")
tap_result "$([ "$rc" = 1 ] && grep -q '^EXECFIX WARNING - layout mitigated' "$work/live.nagios" && echo 0 || echo 1)" \
	"nagios: layout mitigated by execfix_live.ko: WARNING, exit 1 ($rc: $(cat "$work/live.nagios"))"
rc=$(run live prometheus "EXECFIX_PROCFS=$p" "EXECFIX_PROBE32=$fx/probe32-live")
# shellcheck disable=SC2310  # a failure is this test's "not ok"
out=$(promcheck "$work/live.prometheus" 3 0 2>&1 || true)
tap_result "$([ "$rc" = "$EX_OK" ] && [ "$out" = ok ] && echo 0 || echo 1)" \
	"prometheus: layout=3 (mitigated), exit EX_OK ($rc, $out)"

# OK: this host, as it is (a host too busy for the slab rule is UNKNOWN:
# right, but not this test's case)
rc=$(run host nagios)
if [ "$rc" = 3 ] && grep -q 'interp leak could not tell' "$work/host.nagios"; then
	tap_skip "nagios on this host: the slab was too noisy to tell ($(cat "$work/host.nagios"))"
else
	tap_result "$([ "$rc" = 0 ] && grep -q '^EXECFIX OK - layout not affected, interp leak not affected.*(map: layout present, interp needs-full-backport) | ' "$work/host.nagios" && echo 0 || echo 1)" \
		"nagios on this host (not affected): OK, exit 0, the map's row beside ($rc: $(cat "$work/host.nagios"))"
fi

# ---- the textfile collector's writer (packaging/monitoring) ----------------------
tf=$work/textfile
mkdir -p "$tf"
writer=$repo/packaging/monitoring/execfix-check-textfile
rc=0
EXECFIX_CHECK=$check "$writer" "$tf" >"$work/tf.log" 2>&1 || rc=$?
# shellcheck disable=SC2310  # a failure is this test's "not ok"
out=$(promcheck "$tf/execfix.prom" - - 2>&1 || true)
left=$(find "$tf" -name '.execfix*' | wc -l)
tap_result "$([ "$rc" = 0 ] && [ "$out" = ok ] && [ "$left" = 0 ] && echo 0 || echo 1)" \
	"execfix-check-textfile writes execfix.prom, no temporary file left ($rc, $out, $left left)" "$work/tf.log"
printf '#!/bin/sh\nexit %s\n' 3 >"$work/broken"
printf '#!/bin/sh\nexit %s\n' 1 >"$work/broken1"
chmod 755 "$work/broken" "$work/broken1"
cp "$tf/execfix.prom" "$work/before.prom"
rc=0
EXECFIX_CHECK=$work/broken "$writer" "$tf" >/dev/null 2>&1 || rc=$?
rc1=0
EXECFIX_CHECK=$work/broken1 "$writer" "$tf" >/dev/null 2>&1 || rc1=$?
left=$(find "$tf" -name '.execfix*' | wc -l)
tap_result "$([ "$rc" = 3 ] && [ "$rc1" = 3 ] && [ "$left" = 0 ] && cmp -s "$tf/execfix.prom" "$work/before.prom" && echo 0 || echo 1)" \
	"a check that could not run (exit 3, or exit 1 without metrics) leaves the previous file ($rc, $rc1)"

# ---- the affected-kernel map ---------------------------------------------------
rc=$(run map text -- --map "$repo/data/affected-kernels.tsv")
tap_result "$(grep -q "kernel map (.*affected-kernels.tsv): $release is not in the map" "$work/map.text" && echo 0 || echo 1)" \
	"--map data/affected-kernels.tsv: this release is not in the map"
mrow=$work/map-exact.tsv
printf '# x\nuname\ttree\tkind\tsource\tcommit\tlayout\tinterp\tproof\tbuild_s\tboot_s\n%s\tExact\trhel\ts\tc\tfixed\tfixed\tok\t1\t2\n' "$release" >"$mrow"
rc=$(run mapx json -- --map "$mrow")
out=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["kernel_map"]; print(m["status"], m.get("tree"))' "$work/mapx.json" 2>&1 || true)
tap_result "$([ "$out" = "found Exact" ] && echo 0 || echo 1)" \
	"--map: a row equal to the release matches ($out)"
rc=$(run mapd json)
out=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["kernel_map"]; print(m["source"], m["status"], m.get("tree"))' "$work/mapd.json" 2>&1 || true)
tap_result "$([ "$out" = "embedded found Host tree" ] && echo 0 || echo 1)" \
	"built-in map, '.' rule: ${release%.*} matches $release, ${release%?} does not ($out)"

# ---- restricted hosts ------------------------------------------------------------
# es_proc DIR VALUE: a stand-in /proc with an exec-shield sysctl
es_proc() {
	mkproc "$1"
	echo "$2" >"$1/sys/kernel/exec-shield"
}
# writable: the workarounds, least weakening first, restored
p=$work/proc-es
es_proc "$p" 1
rc=$(run es text "EXECFIX_PROCFS=$p" "EXECFIX_PROBE32=$fx/probe32-bug")
tap_result "$([ "$rc" = "$EX_FAIL" ] && [ "$(cat "$p/sys/kernel/exec-shield")" = 1 ] &&
	grep -A1 '^    1\. ulimit -s unlimited' "$work/es.text" | grep -q 'least weakening' &&
	grep -A1 '^    2\. sysctl -w kernel.exec-shield=0' "$work/es.text" | grep -q 'turns exec-shield OFF' &&
	echo 0 || echo 1)" \
	"layout affected: ulimit -s first, exec-shield=0 second and said to turn it off; sysctl restored ($rc)" "$work/es.text"

# read-only (a container's /proc/sys): could not tell, nothing changed
p=$work/proc-ro
es_proc "$p" 1
if unshare -m true 2>/dev/null; then
	rc=0
	# shellcheck disable=SC2016  # expanded by the inner sh
	unshare -m sh -c 'mount --bind -o ro "$1" "$1" && shift && exec "$@"' sh \
		"$p/sys/kernel/exec-shield" env "EXECFIX_PROCFS=$p" "EXECFIX_PROBE32=$fx/probe32-bug" \
		"$check" >"$work/ro.text" 2>&1 || rc=$?
	tap_result "$([ "$rc" = "$EX_FAIL" ] && [ "$(cat "$p/sys/kernel/exec-shield")" = 1 ] &&
		grep -q 'could not tell which exec-shield values help: the sysctl cannot be written (Read-only file system); nothing changed' "$work/ro.text" &&
		echo 0 || echo 1)" \
		"read-only exec-shield sysctl: could not tell, nothing changed ($rc)" "$work/ro.text"
else
	tap_skip "read-only exec-shield sysctl: unshare -m not permitted here"
fi

# not root: slabinfo unreadable, exec-shield not written
p=$work/proc-user
es_proc "$p" 1
rm "$p/slabinfo"
echo "slabinfo - version: 2.1" >"$p/slabinfo"
chmod 000 "$p/slabinfo"
chmod 444 "$p/sys/kernel/exec-shield"
# the user reaches nothing of the checkout, which may sit in a private
# home (/root is 0700): the probe's fixture is copied beside the program
cp "$fx/probe32-bug" "$work/check/probe32-bug"
chmod -R a+rX "$work/check"
# a TMPDIR that others cannot enter (a private 0700 one) keeps the user
# from the program and the fixture: that says nothing of execfix-check
if ! setpriv --reuid=65534 --regid=65534 --clear-groups \
	test -x "$check" -a -r "$p/sys/kernel/exec-shield"; then
	tap_skip "non-root: uid 65534 cannot reach $work (TMPDIR=${TMPDIR:-/tmp} is closed to others)"
else
	rc=0
	setpriv --reuid=65534 --regid=65534 --clear-groups env "EXECFIX_PROCFS=$p" \
		"EXECFIX_PROBE32=$work/check/probe32-bug" "$check" >"$work/user.text" 2>&1 || rc=$?
	tap_result "$([ "$rc" = "$EX_FAIL" ] && [ "$(cat "$p/sys/kernel/exec-shield")" = 1 ] &&
		grep -q 'could not tell which exec-shield values help: not root; nothing changed' "$work/user.text" &&
		grep -q "could not tell: /proc/slabinfo cannot be read (Permission denied): not root" "$work/user.text" &&
		echo 0 || echo 1)" \
		"non-root: each part says could not tell and why; nothing changed ($rc)" "$work/user.text"
fi
rc=0
setpriv --reuid=65534 --regid=65534 --clear-groups "$check" --format nagios \
	>"$work/user.nagios" 2>&1 || rc=$?
tap_result "$([ "$rc" = 3 ] && grep -q '^EXECFIX UNKNOWN' "$work/user.nagios" && echo 0 || echo 1)" \
	"non-root on this host: nagios UNKNOWN, exit 3 ($rc: $(cat "$work/user.nagios"))"

tap_done
