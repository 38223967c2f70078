#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Mirror the sources of Kbuild external modules into a build directory as
# symbolic links (*.c, *.h, *.S, Kbuild, Makefile, VERSION: no build
# output of an earlier in-tree build), so that `make -C KDIR M=TO` builds
# in TO, one such tree per kernel, and stays incremental: make follows the
# links to the sources' times.  Links whose source is gone are removed.
#
# usage: modtree.sh FROM TO PATH...
#   PATH  files or directories relative to FROM (those missing are passed
#         over)
set -euo pipefail

from=$(cd "$1" && pwd) to=$2
shift 2
mkdir -p "$to"
find "$to" -xtype l -delete
cd "$from"
for p in "$@"; do
	[ -e "$p" ] || continue
	find "$p" -type f \( -name '*.[chS]' -o -name Kbuild -o -name Makefile \
		-o -name VERSION \) ! -name '*.mod.c' -print0
done | while IFS= read -r -d '' f; do
	f=${f#./}
	case $f in */*) mkdir -p "$to/${f%/*}" ;; esac
	ln -sfn "$from/$f" "$to/$f"
done
