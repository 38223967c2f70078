#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian 12 (bookworm) system that `make check-host` installs the
# project on, built with mmdebstrap from Debian's mirror (bookworm,
# bookworm-updates, bookworm-security): the signed linux-image-amd64 of
# the series KVER (6.1: bookworm's default kernel, of its point release,
# which bookworm-security's updates to a newer ABI), initramfs-tools,
# shim-signed, grub-efi-amd64-signed, systemd, dkms, mokutil, and what
# README.md's host steps need (make host-deps's packages: the build tools,
# openssl, and the headers and linux-source of the image kernel's own
# package version), so that the VM that boots it needs no network.
# The package versions are resolved from the build machine's apt lists
# (same mirrors); the tarball is cached in CACHE/base-HASH.tar, HASH over
# this script, the resolved versions and the mirrors: a rerun with
# nothing changed reuses it.  Prints "TARBALL RELEASE VERSION".
#
# usage: mkbase.sh KVER CACHE
set -euo pipefail

kver=${1:?usage: mkbase.sh KVER CACHE} cache=${2:?usage: mkbase.sh KVER CACHE}
mirrors=("deb http://deb.debian.org/debian bookworm main"
	 "deb http://deb.debian.org/debian bookworm-updates main"
	 "deb http://deb.debian.org/debian-security bookworm-security main")

die() {
	echo "mkbase: $*" >&2
	exit 1
}

case $kver in
6.1)
	# linux-image-amd64 of bookworm's point release (not -security,
	# not backports): a 6.1 release that bookworm-security updates, so
	# that check-host.sh can upgrade it as apt-get would.
	ver=$(apt-cache madison linux-image-amd64 |
		awk -F' *[|] *' '$3 ~ /debian bookworm\/main/ { print $2; exit }')
	[ -n "$ver" ] || die "no bookworm linux-image-amd64 in the apt lists (apt-get update?)"
	meta=linux-image-amd64
	;;
*) die "KVER=$kver: only 6.1 for now" ;;
esac
rel=$(apt-cache show "$meta=$ver" | sed -n 's/^Depends: .*linux-image-\([^ ]*\) (= .*/\1/p' | head -n 1)
[ -n "$rel" ] || die "cannot tell the kernel release of $meta $ver"

pkgs=("$meta=$ver" "linux-image-$rel=$ver" "linux-headers-$rel=$ver"
      "linux-source-$kver=$ver" initramfs-tools shim-signed
      grub-efi-amd64-signed systemd-sysv udev kmod dkms mokutil
      build-essential bc bison flex libelf-dev xz-utils openssl make
      ca-certificates)

hash=$( { cat "$0"; printf '%s\n' "${pkgs[@]}" "${mirrors[@]}"; } |
	sha256sum | cut -c1-16)
tar=$cache/base-$kver-$hash.tar
if [ ! -s "$tar" ]; then
	mkdir -p "$cache"
	rm -f "$cache"/base-"$kver"-*.tar.tmp
	incl=$(IFS=,; echo "${pkgs[*]}")
	# shellcheck disable=SC2016 # $1: for the hooks' shell
	mmdebstrap --quiet --variant=important --mode=root --format=tar \
		--include="$incl" \
		--customize-hook='echo check-host >"$1/etc/hostname"' \
		--customize-hook='rm -f "$1/etc/resolv.conf"' \
		bookworm "$tar.tmp" "${mirrors[@]}" >&2 ||
		die "mmdebstrap failed"
	mv "$tar.tmp" "$tar"
fi
echo "$tar $rel $ver"
