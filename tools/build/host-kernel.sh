#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian kernel that `make install` builds for, RELEASE (the running
# kernel's unless KDIR names another), checked: that it is a release of a
# supported series (tools/build/kver.sh -r: 6.12.N+deb12-*, 6.1.0-N-*,
# and on Debian 13 6.12.N+deb13-*), and that its
# linux-headers-RELEASE and the linux-source-SERIES package are installed
# at exactly the package version of that kernel.  That version is, for the
# running kernel, the one it reports itself ("Debian VERSION" in uname -v),
# which must also be the installed image package's (a kernel package
# updated but not yet booted is refused); for another release, its
# installed image package's, else its headers package's.  Prints
# "SERIES VERSION" (the series as KVER names it: 6.12-deb13); otherwise
# says which package version to install, and
# exits 1.  Never picks another release or version.  With -d, prints
# instead the apt-get arguments that install both at that version, or
# keep them there: apt-get install of other packages (build-essential's
# linux-libc-dev, of the same source package) otherwise upgrades an
# installed linux-source to the mirror's newer version (measured by make
# check-host: bookworm's 6.1.176-1 to bookworm-security's 6.1.192-3).
#
# usage: host-kernel.sh [-d] RELEASE
set -euo pipefail

deps=0
if [ "${1:-}" = -d ]; then
	deps=1
	shift
fi
rel=${1:?usage: host-kernel.sh [-d] RELEASE}

die() {
	echo "host-kernel: $*" >&2
	exit 1
}

series=$("$(dirname "$0")/kver.sh" -r "$rel") ||
	die "kernel $rel is not a Debian 12 6.12 (6.12.N+deb12-*) or 6.1 (6.1.0-N-*) kernel, nor a Debian 13 6.12 (6.12.N+deb13-*) one: not supported"
# The linux-source package's series (6.12 for both 6.12 series).
src=$("$(dirname "$0")/kver.sh" -s "$series")

# version PACKAGE: its version if it is installed, else nothing.
version() {
	dpkg-query -W -f='${db:Status-Abbrev}|${Version}' "$1" 2>/dev/null |
		sed -n 's/^ii *|//p' || true
}

image=$(version "linux-image-$rel")
[ -n "$image" ] || image=$(version "linux-image-$rel-unsigned")
if [ "$rel" = "$(uname -r)" ]; then
	ver=$(uname -v | sed -n 's/.* Debian \([^ ]*\) .*/\1/p')
	[ -n "$ver" ] || die "the running kernel $rel does not say its Debian package version (uname -v: $(uname -v))"
	[ -z "$image" ] || [ "$image" = "$ver" ] ||
		die "the running kernel $rel is package version $ver, the installed linux-image-$rel is $image: reboot into it first"
elif [ -n "$image" ]; then
	ver=$image
else
	ver=$(version "linux-headers-$rel")
	[ -n "$ver" ] || die "neither linux-image-$rel nor linux-headers-$rel is installed: which package version to build for is unknown"
fi

want=()
[ "$(version "linux-headers-$rel")" = "$ver" ] || want+=("linux-headers-$rel=$ver")
[ "$(version "linux-source-$src")" = "$ver" ] || want+=("linux-source-$src=$ver")
if [ $deps = 1 ]; then
	echo "linux-headers-$rel=$ver linux-source-$series=$ver"
	exit 0
fi
if [ ${#want[@]} -gt 0 ]; then
	have=$(version "linux-source-$src")
	die "kernel $rel is package version $ver; the rebuilt KVM needs its headers and source at that version, installed (linux-source-$src: ${have:-not installed}): apt-get install ${want[*]} (or make host-deps)"
fi
echo "$series $ver"
