# SPDX-License-Identifier: GPL-2.0
# Our irqbypass.ko with its real users: the stock kvm.ko (KVM_IRQFD
# registers consumers) and the stock vfio-pci.ko (MSI triggers register
# producers), both linked against our module in place of the stock one.
# The producer is QEMU's edu device behind the emulated AMD IOMMU.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

# KVM registers irqfds as IRQ bypass consumers only when it can post
# interrupts: AVIC on (QEMU's CPU lacks it, hence force_avic; no vCPU runs
# here) and an IOMMU with IRQ posting (QEMU's AMD IOMMU lacks it; the
# test-only test_irq_posting.ko claims it while loaded).
load test test_irq_posting
KVM_AMD_PARAMS="avic=1 force_avic=1" kvm_up stock ours
load stock vfio
# 6.1's vfio-pci-core needs vfio_virqfd (part of vfio.ko since 6.2).
[ ! -e /modules/stock/vfio_virqfd.ko ] || load stock vfio_virqfd
load stock vfio_iommu_type1
load stock vfio-pci-core
load stock vfio-pci

dev=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1234:0x11e8 ] && dev=${d##*/}
done
[ -n "$dev" ] || fail "no edu device (1234:11e8) in the VM"
[ -e "/sys/bus/pci/devices/$dev/iommu_group" ] || fail "$dev has no IOMMU group"
echo vfio-pci >"/sys/bus/pci/devices/$dev/driver_override"
echo "$dev" >/sys/bus/pci/drivers_probe
[ "$(basename "$(readlink "/sys/bus/pci/devices/$dev/driver")")" = vfio-pci ] ||
	fail "$dev is not bound to vfio-pci"
group=$(basename "$(readlink "/sys/bus/pci/devices/$dev/iommu_group")")
echo "edu device $dev, IOMMU group $group"

VFIO_GROUP=$group VFIO_DEVICE=$dev run irqbypass_pairing_test
cat /sys/kernel/debug/irqbypass/tokens
echo "$dev" >/sys/bus/pci/drivers/vfio-pci/unbind
unload vfio_pci vfio_pci_core vfio_iommu_type1
! loaded vfio_virqfd || unload vfio_virqfd
unload vfio
kvm_down
unload test_irq_posting
exit 0
