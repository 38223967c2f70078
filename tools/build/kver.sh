#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the release of the Debian kernel of series KVER that the tests
# build against and boot: the one tools/build/vm-kernel.sh fetched into
# build/kernels/ (`make deps` fetches it; nothing is printed before).  The
# series (KVER):
#   6.12        Debian 12's 6.12 (6.12.118+deb12-amd64, bookworm-security)
#   6.1         Debian 12's default kernel (6.1.0-57-amd64)
#   6.12-deb13  Debian 13's 6.12 (6.12.118+deb13-amd64, trixie-security):
#               the same upstream line as 6.12, another distribution,
#               built with its own compiler (gcc-14)
# With -v, prints that kernel's package version instead
# (6.12.118-1~deb12u1); with -p, the pattern (an extended regular
# expression) of the series' releases, which tools/build/deps.sh uses;
# with -s, the series of its linux-source package (linux-source-6.12 for
# both 6.12 series); with -d, the Debian distribution whose packages it
# comes from (bookworm, trixie: tools/build/apt-dist.sh).  Exits 2 for a
# series the project does not support.  With -r RELEASE, prints the series
# of a kernel release of any flavour (6.12.118+deb13-rt-amd64:
# 6.12-deb13), or exits 2.
#
# usage: kver.sh [-p|-v|-s|-d] KVER
#        kver.sh -r RELEASE
set -euo pipefail

series=(6.12 6.1 6.12-deb13)

# base KVER: the pattern of the series' releases without the flavour.
# The ABI number of a 6.1 release (6.1.0-N-amd64) is not derived from the
# package version: it is found through the headers package's name.
base() {
	case $1 in
	6.12) echo '6\.12\.[0-9]+\+deb12' ;;
	6.1) echo '6\.1\.0-[0-9]+' ;;
	6.12-deb13) echo '6\.12\.[0-9]+\+deb13' ;;
	*) return 1 ;;
	esac
}

mode=release
case ${1:-} in
-p) mode=pattern; shift ;;
-v) mode=version; shift ;;
-s) mode=source; shift ;;
-d) mode=dist; shift ;;
-r)
	rel=${2:?usage: kver.sh -r RELEASE}
	for k in "${series[@]}"; do
		if [[ $rel =~ ^$(base "$k")-[a-z0-9-]*amd64$ ]]; then
			echo "$k"
			exit 0
		fi
	done
	exit 2
	;;
esac
kver=${1:?usage: kver.sh [-p|-v|-s|-d] KVER}

re=$(base "$kver")-amd64 ||
	{ echo "kver: unsupported kernel series '$kver' (${series[*]})" >&2; exit 2; }
case $kver in
6.12-deb13) src=6.12 dist=trixie ;;
*) src=$kver dist=bookworm ;;
esac
case $mode in
pattern) echo "$re"; exit 0 ;;
source) echo "$src"; exit 0 ;;
dist) echo "$dist"; exit 0 ;;
esac

# build/kernels/KVER: "RELEASE VERSION", written once the kernel is
# extracted.
state=$(cd "$(dirname "$0")/../.." && pwd)/build/kernels/$kver
[ -f "$state" ] || exit 0
read -r krel ver <"$state"
case $mode in
release) echo "$krel" ;;
version) echo "$ver" ;;
esac
