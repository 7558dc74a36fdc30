# PVH: the kernel inside a bzImage, without its decompressor.  Sourced by
# qemu/run-qemu, never run.
# shellcheck shell=bash
# Variables are shared with the other parts of qemu/run-qemu:
# shellcheck disable=SC2034,SC2154

# pvh_elf IMAGE CACHE: print the path of the ELF kernel inside bzImage IMAGE
# if it has a PVH entry (Xen note 18, XEN_ELFNOTE_PHYS32_ENTRY), extracting
# it into directory CACHE once; fails when it has none (remembered too).
pvh_elf() {
	local image=$1 cache=$2 elf tmp magic offset
	elf=$cache/$(basename "$image")-$(stat -c %s-%Y "$image").pvh.elf
	if [ -f "$elf" ]; then
		echo "$elf"
		return 0
	fi
	[ ! -f "$elf.none" ] || return 1
	mkdir -p "$cache"
	tmp=$(mktemp "$cache/extract.XXXXXX")
	for magic in '\xfd7zXZ\x00:xz -dc --single-stream' '\x28\xb5\x2f\xfd:zstd -qdc' \
		'\x1f\x8b\x08:gzip -dc'; do
		offset=$(grep -obUaP "${magic%%:*}" "$image" 2>/dev/null | head -n 1 | cut -d: -f1 || true)
		[ -n "$offset" ] || continue
		tail -c "+$((offset + 1))" "$image" | ${magic#*:} >"$tmp" 2>/dev/null || true
		if readelf -n "$tmp" 2>/dev/null | grep -q 'Xen .*(0x00000012)'; then
			mv "$tmp" "$elf"
			echo "$elf"
			return 0
		fi
	done
	rm -f "$tmp"
	: >"$elf.none"	# searched once is enough
	return 1
}
