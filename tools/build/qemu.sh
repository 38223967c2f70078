#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The QEMU that runs the Xen guest inside the test VM: QEMU >= 8 (KVM's
# Xen emulation, -accel kvm,xen-version=...), which Debian 12 has only in
# bookworm-backports.  Its packages are extracted into a directory, not
# installed: the system's QEMU 7.2 boots the test VM and stays as it is,
# and QEMU 10 must not meet 7.2's modules (it aborts when it finds them).
#
# usage: qemu.sh DIR   (extracts into DIR/root; quiet once done)
set -euo pipefail

dir=$1
pkgs=(qemu-system-x86 qemu-system-common qemu-system-data seabios)
stamp=$dir/root/.extracted
[ -f "$stamp" ] && exit 0

src=/etc/apt/sources.list.d/xen-evtchn-accel-backports.sources
if ! apt-cache policy qemu-system-x86 | grep -q bookworm-backports; then
	[ "$(id -u)" = 0 ] || { echo "qemu: run as root (apt)" >&2; exit 1; }
	cat >"$src" <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
	apt-get update -qq
fi

rm -rf "$dir"
mkdir -p "$dir/debs" "$dir/root"
# apt warns that its sandbox user cannot write here; that is harmless.
(cd "$dir/debs" && apt-get download -qq "${pkgs[@]/%//bookworm-backports}" 2>/dev/null) ||
	{ echo "qemu: apt-get download of ${pkgs[*]} from bookworm-backports failed" >&2; exit 1; }
for deb in "$dir"/debs/*.deb; do
	dpkg-deb -x "$deb" "$dir/root"
done
"$dir/root/usr/bin/qemu-system-x86_64" --version | head -n 1 | grep -qE ' (8|9|[1-9][0-9])\.' ||
	{ echo "qemu: no QEMU >= 8 in bookworm-backports" >&2; exit 1; }
touch "$stamp"
