#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Our irqbypass.ko exports the four functions with the same symbol CRCs
# (MODVERSIONS) as the stock module: as the kernel's Module.symvers records
# them, and as each stock user (kvm.ko, kvm-amd.ko, vfio-pci-core.ko)
# requires them.  Otherwise those modules would refuse to load against it.
#
# usage: modversions_test.sh OUR_MODULE_SYMVERS KDIR MODULES_DIR
set -uo pipefail

ours=$1 kdir=$2 moddir=$3
syms=(irq_bypass_register_producer irq_bypass_unregister_producer
      irq_bypass_register_consumer irq_bypass_unregister_consumer)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

crc_in_symvers() {
	awk -v s="$2" '$2 == s { print $1 }' "$1"
}

users=()
for m in arch/x86/kvm/kvm arch/x86/kvm/kvm-amd drivers/vfio/pci/vfio-pci-core; do
	ko=$moddir/kernel/$m.ko
	if [ -f "$ko.xz" ]; then
		xz -dc "$ko.xz" >"$tmp/${m##*/}.ko"
	else
		cp "$ko" "$tmp/${m##*/}.ko"
	fi
	/sbin/modprobe --dump-modversions "$tmp/${m##*/}.ko" >"$tmp/${m##*/}.crc"
	users+=("${m##*/}")
done

rc=0
for s in "${syms[@]}"; do
	mine=$(crc_in_symvers "$ours" "$s")
	stock=$(crc_in_symvers "$kdir/Module.symvers" "$s")
	msg="$s: ours $mine, stock irqbypass ${stock:-none}"
	ok=1
	[ -n "$mine" ] && [ "$mine" = "$stock" ] || ok=0
	used=0
	for u in "${users[@]}"; do
		need=$(crc_in_symvers "$tmp/$u.crc" "$s")
		[ -n "$need" ] || continue
		used=1
		msg="$msg, $u needs $need"
		[ "$need" = "$mine" ] || ok=0
	done
	[ $used = 1 ] || { ok=0; msg="$msg, no stock user needs it"; }
	if [ $ok = 1 ]; then
		echo "ok - irqbypass modversions: $msg"
	else
		echo "not ok - irqbypass modversions: $msg"
		rc=1
	fi
done
exit $rc
