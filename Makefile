# el6-execfix top level. "make help" lists the targets.

KDIR	?= /lib/modules/$(shell uname -r)/build
BUILD	?= $(CURDIR)/build
KSRC	?=

# make splits paths at spaces, so a checkout (or BUILD) whose path has one
# is refused at once with exit 2, as kbuild refuses one; selftests/Makefile
# says the same (tests/space-path.sh).
ifneq ($(words $(CURDIR))$(words $(BUILD)),11)
$(error el6-execfix cannot work in a path with a space ('$(CURDIR)', BUILD '$(BUILD)'): clone it to a path without one)
endif

.PHONY: help deps module selftests status apply revert spec run check \
	vendor-proof matrix bench clean rpm dkms selftests-install lava execfix-check

help:
	@echo "make run                 exec-regression suite in QEMU on Debian's stock kernel (main job)"
	@echo "make check               the whole test suite (what .ci/run runs)"
	@echo "make status|apply|revert KSRC=<tree>   patch tool (scripts/patchctl)"
	@echo "make spec SPEC=<kernel.spec> [TREE=<dir>] [SOURCES=<dir>] [DRY=1]"
	@echo "                         add the patches that apply to the source a RHEL6 kernel.spec builds"
	@echo "make vendor-proof KSRC=<tree>          before/after proof on a vendor tree"
	@echo "make matrix KSRC_DIR=<dir of trees> | KSRC_LIST=<file> [LAVA_JOBS=<dir>]"
	@echo "                         vendor-proof over many trees, one combined table"
	@echo "make module [KDIR=<build dir>]         build module/execfix.ko and execfix_live.ko"
	@echo "make selftests                         build the selftests for this host"
	@echo "make bench                             benchmarks (print figures)"
	@echo "make execfix-check [CHECK_ARGS=--json] build tools/execfix-check (static) and, as root, run it here"
	@echo "make rpm [KDIR=<build dir>]            kmod-execfix RPM for that kernel, in build/rpm/"
	@echo "make dkms                              dkms source tree of execfix.ko and execfix_live.ko, in build/dkms/"
	@echo "make selftests-install [INSTALL_PATH=dir]   static selftests, kselftest layout + tarball"
	@echo "make lava                              the suite through LAVA's lava-run, compared with a direct run"

deps:
	scripts/install-deps

module:
	$(MAKE) -C module KDIR=$(KDIR)

selftests:
	$(MAKE) -C selftests OUTPUT=$(BUILD)/selftests-host

status apply revert:
	scripts/patchctl $@ "$(KSRC)"

spec:
	scripts/patchctl spec $(if $(TREE),--tree "$(TREE)") $(if $(SOURCES),--sources "$(SOURCES)") \
		$(if $(DRY),--dry-run) "$(SPEC)"

run: deps
	qemu/run-debian

check: deps
	tests/run-all

vendor-proof: deps
	proof/vendor-proof $(if $(CONFIG),--config "$(CONFIG)") \
		$(if $(filter command line,$(origin ARCH)),--arch "$(ARCH)") "$(KSRC)"

matrix: deps
	proof/matrix $(if $(LAVA_JOBS),--lava-jobs "$(LAVA_JOBS)") $(if $(CONFIG),--config "$(CONFIG)") \
		$(if $(filter command line,$(origin ARCH)),--arch "$(ARCH)") \
		"$(or $(KSRC_LIST),$(KSRC_DIR))"

bench: deps
	bench/run

# Static with musl where it is installed (then it runs on CentOS 6 too),
# else the host's cc.  Its exit code is the verdict (execfix-check --help).
CHECK_OUT	:= $(BUILD)/execfix-check
CHECK_CC	:= $(if $(shell command -v musl-gcc),musl-gcc,cc)
execfix-check:
	$(MAKE) -C tools/execfix-check OUTPUT=$(CHECK_OUT) CC=$(CHECK_CC)
	@if [ "$$(id -u)" = 0 ]; then \
		echo "$(CHECK_OUT)/execfix-check $(CHECK_ARGS)"; \
		$(CHECK_OUT)/execfix-check $(CHECK_ARGS); \
	else \
		echo "built $(CHECK_OUT)/execfix-check; it needs root: sudo $(CHECK_OUT)/execfix-check [--json]"; \
	fi

# Packages (packaging/, docs/design.md "Packages").
rpm:
	packaging/rpm/build-kmod-rpm --out $(BUILD)/rpm $(KDIR)

dkms:
	rm -rf $(BUILD)/dkms
	@d=$$(packaging/stage-sources $(BUILD)/dkms) && v=$${d##*/execfix-} && \
	echo "dkms source tree: $$d" && \
	echo "  dkms add $$d" && \
	echo "  dkms build -m execfix -v $$v -k <kernel release>" && \
	echo "  dkms install -m execfix -v $$v -k <kernel release>"

# Static (musl) programs: they run on any x86_64 kernel from 2.6.32 on,
# CentOS 6 included, whatever its libc.
INSTALL_PATH	?= $(BUILD)/kselftest_install
SELFTESTS_STATIC := CC=musl-gcc CC32=i386-linux-musl-gcc LDFLAGS=-static
selftests-install:
	$(MAKE) -C selftests OUTPUT=$(BUILD)/selftests-static $(SELFTESTS_STATIC) \
		INSTALL_PATH=$(INSTALL_PATH) TAR_PATH=$(BUILD)/execfix-selftests.tar.gz gen_tar

lava: deps
	lava/run-suite

clean:
	rm -rf $(BUILD)
	-$(MAKE) -C module KDIR=$(KDIR) clean
