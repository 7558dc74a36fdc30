# vendor-proof's kernel configuration: sourced, never run.
# shellcheck shell=bash
#
# The proof kernel builds only what the guest boots.  Its base is a choice
# (--config):
#   auto      (default) the tree's own vendor configuration where it ships
#             one (vpc_find_vendor_config: a .config, configs/kernel-*-
#             x86_64.config, a top-level kernel-*-x86_64.config, or the
#             config-* parts RHEL and OpenVZ assemble theirs from), trimmed;
#             else allnoconfig + config/allno.config;
#   allno     allnoconfig + config/allno.config, whatever the tree ships;
#   defconfig defconfig + config/defconfig.config (the earlier base: it
#             compiles drivers the guest never runs; kept to compare);
#   tree      the tree's own .config (saved from the scratch copy before it
#             is cleaned: kbuild refuses an O= build from a configured tree);
#   FILE      a file, e.g. configs/kernel-2.6.32-x86_64.config from
#             'rpmbuild -bp', or a vendor's published config.
# Vendor code compiles in the configuration it ships with, so a vendor base
# is only trimmed (config/trim.config: drivers, filesystems, network, sound
# off; core options untouched); then the essentials (config/essentials.config:
# what the guest and the tests need) are forced and kconfig settles the rest.
# A value kconfig refuses is reported; only a missing essential stops the
# proof.  Modules stay =m and are not built (bzImage only).
#
# The architecture is VPC_ARCH: x86_64 (default) or i386 (vendor-proof
# --arch i386, a 32-bit kernel like RHEL's i686 one): kbuild's ARCH=, the
# vendor configurations looked for (i686 ones), and for i386 fragments
# merged over the common ones: allno-i386.config over allno.config (the
# allnoconfig base), trim-i386.config over trim.config (vendor bases) and
# essentials-i386.config over essentials.config (a symbol there replaces
# its line here).
#
# Uses: make, the scratch copy SRC, the O= build directory BUILD.

VPC_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../config" && pwd)
VPC_ESSENTIALS=${VPC_ESSENTIALS:-$VPC_HERE/essentials.config}
VPC_TRIM=${VPC_TRIM:-$VPC_HERE/trim.config}
VPC_ALLNO=${VPC_ALLNO:-$VPC_HERE/allno.config}
VPC_DEFCONFIG=${VPC_DEFCONFIG:-$VPC_HERE/defconfig.config}
VPC_ALLNO_I386=${VPC_ALLNO_I386:-$VPC_HERE/allno-i386.config}
VPC_ESSENTIALS_I386=${VPC_ESSENTIALS_I386:-$VPC_HERE/essentials-i386.config}
VPC_TRIM_I386=${VPC_TRIM_I386:-$VPC_HERE/trim-i386.config}
VPC_ARCH=${VPC_ARCH:-x86_64}
# Reported after configuration: what vendor code leans on and what shapes
# the exec path under test.
VPC_REPORTED="SMP PREEMPT PREEMPT_VOLUNTARY PREEMPT_NONE SLAB SLUB COMPAT
	IA32_EMULATION CGROUPS CPUSETS NAMESPACES NET ACPI PCI XEN VE BEANCOUNTERS
	HIGHMEM4G HIGHMEM64G"

# vpc_check_arch ARCH: 0 when ARCH is one vendor-proof builds (x86_64,
# i386); otherwise prints why not.
vpc_check_arch() {
	case $1 in
	x86_64|i386) return 0 ;;
	*) echo "--arch $1: x86_64 or i386"; return 1 ;;
	esac
}

# vpc_merge OUT FRAGMENT...: the fragments as one, in order, the last value
# of a symbol replacing the earlier ones (as kconfig reads a .config).
vpc_merge() {
	local out=$1 f

	shift
	for f in "$@"; do
		vpc_pairs "$f"
	done | awk '{ if (!($1 in v)) order[n++] = $1; v[$1] = $2 }
		END { for (i = 0; i < n; i++) {
			s = order[i]
			if (v[s] == "n") print "# " s " is not set"; else print s "=" v[s]
		} }' >"$out"
}

# vpc_arch_fragments COMMON: the fragments of this architecture for a
# common one (its name in config/), in merge order.
vpc_arch_fragments() {
	echo "$1"
	[ "$VPC_ARCH" = i386 ] || return 0
	case $1 in
	"$VPC_ALLNO") echo "$VPC_ALLNO_I386" ;;
	"$VPC_ESSENTIALS") echo "$VPC_ESSENTIALS_I386" ;;
	"$VPC_TRIM") echo "$VPC_TRIM_I386" ;;
	esac
}

# vpc_config_bits FILE: 32 for a configuration of a 32-bit x86 kernel, 64
# for a 64-bit one, nothing when it does not say.
vpc_config_bits() {
	if grep -q '^CONFIG_64BIT=y' "$1" || grep -q '^CONFIG_X86_64=y' "$1"; then
		echo 64
	elif grep -q '^CONFIG_X86_32=y' "$1" || grep -q '^# CONFIG_64BIT is not set' "$1"; then
		echo 32
	fi
}

# vpc_arch_ok FILE: FILE configures a kernel of VPC_ARCH (or does not say).
vpc_arch_ok() {
	local bits

	bits=$(vpc_config_bits "$1")
	case $VPC_ARCH:$bits in
	x86_64:32|i386:64) return 1 ;;
	esac
	return 0
}

# vpc_check_mode MODE: 0 when MODE is auto, allno, defconfig, tree or a
# readable file; otherwise prints why not.
vpc_check_mode() {
	case $1 in
	auto|allno|defconfig|tree) return 0 ;;
	'') echo "--config needs auto, allno, defconfig, tree or a config file"; return 1 ;;
	esac
	if [ ! -f "$1" ] || [ ! -r "$1" ]; then
		echo "--config $1: no such file (want auto, allno, defconfig, tree or a config file)"
		return 1
	fi
	grep -q '^CONFIG_' "$1" || { echo "--config $1: not a kernel config (no CONFIG_ lines)"; return 1; }
}

# vpc_tree_configured DIR: the tree was configured or built in place (kbuild
# then refuses O= builds: "is not clean, please run 'make mrproper'").
vpc_tree_configured() {
	[ -f "$1/.config" ] || [ -d "$1/include/config" ]
}

# vpc_clean_copy SRC SAVE: clean the scratch copy SRC (never the user's
# tree) with mrproper when it was configured in place; its .config is kept
# as SAVE first.  Prints what it did.
vpc_clean_copy() {
	local src=$1 save=$2

	vpc_tree_configured "$src" || return 0
	if [ -f "$src/.config" ]; then
		cp "$src/.config" "$save"
		echo "scratch copy: the tree has a .config ($(grep -c '=y$' "$save") options =y), kept as $save"
	fi
	if make -s -C "$src" mrproper >/dev/null 2>&1; then
		echo "scratch copy: configured in place: cleaned with make mrproper (the tree itself is untouched)"
	else
		# RHEL's trees ship without firmware/, where 2.6.32's mrproper
		# stops: do the rest of its work by hand.
		rm -rf "$src/.config" "$src/.config.old" "$src/include/config" \
			"$src/include/generated" "$src/include/asm" "$src/.version" \
			"$src/Module.symvers" "$src/include/linux/autoconf.h" \
			"$src/include/linux/version.h" "$src/include/linux/utsrelease.h" \
			"$src/include/linux/bounds.h"
		find "$src" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' -o \
			-name '*.mod.c' -o -name modules.order \) -type f -delete
		echo "scratch copy: configured in place: make mrproper stopped (no firmware/?), configuration and objects removed by hand (the tree itself is untouched)"
	fi
	! vpc_tree_configured "$src" || { echo "scratch copy: still configured after cleaning"; return 1; }
}

# vpc_pairs FRAGMENT: "CONFIG_X value" lines ("# CONFIG_X is not set" = n).
vpc_pairs() {
	sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1 \2/p' \
		-e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1 n/p' "$1"
}

# vpc_set CONFIG FRAGMENT: write the fragment's values into CONFIG.
vpc_set() {
	local cfg=$1 sym val tmp

	tmp=$(mktemp "$cfg.XXXXXX")
	cp "$cfg" "$tmp"
	while read -r sym val; do
		sed -i -e "/^$sym=/d" -e "/^# $sym is not set\$/d" "$tmp"
		if [ "$val" = n ]; then
			echo "# $sym is not set" >>"$tmp"
		else
			echo "$sym=$val" >>"$tmp"
		fi
	done < <(vpc_pairs "$2")
	mv "$tmp" "$cfg"
}

# vpc_defined SRC SYM: SYM has a "config" entry in SRC's Kconfig files.
vpc_defined() {
	grep -rqsE --include='Kconfig*' "^[[:space:]]*(menu)?config[[:space:]]+${2#CONFIG_}[[:space:]]*\$" "$1"
}

# vpc_unkept SRC CONFIG FRAGMENT: the fragment's values CONFIG does not have,
# one "SYM: wanted V, got W" line each; symbols this tree's Kconfig does not
# define at all are listed as "SYM: not in this tree's Kconfig".
vpc_unkept() {
	local src=$1 cfg=$2 sym val got

	while read -r sym val; do
		got=$(sed -n "s/^$sym=//p" "$cfg" | head -n 1)
		[ -n "$got" ] || got=n
		[ "$got" = "$val" ] && continue
		if [ "$got" = n ] && ! vpc_defined "$src" "$sym"; then
			echo "$sym: not in this tree's Kconfig"
		else
			echo "$sym: wanted $val, got $got"
		fi
	done < <(vpc_pairs "$3")
}

# vpc_prefix PREFIX TEXT: TEXT's lines, each after PREFIX (nothing if empty).
vpc_prefix() {
	local l

	[ -n "$2" ] || return 0
	while IFS= read -r l; do
		echo "$1$l"
	done <<<"$2"
}

# vpc_vendor_parts DIR: the config-* parts RHEL's and OpenVZ's spec
# assemble the x86_64 (i386: i686) configuration from, in the order later
# ones override earlier ones (kconfig keeps the last value of a symbol);
# nothing when DIR has no config-generic and config-x86_64-generic
# (config-i686).
vpc_vendor_parts() {
	local d=$1 p own=config-x86_64-generic

	[ "$VPC_ARCH" = x86_64 ] || own=config-i686
	[ -f "$d/config-generic" ] && [ -f "$d/$own" ] || return 0
	for p in config-generic config-generic-rhel config-nodebug config-nodebug-rhel \
		config-x86-generic config-x86-generic-rhel \
		"$own" "$own-rhel" config-vz; do
		[ ! -f "$d/$p" ] || echo "$d/$p"
	done
}

# vpc_vendor_candidates SRC: the full vendor configurations a tree ships,
# best first: configs/ from rpmbuild -bp, then the top level, then one
# directory down (a mirror's config-openvz.x86_64); a /boot-style
# config-2.6.32-*; production before debug.
vpc_vendor_candidates() {
	local src=$1 f a=x86_64

	[ "$VPC_ARCH" = x86_64 ] || a=i686
	for f in "$src"/configs/kernel-*"$a"*.config "$src"/kernel-*"$a"*.config \
		"$src"/*/kernel-*"$a"*.config "$src"/*/config-*."$a" "$src"/config-2.6.32*; do
		[ -f "$f" ] && grep -q '^CONFIG_' "$f" && vpc_arch_ok "$f" && echo "$f"
	done | awk '{ print (/debug/ ? 1 : 0) "\t" $0 }' | sort -s -t "$(printf '\t')" -k1,1n | cut -f2-
}

# vpc_find_vendor_config SRC SAVED OUT: the vendor configuration the tree
# ships, into OUT: SAVED (its .config, kept before the scratch copy was
# cleaned), else the first of vpc_vendor_candidates, else the config-*
# parts (top level or configs/) assembled.  Prints where it came from
# (relative to the tree) and returns 0; returns 1 when there is none.
vpc_find_vendor_config() {
	local src=$1 saved=$2 out=$3 f d parts

	if [ -f "$saved" ] && vpc_arch_ok "$saved"; then
		cp "$saved" "$out"
		echo ".config"
		return 0
	fi
	f=$(vpc_vendor_candidates "$src" | head -n 1)
	if [ -n "$f" ]; then
		cp "$f" "$out"
		echo "${f#"$src"/}"
		return 0
	fi
	for d in . configs; do
		parts=$(vpc_vendor_parts "$src/$d")
		[ -n "$parts" ] || continue
		# shellcheck disable=SC2086  # one path per word
		cat $parts >"$out"
		echo "$(echo "$parts" | sed "s|^$src/||; s|^\./||" | tr '\n' ' ' | sed 's/ $//') (assembled)"
		return 0
	done
	return 1
}

# vpc_configure MODE SRC BUILD SAVED LOG: write BUILD/.config.  MODE as
# above; SAVED is the tree's .config kept by vpc_clean_copy.  Prints one
# summary line, the options reported, then every refused value.  Returns 0
# when every essential holds, 1 when one is missing (the lines say which),
# 2 when the base cannot be had (no .config for "tree").
vpc_configure() {
	local mode=$1 src=$2 build=$3 saved=$4 log=$5 base refused missing from sym v target kept=""
	local f frags ess allno trim arch_note=""

	mkdir -p "$build"
	# this architecture's fragments, each set merged into one
	ess=$build/.essentials.config allno=$build/.allno.config trim=$build/.trim.config
	# shellcheck disable=SC2046  # one path per word
	vpc_merge "$ess" $(vpc_arch_fragments "$VPC_ESSENTIALS")
	# shellcheck disable=SC2046
	vpc_merge "$allno" $(vpc_arch_fragments "$VPC_ALLNO")
	# shellcheck disable=SC2046
	vpc_merge "$trim" $(vpc_arch_fragments "$VPC_TRIM")
	[ "$VPC_ARCH" = x86_64 ] || arch_note=" ARCH=$VPC_ARCH"
	if [ "$mode" = auto ]; then
		if from=$(vpc_find_vendor_config "$src" "$saved" "$build/.config.vendor"); then
			mode=vendor
		else
			mode=allno
		fi
	fi
	case $mode in
	allno|defconfig)
		target=defconfig
		[ "$mode" = defconfig ] || target=allnoconfig
		make -C "$src" O="$build" ARCH="$VPC_ARCH" "$target" >>"$log" 2>&1 ||
			{ echo "config: make$arch_note $target failed (see $log)"; return 1; }
		if [ "$mode" = allno ]; then
			vpc_set "$build/.config" "$allno"
			frags=
			for f in $(vpc_arch_fragments "$VPC_ALLNO"); do frags="$frags + ${f##*/}"; done
			base="allnoconfig$frags (the tree ships no configuration)"
		else
			vpc_set "$build/.config" "$VPC_DEFCONFIG"
			base="defconfig + ${VPC_DEFCONFIG##*/}"
		fi ;;
	vendor)
		mv "$build/.config.vendor" "$build/.config"
		base="the tree's own configuration ($from), trimmed" ;;
	tree)
		[ -f "$saved" ] || { echo "config: --config tree, but the tree has no .config"; return 2; }
		cp "$saved" "$build/.config"
		base="the tree's own .config, trimmed" ;;
	*)
		cp "$mode" "$build/.config"
		base="$mode, trimmed" ;;
	esac
	# defconfig is the earlier base, kept as it was to compare with: untrimmed.
	[ "$mode" = defconfig ] || vpc_set "$build/.config" "$trim"
	vpc_set "$build/.config" "$ess"
	yes '' | make -s -C "$src" O="$build" ARCH="$VPC_ARCH" oldconfig >>"$log" 2>&1 ||
		{ echo "config: make$arch_note oldconfig failed (see $log)"; return 1; }
	[ -z "$arch_note" ] || base="$base,$arch_note"
	echo "config: $base, essentials forced ($(grep -c '=y$' "$build/.config") options =y, $(grep -c '=m$' "$build/.config") =m not built)"
	for sym in $VPC_REPORTED; do
		v=$(sed -n "s/^CONFIG_$sym=//p" "$build/.config" | head -n 1)
		[ -z "$v" ] || kept="$kept $sym=$v"
	done
	echo "  kept:$kept"
	refused=$(
		case $mode in
		allno) vpc_unkept "$src" "$build/.config" "$allno" ;;
		defconfig) vpc_unkept "$src" "$build/.config" "$VPC_DEFCONFIG" ;;
		esac
		[ "$mode" = defconfig ] ||
			vpc_unkept "$src" "$build/.config" "$trim" | grep -v "not in this tree's Kconfig" || true
	)
	missing=$(vpc_unkept "$src" "$build/.config" "$ess" | grep -v "not in this tree's Kconfig" || true)
	vpc_prefix "  refused by kconfig (reported, not needed): " "$refused"
	vpc_unkept "$src" "$build/.config" "$ess" | grep "not in this tree's Kconfig" |
		sed 's/^/  essential absent from this tree (built in or not needed): /' || true
	if [ -n "$missing" ]; then
		vpc_prefix "  ESSENTIAL MISSING: " "$missing"
		return 1
	fi
	return 0
}

# vpc_build_targets MODE: what to make.  Modules stay =m and unbuilt; the
# test module is built apart.  defconfig keeps building its modules, as the
# earlier base did, so that its figures compare.
vpc_build_targets() {
	case $1 in
	defconfig) echo "bzImage modules" ;;
	*) echo "bzImage" ;;
	esac
}

# vpc_objects BUILD STAMP: the objects a build compiled: .o files of the
# kernel (not the linker's built-in.o, not host programs under scripts/)
# written after STAMP.
vpc_objects() {
	find "$1" -name '*.o' ! -name built-in.o ! -path "$1/scripts/*" -newer "$2" | wc -l
}

# vpc_build_failure LOG: the objects whose compilation or link failed, one
# line ("fs/exec.o kernel/sys.o"), from make's "Error" lines.
vpc_build_failure() {
	sed -n 's/^make\[[0-9]*\]: \*\*\* \[[^ ]*: \([^]]*\)\] Error [0-9]*$/\1/p' "$1" |
		grep -v -e 'built-in\.o$' -e '^[^.]*$' | sort -u | tr '\n' ' ' | sed 's/ $//'
}
