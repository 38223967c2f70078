#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Exit 0 when every package named is installed (dpkg's "ii"), 1 when one
# is not: the deps scripts' way to skip apt-get altogether.
#
# usage: have-all.sh PACKAGE...
set -euo pipefail

for p in "$@"; do
	dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null |
		grep -q '^ii' || exit 1
done
exit 0
