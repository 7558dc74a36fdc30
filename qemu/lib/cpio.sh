# The initramfs as a cpio "newc" archive, written by hand: device nodes need
# no root, and nothing of the host (owners, times) leaks in.  Sourced by
# qemu/run-qemu, never run.
# shellcheck shell=bash
# Variables are shared with the other parts of qemu/run-qemu:
# shellcheck disable=SC2034,SC2154

cpio_ino=1

# cpio_entry NAME MODE(octal) RDEV_MAJOR RDEV_MINOR [FILE]: one entry on
# stdout; FILE is its content (a regular file's data, a symlink's target).
cpio_entry() {
	local name=$1 mode=$2 rmaj=$3 rmin=$4 file=${5:-} size=0 pad

	[ -z "$file" ] || size=$(stat -c %s "$file")
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$cpio_ino" "$((8#$mode))" 0 0 1 0 "$size" 0 0 "$rmaj" "$rmin" \
		"$((${#name} + 1))" 0
	printf '%s\0' "$name"
	pad=$(( (4 - (110 + ${#name} + 1) % 4) % 4 ))
	head -c "$pad" /dev/zero
	if [ -n "$file" ]; then
		cat "$file"
		head -c "$(( (4 - size % 4) % 4 ))" /dev/zero
	fi
	cpio_ino=$((cpio_ino + 1))
}

# cpio_link NAME TARGET: a symbolic link entry.
cpio_link() {
	local name=$1 target=$2 size=${#2}

	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$cpio_ino" "$((8#120777))" 0 0 1 0 "$size" 0 0 0 0 \
		"$((${#name} + 1))" 0
	printf '%s\0' "$name"
	head -c "$(( (4 - (110 + ${#name} + 1) % 4) % 4 ))" /dev/zero
	printf '%s' "$target"
	head -c "$(( (4 - size % 4) % 4 ))" /dev/zero
	cpio_ino=$((cpio_ino + 1))
}

# cpio_write STAGE: the archive of directory STAGE on stdout, with the
# directories and device nodes a PID 1 needs before it mounts anything.
cpio_write() {
	local stage=$1 d f rel

	cpio_ino=1
	for d in dev proc sys tmp root; do
		cpio_entry "$d" 040755 0 0
	done
	cpio_entry dev/console 020600 5 1
	cpio_entry dev/ttyS0 020660 4 64
	cpio_entry dev/ttyS1 020660 4 65
	cpio_entry dev/null 020666 1 3
	while IFS= read -r d; do
		cpio_entry "$d" 040755 0 0
	done < <(cd "$stage" && find . -mindepth 1 -type d | sed 's|^\./||' | sort)
	while IFS= read -r rel; do
		f=$stage/$rel
		if [ -L "$f" ]; then
			cpio_link "$rel" "$(readlink "$f")"
		elif [ -x "$f" ]; then
			cpio_entry "$rel" 100755 0 0 "$f"
		else
			cpio_entry "$rel" 100644 0 0 "$f"
		fi
	done < <(cd "$stage" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort)
	cpio_ino=0
	cpio_entry 'TRAILER!!!' 0 0 0
}
