#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the build and the tests need on the machine that runs them (a host
# install needs less: tools/build/host-deps.sh): compilers and tools,
# QEMU, busybox and the lint tools, installed with apt; and for each
# kernel series given (6.12, 6.1, 6.12-deb13: tools/build/kver.sh) the
# Debian kernel that the tests build against and boot, never installed:
# tools/build/vm-kernel.sh fetches and extracts its image, headers and
# linux-source, of one and the same package version, into build/kernels/:
# the newest version the mirror offers all three of, found at run time,
# in the package lists of the series' distribution (tools/build/
# apt-dist.sh: Debian 13's through a private apt configuration in
# build/apt-trixie).  A kernel of another distribution than the
# machine's also gets a build root of that distribution (tools/build/
# build-root.sh: build/trixie-root, with trixie's gcc-14), in which its
# modules are built.  The 6.12 kernel is always fetched: the selftests are
# built from its source, for every kernel.
# apt-get runs through tools/build/apt-install.sh, which refuses a plan
# that would install or remove a kernel image.  Once done, a second run
# does nothing and prints nothing.  Needs BUILD (the Makefile exports it).
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
host=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")

# gcc-12, pahole, libelf1, libssl3: what the extracted headers tree
# (linux-kbuild's programs) needs, as its packages' dependencies say;
# openssl: the install tests make signing keys.
tools=(build-essential gcc-12 pahole libelf1 libssl3 bc bison flex
       libelf-dev cpio xz-utils kmod busybox-static qemu-system-x86 sparse
       perl shellcheck dkms linux-perf openssl)
# root (build-root.sh, in-root.sh): a kernel of another distribution's.
foreign=0
for k in "${kvers[@]}"; do
	[ "$("$here/kver.sh" -d "$k")" = "$host" ] || foreign=1
done
[ $foreign = 0 ] || tools+=(mmdebstrap)

# A kernel is missing until it is extracted, and, for another
# distribution's, its build root is made.
missing=()
for k in "${kvers[@]}"; do
	d=$("$here/kver.sh" -d "$k")
	if [ -z "$("$here/kver.sh" "$k")" ] ||
	   { [ "$d" != "$host" ] && [ ! -f "${BUILD:?}/$d-root/.packages" ]; }; then
		missing+=("$k")
	fi
done
if "$here/have-all.sh" "${tools[@]}" && [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps: run as root (apt-get is needed)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
"$here/have-all.sh" "${tools[@]}" || "$here/apt-install.sh" "${tools[@]}"
for d in $(for k in "${missing[@]}"; do "$here/kver.sh" -d "$k"; done | sort -u); do
	[ "$d" = "$host" ] || "$here/apt-dist.sh" "$d" update
done

# versions PACKAGE...: "VERSION PACKAGE" for each version the mirror has,
# in the package lists of distribution $dist.
versions() {
	"$here/apt-dist.sh" "$dist" apt-cache madison "$@" |
		awk -F'|' '{ gsub(/ /, ""); print $2, $1 }'
}

# pick KVER: "VERSION KREL" of the newest linux-source-KVER version whose
# image and headers packages (of a release of that series) exist at
# exactly that version as well.
pick() {
	local re v krel names heads imgs
	re=$("$here/kver.sh" -p "$1")
	mapfile -t names < <("$here/apt-dist.sh" "$dist" apt-cache search --names-only "^linux-headers-$re\$" |
			     awk '{ print $1 }')
	[ ${#names[@]} -gt 0 ] || return 1
	heads=$(versions "${names[@]}")
	mapfile -t names < <("$here/apt-dist.sh" "$dist" apt-cache search --names-only "^linux-image-$re-unsigned\$" |
			     awk '{ print $1 }')
	[ ${#names[@]} -gt 0 ] || return 1
	imgs=$(versions "${names[@]}")
	for v in $(versions "linux-source-$("$here/kver.sh" -s "$1")" | awk '{ print $1 }' | sort -rV | uniq); do
		krel=$(awk -v v="$v" '$1 == v { sub("^linux-headers-", "", $2); print $2 }' <<<"$heads" | head -n 1)
		[ -n "$krel" ] || continue
		if grep -qxF "$v linux-image-$krel-unsigned" <<<"$imgs"; then
			echo "$v $krel"
			return 0
		fi
	done
	return 1
}

for k in "${missing[@]}"; do
	dist=$("$here/kver.sh" -d "$k")
	if [ -z "$("$here/kver.sh" "$k")" ]; then
		if ! read -r ver krel < <(pick "$k"); then
			echo "deps: no linux-source-$("$here/kver.sh" -s "$k") with matching $k image and headers on the $dist mirror" >&2
			exit 1
		fi
		echo "deps: kernel $krel (package version $ver, $dist), extracted into $BUILD/kernels"
		"$here/vm-kernel.sh" "$k" "$krel" "$ver" "$BUILD/kernels"
	fi
	[ "$dist" = "$host" ] ||
		"$here/build-root.sh" "$dist" "$BUILD/$dist-root" \
			"$("$here/kver.sh" "$k")" "$("$here/kver.sh" -v "$k")"
done
