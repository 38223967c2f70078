#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The main VM suite: pack every test of tools/testing/vm/tests with what it
# needs (our modules, the rebuilt KVM, the test modules, the selftests,
# QEMU and the real Xen guest) and run it in one VM boot.  Prints TAP, as
# run.sh; exits non-zero when anything failed.  Needs BUILD and QEMU_ROOT
# (exported by the Makefile; the install test what install-root.sh
# needs), the selftests and the guest already built.  STOCK_XEN=0 (the Makefile's for 6.1): the stock
# KVM has no Xen, so upstream's tests on it (stock_xen_*) are left out and
# the calibration that it has none (stock_no_xen_*) runs instead; the
# others skip their stock half (run.sh passes vmtest.stock_xen=0).
#
# usage: suite.sh -k KREL -o OUTDIR -n NAME -O OURS -R KVMDIR -T TESTMODS
#                 [-K IMAGE] [-M MODROOT] [-L] [-A ARGS] [-t TEST.sh]...
#   -O  directory with irqbypass/*.ko and xen_evtchn/*.ko
#   -R  directory with the rebuilt kvm.ko and kvm-amd.ko
#   -T  directory with the test-only modules
#   -K, -M  the kernel image and the root of its modules (a lane's own
#       kernel); Debian's by default
#   -A  kernel command line arguments for the tests (xen_fuzz.ops=...)
#   -t  run TEST.sh too (tests kept outside tests/, the real Xen guest's)
#   -L  a test lane: our Xen code alone, not upstream's in the stock KVM,
#       and no install test (the stock_xen_*, stock_no_xen_* and *install*
#       tests are left out, the others skip their stock
#       half: vmtest.stock_xen=0), whose known 6.12 bugs (a sleeping lock
#       in hard-IRQ context on PREEMPT_RT, a write into freed memory at
#       teardown) the lanes' checkers report
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
krel= out= name= ours= kvm= testmods= image= modroot= lane= args=
extra=()
while getopts k:o:n:O:R:T:K:M:LA:t: opt; do
	case $opt in
	k) krel=$OPTARG ;;
	o) out=$OPTARG ;;
	n) name=$OPTARG ;;
	O) ours=$OPTARG ;;
	R) kvm=$OPTARG ;;
	T) testmods=$OPTARG ;;
	K) image=$OPTARG ;;
	M) modroot=$OPTARG ;;
	L) lane=1 ;;
	A) args=$OPTARG ;;
	t) extra+=("$OPTARG") ;;
	*) exit 2 ;;
	esac
done
[ -n "$krel" ] && [ -n "$out" ] && [ -n "$name" ] && [ -n "$ours" ] &&
	[ -n "$kvm" ] && [ -n "$testmods" ] || { echo "usage: see $0" >&2; exit 2; }

st=$BUILD/selftests
mkdir -p "$out"
# The install test: the project installed into a real /lib/modules, as on
# a host, for the default build only (a lane's kernel has no such tree).
install=()
if [ -z "$lane" ]; then
	"$here/install-root.sh" "$krel" "$out/root"
	install=(-d "$out/root/lib/modules:/lib/modules"
		 -m upgrade:"$out/root/upgrade/xen_evtchn/xen_evtchn.ko"
		 -b "$(command -v kmod)")
fi
# shellcheck disable=SC2046 # option lists, split on purpose
"$here/mkinitramfs.sh" -k "$krel" -o "$out.cpio.gz" ${modroot:+-M "$modroot"} \
	${VM_PRELOAD:+-p "$VM_PRELOAD"} \
	$(for m in "$ours"/irqbypass/*.ko "$ours"/xen_evtchn/*.ko; do echo "-m ours:$m"; done) \
	-m test:"$testmods/test_irq_posting.ko" \
	-m test:"$testmods/test_constant_tsc.ko" \
	-m test:"$testmods/test_irqbypass.ko" \
	-m test:"$testmods/bench_irqbypass.ko" \
	-m test:"$testmods/test_accel_contract.ko" \
	-m test:"$testmods/test_slow_refresh.ko" \
	-m rebuilt:"$kvm/kvm.ko" -m rebuilt:"$kvm/kvm-amd.ko" \
	"${install[@]}" \
	-b "$QEMU_ROOT/usr/bin/qemu-system-x86_64" \
	-b "$top/tools/testing/xen_guest/xen-guest" \
	-d "$BUILD/xen_guest:/xen_guest" \
	-b "$st/kvm/x86_64/xen_vmcall_test" \
	-b "$st/kvm/x86_64/xen_shinfo_test" \
	$(for b in "$st"/xen_evtchn/* "$st"/irqbypass/*; do echo "-b $b"; done) \
	$(for t in "$here"/tests/*.sh; do
		case $t in
		*-stock_xen_*) [ -z "$lane" ] && [ "${STOCK_XEN:-1}" = 1 ] || continue ;;
		*-stock_no_xen_*) [ -z "$lane" ] && [ "${STOCK_XEN:-1}" = 0 ] || continue ;;
		*-install*) [ -z "$lane" ] || continue ;;
		esac
		echo "-t $t"
	  done) \
	$(for t in "${extra[@]}"; do echo "-t $t"; done)
exec "$here/run.sh" -k "$krel" -i "$out.cpio.gz" -o "$out" -n "$name" \
	-T 2400 -t 1200 ${image:+-K "$image"} \
	-a "$args${lane:+ vmtest.stock_xen=0 vmtest.lane=1}"
