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

# shellcheck source=lib/tap.sh
. "$(dirname "$0")/lib/tap.sh"

tap_workdir vendor-config-test
# shellcheck source=proof/lib/config.sh
. "$repo/proof/lib/config.sh"

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
# output in $work/NAME.out, exit code in $work/NAME.rc.
configure() {
	local name=$1 mode=$2 rc=0
	shift 2
	fixture "$work/$name" "$@"
	vpc_configure "$mode" "$work/$name" "$work/$name-build" "$work/$name.saved" \
		"$work/$name.log" >"$work/$name.out" 2>&1 || rc=$?
	echo "$rc" >"$work/$name.rc"
}

# expect NAME RC PATTERN DESCRIPTION
expect() {
	if [ "$(cat "$work/$1.rc")" = "$2" ] && grep -q -- "$3" "$work/$1.out"; then
		tap_result 0 "$4"
	else
		echo "# exit $(cat "$work/$1.rc") (wanted $2), no '$3' in:" >>"$work/$1.out"
		tap_result 1 "$4" "$work/$1.out"
	fi
}

echo "1..27"

# ---- --config values
for m in auto allno defconfig tree; do
	if why=$(vpc_check_mode "$m"); then
		tap_result 0 "--config $m accepted"
	else
		tap_result 1 "--config $m accepted: $why"
	fi
done
echo "not a config" >"$work/not-a-config"
if ! why=$(vpc_check_mode "$work/nope") && grep -q 'no such file' <<<"$why" &&
	! why=$(vpc_check_mode "$work/not-a-config") && grep -q 'not a kernel config' <<<"$why"; then
	tap_result 0 "--config refuses a missing file and a file without CONFIG_ lines"
else
	tap_result 1 "--config refuses a missing file and a file without CONFIG_ lines"
fi

# ---- a tree configured in place: the copy is cleaned, the tree is not
fixture "$work/ksrc"
printf 'CONFIG_MODULES=y\nCONFIG_KPROBES=y\n' >"$work/ksrc/.config"
mkdir -p "$work/ksrc/include/config"
cp -a "$work/ksrc" "$work/copy"
before=$(cd "$work/ksrc" && find . -type f -exec md5sum {} + | sort)
vpc_clean_copy "$work/copy" "$work/copy.saved" >"$work/clean.out" 2>&1 || true
after=$(cd "$work/ksrc" && find . -type f -exec md5sum {} + | sort)
if [ ! -e "$work/copy/.config" ] && [ ! -d "$work/copy/include/config" ] &&
	cmp -s "$work/ksrc/.config" "$work/copy.saved" && [ "$before" = "$after" ] &&
	grep -q mrproper "$work/clean.out"; then
	tap_result 0 "configured tree: the scratch copy is cleaned (mrproper), its .config kept, the tree untouched"
else
	tap_result 1 "configured tree: the scratch copy is cleaned (mrproper), its .config kept, the tree untouched" "$work/clean.out"
fi

# ---- the three bases
configure min defconfig
expect min 0 "config: defconfig + defconfig.config, essentials forced" \
	"--config defconfig: defconfig + fragment + essentials, passes"
configure allno allno
expect allno 0 "config: allnoconfig + allno.config (the tree ships no configuration), essentials forced" \
	"--config allno: allnoconfig + what RHEL code needs + essentials, passes"
if grep -q '^CONFIG_CGROUPS=y' "$work/allno-build/.config" && grep -q '^# CONFIG_NETDEVICES is not set' "$work/allno-build/.config" &&
	grep -q '^CONFIG_SLAB=y' "$work/allno-build/.config"; then
	tap_result 0 "--config allno: vendor dependencies on (CGROUPS), essentials forced (SLAB), trims applied (NETDEVICES off)"
else
	tap_result 1 "--config allno: vendor dependencies on (CGROUPS), essentials forced (SLAB), trims applied (NETDEVICES off)" "$work/allno-build/.config"
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
	fixture "$work/$name"
	for f in "$@"; do
		i=$((i + 1))
		mkdir -p "$(dirname "$work/$name/$f")"
		printf 'CONFIG_KPROBES=y\nCONFIG_FROM_%s=y\nCONFIG_EXT4_FS=y\n' "$i" >"$work/$name/$f"
		printf 'config FROM_%s\n\tbool\n' "$i" >>"$work/$name/Kconfig"
	done
	vpc_configure auto "$work/$name" "$work/$name-build" "$work/$name.saved" "$work/$name.log" >"$work/$name.out" 2>&1 || rc=$?
	echo "$rc" >"$work/$name.rc"
}
auto_tree vend kernel-2.6.32-x86_64-debug.config kernel-2.6.32-x86_64.config configs/kernel-2.6.32-x86_64.config
auto_tree top kernel-2.6.32-x86_64-debug.config kernel-2.6.32-x86_64.config
auto_tree ovz sub/config-openvz.x86_64
if grep -q "the tree's own configuration (configs/kernel-2.6.32-x86_64.config), trimmed" "$work/vend.out" &&
	grep -q '^CONFIG_FROM_3=y' "$work/vend-build/.config" &&
	grep -q "the tree's own configuration (kernel-2.6.32-x86_64.config), trimmed" "$work/top.out" &&
	grep -q '^CONFIG_FROM_2=y' "$work/top-build/.config" && grep -q '^# CONFIG_EXT4_FS is not set' "$work/top-build/.config" &&
	grep -q "(sub/config-openvz.x86_64), trimmed" "$work/ovz.out"; then
	tap_result 0 "--config auto: configs/ first, then the top level's production config (not debug), then one directory down; trimmed (EXT4 off)"
else
	cat "$work/vend.out" "$work/top.out" "$work/ovz.out" >"$work/auto.out"
	tap_result 1 "--config auto: configs/ first, then the top level's production config (not debug), then one directory down; trimmed (EXT4 off)" "$work/auto.out"
fi
fixture "$work/parts"
printf 'CONFIG_EXT4_FS=y\nCONFIG_KPROBES=n\n' >"$work/parts/config-generic"
printf 'CONFIG_KPROBES=y\n' >"$work/parts/config-x86_64-generic"
rc=0
vpc_configure auto "$work/parts" "$work/parts-build" "$work/parts.saved" "$work/parts.log" >"$work/parts.out" 2>&1 || rc=$?
tap_result "$([ "$rc" = 0 ] && grep -q "config-generic config-x86_64-generic (assembled)" "$work/parts.out"; echo $?)" \
	"--config auto: the config-* parts RHEL and OpenVZ assemble from, in override order" "$work/parts.out"
configure tree tree
tap_result "$([ "$(cat "$work/tree.rc")" = 2 ] && grep -q 'has no .config' "$work/tree.out"; echo $?)" \
	"--config tree without a saved .config: refused (exit 2)" "$work/tree.out"
fixture "$work/tree2"
printf 'CONFIG_SLUB=y\nCONFIG_DEBUG_INFO=y\n' >"$work/tree2.saved"
rc=0
vpc_configure tree "$work/tree2" "$work/tree2-build" "$work/tree2.saved" "$work/tree2.log" >"$work/tree2.out" 2>&1 || rc=$?
echo "$rc" >"$work/tree2.rc"
expect tree2 0 "config: the tree's own .config, trimmed, essentials forced" \
	"--config tree: the tree's .config is the base"
if grep -q '^CONFIG_SLAB=y' "$work/tree2-build/.config" && grep -q '^CONFIG_KPROBES=y' "$work/tree2-build/.config" &&
	grep -q '^# CONFIG_DEBUG_INFO is not set' "$work/tree2-build/.config" && grep -q '  kept: .*SLAB=y' "$work/tree2.out"; then
	tap_result 0 "--config tree: essentials forced (SLAB for the leak's size-32, KPROBES), trims (DEBUG_INFO), kept options reported"
else
	tap_result 1 "--config tree: essentials forced (SLAB for the leak's size-32, KPROBES), trims (DEBUG_INFO), kept options reported" "$work/tree2-build/.config"
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
	fixture "$work/$name" "$@"
	VPC_ARCH=$arch vpc_configure "$mode" "$work/$name" "$work/$name-build" "$work/$name.saved" \
		"$work/$name.log" >"$work/$name.out" 2>&1 || rc=$?
	echo "$rc" >"$work/$name.rc"
}
configure_arch a32 i386 allno
expect a32 0 "config: allnoconfig + allno.config + allno-i386.config (the tree ships no configuration), ARCH=i386, essentials forced" \
	"--arch i386 --config allno: allno-i386.config over allno.config, ARCH=i386, passes without IA32_EMULATION"
if grep -q '^CONFIG_HIGHMEM64G=y' "$work/a32-build/.config" && grep -q '^CONFIG_X86_PAE=y' "$work/a32-build/.config" &&
	grep -q '^# CONFIG_IA32_EMULATION is not set' "$work/a32-build/.config" &&
	grep -q '^CONFIG_SLAB=y' "$work/a32-build/.config" && grep -q '^CONFIG_CGROUPS=y' "$work/a32-build/.config"; then
	tap_result 0 "--arch i386: HIGHMEM64G and PAE (lowmem, as RHEL's i686), no IA32 emulation, the common fragments still there"
else
	tap_result 1 "--arch i386: HIGHMEM64G and PAE (lowmem, as RHEL's i686), no IA32 emulation, the common fragments still there" "$work/a32-build/.config"
fi
configure_arch a32h i386 allno CONFIG_HIGHMEM=n
expect a32h 1 "ESSENTIAL MISSING: CONFIG_HIGHMEM: wanted y, got n" \
	"--arch i386: a kernel without HIGHMEM (no LowFree) stops the proof, named"
# i386 auto: an i686 configuration is found, an x86_64 one (even the .config) is not
fixture "$work/a32v"
for f in kernel-2.6.32-x86_64.config kernel-2.6.32-i686.config; do
	printf 'CONFIG_KPROBES=y\nCONFIG_EXT4_FS=y\n' >"$work/a32v/$f"
done
printf 'CONFIG_X86_32=y\nCONFIG_APM=y\n' >>"$work/a32v/kernel-2.6.32-i686.config"
echo 'CONFIG_64BIT=y' >>"$work/a32v/kernel-2.6.32-x86_64.config"
printf 'CONFIG_64BIT=y\nCONFIG_KPROBES=y\n' >"$work/a32v.saved"
rc=0
VPC_ARCH=i386 vpc_configure auto "$work/a32v" "$work/a32v-build" "$work/a32v.saved" "$work/a32v.log" >"$work/a32v.out" 2>&1 || rc=$?
rc64=0
vpc_configure auto "$work/a32v" "$work/a64v-build" "$work/nosave" "$work/a64v.log" >"$work/a64v.out" 2>&1 || rc64=$?
if [ "$rc" = 0 ] && grep -q "the tree's own configuration (kernel-2.6.32-i686.config), trimmed" "$work/a32v.out" &&
	grep -q '^# CONFIG_APM is not set' "$work/a32v-build/.config" &&
	[ "$rc64" = 0 ] && grep -q "(kernel-2.6.32-x86_64.config), trimmed" "$work/a64v.out"; then
	tap_result 0 "--config auto: i386 takes the i686 configuration (not the 64-bit .config), trimmed with trim-i386 (APM off); x86_64 the x86_64 one"
else
	cat "$work/a32v.out" "$work/a64v.out" "$work/a32v-build/.config" >"$work/a32v.all"
	tap_result 1 "--config auto: i386 takes the i686 configuration (not the 64-bit .config), trimmed with trim-i386 (APM off); x86_64 the x86_64 one" "$work/a32v.all"
fi
fixture "$work/a32p"
printf 'CONFIG_EXT4_FS=y\nCONFIG_KPROBES=n\n' >"$work/a32p/config-generic"
printf 'CONFIG_KPROBES=y\n' >"$work/a32p/config-x86_64-generic"
printf 'CONFIG_KPROBES=y\n' >"$work/a32p/config-i686"
printf 'CONFIG_HIGHMEM64G=y\n' >"$work/a32p/config-i686-rhel"
rc=0
VPC_ARCH=i386 vpc_configure auto "$work/a32p" "$work/a32p-build" "$work/a32p.saved" "$work/a32p.log" >"$work/a32p.out" 2>&1 || rc=$?
tap_result "$([ "$rc" = 0 ] && grep -q "config-generic config-i686 config-i686-rhel (assembled)" "$work/a32p.out"; echo $?)" \
	"--arch i386 --config auto: the i686 parts assembled (config-i686, config-i686-rhel)" "$work/a32p.out"

# ---- refused values: a trim is reported, an essential stops the proof
printf 'CONFIG_EXT4_FS=m\n' >"$work/vendor.config"
configure trim "$work/vendor.config" CONFIG_DEBUG_INFO=y
expect trim 0 "refused by kconfig (reported, not needed): CONFIG_DEBUG_INFO: wanted n, got y" \
	"--config FILE: a trim kconfig refuses is reported, the proof goes on"
configure ess "$work/vendor.config" CONFIG_KPROBES=n
expect ess 1 "ESSENTIAL MISSING: CONFIG_KPROBES: wanted y, got n" \
	"--config FILE: an essential kconfig refuses stops the proof and is named"
expect min 0 "essential absent from this tree (built in or not needed): CONFIG_BINFMT_SCRIPT" \
	"an essential the tree's Kconfig does not define is reported, not fatal"

# ---- what is built, and vendor-proof's own refusal of bad --config input
cat >"$work/fail.log" <<'LOG'
  CC      drivers/block/cciss.o
make[3]: *** [/x/src/scripts/Makefile.build:229: drivers/block/cciss.o] Error 1
make[2]: *** [/x/src/scripts/Makefile.build:365: drivers/block] Error 2
make[2]: *** [/x/src/scripts/Makefile.build:297: fs/built-in.o] Error 1
LOG
if [ "$(vpc_build_targets auto)" = bzImage ] && [ "$(vpc_build_targets defconfig)" = "bzImage modules" ] &&
	[ "$(vpc_build_failure "$work/fail.log")" = drivers/block/cciss.o ]; then
	tap_result 0 "bzImage only (=m modules unbuilt; defconfig keeps its modules to compare); a failed build names the object"
else
	tap_result 1 "bzImage only (=m modules unbuilt; defconfig keeps its modules to compare); a failed build names the object"
fi
mkdir -p "$work/objs/scripts" "$work/objs/fs"
touch -d '2 minutes ago' "$work/objs/fs/old.o"
touch -d '1 minute ago' "$work/objs/stamp"
touch "$work/objs/fs/exec.o" "$work/objs/fs/built-in.o" "$work/objs/scripts/conf.o"
tap_result "$([ "$(vpc_objects "$work/objs" "$work/objs/stamp")" = 1 ]; echo $?)" \
	"objects compiled: kernel .o files newer than the build's start, not built-in.o or host programs"
fixture "$work/vp"
before=$(cd "$work/vp" && find . -type f -exec md5sum {} + | sort)
rc1=0 rc2=0
"$repo/proof/vendor-proof" --config tree --out "$work/vp-out" "$work/vp" >"$work/vp1.out" 2>&1 || rc1=$?
"$repo/proof/vendor-proof" --config "$work/nope" --out "$work/vp-out" "$work/vp" >"$work/vp2.out" 2>&1 || rc2=$?
after=$(cd "$work/vp" && find . -type f -exec md5sum {} + | sort)
if [ "$rc1" = 2 ] && grep -q 'has no .config' "$work/vp1.out" && [ "$rc2" = 2 ] &&
	grep -q 'no such file' "$work/vp2.out" && [ "$before" = "$after" ] && [ ! -e "$work/vp-out" ]; then
	tap_result 0 "vendor-proof: bad --config refused with exit 2 before anything is written, tree byte-identical"
else
	cat "$work/vp1.out" "$work/vp2.out" >"$work/vp.out"
	tap_result 1 "vendor-proof: bad --config refused with exit 2 before anything is written, tree byte-identical" "$work/vp.out"
fi

[ "$tap_failed" = 0 ]
