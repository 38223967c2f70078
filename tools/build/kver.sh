#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the release of the Debian kernel of series KVER (6.12 or 6.1) that
# the tests build against and boot (6.12.118+deb12-amd64, 6.1.0-57-amd64):
# the one tools/build/vm-kernel.sh fetched into build/kernels/ (`make
# deps` fetches it; nothing is printed before).  With -v, prints that
# kernel's package version instead (6.12.118-1~deb12u1); with -p, the
# pattern (an extended regular expression) of the series' releases, which
# tools/build/deps.sh uses.  Exits 2 for a series the project does not
# support.
#
# usage: kver.sh [-p|-v] KVER
set -euo pipefail

mode=release
case ${1:-} in
-p) mode=pattern; shift ;;
-v) mode=version; shift ;;
esac
kver=${1:?usage: kver.sh [-p|-v] KVER}

# The ABI number of a 6.1 release (6.1.0-N-amd64) is not derived from the
# package version: it is found through the headers package's name.
case $kver in
6.12) re='6\.12\.[0-9]+\+deb12-amd64' ;;
6.1) re='6\.1\.0-[0-9]+-amd64' ;;
*) echo "kver: unsupported kernel series '$kver' (6.12 or 6.1)" >&2; exit 2 ;;
esac
if [ $mode = pattern ]; then
	echo "$re"
	exit 0
fi

# build/kernels/KVER: "RELEASE VERSION", written once the kernel is
# extracted.
state=$(cd "$(dirname "$0")/../.." && pwd)/build/kernels/$kver
[ -f "$state" ] || exit 0
read -r krel ver <"$state"
case $mode in
release) echo "$krel" ;;
version) echo "$ver" ;;
esac
