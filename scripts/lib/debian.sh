# Debian's stock kernel on this host (image, modules, headers): sourced,
# never run.
# shellcheck shell=bash

# shellcheck source=scripts/lib/ktree.sh
. "${BASH_SOURCE[0]%/*}/ktree.sh"

# debian_kver: the newest release V with all of /boot/vmlinuz-V,
# /lib/modules/V/kernel and /usr/src/linux-headers-V; empty when none has.
debian_kver() {
	local image v

	while IFS= read -r image; do
		v=${image#/boot/vmlinuz-}
		if [ -d "/lib/modules/$v/kernel" ] && [ -d "/usr/src/linux-headers-$v" ]; then
			echo "$v"
			return 0
		fi
	done < <(find /boot -maxdepth 1 -name 'vmlinuz-*' 2>/dev/null | sort -rV)
}

# debian_image: the newest /boot/vmlinuz-* (empty when there is none).
debian_image() {
	find /boot -maxdepth 1 -name 'vmlinuz-*' 2>/dev/null | sort -V | tail -n 1
}

# debian_kdir: the newest /usr/src/linux-headers-* that a module can build
# against (it has a generated utsrelease.h; empty when there is none).
debian_kdir() {
	local d

	find /usr/src -maxdepth 1 -name 'linux-headers-*' 2>/dev/null | sort -rV |
		while IFS= read -r d; do
			if [ -f "$d/include/generated/utsrelease.h" ]; then
				echo "$d"
				break
			fi
		done
}

# debian_release KDIR: the release that modules built against KDIR carry
# (UTS_RELEASE: Debian's kernel.release file differs); empty when unknown.
debian_release() {
	local h

	for h in "$1/include/generated/utsrelease.h" "$1/include/linux/utsrelease.h"; do
		if [ -f "$h" ]; then
			ktree_uts_release "$h"
			return 0
		fi
	done
}

# debian_kernel_module MODDIR NAME: paths of module NAME of the kernel
# whose modules are in MODDIR, what it depends on first (modules.dep lists
# a module's dependencies; they load in reverse); nothing when the kernel
# has it built in; fails when MODDIR has no such module.
debian_kernel_module() {
	local moddir=$1 name=$2 line rel deps dep i

	if grep -qE "/$name\.ko$" "$moddir/modules.builtin" 2>/dev/null; then
		return 0
	fi
	line=$(grep -E "(^|/)$name\.ko(\.[a-z]+)?:" "$moddir/modules.dep") || return 1
	rel=${line%%:*}
	read -r -a deps <<<"${line#*:}"
	for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
		dep=${deps[i]##*/}
		debian_kernel_module "$moddir" "${dep%%.ko*}" || return 1
	done
	echo "$moddir/$rel"
}
