#!/bin/bash
# Every library call here is the thing under test, its status the answer:
# shellcheck disable=SC2310,SC2311
# vendor-proof's configuration choice (proof/lib/config.sh) on fixture
# Kconfig trees: a configured tree is cleaned in the scratch copy only, the
# base is auto / allno / defconfig / tree / FILE, the essentials are forced and checked (a
# missing one stops the proof), refused trims are reported, the vendor
# configuration a tree ships is found by itself (auto), build failures name
# their objects, and bad --config
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
# shellcheck source=proof/lib/config.sh
. "$ROOT/proof/lib/config.sh"

# fixture DIR [RULE...]: a 2.6.32 RHEL-like tree whose Kconfig defines every
# symbol of the essentials, trims and base fragments but BINFMT_SCRIPT.
fixture() {
	local d=$1 sym
	shift
	mkdir -p "$d/arch/x86" "$d/fs" "$d/scripts"
	echo '/* exec */' >"$d/fs/exec.c"
	{
		sed -n 's/^#* *CONFIG_\([A-Za-z0-9_]*\)[= ].*/\1/p' \
			"$VPC_ESSENTIALS" "$VPC_TRIM" "$VPC_ALLNO" "$VPC_DEFCONFIG" \
			"$VPC_ALLNO_I386" "$VPC_ESSENTIALS_I386" "$VPC_TRIM_I386" | sort -u |
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
allnoconfig:
	printf '# CONFIG_MODULES is not set\n' >$(O)/.config
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
echo "1..27"

# ---- --config values
for m in auto allno defconfig tree; do
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
configure min defconfig
expect min 0 "config: defconfig + defconfig.config, essentials forced" \
	"--config defconfig: defconfig + fragment + essentials, passes"
configure allno allno
expect allno 0 "config: allnoconfig + allno.config (the tree ships no configuration), essentials forced" \
	"--config allno: allnoconfig + what RHEL code needs + essentials, passes"
if grep -q '^CONFIG_CGROUPS=y' "$T/allno-build/.config" && grep -q '^# CONFIG_NETDEVICES is not set' "$T/allno-build/.config" &&
	grep -q '^CONFIG_SLAB=y' "$T/allno-build/.config"; then
	tap_result 0 "--config allno: vendor dependencies on (CGROUPS), essentials forced (SLAB), trims applied (NETDEVICES off)"
else
	tap_result 1 "--config allno: vendor dependencies on (CGROUPS), essentials forced (SLAB), trims applied (NETDEVICES off)" "$T/allno-build/.config"
fi

# ---- auto: the vendor configuration the tree ships, found by itself
configure auto0 auto
expect auto0 0 "config: allnoconfig + allno.config (the tree ships no configuration)" \
	"--config auto on a tree without a configuration: the allnoconfig base"
# auto_tree NAME FILE...: a fixture shipping FILEs (the Nth with
# CONFIG_FROM_N=y), configured with auto.
auto_tree() {
	local name=$1 f i=0 rc=0
	shift
	fixture "$T/$name"
	for f in "$@"; do
		i=$((i + 1))
		mkdir -p "$(dirname "$T/$name/$f")"
		printf 'CONFIG_KPROBES=y\nCONFIG_FROM_%s=y\nCONFIG_EXT4_FS=y\n' "$i" >"$T/$name/$f"
		printf 'config FROM_%s\n\tbool\n' "$i" >>"$T/$name/Kconfig"
	done
	vpc_configure auto "$T/$name" "$T/$name-build" "$T/$name.saved" "$T/$name.log" >"$T/$name.out" 2>&1 || rc=$?
	echo "$rc" >"$T/$name.rc"
}
auto_tree vend kernel-2.6.32-x86_64-debug.config kernel-2.6.32-x86_64.config configs/kernel-2.6.32-x86_64.config
auto_tree top kernel-2.6.32-x86_64-debug.config kernel-2.6.32-x86_64.config
auto_tree ovz sub/config-openvz.x86_64
if grep -q "the tree's own configuration (configs/kernel-2.6.32-x86_64.config), trimmed" "$T/vend.out" &&
	grep -q '^CONFIG_FROM_3=y' "$T/vend-build/.config" &&
	grep -q "the tree's own configuration (kernel-2.6.32-x86_64.config), trimmed" "$T/top.out" &&
	grep -q '^CONFIG_FROM_2=y' "$T/top-build/.config" && grep -q '^# CONFIG_EXT4_FS is not set' "$T/top-build/.config" &&
	grep -q "(sub/config-openvz.x86_64), trimmed" "$T/ovz.out"; then
	tap_result 0 "--config auto: configs/ first, then the top level's production config (not debug), then one directory down; trimmed (EXT4 off)"
else
	cat "$T/vend.out" "$T/top.out" "$T/ovz.out" >"$T/auto.out"
	tap_result 1 "--config auto: configs/ first, then the top level's production config (not debug), then one directory down; trimmed (EXT4 off)" "$T/auto.out"
fi
fixture "$T/parts"
printf 'CONFIG_EXT4_FS=y\nCONFIG_KPROBES=n\n' >"$T/parts/config-generic"
printf 'CONFIG_KPROBES=y\n' >"$T/parts/config-x86_64-generic"
rc=0
vpc_configure auto "$T/parts" "$T/parts-build" "$T/parts.saved" "$T/parts.log" >"$T/parts.out" 2>&1 || rc=$?
if [ "$rc" = 0 ] && grep -q "config-generic config-x86_64-generic (assembled)" "$T/parts.out"; then
	tap_result 0 "--config auto: the config-* parts RHEL and OpenVZ assemble from, in override order"
else
	tap_result 1 "--config auto: the config-* parts RHEL and OpenVZ assemble from, in override order" "$T/parts.out"
fi
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
expect tree2 0 "config: the tree's own .config, trimmed, essentials forced" \
	"--config tree: the tree's .config is the base"
if grep -q '^CONFIG_SLAB=y' "$T/tree2-build/.config" && grep -q '^CONFIG_KPROBES=y' "$T/tree2-build/.config" &&
	grep -q '^# CONFIG_DEBUG_INFO is not set' "$T/tree2-build/.config" && grep -q '  kept: .*SLAB=y' "$T/tree2.out"; then
	tap_result 0 "--config tree: essentials forced (SLAB for the leak's size-32, KPROBES), trims (DEBUG_INFO), kept options reported"
else
	tap_result 1 "--config tree: essentials forced (SLAB for the leak's size-32, KPROBES), trims (DEBUG_INFO), kept options reported" "$T/tree2-build/.config"
fi

# ---- --arch i386: the i386 fragments over the common ones, i686 configurations
if ! why=$(vpc_check_arch arm) && grep -q 'x86_64 or i386' <<<"$why" && vpc_check_arch i386 &&
	vpc_check_arch x86_64; then
	tap_result 0 "--arch: x86_64 and i386 accepted, another refused"
else
	tap_result 1 "--arch: x86_64 and i386 accepted, another refused"
fi
# configure_arch NAME ARCH MODE [RULE...]: configure with VPC_ARCH=ARCH.
configure_arch() {
	local name=$1 arch=$2 mode=$3 rc=0
	shift 3
	fixture "$T/$name" "$@"
	VPC_ARCH=$arch vpc_configure "$mode" "$T/$name" "$T/$name-build" "$T/$name.saved" \
		"$T/$name.log" >"$T/$name.out" 2>&1 || rc=$?
	echo "$rc" >"$T/$name.rc"
}
configure_arch a32 i386 allno
expect a32 0 "config: allnoconfig + allno.config + allno-i386.config (the tree ships no configuration), ARCH=i386, essentials forced" \
	"--arch i386 --config allno: allno-i386.config over allno.config, ARCH=i386, passes without IA32_EMULATION"
if grep -q '^CONFIG_HIGHMEM64G=y' "$T/a32-build/.config" && grep -q '^CONFIG_X86_PAE=y' "$T/a32-build/.config" &&
	grep -q '^# CONFIG_IA32_EMULATION is not set' "$T/a32-build/.config" &&
	grep -q '^CONFIG_SLAB=y' "$T/a32-build/.config" && grep -q '^CONFIG_CGROUPS=y' "$T/a32-build/.config"; then
	tap_result 0 "--arch i386: HIGHMEM64G and PAE (lowmem, as RHEL's i686), no IA32 emulation, the common fragments still there"
else
	tap_result 1 "--arch i386: HIGHMEM64G and PAE (lowmem, as RHEL's i686), no IA32 emulation, the common fragments still there" "$T/a32-build/.config"
fi
configure_arch a32h i386 allno CONFIG_HIGHMEM=n
expect a32h 1 "ESSENTIAL MISSING: CONFIG_HIGHMEM: wanted y, got n" \
	"--arch i386: a kernel without HIGHMEM (no LowFree) stops the proof, named"
# i386 auto: an i686 configuration is found, an x86_64 one (even the .config) is not
fixture "$T/a32v"
for f in kernel-2.6.32-x86_64.config kernel-2.6.32-i686.config; do
	printf 'CONFIG_KPROBES=y\nCONFIG_EXT4_FS=y\n' >"$T/a32v/$f"
done
printf 'CONFIG_X86_32=y\nCONFIG_APM=y\n' >>"$T/a32v/kernel-2.6.32-i686.config"
echo 'CONFIG_64BIT=y' >>"$T/a32v/kernel-2.6.32-x86_64.config"
printf 'CONFIG_64BIT=y\nCONFIG_KPROBES=y\n' >"$T/a32v.saved"
rc=0
VPC_ARCH=i386 vpc_configure auto "$T/a32v" "$T/a32v-build" "$T/a32v.saved" "$T/a32v.log" >"$T/a32v.out" 2>&1 || rc=$?
rc64=0
vpc_configure auto "$T/a32v" "$T/a64v-build" "$T/nosave" "$T/a64v.log" >"$T/a64v.out" 2>&1 || rc64=$?
if [ "$rc" = 0 ] && grep -q "the tree's own configuration (kernel-2.6.32-i686.config), trimmed" "$T/a32v.out" &&
	grep -q '^# CONFIG_APM is not set' "$T/a32v-build/.config" &&
	[ "$rc64" = 0 ] && grep -q "(kernel-2.6.32-x86_64.config), trimmed" "$T/a64v.out"; then
	tap_result 0 "--config auto: i386 takes the i686 configuration (not the 64-bit .config), trimmed with trim-i386 (APM off); x86_64 the x86_64 one"
else
	cat "$T/a32v.out" "$T/a64v.out" "$T/a32v-build/.config" >"$T/a32v.all"
	tap_result 1 "--config auto: i386 takes the i686 configuration (not the 64-bit .config), trimmed with trim-i386 (APM off); x86_64 the x86_64 one" "$T/a32v.all"
fi
fixture "$T/a32p"
printf 'CONFIG_EXT4_FS=y\nCONFIG_KPROBES=n\n' >"$T/a32p/config-generic"
printf 'CONFIG_KPROBES=y\n' >"$T/a32p/config-x86_64-generic"
printf 'CONFIG_KPROBES=y\n' >"$T/a32p/config-i686"
printf 'CONFIG_HIGHMEM64G=y\n' >"$T/a32p/config-i686-rhel"
rc=0
VPC_ARCH=i386 vpc_configure auto "$T/a32p" "$T/a32p-build" "$T/a32p.saved" "$T/a32p.log" >"$T/a32p.out" 2>&1 || rc=$?
if [ "$rc" = 0 ] && grep -q "config-generic config-i686 config-i686-rhel (assembled)" "$T/a32p.out"; then
	tap_result 0 "--arch i386 --config auto: the i686 parts assembled (config-i686, config-i686-rhel)"
else
	tap_result 1 "--arch i386 --config auto: the i686 parts assembled (config-i686, config-i686-rhel)" "$T/a32p.out"
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
cat >"$T/fail.log" <<'LOG'
  CC      drivers/block/cciss.o
make[3]: *** [/x/src/scripts/Makefile.build:229: drivers/block/cciss.o] Error 1
make[2]: *** [/x/src/scripts/Makefile.build:365: drivers/block] Error 2
make[2]: *** [/x/src/scripts/Makefile.build:297: fs/built-in.o] Error 1
LOG
if [ "$(vpc_build_targets auto)" = bzImage ] && [ "$(vpc_build_targets defconfig)" = "bzImage modules" ] &&
	[ "$(vpc_build_failure "$T/fail.log")" = drivers/block/cciss.o ]; then
	tap_result 0 "bzImage only (=m modules unbuilt; defconfig keeps its modules to compare); a failed build names the object"
else
	tap_result 1 "bzImage only (=m modules unbuilt; defconfig keeps its modules to compare); a failed build names the object"
fi
mkdir -p "$T/objs/scripts" "$T/objs/fs"
touch -d '2 minutes ago' "$T/objs/fs/old.o"
touch -d '1 minute ago' "$T/objs/stamp"
touch "$T/objs/fs/exec.o" "$T/objs/fs/built-in.o" "$T/objs/scripts/conf.o"
if [ "$(vpc_objects "$T/objs" "$T/objs/stamp")" = 1 ]; then
	tap_result 0 "objects compiled: kernel .o files newer than the build's start, not built-in.o or host programs"
else
	tap_result 1 "objects compiled: kernel .o files newer than the build's start, not built-in.o or host programs"
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
