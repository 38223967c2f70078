# SPDX-License-Identifier: GPL-2.0
#
# xen-evtchn-accel: irqbypass.ko and xen_evtchn.ko, the rebuilt KVM that
# hosts the hook, and the VM that tests them.
#
#   make deps     install what the build and tests need (apt, as root)
#   make          build the modules against KDIR
#   make kvm      rebuild kvm.ko, kvm-amd.ko, kvm-intel.ko from linux-source
#   make irqbypass  irqbypass.ko alone (no KVM rebuild)
#   make install  the modules and the rebuilt KVM into DESTDIR/lib/modules/
#                 <KDIR's release>/updates/xen-evtchn-accel, then depmod
#   make uninstall
#   make lint     checkpatch --strict, and a W=1 + sparse build
#   make check    deps, lint, build, and every test in the VM
#   make run      a real Xen guest under QEMU 10 on the accelerator
#   make check-debug  the VM suite on a lockdep/KASAN/UBSAN/kmemleak kernel
#   make check-rt     the same with PREEMPT_RT
#   make check-guest  a real Xen guest under QEMU 10 on each KVM
#   make guest-boots  boot the real Xen guest BOOTS times on each KVM
#   make fuzz     the Xen ioctl/hypercall fuzzer, SEED and OPS
#   make bench    every Xen path, stock KVM against ours, ROUNDS rounds
#   make clean

# The Debian kernel the VM boots, and whose source and headers are used.
KREL := $(shell tools/build/kver.sh)
VM_KDIR := /usr/src/linux-headers-$(KREL)

# The kernel everything is built for: the modules and the rebuilt KVM,
# from the linux-source tree of the same version, always together.
KDIR ?= $(VM_KDIR)
KDIR_REL = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)

# MODULE_VERSION of both modules: VERSION, and the commit when in git.
XEN_ACCEL_VERSION ?= $(shell tools/build/version.sh)
KBUILD_ARGS = XEN_ACCEL_VERSION=$(XEN_ACCEL_VERSION)
INSTALL_DIR := updates/xen-evtchn-accel
# depmod runs once at the end; modules are not signed (no key here: sign
# them with the host's own key where Secure Boot requires it).
INSTALL_ARGS := DEPMOD=true CONFIG_MODULE_SIG_ALL=

BUILD := $(CURDIR)/build
SRC := $(BUILD)/linux-source-6.12
SRC_TAR := /usr/src/linux-source-6.12.tar.xz
SRC_STAMP := $(SRC)/.extracted-$(KREL)
TEST_MOD_DIR := $(CURDIR)/tools/testing/vm/modules

export KREL VM_KDIR BUILD SRC TEST_MOD_DIR KVM_SYMVERS QEMU_ROOT

all: modules

# xen_evtchn.ko links against what the rebuilt kvm.ko exports.
KVM_SYMVERS := $(BUILD)/kvm/arch/x86/kvm/Module.symvers

modules: kvm
	$(MAKE) -C $(KDIR) M=$(CURDIR) KBUILD_EXTRA_SYMBOLS=$(KVM_SYMVERS) \
		$(KBUILD_ARGS) modules

# irqbypass.ko alone: it needs no KVM rebuild.
irqbypass:
	$(MAKE) -C $(KDIR) M=$(CURDIR) CONFIG_XEN_EVTCHN_ACCEL= $(KBUILD_ARGS) \
		modules

# A host install: depmod prefers updates/ to the stock kernel/ modules,
# so modprobe kvm_amd then loads the rebuilt KVM on our irqbypass.ko, and
# the first Xen ioctl loads xen_evtchn.ko.  DESTDIR: another root.
install: modules
	@test -n "$(KDIR_REL)" || { echo "no kernel release in $(KDIR)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=$(INSTALL_DIR) $(INSTALL_ARGS) modules_install
	$(MAKE) -C $(KDIR) M=$(BUILD)/kvm/arch/x86/kvm INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=$(INSTALL_DIR) $(INSTALL_ARGS) modules_install
	depmod -b $(or $(DESTDIR),/) $(KDIR_REL)

uninstall:
	@test -n "$(KDIR_REL)" || { echo "no kernel release in $(KDIR)" >&2; exit 1; }
	rm -rf $(DESTDIR)/lib/modules/$(KDIR_REL)/$(INSTALL_DIR)
	depmod -b $(or $(DESTDIR),/) $(KDIR_REL)

deps:
	@tools/build/deps.sh

need-krel:
	@test -n "$(KREL)" || { echo "linux-source-6.12 is not installed: run 'make deps'" >&2; exit 1; }

$(SRC_STAMP): $(SRC_TAR) | need-krel
	rm -rf $(SRC)
	mkdir -p $(BUILD)
	tar -C $(BUILD) -xaf $(SRC_TAR)
	touch $@

source: $(SRC_STAMP)

# KVM rebuilt from a source of another version than KDIR's kernel would
# not match it: refuse (6.12.117+deb12-rt-amd64 matches 6.12.117's source).
kvm: $(SRC_STAMP)
	@case "$(KDIR_REL)" in $(KREL:+deb12-amd64=)+deb12-*) ;; \
	*) echo "KDIR is $(KDIR_REL), the source is $(KREL): not one kernel" >&2; \
	   exit 1 ;; esac
	@kvm/rebuild-kvm.sh $(SRC) $(KDIR) $(BUILD)/kvm

selftests: $(SRC_STAMP)
	$(MAKE) -s -C tools/testing/selftests SRC=$(SRC) OUT=$(BUILD)/selftests

# Userspace unit tests of xen_evtchn's delivery and port table (ASan, UBSan).
unit: $(SRC_STAMP)
	$(MAKE) -s -C tools/testing/unit SRC=$(SRC) OUT=$(BUILD)/unit

# QEMU >= 8 (bookworm-backports), extracted, not installed: the VMM that
# runs the real Xen guest inside the test VM.
QEMU_ROOT := $(BUILD)/qemu/root

qemu:
	@tools/build/qemu.sh $(BUILD)/qemu

# The real Xen guest: Debian's kernel, a busybox initramfs, firmware.
xen-guest: qemu need-krel
	@tools/testing/xen_guest/mkguest.sh -k $(KREL) -q $(QEMU_ROOT) \
		-o $(BUILD)/xen_guest

# Test-only modules for the VM (tools/testing/vm/modules); never installed.
test-modules: modules
	$(MAKE) -C $(VM_KDIR) M=$(TEST_MOD_DIR) \
		KBUILD_EXTRA_SYMBOLS="$(KVM_SYMVERS) $(CURDIR)/Module.symvers" \
		XEN_ACCEL_INCLUDE=$(CURDIR)/include modules

lint: kvm
	@tools/build/lint.sh

# deps first, then a new make: KREL is only known once deps installed it.
check:
	@tools/build/deps.sh
	@$(MAKE) --no-print-directory check-installed

check-installed: $(SRC_STAMP)
	@tools/testing/check.sh

# The real Xen guest, once on the stock KVM and on ours; and its boot,
# BOOTS rounds on each in a test VM with GUEST_BOOTS_CPUS vCPUs
# (TIMER_CHECK=1 keeps the guest's PIT check).  Not in `make check`: the
# guest crashes now and then under nested TCG, on either KVM.
BOOTS ?= 20
TIMER_CHECK ?= 0
GUEST_BOOTS_CPUS ?= 1

check-guest guest-boots:
	@tools/build/deps.sh
	@$(MAKE) --no-print-directory $@-installed

check-guest-installed: $(SRC_STAMP)
	@tools/testing/xen_guest/run-guest.sh check

guest-boots-installed: $(SRC_STAMP)
	@tools/testing/xen_guest/run-guest.sh boots $(BOOTS) $(TIMER_CHECK) \
		$(GUEST_BOOTS_CPUS)

# The fuzzer alone: SEED replays a run (the VM suite runs a short slice).
SEED ?= 1
OPS ?= 20000

fuzz:
	@tools/build/deps.sh
	@$(MAKE) --no-print-directory fuzz-installed

fuzz-installed: $(SRC_STAMP)
	@tools/testing/fuzz.sh $(SEED) $(OPS)

# Every Xen path, stock KVM against ours, ROUNDS alternating rounds in one
# VM boot: a table of medians and ratios.
ROUNDS ?= 5

bench:
	@tools/build/deps.sh
	@$(MAKE) --no-print-directory bench-installed

bench-installed: $(SRC_STAMP)
	@tools/testing/bench.sh $(ROUNDS)

# The VM suite on a kernel with lockdep, KASAN, UBSAN, kmemleak; and on
# the same with PREEMPT_RT.
check-debug check-rt:
	@tools/build/deps.sh
	@$(MAKE) --no-print-directory $@-installed

check-debug-installed check-rt-installed: $(SRC_STAMP)
	@tools/testing/check-lane.sh $(patsubst check-%-installed,%,$@)

run:
	@tools/build/deps.sh
	@$(MAKE) --no-print-directory run-installed

run-installed: $(SRC_STAMP)
	@tools/testing/vm/demo.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C $(VM_KDIR) M=$(TEST_MOD_DIR) clean
	rm -rf $(BUILD)

.PHONY: all modules irqbypass install uninstall deps need-krel source kvm selftests unit test-modules \
	qemu xen-guest lint check check-installed check-debug \
	check-debug-installed check-rt check-rt-installed check-guest \
	check-guest-installed guest-boots guest-boots-installed fuzz bench \
	bench-installed \
	fuzz-installed run \
	run-installed clean
