#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The part of `make check` (tools/testing/check.sh) for one kernel, the
# one of KVER: the modules, the rebuilt KVM and the test modules built for
# it, DKMS, the irqbypass symbol versions against its stock modules, and
# the main VM suite booting it.  Prints TAP; exits non-zero when anything
# failed.  Needs what the Makefile exports (KVER, KREL, VM_KDIR, OBJ,
# MOD_OBJ, KVM_OBJ, TEST_MOD_OBJ, ...); the selftests and the Xen guest
# built already (check.sh builds them once for all kernels).
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1

# shellcheck source=tools/testing/build-step.sh
. "$top/tools/testing/build-step.sh"

built=1
build "irqbypass.ko, xen_evtchn.ko" make -s --no-print-directory modules || built=0
build "rebuilt kvm.ko, kvm-amd.ko, kvm-intel.ko" make -s --no-print-directory kvm || built=0
build "test-only VM modules" make -s --no-print-directory test-modules || built=0
if [ $built = 0 ]; then
	echo "not ok - vm: not run, the build failed"
	exit 1
fi

rc=0
# DKMS builds and installs the tree, into private trees of its own.
tools/testing/dkms-check.sh "$OBJ/dkms" || rc=1
# make install and make uninstall into roots of their own: signing, the
# manifest, the kernel postinst hook.
tools/testing/install-check.sh "$OBJ/install-check" || rc=1

tools/testing/selftests/irqbypass/modversions_test.sh \
	"$MOD_OBJ/Module.symvers" "$VM_KDIR" "$VM_ROOT/lib/modules/$KREL" || rc=1

tools/testing/vm/suite.sh -k "$KREL" -o "$OBJ/check" -n vm -O "$MOD_OBJ" \
	-R "$KVM_OBJ" -T "$TEST_MOD_OBJ" || rc=1
exit $rc
