#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print the Debian kernel release (for example 6.12.117+deb12-amd64) that the
# project builds and tests against: the one matching the installed
# linux-source-6.12 package.  Prints nothing when it is not installed yet
# (`make deps` installs it).
st=$(dpkg-query -W -f='${db:Status-Abbrev}|${Version}' linux-source-6.12 2>/dev/null) || exit 0
case "$st" in
ii*) ;;
*) exit 0 ;;
esac
ver=${st#*|}
echo "${ver%%-*}+deb12-amd64"
