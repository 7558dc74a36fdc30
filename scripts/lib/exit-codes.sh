# The one exit-code table of every el6-execfix tool: sourced, never run.
# shellcheck shell=bash
# shellcheck disable=SC2034  # the codes are used by the tools that source this
#
# Each "readonly EX_NAME=N #: text" line is one row of the table; tools
# print the rows they use with exit_codes_help, docs/design.md carries the
# same table (tests/contract-exit-codes.sh compares them), and
# tools/execfix-check/Makefile turns these lines into its exit-codes.h with
# sed (module/ uses none of them).  Kselftest's meanings are kept where
# they apply: 4 is "skip", 124 is "timeout".  Sourcing it twice (msg.sh
# sources it too) is harmless: the second time returns at once.

[ -z "${EX_OK+set}" ] || return 0

readonly EX_OK=0          #: success; also "nothing to do"
readonly EX_FAIL=1        #: a test or an expectation failed (the kernel or host is affected)
readonly EX_USAGE=2       #: usage error or bad input; nothing was done
readonly EX_ENV=3         #: a tool, package, build or boot step could not be done
readonly EX_SKIP=4        #: skipped: does not apply here, or could not tell
readonly EX_READONLY=5    #: the tree, spec, SOURCES or output directory is not writable
readonly EX_CONFLICT=6    #: a patch neither applies nor is applied (a local edit)
readonly EX_PREREQ=7      #: a patch's prerequisite is missing; it was refused
readonly EX_BADPATCH=8    #: a patch file or the series is mangled or unusable
readonly EX_SPEC=9        #: the spec, or the source it builds, cannot be used
readonly EX_PARTIAL=10    #: writing failed part-way; the originals were restored
readonly EX_NOTTREE=11    #: not a kernel source tree
readonly EX_VERSION=12    #: the kernel is not 2.6.32
readonly EX_CRASH=13      #: kernel panic, oops, BUG or WARNING
readonly EX_NOREPORT=14   #: the guest stopped without reporting a verdict
readonly EX_TIMEOUT=124   #: timeout: the guest or a step hung and was killed
readonly EX_SIGNAL=128    #: 128+N: stopped by signal N (130 INT, 143 TERM, 129 HUP)

# exit_codes_help EX_NAME...: the table rows of these codes, in table order,
# as "  N  text" lines for a tool's --help.
exit_codes_help() {
	local want=" $* " line name code text
	echo "Exit codes (the project's one table: docs/design.md):"
	while IFS= read -r line; do
		[[ $line =~ ^readonly\ (EX_[A-Z]+)=([0-9]+)\ +#:\ (.*)$ ]] || continue
		name=${BASH_REMATCH[1]} code=${BASH_REMATCH[2]} text=${BASH_REMATCH[3]}
		[[ $want == *" $name "* ]] || continue
		printf '  %3s  %s\n' "$code" "$text"
	done <"${BASH_SOURCE[0]}"
}

# exit_on_signal: make INT, TERM and HUP end the script with 128+N after
# its EXIT trap ran.
exit_on_signal() {
	trap 'exit $((EX_SIGNAL + 2))' INT
	trap 'exit $((EX_SIGNAL + 15))' TERM
	trap 'exit $((EX_SIGNAL + 1))' HUP
}
