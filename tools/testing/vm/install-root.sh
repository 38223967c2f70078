#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A root file system tree for the install test: a real
# /lib/modules/KREL, made of the stock modules that `modprobe kvm_amd`
# needs (from the host's copy of the VM kernel) and the project installed
# over them with `make install DESTDIR=ROOT`; and, in ROOT/upgrade, a
# second build of xen_evtchn.ko that reports another MODULE_VERSION.
# Needs what the Makefile exports (VM_KDIR, KVM_OBJ, MOD_SRCS); the
# modules built already.
#
# usage: install-root.sh KREL ROOT
set -euo pipefail

krel=$1 root=$2
top=$(cd "$(dirname "$0")/../../.." && pwd)
stock=/lib/modules/$krel
mods=$root/lib/modules/$krel

rm -rf "$root"
mkdir -p "$mods" "$root/upgrade"
cp "$stock"/modules.order "$stock"/modules.builtin \
	"$stock"/modules.builtin.modinfo "$mods/"
# kvm-amd's line of modules.dep: the module, then what it needs.
for f in $(sed -n 's|^\(kernel/arch/x86/kvm/kvm-amd\.ko[^:]*\):|\1|p' \
	   "$stock/modules.dep"); do
	mkdir -p "$mods/$(dirname "$f")"
	cp "$stock/$f" "$mods/$f"
done
make -s -C "$top" install DESTDIR="$root" >/dev/null 2>&1

# The "newer build": the same sources, another version.
# shellcheck disable=SC2086 # a list of paths
"$top/tools/build/modtree.sh" "$top" "$root/upgrade" $MOD_SRCS
make -s -C "$VM_KDIR" M="$root/upgrade" CONFIG_IRQ_BYPASS_ACCEL= \
	KBUILD_EXTRA_SYMBOLS="$KVM_OBJ/Module.symvers" \
	XEN_ACCEL_VERSION=upgrade-test modules >/dev/null
