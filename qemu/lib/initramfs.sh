# What goes into the guest: PID 1, run.conf, modules, test programs, and
# with --shell a busybox.  Sourced by qemu/run-qemu, never run; fills the
# directory $stage and the list plan_names (the steps PID 1 will report).
# shellcheck shell=bash
# Variables are shared with the other parts of qemu/run-qemu:
# shellcheck disable=SC2034,SC2154

# check_guest_binary FILE: a guest binary must not be glibc (2.6.32 refuses
# it), nor 64-bit for a 32-bit kernel (--arch i386); a dynamic musl one
# brings its loader along (scripts/lib/guest-elf.sh).
check_guest_binary() {
	local why

	why=$(guest_elf_problem "$1")
	[ -z "$why" ] || die_usage "$why"
	if [ "$arch" = i386 ] && [ "$(guest_elf_class "$1")" = 64 ]; then
		die_usage "'$1' is a 64-bit program, which a 32-bit kernel (--arch i386) cannot run; build the 32-bit set: make -C selftests OUTPUT=DIR CC=i386-linux-musl-gcc LDFLAGS=-static"
	fi
	guest_elf_stage_loader "$1" "$stage"
}

# stage_module KO: bring a module in as plain .ko (the kernel may ship
# them compressed); sets staged_module to its path in the guest.
stage_module() {
	local src=$1 base

	base=${src##*/}
	case $base in
	*.ko) cp "$src" "$stage/modules/$base" ;;
	*.ko.xz) xz -dc "$src" >"$stage/modules/${base%.xz}" ;;
	*.ko.zst) zstd -qdc "$src" >"$stage/modules/${base%.zst}" ;;
	*.ko.gz) gzip -dc "$src" >"$stage/modules/${base%.gz}" ;;
	*) die_usage "'$src' is not a .ko module (or .ko.xz/.zst/.gz)" ;;
	esac
	staged_module=/modules/${base%.ko*}.ko
}

# stage_busybox: busybox as /bin/sh and each of its applets, for --shell.
stage_busybox() {
	local applet

	mkdir -p "$stage/bin"
	cp "$busybox" "$stage/bin/busybox"
	chmod 755 "$stage/bin/busybox"
	while IFS= read -r applet; do
		case $applet in
		busybox|''|*/*) ;;
		*) ln -sf busybox "$stage/bin/$applet" ;;
		esac
	done < <("$busybox" --list)
	[ -L "$stage/bin/sh" ] || ln -sf busybox "$stage/bin/sh"
	echo "shell /bin/sh" >>"$conf"
}

# stage_guest: fill $stage and write run.conf; plan_names gets the steps.
stage_guest() {
	local m n f t

	mkdir -p "$stage/modules" "$stage/tests" "$stage/etc/execfix"
	# PID 1 and the stress step's program, on the measurement library
	"$musl_cc" -static -Os -std=gnu99 -Wall -I"$here/../measure" \
		-I"$here/../selftests/compat" -o "$stage/init" "$here/init.c" \
		"$here/runconf.c" "$here/subtest.c" "$here/../measure/kmod.c" ||
		die "$EX_ENV" "building PID 1 from qemu/init.c failed"
	"$musl_cc" -static -Os -std=gnu99 -Wall -I"$here/../measure" \
		-o "$stage/execfix-stress" "$here/stress.c" "$here"/../measure/*.c ||
		die "$EX_ENV" "building the stress step from qemu/stress.c failed"

	conf=$stage/etc/execfix/run.conf
	: >"$conf"
	plan_names=()
	for m in ${extra_modules[@]+"${extra_modules[@]}"}; do
		stage_module "$m"
		echo "load $staged_module" >>"$conf"
		n=${staged_module##*/}; n=${n%.ko}
		plan_names+=("load_${n//-/_}")
	done
	if [ -n "$module" ]; then
		stage_module "$module"
		echo "module $staged_module${module_params:+ $module_params}" >>"$conf"
		n=${staged_module##*/}; n=${n%.ko}
		[ "$stress" -eq 0 ] || plan_names+=("stress_${n//-/_}")
		plan_names+=("load_${n//-/_}")
	fi
	if [ -n "$selftests_dir" ]; then
		for f in "$selftests_dir"/*; do
			[ -f "$f" ] || continue
			check_guest_binary "$f"
			cp -p "$f" "$stage/tests/"
		done
	fi
	for t in ${tests[@]+"${tests[@]}"}; do
		case " ${expect_fail[*]+${expect_fail[*]}} " in
		*" $t "*) echo "test $t xfail" >>"$conf" ;;
		*) echo "test $t" >>"$conf" ;;
		esac
		plan_names+=("$t")
	done
	[ "$shell" -eq 0 ] || stage_busybox
}
