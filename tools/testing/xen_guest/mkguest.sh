#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stage the Xen HVM guest for the test VM: Debian's kernel, a busybox
# initramfs whose /init is guest-init, the firmware QEMU needs to boot it
# with -kernel, and the xen-guest script that runs it.
#
# usage: mkguest.sh -k KREL -K IMAGE -q QEMU_ROOT -o OUTDIR
#   -k  the release of the kernel the guest boots
#   -K  its image (tools/build/vm-kernel.sh extracts it)
#   -q  where QEMU >= 8 was extracted (tools/build/qemu.sh): its firmware
#       is taken from there
#   -o  directory to fill: vmlinuz, initrd.cpio.gz, firmware/
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
krel= image= qroot= out=
while getopts k:K:q:o: opt; do
	case $opt in
	k) krel=$OPTARG ;;
	K) image=$OPTARG ;;
	q) qroot=$OPTARG ;;
	o) out=$OPTARG ;;
	*) exit 2 ;;
	esac
done
[ -n "$krel" ] && [ -n "$image" ] && [ -n "$qroot" ] && [ -n "$out" ] ||
	{ echo "usage: see $0" >&2; exit 2; }

rm -rf "$out"
mkdir -p "$out/firmware"
cp "$image" "$out/vmlinuz"
for f in seabios/bios-256k.bin qemu/linuxboot_dma.bin qemu/kvmvapic.bin; do
	cp -L "$qroot/usr/share/$f" "$out/firmware/"
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys}
cp /bin/busybox "$stage/bin/busybox"
cp "$here/guest-init" "$stage/init"
chmod 755 "$stage/init"
(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out/initrd.cpio.gz"
