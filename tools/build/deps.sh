#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, with apt, everything the build and the tests need: compilers and
# tools, QEMU, busybox, and the Debian 6.12 kernel image, headers and
# linux-source of one and the same version.  The version is the newest one
# the mirror offers all three of, found at run time.  Once installed, a second
# run does nothing and prints nothing.
set -euo pipefail

tools=(build-essential bc bison flex libelf-dev cpio xz-utils kmod
       busybox-static qemu-system-x86 sparse perl shellcheck dkms)

have_all() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null |
			grep -q '^ii' || return 1
	done
}

installed_kernel_ok() {
	local krel
	krel=$("$(dirname "$0")/kver.sh")
	[ -n "$krel" ] || return 1
	have_all "linux-image-$krel-unsigned" "linux-headers-$krel" &&
		[ -f "/boot/vmlinuz-$krel" ] &&
		[ -f /usr/src/linux-source-6.12.tar.xz ]
}

if have_all "${tools[@]}" && installed_kernel_ok; then
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps: run as root (apt-get install is needed)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq

# Newest package version V of linux-source-6.12 whose image and headers
# packages exist at exactly V as well.
pick_version() {
	local v abi
	for v in $(apt-cache madison linux-source-6.12 | awk '{print $3}' |
		   sort -rV | uniq); do
		abi="${v%%-*}+deb12-amd64"
		if apt-cache madison "linux-image-$abi-unsigned" |
			awk '{print $3}' | grep -qxF "$v" &&
		   apt-cache madison "linux-headers-$abi" |
			awk '{print $3}' | grep -qxF "$v"; then
			echo "$v"
			return 0
		fi
	done
	return 1
}

pkgs=("${tools[@]}")
if ! installed_kernel_ok; then
	if ! ver=$(pick_version); then
		echo "deps: no linux-source-6.12 with matching image and headers on the mirror" >&2
		exit 1
	fi
	abi="${ver%%-*}+deb12-amd64"
	echo "deps: kernel $abi (package version $ver)"
	pkgs+=("linux-image-$abi-unsigned=$ver" "linux-headers-$abi=$ver"
	       "linux-source-6.12=$ver")
fi

# INITRD=No: the VM boots the kernel with the project's own initramfs, so
# the host does not need one generated for it.
INITRD=No apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
