#!/bin/bash
# Every library call here is the thing under test, its status the answer:
# shellcheck disable=SC2310,SC2311
# vendor-proof's configuration choice (proof/lib-config.sh) on fixture
# Kconfig trees: a configured tree is cleaned in the scratch copy only, the
# base is minimal / tree / FILE, the essentials are forced and checked (a
# missing one stops the proof), refused trims are reported, and bad --config
# input is refused with exit 2 and the tree left byte-identical.
#
# The fixture's kconfig is a stand-in: "make oldconfig" keeps only symbols
# some Kconfig file defines and applies the tree's rules (CONFIG_X=v: the
# value its dependencies force), as real kconfig would for those symbols.
# Seconds; needs only make and bash.  TAP 13; exit 0 pass, 1 fail.
# The fixtures quote Makefile text, whose $(...) must stay literal:
# shellcheck disable=SC2016
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/vendor-config-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
# shellcheck source-path=SCRIPTDIR source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"
# shellcheck source=proof/lib-config.sh
. "$ROOT/proof/lib-config.sh"

# fixture DIR [RULE...]: a 2.6.32 RHEL-like tree whose Kconfig defines every
# symbol of the essentials, trims and minimal fragment but BINFMT_SCRIPT.
fixture() {
	local d=$1 sym
	shift
	mkdir -p "$d/arch/x86" "$d/fs" "$d/scripts"
	echo '/* exec */' >"$d/fs/exec.c"
	{
		sed -n 's/^#* *CONFIG_\([A-Za-z0-9_]*\)[= ].*/\1/p' \
			"$VPC_ESSENTIALS" "$VPC_TRIM" "$VPC_MINIMAL" | sort -u |
		while read -r sym; do
			[ "$sym" = BINFMT_SCRIPT ] || printf 'config %s\n\tbool\n' "$sym"
		done
	} >"$d/Kconfig"
	printf '%s\n' "$@" >"$d/rules"
	cat >"$d/Makefile" <<'EOF'
VERSION = 2
PATCHLEVEL = 6
SUBLEVEL = 32
RHEL_MAJOR = 6
RHEL_MINOR = 5
RHEL_RELEASE = 430
O ?= .
defconfig:
	printf 'CONFIG_MODULES=y\nCONFIG_EXT4_FS=y\n' >$(O)/.config
oldconfig:
	bash $(CURDIR)/scripts/fake-kconfig $(CURDIR) $(O)/.config
mrproper:
	rm -rf .config include/config
EOF
	cat >"$d/scripts/fake-kconfig" <<'EOF'
set -eu
src=$1 cfg=$2
defined=$(sed -n 's/^config \(.*\)$/CONFIG_\1/p' "$src/Kconfig")
out=$(mktemp)
grep -E '^(# )?CONFIG_' "$cfg" | while IFS= read -r l; do
	sym=$(sed 's/^# //; s/[= ].*//' <<<"$l")
	grep -qx "$sym" <<<"$defined" && echo "$l"
done >"$out" || true
while IFS= read -r r; do
	[ -n "$r" ] || continue
	sym=${r%%=*} val=${r#*=}
	sed -i -e "/^$sym=/d" -e "/^# $sym is not set\$/d" "$out"
	if [ "$val" = n ]; then echo "# $sym is not set"; else echo "$r"; fi >>"$out"
done <"$src/rules"
mv "$out" "$cfg"
EOF
}

# configure NAME MODE [RULE...]: vpc_configure on a fresh copy of a fixture;
# output in $T/NAME.out, exit code in $T/NAME.rc.
configure() {
	local name=$1 mode=$2 rc=0
	shift 2
	fixture "$T/$name" "$@"
	vpc_configure "$mode" "$T/$name" "$T/$name-build" "$T/$name.saved" \
		"$T/$name.log" >"$T/$name.out" 2>&1 || rc=$?
	echo "$rc" >"$T/$name.rc"
}

# expect NAME RC PATTERN DESCRIPTION
expect() {
	if [ "$(cat "$T/$1.rc")" = "$2" ] && grep -q -- "$3" "$T/$1.out"; then
		tap_result 0 "$4"
	else
		echo "# exit $(cat "$T/$1.rc") (wanted $2), no '$3' in:" >>"$T/$1.out"
		tap_result 1 "$4" "$T/$1.out"
	fi
}

echo "TAP version 13"
echo "1..13"

# ---- --config values
for m in minimal tree; do
	if why=$(vpc_check_mode "$m"); then
		tap_result 0 "--config $m accepted"
	else
		tap_result 1 "--config $m accepted: $why"
	fi
done
echo "not a config" >"$T/not-a-config"
if ! why=$(vpc_check_mode "$T/nope") && grep -q 'no such file' <<<"$why" &&
	! why=$(vpc_check_mode "$T/not-a-config") && grep -q 'not a kernel config' <<<"$why"; then
	tap_result 0 "--config refuses a missing file and a file without CONFIG_ lines"
else
	tap_result 1 "--config refuses a missing file and a file without CONFIG_ lines"
fi

# ---- a tree configured in place: the copy is cleaned, the tree is not
fixture "$T/ksrc"
printf 'CONFIG_MODULES=y\nCONFIG_KPROBES=y\n' >"$T/ksrc/.config"
mkdir -p "$T/ksrc/include/config"
cp -a "$T/ksrc" "$T/copy"
before=$(cd "$T/ksrc" && find . -type f -exec md5sum {} + | sort)
vpc_clean_copy "$T/copy" "$T/copy.saved" >"$T/clean.out" 2>&1 || true
after=$(cd "$T/ksrc" && find . -type f -exec md5sum {} + | sort)
if [ ! -e "$T/copy/.config" ] && [ ! -d "$T/copy/include/config" ] &&
	cmp -s "$T/ksrc/.config" "$T/copy.saved" && [ "$before" = "$after" ] &&
	grep -q mrproper "$T/clean.out"; then
	tap_result 0 "configured tree: the scratch copy is cleaned (mrproper), its .config kept, the tree untouched"
else
	tap_result 1 "configured tree: the scratch copy is cleaned (mrproper), its .config kept, the tree untouched" "$T/clean.out"
fi

# ---- the three bases
configure min minimal
expect min 0 "config: defconfig + qemu-minimal.config, essentials forced" \
	"--config minimal: defconfig + fragment + essentials, passes"
configure tree tree
if [ "$(cat "$T/tree.rc")" = 2 ] && grep -q 'has no .config' "$T/tree.out"; then
	tap_result 0 "--config tree without a saved .config: refused (exit 2)"
else
	tap_result 1 "--config tree without a saved .config: refused (exit 2)" "$T/tree.out"
fi
fixture "$T/tree2"
printf 'CONFIG_SLUB=y\nCONFIG_DEBUG_INFO=y\n' >"$T/tree2.saved"
rc=0
vpc_configure tree "$T/tree2" "$T/tree2-build" "$T/tree2.saved" "$T/tree2.log" >"$T/tree2.out" 2>&1 || rc=$?
echo "$rc" >"$T/tree2.rc"
expect tree2 0 "config: the tree's own .config, essentials forced" \
	"--config tree: the tree's .config is the base"
if grep -q '^CONFIG_SLUB=y' "$T/tree2-build/.config" && grep -q '^CONFIG_KPROBES=y' "$T/tree2-build/.config" &&
	grep -q '^# CONFIG_DEBUG_INFO is not set' "$T/tree2-build/.config"; then
	tap_result 0 "--config tree: keeps the tree's choices (SLUB), forces essentials (KPROBES), trims (DEBUG_INFO)"
else
	tap_result 1 "--config tree: keeps the tree's choices (SLUB), forces essentials (KPROBES), trims (DEBUG_INFO)" "$T/tree2-build/.config"
fi

# ---- refused values: a trim is reported, an essential stops the proof
printf 'CONFIG_EXT4_FS=m\n' >"$T/vendor.config"
configure trim "$T/vendor.config" CONFIG_DEBUG_INFO=y
expect trim 0 "refused by kconfig (reported, not needed): CONFIG_DEBUG_INFO: wanted n, got y" \
	"--config FILE: a trim kconfig refuses is reported, the proof goes on"
configure ess "$T/vendor.config" CONFIG_KPROBES=n
expect ess 1 "ESSENTIAL MISSING: CONFIG_KPROBES: wanted y, got n" \
	"--config FILE: an essential kconfig refuses stops the proof and is named"
expect min 0 "essential absent from this tree (built in or not needed): CONFIG_BINFMT_SCRIPT" \
	"an essential the tree's Kconfig does not define is reported, not fatal"

# ---- what is built, and vendor-proof's own refusal of bad --config input
if [ "$(vpc_build_targets minimal)" = "bzImage modules" ] &&
	[ "$(vpc_build_targets tree)" = bzImage ] && [ -n "$(vpc_build_hint minimal)" ]; then
	tap_result 0 "a vendor configuration builds bzImage only (its =m modules unbuilt); minimal build failures name the other configurations"
else
	tap_result 1 "a vendor configuration builds bzImage only (its =m modules unbuilt); minimal build failures name the other configurations"
fi
fixture "$T/vp"
before=$(cd "$T/vp" && find . -type f -exec md5sum {} + | sort)
rc1=0 rc2=0
"$ROOT/proof/vendor-proof" --config tree --out "$T/vp-out" "$T/vp" >"$T/vp1.out" 2>&1 || rc1=$?
"$ROOT/proof/vendor-proof" --config "$T/nope" --out "$T/vp-out" "$T/vp" >"$T/vp2.out" 2>&1 || rc2=$?
after=$(cd "$T/vp" && find . -type f -exec md5sum {} + | sort)
if [ "$rc1" = 2 ] && grep -q 'has no .config' "$T/vp1.out" && [ "$rc2" = 2 ] &&
	grep -q 'no such file' "$T/vp2.out" && [ "$before" = "$after" ] && [ ! -e "$T/vp-out" ]; then
	tap_result 0 "vendor-proof: bad --config refused with exit 2 before anything is written, tree byte-identical"
else
	cat "$T/vp1.out" "$T/vp2.out" >"$T/vp.out"
	tap_result 1 "vendor-proof: bad --config refused with exit 2 before anything is written, tree byte-identical" "$T/vp.out"
fi

[ "$tap_failed" = 0 ]
