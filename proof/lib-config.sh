# vendor-proof's kernel configuration: sourced, never run.
# shellcheck shell=bash
#
# The configuration is a choice (--config):
#   minimal  defconfig + qemu-minimal.config (the default; quick to build);
#   tree     the tree's own .config (saved from the scratch copy before it is
#            cleaned: kbuild refuses an O= build from a configured tree);
#   FILE     a file, e.g. configs/kernel-2.6.32-x86_64.config from
#            'rpmbuild -bp', or a vendor's published config.
# Whatever the base, the essentials (proof-essentials.config: what the guest
# and the tests need) are forced, the trims (proof-trim.config: what only
# slows the build or cannot build with this toolchain) are applied, and
# kconfig settles the rest.  A value kconfig refuses is reported; only a
# missing essential stops the proof.  Modules of a vendor configuration stay
# =m and are simply not built (the guest loads none of them).
#
# Uses: make, the scratch copy SRC, the O= build directory BUILD.

VPC_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VPC_ESSENTIALS=${VPC_ESSENTIALS:-$VPC_HERE/proof-essentials.config}
VPC_TRIM=${VPC_TRIM:-$VPC_HERE/proof-trim.config}
VPC_MINIMAL=${VPC_MINIMAL:-$VPC_HERE/qemu-minimal.config}
VPC_MERGE=${VPC_MERGE:-$VPC_HERE/merge-config}

# vpc_check_mode MODE: 0 when MODE is minimal, tree or a readable file;
# otherwise prints why not.
vpc_check_mode() {
	case $1 in
	minimal|tree) return 0 ;;
	'') echo "--config needs minimal, tree or a config file"; return 1 ;;
	esac
	if [ ! -f "$1" ] || [ ! -r "$1" ]; then
		echo "--config $1: no such file (want minimal, tree or a config file)"
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

# vpc_configure MODE SRC BUILD SAVED LOG: write BUILD/.config.  MODE as
# above; SAVED is the tree's .config kept by vpc_clean_copy.  Prints one
# summary line, then every refused value.  Returns 0 when every essential
# holds, 1 when one is missing (the lines say which), 2 when the base
# cannot be had (no .config for "tree").
vpc_configure() {
	local mode=$1 src=$2 build=$3 saved=$4 log=$5 base refused missing

	mkdir -p "$build"
	case $mode in
	minimal)
		make -C "$src" O="$build" ARCH=x86_64 defconfig >>"$log" 2>&1 ||
			{ echo "config: make defconfig failed (see $log)"; return 1; }
		# Refused values are reported below like those of any base.
		"$VPC_MERGE" "$src" "$build" "$VPC_MINIMAL" >>"$log" 2>&1 || true
		base="defconfig + ${VPC_MINIMAL##*/}" ;;
	tree)
		[ -f "$saved" ] || { echo "config: --config tree, but the tree has no .config"; return 2; }
		cp "$saved" "$build/.config"
		base="the tree's own .config" ;;
	*)
		cp "$mode" "$build/.config"
		base="$mode" ;;
	esac
	vpc_set "$build/.config" "$VPC_ESSENTIALS"
	vpc_set "$build/.config" "$VPC_TRIM"
	yes '' | make -s -C "$src" O="$build" ARCH=x86_64 oldconfig >>"$log" 2>&1 ||
		{ echo "config: make oldconfig failed (see $log)"; return 1; }
	echo "config: $base, essentials forced, trimmed ($(grep -c '=y$' "$build/.config") options =y, $(grep -c '=m$' "$build/.config") =m not built)"
	refused=$(
		[ "$mode" != minimal ] || vpc_unkept "$src" "$build/.config" "$VPC_MINIMAL"
		vpc_unkept "$src" "$build/.config" "$VPC_TRIM"
	)
	missing=$(vpc_unkept "$src" "$build/.config" "$VPC_ESSENTIALS" | grep -v "not in this tree's Kconfig" || true)
	vpc_prefix "  refused by kconfig (reported, not needed): " "$refused"
	vpc_unkept "$src" "$build/.config" "$VPC_ESSENTIALS" | grep "not in this tree's Kconfig" |
		sed 's/^/  essential absent from this tree (built in or not needed): /' || true
	if [ -n "$missing" ]; then
		vpc_prefix "  ESSENTIAL MISSING: " "$missing"
		return 1
	fi
	return 0
}

# vpc_build_targets MODE: what to make.  A vendor configuration has hundreds
# of modules: they stay =m and unbuilt; the test module is built apart.
vpc_build_targets() {
	case $1 in
	minimal) echo "bzImage modules" ;;
	*) echo "bzImage" ;;
	esac
}

# vpc_build_hint MODE: one line to print when the kernel does not build.
vpc_build_hint() {
	[ "$1" = minimal ] || return 0
	echo "the minimal configuration did not build this tree: a derivative's vendor code may build only in the vendor's own configuration; try --config tree (its .config) or --config FILE (the vendor's config, e.g. configs/kernel-2.6.32-x86_64.config)"
}
