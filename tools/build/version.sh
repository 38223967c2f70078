#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The project's version, as the modules report it (MODULE_VERSION): the
# release in VERSION, and in a git checkout the commit, "-dirty" with
# uncommitted changes (a build of changed sources must not pass for the
# release).
top=$(cd "$(dirname "$0")/../.." && pwd)
version=$(cat "$top/VERSION")
if commit=$(git -C "$top" describe --always --dirty --abbrev=12 \
	    --exclude '*' 2>/dev/null); then
	version="$version+g$commit"
fi
echo "$version"
