#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A root file system tree for the install test: a real
# /lib/modules/KREL, made of the stock modules that `modprobe kvm_amd`
# needs (from the extracted VM kernel, VM_ROOT) and the project installed
# over them with `make install DESTDIR=ROOT`, signed with a key made here
# (ROOT/signing.{key,crt}, "CN=xen-evtchn-accel install test"); and, in
# ROOT/upgrade, a second build of xen_evtchn.ko that reports another
# MODULE_VERSION.  Needs what the Makefile exports (VM_ROOT, VM_KDIR,
# KVM_OBJ, MOD_SRCS); the modules built already.
#
# usage: install-root.sh KREL ROOT
set -euo pipefail

krel=$1 root=$2
top=$(cd "$(dirname "$0")/../../.." && pwd)
stock=$VM_ROOT/lib/modules/$krel
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
openssl req -new -x509 -nodes -days 1 -newkey rsa:2048 \
	-subj "/CN=xen-evtchn-accel install test" -keyout "$root/signing.key" \
	-outform DER -out "$root/signing.crt" 2>/dev/null
make -s -C "$top" install DESTDIR="$root" KDIR="$VM_KDIR" \
	SIGN_KEY="$root/signing.key" SIGN_CERT="$root/signing.crt" >/dev/null

# The "newer build": the same sources, another version.
# shellcheck disable=SC2086 # a list of paths
"$top/tools/build/modtree.sh" "$top" "$root/upgrade" $MOD_SRCS
"$top/tools/build/in-root.sh" "${KBUILD_ROOT:-}" \
	make -s -C "$VM_KDIR" M="$root/upgrade" CONFIG_IRQ_BYPASS_ACCEL= \
	KBUILD_EXTRA_SYMBOLS="$KVM_OBJ/Module.symvers" \
	XEN_ACCEL_VERSION=upgrade-test modules >/dev/null
