# Replacing a set of files all or nothing: sourced, never run.
# shellcheck shell=bash
# INST_KEEP and INST_RC are for the caller.
# shellcheck disable=SC2034
#
# The caller fills three arrays, one entry per destination, and calls
# install_files:
#   INST_DEST[k]  the file to write (absolute or relative to the cwd)
#   INST_NEW[k]   a file holding its new content, or "" to delete it
#   INST_OLD[k]   a copy of its current content, or "" when it does not
#                 exist yet (what a rollback puts back)
# Every new content is first written to a temporary file beside its
# destination (so an unwritable directory changes nothing), then each is
# renamed into place; a failure there puts back what was already done.
# The caller provides die and warn (scripts/lib/msg.sh) and calls
# install_files_cleanup from its EXIT trap (it sets INST_RC, the exit
# status to use).

INST_DEST=() INST_NEW=() INST_OLD=()
INST_TEMPS=() INST_DONE=()
INSTALLING=0
# Set when a rollback failed: the caller keeps its scratch copies.
INST_KEEP=0

# root ignores permission bits, so [ -w ] says nothing: really create a
# file in every directory to be written, and open every file to be
# replaced for writing (without changing it).
inst_check_writable() {
	local k d t seen=" "
	for k in "${!INST_DEST[@]}"; do
		d=$(dirname -- "${INST_DEST[$k]}")
		case $seen in
		*" $d "*) ;;
		*)
			t=$(mktemp "$d/.patchctl-wtest.XXXXXX" 2>/dev/null) ||
				die "$EX_READONLY" "'$d' is not writable (cannot create a file there); nothing was changed"
			rm -f -- "$t"
			seen="$seen$d "
			;;
		esac
		if [ -f "${INST_DEST[$k]}" ]; then
			{ : >>"${INST_DEST[$k]}"; } 2>/dev/null ||
				die "$EX_READONLY" "'${INST_DEST[$k]}' is not writable; nothing was changed"
		fi
	done
}

# Puts back every file already replaced, created or deleted.
inst_rollback() {
	local k f t failed=0
	for k in ${INST_DONE[@]+"${INST_DONE[@]}"}; do
		f=${INST_DEST[$k]}
		if [ -n "${INST_OLD[$k]}" ]; then
			t=
			if t=$(mktemp "$(dirname -- "$f")/.patchctl.XXXXXX") &&
				cp -p -- "${INST_OLD[$k]}" "$t" && mv -f -- "$t" "$f"; then
				continue
			fi
			[ -z "$t" ] || rm -f -- "$t"
		elif rm -f -- "$f"; then
			continue
		fi
		warn "could not restore $f (original kept in ${INST_OLD[$k]:-nowhere: it did not exist})"
		failed=1
	done
	if [ "$failed" = 1 ]; then
		INST_KEEP=1
		warn "writing failed part-way and the originals could not all be restored"
		return 1
	fi
	warn "writing failed part-way; restored the original files"
}

# install_files_cleanup RC: for the caller's EXIT trap: rolls back an
# interrupted install and sets INST_RC to the exit status to use (RC, or
# EX_PARTIAL after a rollback).
install_files_cleanup() {
	local t
	INST_RC=$1
	if [ "$INSTALLING" = 1 ]; then
		INSTALLING=0
		inst_rollback || true
		INST_RC=$EX_PARTIAL
	fi
	for t in ${INST_TEMPS[@]+"${INST_TEMPS[@]}"}; do
		[ -z "$t" ] || rm -f -- "$t"
	done
	INST_TEMPS=()
}

install_files() {
	local k f t
	[ ${#INST_DEST[@]} -gt 0 ] || return 0
	inst_check_writable
	for k in "${!INST_DEST[@]}"; do
		f=${INST_DEST[$k]}
		INST_TEMPS[k]=
		[ -n "${INST_NEW[$k]}" ] || continue
		t=$(mktemp "$(dirname -- "$f")/.patchctl.XXXXXX") ||
			die "$EX_READONLY" "cannot create a temporary file beside $f; nothing was changed"
		INST_TEMPS[k]=$t
		cp -- "${INST_NEW[$k]}" "$t" ||
			die "$EX_READONLY" "cannot write $t; nothing was changed"
		if [ -f "$f" ]; then
			chmod --reference="$f" -- "$t"
		else
			chmod 0644 -- "$t"
		fi
	done
	INSTALLING=1
	for k in "${!INST_DEST[@]}"; do
		f=${INST_DEST[$k]}
		# A failed rename or unlink leaves that file as it was.
		if [ -n "${INST_TEMPS[$k]}" ]; then
			mv -f -- "${INST_TEMPS[$k]}" "$f" || exit "$EX_PARTIAL"
			INST_TEMPS[k]=
		else
			rm -f -- "$f" || exit "$EX_PARTIAL"
		fi
		INST_DONE+=("$k")
	done
	INSTALLING=0
}
