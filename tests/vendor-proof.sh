#!/bin/bash
# Tests of proof/vendor-proof and its toolchain-compat scaffolding (TAP 13).
#
# Always (seconds, no vendor tree needed): bad input is refused with exit 2 and
# nothing is lost; proof/compat/apply refuses a tree that is not a scratch copy,
# applies every edit to a synthetic tree carrying the anchor lines, is idempotent,
# and stops with an error when an anchor is missing.
#
# With KSRC=/path/to/a/2.6.32 RHEL 6 tree: also the full proof on it (build, boot,
# patch, boot: several minutes), output in $VENDOR_PROOF_OUT (default
# build/vendor-proof-test/<tree name>). Without KSRC the run ends as a SKIP
# (exit 4) once the quick checks pass: CI has no vendor tree.
# Exit: 0 pass, 1 fail, 4 skip.
#
# The fixtures quote Makefile text, whose $(...) must stay literal:
# shellcheck disable=SC2016,SC1003
set -eu
shopt -s inherit_errexit

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

VP=$repo/proof/vendor-proof
COMPAT=$repo/proof/compat/apply

tap_workdir vendor-proof-test

# runs WANT PATTERN DESCRIPTION COMMAND...: tap_runs with its output in $work/out
runs() { tap_runs "$work/out" "$@"; }

# ---- vendor-proof input checks (all stop before anything is built)
runs 2 'KSRC' "no KSRC: usage error naming KSRC" env -u KSRC "$VP"
runs 2 'no such directory' "missing KSRC directory refused" "$VP" "$work/nonexistent"
mkdir -p "$work/notkernel"
runs 2 'not a Linux kernel source tree' "a directory that is not a kernel tree refused" \
	"$VP" --out "$work/o1" "$work/notkernel"

# fake trees: only what the checks look at
fake_tree() { # fake_tree DIR VERSION PATCHLEVEL SUBLEVEL [RHEL_MAJOR]
	mkdir -p "$1/arch/x86" "$1/fs"
	: >"$1/fs/exec.c"
	{
		echo "VERSION = $2"
		echo "PATCHLEVEL = $3"
		echo "SUBLEVEL = $4"
		echo "EXTRAVERSION ="
		[ -z "${5:-}" ] || echo "RHEL_MAJOR = $5"
	} >"$1/Makefile"
}
fake_tree "$work/v3" 3 10 0 7
runs 2 'not 2.6.32' "a 3.10 tree refused" "$VP" --out "$work/o2" "$work/v3"
fake_tree "$work/vanilla" 2 6 32
runs 2 'not a RHEL 6 tree' "a 2.6.32 tree without RHEL_MAJOR refused" "$VP" --out "$work/o3" "$work/vanilla"
fake_tree "$work/el6" 2 6 32 6
mkdir -p "$work/precious"
echo keep >"$work/precious/file"
runs 2 'refusing to empty it' "a non-empty foreign --out refused" "$VP" --out "$work/precious" "$work/el6"
tap_result "$([ "$(cat "$work/precious/file" 2>/dev/null)" = keep ]; echo $?)" "the foreign --out directory is untouched"
runs 2 'inside KSRC' "--out inside KSRC refused (KSRC is read only)" "$VP" --out "$work/el6/out" "$work/el6"
tap_result "$([ ! -e "$work/el6/out" ]; echo $?)" "nothing created inside KSRC"
runs 2 'not a number' "--jobs must be a number" "$VP" --jobs x "$work/el6"
runs 0 'Exit codes' "--help describes the exit codes" "$VP" --help
runs 2 'no such directory' "--selftests: a missing directory refused" \
	"$VP" --out "$work/o5" --selftests "$work/nonexistent" "$work/el6"
runs 2 'not written by vendor-proof' "--lava-jobs: a foreign non-empty directory refused" \
	"$VP" --out "$work/o6" --lava-jobs "$work/precious" "$work/el6"
tap_result "$([ "$(cat "$work/precious/file" 2>/dev/null)" = keep ]; echo $?)" "... and left as it was"
runs 2 'inside KSRC' "--lava-jobs inside KSRC refused" "$VP" --out "$work/o7" --lava-jobs "$work/el6/jobs" "$work/el6"
tap_result "$([ ! -e "$work/el6/jobs" ]; echo $?)" "... nothing created inside KSRC"
# Past the input checks, a step that cannot be done is EX_ENV (3), not usage.
if command -v qemu-system-x86_64 >/dev/null && command -v musl-gcc >/dev/null &&
	command -v i386-linux-musl-gcc >/dev/null && command -v objdump >/dev/null; then
	runs 3 'patchctl status: 0001' "a tree the patches cannot be placed on: exit 3 before any build" \
		"$VP" --out "$work/o4" "$work/el6"
	tap_result "$([ ! -e "$work/o4/work/src" ]; echo $?)" "... and nothing was copied or built"
else
	tap_skip "vendor-proof exit 3: needs qemu-system-x86_64, musl-gcc, i386-linux-musl-gcc, objdump"
fi

# ---- compat scaffolding on a synthetic tree holding each anchor
mk_compat_tree() {
	local d=$1
	mkdir -p "$d/include/linux" "$d/kernel" "$d/arch/x86/vdso" "$d/arch/x86/boot/compressed" \
		"$d/arch/x86/include/asm" "$d/arch/x86/kernel/acpi/realmode" "$d/scripts"
	printf '%s\n' '#error "Please do not include directly"' \
		'/* GCC 4.1.[01] miscompiles __weak */' '#ifdef __KERNEL__' \
		'# if __GNUC_MINOR__ == 1 && __GNUC_PATCHLEVEL__ <= 1' \
		'#  error Your version of gcc miscompiles the __weak directive' '# endif' '#endif' \
		'#define __used __attribute__((__used__))' >"$d/include/linux/compiler-gcc4.h"
	printf '\tif (!defined(@val)) {\n\t\t@val = compute_values($hz);\n\t}\n' >"$d/kernel/timeconst.pl"
	printf 'export KBUILD_CFLAGS CFLAGS_KERNEL CFLAGS_MODULE\n' >"$d/Makefile"
	printf 'VDSO_LDFLAGS_vdso.lds = -m elf_x86_64 -Wl,-soname=linux-vdso.so.1\nVDSO_LDFLAGS_vdso32.lds = -m elf_i386 -Wl,-soname=linux-gate.so.1\n' \
		>"$d/arch/x86/vdso/Makefile"
	printf 'KBUILD_AFLAGS\t:= $(KBUILD_CFLAGS) -D__ASSEMBLY__\n' >"$d/arch/x86/boot/Makefile"
	printf 'KBUILD_AFLAGS  := $(KBUILD_CFLAGS) -D__ASSEMBLY__\n' >"$d/arch/x86/boot/compressed/Makefile"
	printf 'KBUILD_AFLAGS\t:= $(KBUILD_CFLAGS) -D__ASSEMBLY__\n' >"$d/arch/x86/kernel/acpi/realmode/Makefile"
	printf 'static inline void rdtsc_barrier(void)\n{\n}\n' >"$d/arch/x86/include/asm/system.h"
	printf 'make-cmd = $(subst \\#,\\\\\\#,$(subst $$,$$$$,$(call escsq,$(cmd_$(1)))))\n' \
		>"$d/scripts/Kbuild.include"
	printf '\t\tswitch (ELF64_R_TYPE(rel[i].r_info)) {\n\t\tcase R_X86_64_PC32:\n\t\t\tval -= (u64)loc;\n' \
		>"$d/arch/x86/kernel/module.c"
	printf 'LDFLAGS := -m elf_$(UTS_MACHINE)\n' >"$d/arch/x86/Makefile"
	# the vendor stubs (edits 16-20)
	mkdir -p "$d/include/xen" "$d/arch/x86/kernel/cpu" "$d/init"
	printf '#else\n#define xen_hvm_guest_init() do {} while (0)\n#endif\n' >"$d/include/xen/xen.h"
	printf '{\n\t&x86_hyper_ms_hyperv,\n\t&x86_hyper_kvm,\n};\n' >"$d/arch/x86/kernel/cpu/hypervisor.c"
	printf '#else\n{\n}\nkmem_cache_alloc_trace(size_t size, struct kmem_cache *cachep, gfp_t flags)\n{\n}\n' \
		>"$d/include/linux/slab_def.h"
	printf '{\n}\n\nvoid mem_cgroup_split_hugepage_commit(struct page *page, struct page *head)\n{\n}\n' \
		>"$d/include/linux/memcontrol.h"
	printf '\tprintk(KERN_DEBUG "sizeof(buffer_head)=%%u bytes\\n", (unsigned int) sizeof(struct buffer_head));\n' \
		>"$d/init/main.c"
	# the i386 edits (21, 22)
	printf '%s\n' 'asmregparm long syscall_trace_enter(struct pt_regs *regs)' '{' '}' \
		'asmregparm void syscall_trace_leave(struct pt_regs *regs)' '{' '}' >"$d/arch/x86/kernel/ptrace.c"
}
C=$work/compat
mk_compat_tree "$C"
cp -a "$C" "$work/compat.orig"
runs 1 'scratch copy' "compat/apply refuses a tree without the scratch marker" "$COMPAT" "$C"
tap_result "$(diff -r "$work/compat.orig" "$C" >/dev/null; echo $?)" "... and leaves it byte-identical"
touch "$C/.el6-execfix-scratch"
runs 0 "19 applied, 0 already present" "compat/apply applies all 19 edits" "$COMPAT" "$C"
gccmajor=$(gcc -dumpversion | cut -d. -f1)
tap_result "$([ -f "$C/include/linux/compiler-gcc$gccmajor.h" ] &&
	! grep -q miscompiles "$C/include/linux/compiler-gcc$gccmajor.h"; echo $?)" \
	"compiler-gcc$gccmajor.h shim without the gcc 4.1 check"
tap_result "$(grep -q 'if (!@val)' "$C/kernel/timeconst.pl"; echo $?)" "timeconst.pl: no defined(@array)"
tap_result "$(grep -q 'fno-PIE -std=gnu89' "$C/Makefile"; echo $?)" "top Makefile: -fno-PIE -std=gnu89"
tap_result "$([ "$(grep -c -- '-Wl,-m,elf_' "$C/arch/x86/vdso/Makefile")" = 2 ]; echo $?)" "vDSO: -Wl,-m,elf_*"
tap_result "$(grep -q 'fno-pie -mno-mmx -mno-sse' "$C/arch/x86/boot/Makefile" &&
	grep -q 'mno-mmx -mno-sse' "$C/arch/x86/boot/compressed/Makefile" &&
	grep -q 'fno-pie -mno-mmx -mno-sse' "$C/arch/x86/kernel/acpi/realmode/Makefile"; echo $?)" \
	"boot and ACPI wakeup code: no PIE, no SSE"
tap_result "$(grep -q 'static __always_inline void rdtsc_barrier' "$C/arch/x86/include/asm/system.h"; echo $?)" \
	"rdtsc_barrier always inline"
tap_result "$(grep -q '^pound := \\#$' "$C/scripts/Kbuild.include" &&
	grep -q 'subst $(pound),$$(pound)' "$C/scripts/Kbuild.include"; echo $?)" "Kbuild.include: \$(pound)"
tap_result "$(grep -q 'case R_X86_64_PLT32:' "$C/arch/x86/kernel/module.c"; echo $?)" "module loader: R_X86_64_PLT32"
tap_result "$(grep -q 'max-page-size=0x200000' "$C/arch/x86/Makefile"; echo $?)" "vmlinux: 2 MiB max-page-size"
tap_result "$(grep -q 'obj- := none.o' "$C/firmware/Makefile"; echo $?)" "empty firmware/ directory"
tap_result "$(grep -q 'static inline uint32_t xen_cpuid_base' "$C/include/xen/xen.h" &&
	grep -q '^#ifdef CONFIG_KVM_GUEST' "$C/arch/x86/kernel/cpu/hypervisor.c" &&
	grep -q '^static __always_inline void \*' "$C/include/linux/slab_def.h" &&
	grep -q '^static inline' "$C/include/linux/memcontrol.h" &&
	grep -q '^#ifdef CONFIG_BLOCK' "$C/init/main.c"; echo $?)" \
	"vendor stubs: Xen, KVM guest, kmemtrace, memcg, buffer_head compile without their subsystem"
# Through make and sh's echo, as kbuild writes .cmd files, a command must come out
# so that reading it back gives the same command: '#' as $(pound), backslashes kept.
cat >"$work/pound.mk" <<EOF
squote := '
escsq = \$(subst \$(squote),'\\\$(squote)',\$1)
include $C/scripts/Kbuild.include
cmd_x = sed -e 's/^\\(a\\)/\\1 b\\#/'
all:
	@echo 'saved_x := \$(call make-cmd,x)' >$work/x.cmd
EOF
cat >"$work/reload.mk" <<EOF
include $C/scripts/Kbuild.include
include $work/x.cmd
cmd_x = sed -e 's/^\\(a\\)/\\1 b\\#/'
all:
	@echo '\$(if \$(filter-out \$(cmd_x),\$(saved_x))\$(filter-out \$(saved_x),\$(cmd_x)),changed,same)'
EOF
make -s -f "$work/pound.mk" >/dev/null 2>&1 || true
tap_result "$([ "$(make -s -f "$work/reload.mk" 2>/dev/null)" = same ] &&
	grep -q 'b$(pound)' "$work/x.cmd" && grep -qF '\1' "$work/x.cmd"; echo $?)" \
	"a .cmd file reads back as the same command (# as \$(pound), backslashes kept)"
cp -a "$C" "$work/compat.once"
runs 0 "0 applied, 19 already present" "compat/apply again: idempotent" "$COMPAT" "$C"
tap_result "$(diff -r "$work/compat.once" "$C" >/dev/null; echo $?)" "... and changes nothing"
tap_result "$(cmp -s "$work/compat.orig/arch/x86/kernel/ptrace.c" "$C/arch/x86/kernel/ptrace.c"; echo $?)" \
	"x86_64 (the default): the i386-only edits leave ptrace.c as it was"
runs 1 "x86_64 or i386" "compat/apply --arch refuses another architecture" "$COMPAT" --arch arm "$C"
runs 0 "2 applied, 19 already present" "compat/apply --arch i386: the two i386 edits on top" \
	"$COMPAT" --arch i386 "$C"
tap_result "$(! grep -q '^asmregparm' "$C/arch/x86/kernel/ptrace.c" &&
	[ "$(grep -c 'el6-execfix compat: was asmregparm' "$C/arch/x86/kernel/ptrace.c")" = 2 ]; echo $?)" \
	"ptrace.c: syscall_trace_enter/leave without asmregparm, as asm/ptrace.h declares them"
runs 0 "0 applied, 21 already present" "compat/apply --arch i386 again: idempotent" \
	"$COMPAT" --arch i386 "$C"
mk_compat_tree "$work/ovz32"
touch "$work/ovz32/.el6-execfix-scratch"
printf '%s\n' 'long syscall_trace_enter(struct pt_regs *regs)' 'void syscall_trace_leave(struct pt_regs *regs)' \
	>"$work/ovz32/arch/x86/kernel/ptrace.c"
runs 0 "ptrace-asmregparm-enter: not needed" "compat/apply --arch i386: definitions without asmregparm (OpenVZ) need no edit" \
	"$COMPAT" --arch i386 "$work/ovz32"
mk_compat_tree "$work/broken"
touch "$work/broken/.el6-execfix-scratch"
printf 'something else\n' >"$work/broken/arch/x86/include/asm/system.h"
runs 1 'rdtsc-barrier: expected text not found' "a missing anchor is a clear error" "$COMPAT" "$work/broken"

# ---- the report part (proof/lib/report.sh) on two made-up boots
# shellcheck source=../proof/lib/report.sh
. "$repo/proof/lib/report.sh"
RUNS=$work/runs
mkdir -p "$RUNS/stock" "$RUNS/patched"
printf '%s\n' '# run: exec_layout_32' \
	'# # parent 32 -> child 64: exec map 0x00000000f7f00000' \
	'# not ok 1 - parent 32 -> child 64: exec map 0xf7f00000 below 4 GiB' \
	'# result: exec_layout_32 exit=1 verdict=fail time=1.0' >"$RUNS/stock/results.tap"
printf '%s\n' '# run: exec_layout_32' \
	'# ok 1 - parent 32 -> child 64: exec map 0x7f0000000000 above 4 GiB' \
	'# result: exec_layout_32 exit=0 verdict=pass time=1.0' >"$RUNS/patched/results.tap"
for v in stock patched; do report_subtests "$RUNS/$v/results.tap" >"$RUNS/$v/subtests.tsv"; done
report_table stock patched >"$work/table.tsv"
tap_result "$([ "$(sed -n 2p "$work/table.tsv")" = "$(printf 'exec_layout_32: parent 32 -> child 64\tFAIL 0xf7f00000\tok 0x7f0000000000')" ]; echo $?)" \
	"report: one row per subtest, one column per kernel, verdict and exec map" "$work/table.tsv"
tap_result "$([ "$(layout_fail stock)/$(layout_fail patched)/$(layout_other_fail stock)" = 1/0/0 ]; echo $?)" \
	"report: layout failures counted per kernel"
report_evidence stock >"$work/evidence"
tap_result "$(grep -q 'FAIL exec_layout_32: parent 32 -> child 64' "$work/evidence"; echo $?)" \
	"report: the evidence names the failing case" "$work/evidence"

# a 32-bit kernel: exec_layout "not applicable", interp_leak's lowmem case
mkdir -p "$RUNS/partial"
printf '%s\n' '# run: exec_layout_32' \
	'# ok 1 # SKIP parent 32 -> child 32 (static) [default layout]: not applicable (32-bit kernel); exec map 0x434000 (below 16 MiB), brk grew 256 MiB (cap)' \
	'# ok 2 # SKIP parent 32 -> child 64 (static) [default layout]: not applicable (32-bit kernel); /tests/exec_layout_64 not built' \
	'# result: exec_layout_32 exit=4 verdict=skip time=1.0' '# run: interp_leak' \
	"# not ok 6 lowmem: falls: free lowmem -36.2 kB per 1000 '#!' execs (LowFree -37.6; control +0.0), size-32 +1000.0 per 1000: at 389 execs/s (this guest) lowmem is gone in 17.7 hours, at 10/s in 686 hours (28.6 days); verdict by 2 of 3 rounds after 20000 execs" \
	'# result: interp_leak exit=1 verdict=fail time=1.0' >"$RUNS/partial/results.tap"
printf 'test\texit\tverdict\tseconds\nexec_layout_32\t4\tskip\t1.0\ninterp_leak\t1\tfail\t1.0\n' \
	>"$RUNS/partial/results.tsv"
report_subtests "$RUNS/partial/results.tap" >"$RUNS/partial/subtests.tsv"
got32="$(prog_verdict partial exec_layout_32)/$(layout_judged partial)/$(layout_na partial)/$(layout_judged stock)"
tap_result "$([ "$got32" = skip/0/2/1 ]; echo $?)" \
	"report: 32-bit kernel: exec_layout_32 skipped, 2 cases not applicable, none judged (stock here: 1)"
report_table partial >"$work/table32.tsv"
lowline=$(report_lowmem partial)
tap_result "$(grep -q "$(printf 'interp_leak: lowmem\tFAIL -36.2 kB per 1000')" "$work/table32.tsv" &&
	grep -q '^falls: free lowmem -36.2 kB per 1000 .*gone in 17.7 hours' <<<"$lowline"; echo $?)" \
	"report: the lowmem case's figure in the table, its line for the report" "$work/table32.tsv"

# ---- the full proof, on a real tree
if [ -z "${KSRC:-}" ]; then
	tap_plan
	echo "# SKIP vendor proof: KSRC unset (no vendor tree here; run KSRC=/path/to/linux-2.6.32-NNN.el6 tests/vendor-proof.sh); quick checks $tap_count/$tap_count ok"
	exit "$EX_SKIP"
fi
out=${VENDOR_PROOF_OUT:-$repo/build/vendor-proof-test/$(basename "$KSRC")}
rc=0
"$VP" --out "$out" "$KSRC" >"$work/proof.log" 2>&1 || rc=$?
grep -E '^CHECK|^VERDICT|^  (build|boot) |^run ' "$work/proof.log" | sed 's/^/# /'
tap_result "$rc" "vendor-proof on $KSRC (exit $rc; report in $out/report.txt)"
tap_done
