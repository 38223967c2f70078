#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `make install` needs on a host, for the kernel RELEASE (the running
# one by default), installed with apt: the build tools, dkms, and
# linux-headers-RELEASE and linux-source-SERIES at exactly that kernel's
# package version (tools/build/host-kernel.sh says which).  Nothing for
# the tests (tools/build/deps.sh), and never a kernel image:
# tools/build/apt-install.sh refuses a plan that would install or remove
# one.
#
# usage: host-deps.sh RELEASE
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
rel=${1:?usage: host-deps.sh RELEASE}
tools=(build-essential bc bison flex libelf-dev xz-utils kmod dkms openssl)

[ "$(id -u)" = 0 ] || { echo "host-deps: run as root (apt-get is needed)" >&2; exit 1; }
# The version is the kernel's own: a release not installed is refused here.
want=$("$here/host-kernel.sh" -d "$rel")
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # a list of packages
if ! "$here/apt-install.sh" "${tools[@]}" $want; then
	echo "host-deps: could not install ${tools[*]} $want; the mirror may no longer have that kernel version's packages" >&2
	exit 1
fi
"$here/host-kernel.sh" "$rel" >/dev/null
