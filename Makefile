# SPDX-License-Identifier: GPL-2.0
#
# xen-evtchn-accel: irqbypass.ko and xen_evtchn.ko, the rebuilt KVM that
# hosts the hook, and the VM that tests them.  KVER=6.12 (default),
# KVER=6.1 or KVER=6.12-deb13 picks the Debian kernel each target is for.
#
#   make deps     what the build and tests need: tools (apt, as root), and
#                 the tests' kernels extracted into build/kernels
#   make host-deps  what make install needs, for the running kernel
#   make          build the modules against KDIR
#   make kvm      rebuild kvm.ko, kvm-amd.ko, kvm-intel.ko from linux-source
#   make irqbypass  irqbypass.ko alone (no KVM rebuild)
#   make install  for the running kernel (or KDIR's): the modules and the
#                 rebuilt KVM, signed, into DESTDIR/lib/modules/<release>/
#                 updates/xen-evtchn-accel, a manifest, then depmod
#   make uninstall  what the manifest lists
#   make lint     checkpatch --strict, and a W=1 + sparse build
#   make check    deps, lint, build, and every test in the VM, on 6.12
#                 then 6.1 (with KVER given, on that one)
#   make check-all-kernels  the same on every supported kernel: 6.12,
#                 6.1 and 6.12-deb13
#   make run      a real Xen guest under QEMU 10 on the accelerator
#   make check-debug  the VM suite on a lockdep/KASAN/UBSAN/kmemleak kernel
#   make check-rt     the same with PREEMPT_RT
#   make check-host   README's host install on a real Debian 12 system
#                 image, booted with Secure Boot on (KVER=6.1 for now)
#   make check-guest  a real Xen guest under QEMU 10 on each KVM
#   make guest-boots  boot the real Xen guest BOOTS times on each KVM
#   make fuzz     the Xen ioctl/hypercall fuzzer, SEED and OPS; DIFF=1:
#                 stock KVM against ours, SEEDS=A-B
#   make bench    every Xen path, stock KVM against ours, ROUNDS rounds
#                 in each of BENCH_BOOTS boots
#   make bench-profile  perf in the VM: where the host paths' time goes
#   make clean

# The kernel of `make install`, `make uninstall` and `make host-deps`: the
# running one (HOST_REL), unless KDIR names another.
HOST_GOALS := install uninstall host-deps
ifneq ($(filter $(HOST_GOALS),$(MAKECMDGOALS)),)
ifeq ($(origin KDIR),undefined)
HOST_REL := $(shell uname -r)
KDIR := /usr/src/linux-headers-$(HOST_REL)
endif
endif

# The Debian kernel series the VM boots, and whose source and headers are
# used: KVER=6.12 (the default: Debian 12's 6.12), KVER=6.1 (Debian 12's
# default kernel, whose KVM has no Xen) or KVER=6.12-deb13 (Debian 13's
# 6.12, built with trixie's gcc-14: tools/build/kver.sh).  Given only
# KDIR, KVER is KDIR's series.
ifeq ($(origin KDIR),undefined)
KVER ?= 6.12
endif
KDIR_REL = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
HOST_REL ?= $(KDIR_REL)
KVER ?= $(shell tools/build/kver.sh -r $(or $(KDIR_REL),$(HOST_REL)))
KVER_OK := $(filter 6.12 6.1 6.12-deb13,$(KVER))

# The test kernel of the series (tools/build/vm-kernel.sh extracts its
# image, headers and source into build/kernels/KREL; `make deps` fetches
# it): what the VM boots, and what is built for unless KDIR says otherwise.
BUILD := $(CURDIR)/build
KREL := $(if $(KVER_OK),$(shell tools/build/kver.sh $(KVER)))
VM_ROOT := $(BUILD)/kernels/$(KREL)
VM_KDIR := $(VM_ROOT)/usr/src/linux-headers-$(KREL)

# The kernel everything is built for: the modules and the rebuilt KVM,
# from the linux-source of the headers' own package version, always
# together (tools/build/ksrc.sh: the extracted one for a test kernel, the
# installed package for a host's headers).
KDIR ?= $(VM_KDIR)
KDIR_REL := $(KDIR_REL)
KSRC := $(if $(KVER_OK),$(shell tools/build/ksrc.sh $(KDIR) $(KVER)))
SRC_VER := $(word 1,$(KSRC))
SRC_TAR := $(word 2,$(KSRC))

# A test kernel of another Debian distribution than the machine's
# (6.12-deb13 on Debian 12) is built for in a build root of its own
# distribution (tools/build/build-root.sh; `make deps` makes it), with the
# compiler and kbuild programs it was built with: every kernel build runs
# through tools/build/in-root.sh, which runs it there when KBUILD_ROOT is
# set, and as it is otherwise.  The root is beside the kernels'
# directory the headers were extracted in (KDIR is
# <build>/kernels/KREL/usr/src/linux-headers-KREL; so for a copy of the
# tree, as DKMS builds, too).  A host's own kernel is of the host's
# distribution, and is built for with the host's tools.
HOST_DIST := $(shell . /etc/os-release && echo $$VERSION_CODENAME)
KDIST := $(if $(KVER_OK),$(shell tools/build/kver.sh -d $(KVER)))
KBUILD_ROOT := $(if $(filter-out $(HOST_DIST),$(KDIST)),$(abspath $(KDIR)/../../../../..)/$(KDIST)-root)
IN_ROOT := $(CURDIR)/tools/build/in-root.sh "$(KBUILD_ROOT)"

# MODULE_VERSION of both modules: VERSION, and the commit when in git.
XEN_ACCEL_VERSION ?= $(shell tools/build/version.sh)
KBUILD_ARGS = XEN_ACCEL_VERSION=$(XEN_ACCEL_VERSION)
# Extracted sources in build/linux-source-KVER; what is built for a kernel
# in build/<its release>/: modules/ (Kbuild runs in a tree of links to
# the sources: these kernels have no MO=), kvm/, test-modules/.  The
# selftests (userspace) are built once, from the 6.12 test kernel's
# source (Debian 12's), for every kernel; only they need it.
SRC := $(BUILD)/linux-source-$(KVER)
SRC_STAMP := $(SRC)/.extracted-$(SRC_VER)
ST_KREL := $(shell tools/build/kver.sh 6.12)
ST_VER := $(shell tools/build/kver.sh -v 6.12)
ST_TAR := $(BUILD)/kernels/$(ST_KREL)/usr/src/linux-source-6.12.tar.xz
ST_SRC := $(BUILD)/linux-source-6.12
ST_SRC_STAMP := $(ST_SRC)/.extracted-$(ST_VER)
OBJ := $(BUILD)/$(KDIR_REL)
MOD_OBJ := $(OBJ)/modules
KVM_OBJ := $(OBJ)/kvm/arch/x86/kvm
TEST_MOD_OBJ := $(OBJ)/test-modules
MOD_SRCS := Kbuild VERSION include irqbypass xen_evtchn compat

# What the VM needs on a 6.1 kernel: its stock KVM has no Xen (tests
# leave out or skip their stock half: STOCK_XEN=0), and the 6.12
# selftest library calls KVM_SET_USER_MEMORY_REGION2 (6.8), which the
# preloaded kvm61_preload.so maps to 6.1's call (VM_PRELOAD).
ifeq ($(KVER),6.1)
STOCK_XEN := 0
VM_PRELOAD := $(BUILD)/selftests/kvm61/kvm61_preload.so
else
STOCK_XEN := 1
VM_PRELOAD :=
endif

export KVER KREL VM_ROOT VM_KDIR BUILD SRC SRC_VER SRC_TAR OBJ MOD_OBJ KVM_OBJ TEST_MOD_OBJ \
	MOD_SRCS KVM_SYMVERS QEMU_ROOT STOCK_XEN VM_PRELOAD KBUILD_ROOT

all: modules

# A kernel to build for, and its source: for the test kernel, `make deps`
# fetches both; for a host's, tools/build/host-kernel.sh says what to
# install.
need-src:
	@test -n "$(KDIR_REL)" || { echo "no kernel headers in $(KDIR): run 'make deps' (the tests' kernels) or, on a host, 'make host-deps'" >&2; exit 1; }
	@test -n "$(SRC_VER)" || { tools/build/host-kernel.sh $(KDIR_REL) >/dev/null && \
		echo "no linux-source-$(shell tools/build/kver.sh -s $(KVER)) of the version of $(KDIR)'s headers" >&2; exit 1; }

need-st-src:
	@test -n "$(ST_VER)" || { echo "the 6.12 test kernel is not fetched: run 'make deps'" >&2; exit 1; }

# xen_evtchn.ko links against what the rebuilt kvm.ko exports.
KVM_SYMVERS := $(KVM_OBJ)/Module.symvers

mod-tree: need-src
	@tools/build/modtree.sh $(CURDIR) $(MOD_OBJ) $(MOD_SRCS)

modules: kvm mod-tree
	$(IN_ROOT) $(MAKE) -C $(KDIR) M=$(MOD_OBJ) KBUILD_EXTRA_SYMBOLS=$(KVM_SYMVERS) \
		$(KBUILD_ARGS) modules

# irqbypass.ko alone: it needs no KVM rebuild.
irqbypass: mod-tree
	$(IN_ROOT) $(MAKE) -C $(KDIR) M=$(MOD_OBJ) CONFIG_XEN_EVTCHN_ACCEL= $(KBUILD_ARGS) \
		modules

# A host install (tools/build/install.sh): for the running kernel unless
# KDIR names another, after tools/build/host-kernel.sh has checked that
# its headers and linux-source are of its own package version (an
# extracted test kernel's need no check: DESTDIR installs in the tests);
# signed with SIGN_KEY/SIGN_CERT (default: dkms's MOK key), refused
# unsigned where the running kernel enforces signatures; under
# updates/xen-evtchn-accel, which depmod prefers to the stock kernel/
# modules, so modprobe kvm_amd then loads the rebuilt KVM on our
# irqbypass.ko, and the first Xen ioctl loads xen_evtchn.ko.  A manifest
# records what was installed; `make uninstall` removes exactly that.
# DESTDIR: another root.
INSTALL_MODS = $(MOD_OBJ)/irqbypass/irqbypass.ko \
	$(MOD_OBJ)/xen_evtchn/xen_evtchn.ko $(KVM_OBJ)/kvm.ko \
	$(KVM_OBJ)/kvm-amd.ko $(KVM_OBJ)/kvm-intel.ko
HOST_CHECK = $(if $(filter $(BUILD)/%,$(SRC_TAR)),,tools/build/host-kernel.sh $(HOST_REL) >/dev/null)

install:
	@$(HOST_CHECK)
	@test "$(KVER)" = "$(shell tools/build/kver.sh -r $(HOST_REL))" || \
		{ echo "KVER=$(KVER), but the kernel is $(HOST_REL)" >&2; exit 1; }
	@tools/build/install.sh check $(HOST_REL)
	@$(MAKE) --no-print-directory KDIR=$(KDIR) modules
	@tools/build/install.sh install $(KDIR_REL) $(KDIR) $(SRC_VER) \
		$(INSTALL_MODS)

uninstall:
	@tools/build/install.sh uninstall $(HOST_REL)

# What the tests need (tools/build/deps.sh), and what a host install
# needs (tools/build/host-deps.sh); neither installs a kernel image.
deps:
	@tools/build/deps.sh $(KVER)

host-deps:
	@tools/build/host-deps.sh $(HOST_REL)

$(sort $(SRC_STAMP) $(ST_SRC_STAMP)):
	@test -n "$(if $(filter $@,$(SRC_STAMP)),$(SRC_VER),$(ST_VER))" || \
		$(MAKE) --no-print-directory $(if $(filter $@,$(SRC_STAMP)),need-src,need-st-src)
	rm -rf $(@D)
	mkdir -p $(@D)
	tar -C $(@D) --strip-components=1 -xaf $(if $(filter $@,$(SRC_STAMP)),$(SRC_TAR),$(ST_TAR))
	touch $@

source: $(SRC_STAMP)

# KVM is rebuilt from the source of KDIR's own package version only
# (SRC_VER, which the modules record: modinfo -F linux_source kvm).
kvm: need-src $(SRC_STAMP)
	@XEN_ACCEL_VERSION=$(XEN_ACCEL_VERSION) kvm/rebuild-kvm.sh $(SRC) \
		$(KDIR) $(OBJ)/kvm $(SRC_VER)

selftests: $(ST_SRC_STAMP)
	$(MAKE) -s -C tools/testing/selftests SRC=$(ST_SRC) OUT=$(BUILD)/selftests

# Userspace unit tests of xen_evtchn's delivery and port table (ASan, UBSan).
unit: $(ST_SRC_STAMP)
	$(MAKE) -s -C tools/testing/unit SRC=$(ST_SRC) OUT=$(BUILD)/unit

# QEMU >= 8 (bookworm-backports), extracted, not installed: the VMM that
# runs the real Xen guest inside the test VM.
QEMU_ROOT := $(BUILD)/qemu/root

qemu:
	@tools/build/qemu.sh $(BUILD)/qemu

# The real Xen guest: Debian's kernel, a busybox initramfs, firmware.
# The guest's kernel is Debian's 6.12 whatever kernel the VM runs.
xen-guest: qemu need-st-src
	@tools/testing/xen_guest/mkguest.sh -k $(ST_KREL) \
		-K $(BUILD)/kernels/$(ST_KREL)/boot/vmlinuz-$(ST_KREL) -q $(QEMU_ROOT) \
		-o $(BUILD)/xen_guest

# Test-only modules for the VM (tools/testing/vm/modules); never installed.
test-modules: modules
	@tools/build/modtree.sh $(CURDIR)/tools/testing/vm/modules $(TEST_MOD_OBJ) .
	$(IN_ROOT) $(MAKE) -C $(KDIR) M=$(TEST_MOD_OBJ) \
		KBUILD_EXTRA_SYMBOLS="$(KVM_SYMVERS) $(MOD_OBJ)/Module.symvers" \
		XEN_ACCEL_INCLUDE=$(CURDIR)/include modules

lint: test-modules
	@tools/build/lint.sh

# deps first, then a new make: KREL is only known once deps installed it.
# `make check` tests both kernels, 6.12 then 6.1; with KVER given, that one.
CHECK_KVERS := $(if $(filter command line,$(origin KVER)),$(KVER),6.12 6.1)

check:
	@tools/build/deps.sh $(CHECK_KVERS)
	@$(MAKE) --no-print-directory check-installed

check-installed: $(ST_SRC_STAMP)
	@tools/testing/check.sh $(CHECK_KVERS)

# Every supported kernel, as make check does for its two: not in make
# check, which must stay under 30 minutes.
ALL_KVERS := 6.12 6.1 6.12-deb13

check-all-kernels:
	@tools/build/deps.sh $(ALL_KVERS)
	@$(MAKE) --no-print-directory check-installed CHECK_KVERS="$(ALL_KVERS)"

# check.sh's part for one kernel (KVER): its builds and its VM suite.
check-kernel: $(SRC_STAMP)
	@tools/testing/check-kernel.sh

# The real Xen guest, once on the stock KVM and on ours; and its boot,
# BOOTS rounds on each in a test VM with GUEST_BOOTS_CPUS vCPUs
# (TIMER_CHECK=1 keeps the guest's PIT check).  Not in `make check`: the
# guest crashes now and then under nested TCG, on either KVM.
BOOTS ?= 20
TIMER_CHECK ?= 0
GUEST_BOOTS_CPUS ?= 1

check-guest guest-boots:
	@tools/build/deps.sh $(KVER)
	@$(MAKE) --no-print-directory $@-installed

check-guest-installed: $(SRC_STAMP)
	@tools/testing/xen_guest/run-guest.sh check

# These two compare ours with the stock KVM's Xen, which 6.1 has not.
need-stock-xen:
	@test $(STOCK_XEN) = 1 || { echo "KVER=$(KVER): the stock KVM has no Xen to compare with" >&2; exit 1; }

guest-boots-installed: $(SRC_STAMP) need-stock-xen
	@tools/testing/xen_guest/run-guest.sh boots $(BOOTS) $(TIMER_CHECK) \
		$(GUEST_BOOTS_CPUS)

# The fuzzer alone: SEED replays a run (the VM suite runs a short slice).
# DIFF=1: its differential mode, stock KVM against ours, over SEEDS (A-B),
# OPS operations each (2000 unless given); KEEP=3,17,20-25 makes only
# those operations (the others are only generated), to shrink a difference.
SEED ?= 1
DIFF ?= 0
SEEDS ?= 1-20
KEEP ?=
OPS ?= $(if $(filter 1,$(DIFF)),2000,20000)

fuzz:
	@tools/build/deps.sh $(KVER)
	@$(MAKE) --no-print-directory fuzz-installed

fuzz-installed: $(SRC_STAMP) $(if $(filter 1,$(DIFF)),need-stock-xen)
	@tools/testing/fuzz.sh $(SEED) $(OPS) $(DIFF) $(SEEDS) $(KEEP)

# Every Xen path, stock KVM against ours, ROUNDS alternating rounds in each
# of BENCH_BOOTS VM boots: a table of medians and ratios.
ROUNDS ?= 5
BENCH_BOOTS ?= 3

bench:
	@tools/build/deps.sh $(KVER)
	@$(MAKE) --no-print-directory bench-installed

bench-installed: $(SRC_STAMP) need-stock-xen
	@tools/testing/bench.sh $(ROUNDS) $(BENCH_BOOTS)

# Where the host paths' time goes, stock KVM against ours: perf in the VM.
bench-profile:
	@tools/build/deps.sh $(KVER)
	@$(MAKE) --no-print-directory bench-profile-installed

bench-profile-installed: $(SRC_STAMP) need-stock-xen
	@EXTRA_PROGRAMS=/usr/bin/perf tools/testing/vm/one-test.sh \
		bench-profile tools/testing/vm/bench/profile.sh \
		xen_evtchn/xen_bench 900 1000 "" >$(OBJ)/bench-profile.tap; \
	rc=$$?; grep -v '^# profile:' $(OBJ)/bench-profile.tap; \
	sed -n 's/^# profile: //p' $(OBJ)/bench-profile.tap; exit $$rc

# The VM suite on a kernel with lockdep, KASAN, UBSAN, kmemleak; and on
# the same with PREEMPT_RT.
check-debug check-rt:
	@tools/build/deps.sh $(KVER)
	@$(MAKE) --no-print-directory $@-installed

check-debug-installed check-rt-installed: $(SRC_STAMP)
	@test "$(KVER)" = 6.12 || { echo "the lanes build a 6.12 kernel: KVER=6.12" >&2; exit 1; }
	@tools/testing/check-lane.sh $(patsubst check-%-installed,%,$@)

# Issue 24's end-to-end host test (tools/testing/host/check-host.sh): a
# Debian 12 system built with mmdebstrap (cached in build/host), README's
# "Installing on a host" steps run in it as written, then booted under
# QEMU with OVMF and Secure Boot on, and checked; then make uninstall and
# another boot.  Debian 12's 6.1 kernel for now (the default here).  Not
# part of make check.
CHECK_HOST_KVER := $(if $(filter command line,$(origin KVER)),$(KVER),6.1)

check-host:
	@tools/build/deps.sh 6.12
	@tools/testing/host/deps.sh
	@$(MAKE) --no-print-directory check-host-installed

check-host-installed: $(ST_SRC_STAMP)
	@$(MAKE) --no-print-directory selftests
	@tools/testing/host/check-host.sh $(CHECK_HOST_KVER)

run:
	@tools/build/deps.sh $(KVER)
	@$(MAKE) --no-print-directory run-installed

run-installed: $(SRC_STAMP)
	@tools/testing/vm/demo.sh

clean:
	rm -rf $(BUILD)

.PHONY: all need-stock-xen mod-tree modules irqbypass install uninstall deps need-krel source kvm selftests unit test-modules \
	qemu xen-guest lint check check-installed check-all-kernels check-kernel check-debug \
	check-debug-installed check-rt check-rt-installed check-host \
	check-host-installed check-guest \
	check-guest-installed guest-boots guest-boots-installed fuzz bench \
	bench-installed bench-profile bench-profile-installed \
	fuzz-installed run \
	run-installed clean
