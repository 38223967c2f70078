#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `make check-host` needs on the machine that runs it, besides what
# the tests need (tools/build/deps.sh, for the selftests): mmdebstrap to
# build the Debian system image, the tools that make its GPT disk
# (sfdisk, mkfs.vfat and mtools, mkfs.ext4), Debian's OVMF (firmware
# with Secure Boot, its variable stores with Microsoft's keys), and
# python3-virt-firmware (bookworm-backports: virt-fw-vars, which enrolls
# the dkms MOK certificate in the variable store).  Installed with apt
# through tools/build/apt-install.sh, which refuses a plan that would
# install or remove a kernel image.  Once done, a second run does
# nothing and prints nothing.  The ESP is written with mtools, not
# mounted: this machine's kernel may have no vfat.
#
# usage: deps.sh
set -euo pipefail

here=$(cd "$(dirname "$0")/../../build" && pwd)
tools=(mmdebstrap fdisk dosfstools mtools e2fsprogs ovmf python3-virt-firmware
       qemu-system-x86 openssl)

"$here/have-all.sh" "${tools[@]}" && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "host deps: run as root (apt-get is needed)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
"$here/apt-install.sh" "${tools[@]}"
