#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test VM's initramfs (a gzip'd cpio archive) from busybox, the
# runner's /init and helpers, the stock KVM modules of the VM kernel, the
# project's modules, test programs with the shared libraries they need, and
# the test scripts to run.
#
# usage: mkinitramfs.sh -k KREL -o OUT.cpio.gz [-M MODROOT] [-m DIR:MODULE.ko]...
#                       [-b PROGRAM]... [-d DIR:PATH]... [-t TEST.sh]...
#                       [-p LIBRARY]
#   -k  kernel release the VM boots (its stock modules come from
#       MODROOT/lib/modules/KREL; MODROOT is VM_ROOT from the environment,
#       where tools/build/vm-kernel.sh extracted the kernel, unless -M
#       says otherwise;
#       ccp and vfio_virqfd are taken only where the kernel has them)
#   -m  put MODULE.ko at /modules/DIR/ in the VM (for example ours:...,
#       rebuilt:...)
#   -b  put PROGRAM in /tests/bin, with the libraries ldd names for it
#   -d  copy the directory DIR to PATH in the VM (for example a guest's
#       kernel, initramfs and firmware)
#   -t  run TEST.sh in the VM; /init runs them in the order of their
#       names, which start with two digits
#   -p  preload the shared LIBRARY into every dynamically linked program
#       in the VM (it goes to /lib, and is named in /etc/ld.so.preload)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
krel= out= modroot= preload=
mods=() bins=() dirs=() tests=()
while getopts k:o:M:m:b:d:t:p: opt; do
	case $opt in
	k) krel=$OPTARG ;;
	o) out=$OPTARG ;;
	M) modroot=$OPTARG ;;
	m) mods+=("$OPTARG") ;;
	b) bins+=("$OPTARG") ;;
	d) dirs+=("$OPTARG") ;;
	t) tests+=("$OPTARG") ;;
	p) preload=$OPTARG ;;
	*) exit 2 ;;
	esac
done
[ -n "$krel" ] && [ -n "$out" ] || { echo "usage: see $0" >&2; exit 2; }

# Stock modules of the VM kernel, loaded by name from /modules/stock.
stock=(irqbypass kvm kvm-amd ccp vfio vfio_virqfd vfio_iommu_type1 vfio-pci-core
       vfio-pci)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,dev,proc,sys,tmp,lib,tests/bin} \
	 "$stage"/modules/stock
cp /bin/busybox "$stage/bin/busybox"
cp "$here/init" "$stage/init"
cp "$here/lib.sh" "$stage/lib/vmtest.sh"
cp "$here/../shinfo-retry.sh" "$stage/lib/shinfo-retry.sh"
chmod 755 "$stage/init"

moddir=${modroot:-${VM_ROOT:?}}/lib/modules/$krel
for m in "${stock[@]}"; do
	rel=$(grep -E "(^|/)$m\\.ko(\\.xz)?:" "$moddir/modules.dep" | cut -d: -f1 || true)
	# A kernel without KVM_AMD_SEV has no ccp, and kvm-amd needs none;
	# vfio_virqfd is a module of its own up to 6.1 only.
	[ -z "$rel" ] && case $m in ccp|vfio_virqfd) true ;; *) false ;; esac &&
		continue
	[ -n "$rel" ] || { echo "mkinitramfs: no stock module $m" >&2; exit 1; }
	case $rel in
	*.xz) xz -dc "$moddir/$rel" >"$stage/modules/stock/$m.ko" ;;
	*) cp "$moddir/$rel" "$stage/modules/stock/$m.ko" ;;
	esac
done

for spec in "${mods[@]}"; do
	dir=${spec%%:*}
	ko=${spec#*:}
	mkdir -p "$stage/modules/$dir"
	cp "$ko" "$stage/modules/$dir/"
done

# Programs and the shared libraries they load, at the paths ldd reports
# (none for a script).
for prog in "${bins[@]}"; do
	cp "$prog" "$stage/tests/bin/"
	ldd "$prog" >/dev/null 2>&1 || continue
	ldd "$prog" | grep -oE '/[^ ]+' | while read -r lib; do
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
	done
done

# glibc dlopen()s libgcc_s for pthread_cancel(), which ldd does not list.
if [ ${#bins[@]} -gt 0 ]; then
	lib=$(realpath "$(gcc -print-file-name=libgcc_s.so.1)")
	mkdir -p "$stage/lib/x86_64-linux-gnu"
	cp "$lib" "$stage/lib/x86_64-linux-gnu/libgcc_s.so.1"
fi

if [ -n "$preload" ]; then
	mkdir -p "$stage/etc"
	cp "$preload" "$stage/lib/"
	echo "/lib/${preload##*/}" >"$stage/etc/ld.so.preload"
fi

for spec in "${dirs[@]}"; do
	mkdir -p "$stage/${spec#*:}"
	cp -rL "${spec%%:*}/." "$stage/${spec#*:}/"
done

for t in "${tests[@]}"; do
	cp "$t" "$stage/tests/"
done

(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out"
