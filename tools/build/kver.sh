#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the release of the Debian kernel of series KVER (6.12 or 6.1) that
# the project builds and tests against: the one whose headers package is
# installed at exactly the version of the installed linux-source-KVER
# package (6.12.117+deb12-amd64, 6.1.0-56-amd64).  Prints nothing when
# they are not installed yet (`make deps` installs them); exits 2 for a
# series the project does not support.  With -p, prints instead the
# pattern (an extended regular expression) of that series' kernel
# releases, which tools/build/deps.sh uses.
#
# usage: kver.sh [-p] KVER
set -euo pipefail

pattern=0
if [ "${1:-}" = -p ]; then
	pattern=1
	shift
fi
kver=${1:?usage: kver.sh [-p] KVER}

# The ABI number of a 6.1 release (6.1.0-N-amd64) is not derived from the
# package version: it is found through the headers package's name.
case $kver in
6.12) re='6\.12\.[0-9]+\+deb12-amd64' ;;
6.1) re='6\.1\.0-[0-9]+-amd64' ;;
*) echo "kver: unsupported kernel series '$kver' (6.12 or 6.1)" >&2; exit 2 ;;
esac
if [ $pattern = 1 ]; then
	echo "$re"
	exit 0
fi

st=$(dpkg-query -W -f='${db:Status-Abbrev}|${Version}' "linux-source-$kver" 2>/dev/null) || exit 0
case $st in
ii*) ;;
*) exit 0 ;;
esac
ver=${st#*|}
dpkg-query -W -f='${db:Status-Abbrev}|${Version}|${Package}\n' 'linux-headers-*' 2>/dev/null |
	awk -F'|' -v v="$ver" '$1 ~ /^ii/ && $2 == v { print $3 }' |
	sed -nE "s/^linux-headers-($re)\$/\\1/p" | head -n 1
