#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The project's version, as the modules report it (MODULE_VERSION): the
# release in VERSION, and in a git checkout the commit, "-dirty" with
# uncommitted changes (a build of changed sources must not pass for the
# release).
top=$(cd "$(dirname "$0")/../.." && pwd)
version=$(cat "$top/VERSION")
# Only this tree's own repository: a copy inside another checkout (DKMS
# builds under build/ here) is not that checkout's commit.
if [ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" = "$top" ] &&
   commit=$(git -C "$top" describe --always --dirty --abbrev=12 \
	    --exclude '*' 2>/dev/null); then
	version="$version+g$commit"
fi
echo "$version"
