# Programs for 2.6.32 guests: which ELF files may go into the initramfs, and
# the dynamic loader they need there.  Sourced, never run.
# shellcheck shell=bash
#
# The rule is "no glibc" (Debian's glibc refuses 2.6.32: "FATAL: kernel too
# old"), not "static only": a musl program may be dynamically linked; its
# loader (musl's, which is also its libc) is then copied into the guest at the
# path its PT_INTERP names, and every other library it needs must sit next to
# it in the same directory (found through its RUNPATH $ORIGIN).

# guest_elf_problem FILE: why FILE cannot run in a 2.6.32 guest, on stdout
# (nothing when it can, or when it is not ELF).
guest_elf_problem() {
	local f=$1 interp dir lib

	[ "$(head -c 4 "$f" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] || return 0
	if grep -qa 'FATAL: kernel too old' "$f"; then
		echo "'$f' is a glibc build, which 2.6.32 refuses; build it with musl-gcc"
		return 0
	fi
	interp=$(guest_elf_interp "$f")
	[ -n "$interp" ] || return 0
	case ${interp##*/} in
	ld-musl-*.so.1) ;;
	*) echo "'$f' is dynamically linked against $interp (not musl's loader); guest programs must not use glibc"
	   return 0 ;;
	esac
	[ -e "$interp" ] || { echo "'$f' needs the loader $interp, which this host lacks (Debian package musl)"; return 0; }
	dir=$(dirname "$f")
	for lib in $(readelf -dW "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
		case $lib in
		libc.so) ;;		# musl's loader is its libc
		libc.so.6|libc.so.6.*) echo "'$f' needs glibc ($lib)"; return 0 ;;
		*) [ -e "$dir/$lib" ] || { echo "'$f' needs $lib, which is not next to it"; return 0; } ;;
		esac
	done
}

# guest_elf_class FILE: 32 or 64 for an ELF file (its EI_CLASS), nothing
# for another file.
guest_elf_class() {
	case $(head -c 5 "$1" | od -An -tx1 | tr -d ' \n') in
	7f454c4601) echo 32 ;;
	7f454c4602) echo 64 ;;
	esac
}

# guest_elf_interp FILE: the PT_INTERP of an ELF file (empty when static).
guest_elf_interp() {
	readelf -lW "$1" 2>/dev/null |
		sed -n 's/.*\[Requesting program interpreter: \(.*\)\]$/\1/p'
}

# guest_elf_stage_loader FILE ROOT: copy FILE's loader (if any) to the same
# path under ROOT (the initramfs staging directory).
guest_elf_stage_loader() {
	local interp

	interp=$(guest_elf_interp "$1")
	[ -n "$interp" ] || return 0
	[ -e "$2$interp" ] && return 0
	mkdir -p "$2$(dirname "$interp")"
	cp -L "$interp" "$2$interp"
	chmod 755 "$2$interp"
}
