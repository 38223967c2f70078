#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The linux-source that the KVM for the kernel headers in KDIR is rebuilt
# from: the linux-source-SERIES package (tools/build/kver.sh -s KVER: 6.12
# for both 6.12 series) of exactly the headers' package version.  Prints "VERSION TARBALL": for headers that
# tools/build/vm-kernel.sh extracted (KDIR is ROOT/usr/src/
# linux-headers-KREL), the tarball extracted beside them; for installed
# headers (a host's, linux-headers-KREL), /usr/src/linux-source-SERIES.tar.xz
# when the installed linux-source-SERIES package is of their version.
# Prints nothing otherwise (tools/build/host-kernel.sh says what is
# missing).
#
# usage: ksrc.sh KDIR KVER
set -euo pipefail

kdir=${1:?usage: ksrc.sh KDIR KVER} kver=${2:?usage: ksrc.sh KDIR KVER}
src=$("$(dirname "$0")/kver.sh" -s "$kver") || exit 0
kdir=$(realpath -q "$kdir") || exit 0
krel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
	"$kdir/include/generated/utsrelease.h" 2>/dev/null) || exit 0
[ -n "$krel" ] || exit 0

root=${kdir%/usr/src/linux-headers-"$krel"}
state=${root%/*}/$kver
if [ "$root" != "$kdir" ] && [ -f "$state" ]; then
	read -r r ver <"$state"
	[ "$r" = "$krel" ] || exit 0
	echo "$ver $root/usr/src/linux-source-$src.tar.xz"
	exit 0
fi

# status PACKAGE: "VERSION" when it is installed.
status() {
	dpkg-query -W -f='${db:Status-Abbrev}|${Version}' "$1" 2>/dev/null |
		sed -n 's/^ii *|//p' || true
}
hver=$(status "linux-headers-$krel")
sver=$(status "linux-source-$src")
[ -n "$hver" ] && [ "$hver" = "$sver" ] || exit 0
echo "$sver /usr/src/linux-source-$src.tar.xz"
