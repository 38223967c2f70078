#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian kernel of series KVER that the tests build against and boot,
# fetched, never installed on this machine: linux-image-KREL-unsigned,
# linux-headers-KREL and the packages of its headers tree (its -common
# package and linux-kbuild), and linux-source-SERIES (kver.sh -s: 6.12
# for both 6.12 series), all at package version VERSION, from the
# series' distribution's package lists (tools/build/apt-dist.sh),
# downloaded with apt-get download and extracted with dpkg-deb
# into DIR/KREL, a root of their own: boot/vmlinuz-KREL and its
# System.map, lib/modules/KREL (with the modules.dep that depmod makes
# there; a link to usr/lib where the packages are for a merged /usr), usr/src/linux-headers-KREL (its Makefile pointed at the
# extracted -common tree instead of /usr/src) and
# usr/src/linux-source-SERIES.tar.xz.  Then DIR/KVER records "KREL VERSION"
# (tools/build/kver.sh reads it).
#
# usage: vm-kernel.sh KVER KREL VERSION DIR
set -euo pipefail

[ $# -eq 4 ] || { echo "usage: vm-kernel.sh KVER KREL VERSION DIR" >&2; exit 2; }
kver=$1 krel=$2 ver=$3 dir=$4
root=$dir/$krel
debs=$dir/debs
here=$(cd "$(dirname "$0")" && pwd)
src=$("$here/kver.sh" -s "$kver")
dist=$("$here/kver.sh" -d "$kver")

# depends PACKAGE=VERSION: the packages it depends on, without versions
# (the first of each set of alternatives).
depends() {
	"$here/apt-dist.sh" "$dist" apt-cache show "$1" | sed -n 's/^Depends: //p' | head -n 1 |
		tr ',' '\n' | sed 's/|.*//; s/(.*//; s/ //g'
}

# The headers tree: linux-headers-KREL, its -common package and the
# linux-kbuild package it depends on, at this version.
pkgs=("linux-image-$krel-unsigned" "linux-headers-$krel" "linux-source-$src")
for p in $(depends "linux-headers-$krel=$ver"); do
	case $p in
	linux-headers-*-common | linux-kbuild-*) pkgs+=("$p") ;;
	esac
done

rm -rf "$root" "${dir:?}/$kver"
mkdir -p "$debs" "$root"
for p in "${pkgs[@]}"; do
	deb=$(ls "$debs/${p}_${ver}_"*.deb 2>/dev/null || true)
	if [ -z "$deb" ]; then
		# apt warns that its sandbox user cannot write here; that is
		# harmless.
		(cd "$debs" && "$here/apt-dist.sh" "$dist" apt-get download -qq "$p=$ver" 2>/dev/null) ||
			{ echo "vm-kernel: apt-get download $p=$ver failed" >&2; exit 1; }
		deb=$(ls "$debs/${p}_${ver}_"*.deb)
	fi
	dpkg-deb -x "$deb" "$root"
done

hdr=$root/usr/src/linux-headers-$krel
[ -f "$root/boot/vmlinuz-$krel" ] && [ -f "$hdr/Makefile" ] &&
	[ -f "$root/usr/src/linux-source-$src.tar.xz" ] ||
	{ echo "vm-kernel: the packages of $krel $ver lack a file the build needs" >&2; exit 1; }
sed -i "s|^include /usr/src/|include $root/usr/src/|" "$hdr/Makefile"
# trixie's packages put the modules in usr/lib/modules, for a merged-/usr
# system, where /lib is a link to usr/lib: so is the root's.
if [ ! -e "$root/lib" ] && [ -d "$root/usr/lib/modules" ]; then
	ln -s usr/lib "$root/lib"
fi
depmod -b "$root" "$krel"
echo "$krel $ver" >"$dir/$kver"
