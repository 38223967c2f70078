#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, with apt, everything the build and the tests need: compilers and
# tools, QEMU, busybox, and for each kernel series given (6.12, 6.1) the
# Debian kernel image, headers and linux-source of one and the same package
# version: the newest one the mirror offers all three of, found at run
# time, installed in one apt-get call (a separate call may upgrade the
# source package to another version).  The 6.12 source is always needed:
# the selftests are built from it, for either kernel.  Once installed, a
# second run does nothing and prints nothing.
#
# usage: deps.sh KVER...
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || { echo "usage: deps.sh KVER..." >&2; exit 2; }
kvers=("$@")
for k in "${kvers[@]}"; do
	"$here/kver.sh" -p "$k" >/dev/null
done
[[ " ${kvers[*]} " == *" 6.12 "* ]] || kvers+=(6.12)

tools=(build-essential bc bison flex libelf-dev cpio xz-utils kmod
       busybox-static qemu-system-x86 sparse perl shellcheck dkms linux-perf)

have_all() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null |
			grep -q '^ii' || return 1
	done
}

# installed_kernel_ok KVER: image, headers and source of one version.
installed_kernel_ok() {
	local krel
	krel=$("$here/kver.sh" "$1")
	[ -n "$krel" ] &&
		have_all "linux-image-$krel-unsigned" "linux-headers-$krel" &&
		[ -f "/boot/vmlinuz-$krel" ] &&
		[ -f "/usr/src/linux-source-$1.tar.xz" ]
}

missing=()
for k in "${kvers[@]}"; do
	installed_kernel_ok "$k" || missing+=("$k")
done
if have_all "${tools[@]}" && [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps: run as root (apt-get install is needed)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq

# versions PACKAGE...: "VERSION PACKAGE" for each version the mirror has.
versions() {
	apt-cache madison "$@" |
		awk -F'|' '{ gsub(/ /, ""); print $2, $1 }'
}

# pick KVER: "VERSION KREL" of the newest linux-source-KVER version whose
# image and headers packages (of a release of that series) exist at
# exactly that version as well.
pick() {
	local re v krel names heads imgs
	re=$("$here/kver.sh" -p "$1")
	mapfile -t names < <(apt-cache search --names-only "^linux-headers-$re\$" |
			     awk '{ print $1 }')
	[ ${#names[@]} -gt 0 ] || return 1
	heads=$(versions "${names[@]}")
	mapfile -t names < <(apt-cache search --names-only "^linux-image-$re-unsigned\$" |
			     awk '{ print $1 }')
	[ ${#names[@]} -gt 0 ] || return 1
	imgs=$(versions "${names[@]}")
	for v in $(versions "linux-source-$1" | awk '{ print $1 }' | sort -rV | uniq); do
		krel=$(awk -v v="$v" '$1 == v { sub("^linux-headers-", "", $2); print $2 }' <<<"$heads" | head -n 1)
		[ -n "$krel" ] || continue
		if grep -qxF "$v linux-image-$krel-unsigned" <<<"$imgs"; then
			echo "$v $krel"
			return 0
		fi
	done
	return 1
}

pkgs=("${tools[@]}")
for k in "${missing[@]}"; do
	if ! read -r ver krel < <(pick "$k"); then
		echo "deps: no linux-source-$k with matching image and headers on the mirror" >&2
		exit 1
	fi
	echo "deps: kernel $krel (package version $ver)"
	pkgs+=("linux-image-$krel-unsigned=$ver" "linux-headers-$krel=$ver"
	       "linux-source-$k=$ver")
done

# INITRD=No: the VM boots the kernel with the project's own initramfs, so
# the host does not need one generated for it.
INITRD=No apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
