# el6-execfix top level. "make help" lists the targets.

KDIR	?= /lib/modules/$(shell uname -r)/build
BUILD	?= $(CURDIR)/build
KSRC	?=

.PHONY: help deps module selftests status apply revert spec run check \
	vendor-proof bench clean

help:
	@echo "make run                 exec-regression suite in QEMU on Debian's stock kernel (main job)"
	@echo "make check               the whole test suite (what .ci/run runs)"
	@echo "make status|apply|revert KSRC=<tree>   patch tool (scripts/patchctl)"
	@echo "make spec SPEC=<kernel.spec>           add the patches to a RHEL6 kernel.spec"
	@echo "make vendor-proof KSRC=<tree>          before/after proof on a vendor tree"
	@echo "make module [KDIR=<build dir>]         build module/execfix.ko"
	@echo "make selftests                         build the selftests for this host"
	@echo "make bench                             benchmarks (print figures)"

deps:
	scripts/install-deps

module:
	$(MAKE) -C module KDIR=$(KDIR)

selftests:
	$(MAKE) -C selftests OUTPUT=$(BUILD)/selftests-host

status apply revert:
	scripts/patchctl $@ "$(KSRC)"

spec:
	scripts/patchctl spec "$(SPEC)"

run: deps
	qemu/run-debian

check: deps
	tests/run-all

vendor-proof: deps
	proof/vendor-proof "$(KSRC)"

bench: deps
	bench/run

clean:
	rm -rf $(BUILD)
	-$(MAKE) -C module KDIR=$(KDIR) clean
