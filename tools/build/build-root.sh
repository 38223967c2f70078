#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A build root of Debian distribution DIST in DIR, for the kernel KREL of
# package version VERSION of that distribution: what building modules for
# it needs there, as a host of that distribution installs it with
# linux-headers-KREL: the packages that linux-headers-KREL and its
# linux-kbuild package depend on (the compiler the kernel was built with,
# gcc-14 for trixie's 6.12; pahole; the libraries of the kbuild
# programs), and make; made with mmdebstrap (minbase) from deb.debian.org,
# never touching the machine's own apt configuration.  Used where the
# machine is of another distribution (Debian 12 builds trixie's 6.12
# modules): Debian 12 has no gcc-14, and trixie's kbuild programs (modpost,
# objtool) need its glibc (2.38 or later).  tools/build/in-root.sh runs the
# kernel builds in it.  Made again only when the package list changes.
# Needs BUILD (for tools/build/apt-dist.sh).
#
# usage: build-root.sh DIST DIR KREL VERSION
set -euo pipefail

[ $# -eq 4 ] || { echo "usage: build-root.sh DIST DIR KREL VERSION" >&2; exit 2; }
dist=$1 dir=$2 krel=$3 ver=$4
here=$(cd "$(dirname "$0")" && pwd)

# depends PACKAGE=VERSION: the packages it depends on, without versions
# (the first of each set of alternatives).
depends() {
	"$here/apt-dist.sh" "$dist" apt-cache show "$1" |
		sed -n 's/^Depends: //p' | head -n 1 |
		tr ',' '\n' | sed 's/|.*//; s/(.*//; s/ //g'
}

pkgs=(make)
kbuild=
for p in $(depends "linux-headers-$krel=$ver"); do
	case $p in
	linux-kbuild-*) kbuild=$p ;;
	linux-*) ;;
	*) pkgs+=("$p") ;;
	esac
done
[ -n "$kbuild" ] ||
	{ echo "build-root: linux-headers-$krel=$ver depends on no linux-kbuild package" >&2; exit 1; }
for p in $(depends "$kbuild=$ver"); do
	case $p in
	linux-*) ;;
	*) pkgs+=("$p") ;;
	esac
done
want="$dist $(printf '%s\n' "${pkgs[@]}" | sort -u | paste -sd,)"
[ "$(cat "$dir/.packages" 2>/dev/null)" != "$want" ] || exit 0

echo "build-root: a $dist build root in $dir (${want#* })"
rm -rf "$dir"
mmdebstrap --quiet --variant=minbase --mode=root --include="${want#* }" \
	"$dist" "$dir" \
	"deb http://deb.debian.org/debian $dist main" \
	"deb http://deb.debian.org/debian $dist-updates main" \
	"deb http://deb.debian.org/debian-security $dist-security main"
echo "$want" >"$dir/.packages"
