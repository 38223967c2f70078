#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A test lane: the main VM suite (tools/testing/vm/suite.sh -L: our Xen
# code, not upstream's) on a kernel of its own, with the rebuilt KVM, our
# modules and the test modules built against that kernel in build/<lane>/
# (in trees of links to the module sources, tools/build/modtree.sh).
# Prints TAP; exits non-zero when anything failed.  Needs SRC, BUILD,
# QEMU_ROOT, MOD_SRCS (exported by the Makefile), the selftests and the
# Xen guest built.
#
# usage: lane.sh NAME KREL IMAGE KDIR MODROOT [ARGS]
#   KDIR     the kernel's build tree (headers and Module.symvers)
#   MODROOT  where its modules are installed (MODROOT/lib/modules/KREL)
#   ARGS     kernel command line arguments for the tests
set -uo pipefail

name=$1 krel=$2 image=$3 kdir=$4 modroot=$5 args=${6:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
lane=$BUILD/$name

# Build steps report as "ok - LANE: build ..."; a failed one ends the lane.
# shellcheck source=tools/testing/build-step.sh
. "$top/tools/testing/build-step.sh"
build_label=$name

link_trees() {
	# shellcheck disable=SC2086 # a list of paths
	"$top/tools/build/modtree.sh" "$top" "$lane/ours" $MOD_SRCS &&
	"$top/tools/build/modtree.sh" "$top/tools/testing/vm/modules" \
		"$lane/testmods" .
}

kvm=$lane/kvm/arch/x86/kvm
build "build rebuilt KVM" "$top/kvm/rebuild-kvm.sh" "$SRC" "$kdir" \
	"$lane/kvm" "$SRC_VER" || exit 1
build "build sources" link_trees || exit 1
build "build irqbypass.ko, xen_evtchn.ko" make -s -C "$kdir" M="$lane/ours" \
	KBUILD_EXTRA_SYMBOLS="$kvm/Module.symvers" modules || exit 1
build "build test modules" make -s -C "$kdir" M="$lane/testmods" \
	KBUILD_EXTRA_SYMBOLS="$kvm/Module.symvers $lane/ours/Module.symvers" \
	XEN_ACCEL_INCLUDE="$lane/ours/include" modules || exit 1
# Not the real Xen guest (make check-guest): under TCG on these kernels it
# overran its 400 s now and then, and its nested guest crashed in its Xen
# callback entry, as it does on any L1 kernel, stock KVM included
# (Documentation/testing.rst).
"$top/tools/testing/vm/suite.sh" -k "$krel" -o "$lane/vm" -n "$name" \
	-O "$lane/ours" -R "$kvm" -T "$lane/testmods" -K "$image" -M "$modroot" -L \
	-A "$args"
