# Clean copies of the module sources (module/): sourced, never run.
# shellcheck shell=bash
# Kbuild's "$(src)" is literal text in the patterns below:
# shellcheck disable=SC2016

# modsrc_stage SRC DEST: copy into DEST (created) what SRC/Kbuild builds
# execfix.ko from, and no build product: Kbuild, Makefile, the .c of every
# object Kbuild names, every $(src)/PATH that Kbuild and the files it
# includes use (Kbuild.flags, gen-features.sh, probes/), the .c of an
# optional single-file object in a subdirectory, and SRC's headers
# except the generated execfix_features.h.  Kbuild builds in M=, so every
# kernel gets its own copy and module/ stays clean.
modsrc_stage() {
	local src=$1 dest=$2 f kbuild
	local -a files=(Kbuild) kbuilds=("$src/Kbuild")

	[ -f "$src/Kbuild" ] || { echo "modsrc_stage: no $src/Kbuild" >&2; return 1; }
	[ ! -f "$src/Makefile" ] || files+=(Makefile)
	# "include $(src)/FILE" lines bring more Kbuild text.
	while IFS= read -r f; do
		kbuilds+=("$src/$f")
	done < <(sed -n 's|^include \$(src)/\([^[:space:]]*\)$|\1|p' "$src/Kbuild")
	for kbuild in "${kbuilds[@]}"; do
		# Objects: the words ending in .o of "NAME-y :=" / "+=" lines.
		while IFS= read -r f; do
			case $f in *.o) files+=("${f%.o}.c") ;; esac
		done < <(sed -n 's/^[A-Za-z0-9_]*-\(y\|objs\)[[:space:]]*[:+]\{0,1\}=//p' "$kbuild" |
			tr -s '[:blank:]' '\n')
		# "obj-m += NAME.o", "obj-$(OPTION) += DIR/NAME.o": single-file
		# objects (a composite one has no NAME.c; its parts are above).
		while IFS= read -r f; do
			case $f in *.o) [ ! -f "$src/${f%.o}.c" ] || files+=("${f%.o}.c") ;; esac
		done < <(sed -n 's/^obj-[^[:space:]]*[[:space:]]*[:+]\{0,1\}=//p' "$kbuild" |
			tr -s '[:blank:]' '\n')
		while IFS= read -r f; do
			files+=("$f")
		done < <(grep -o '\$(src)/[A-Za-z0-9_.-]*' "$kbuild" | sed 's|^\$(src)/||')
	done
	for f in "$src"/*.h; do
		[ ! -f "$f" ] || [ "${f##*/}" = execfix_features.h ] || files+=("${f##*/}")
	done
	mkdir -p "$dest"
	for f in $(printf '%s\n' "${files[@]}" | sort -u); do
		[ -e "$src/$f" ] || { echo "modsrc_stage: $src/Kbuild uses $f, which is missing" >&2; return 1; }
		(cd "$src" && cp -r --parents "$f" "$dest/")
	done
}
