#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run COMMAND in the build root ROOT (tools/build/build-root.sh made it),
# in the current directory, or, with ROOT empty, here as it is.  The
# command sees ROOT as /, with the project's tree (where build/ and the
# extracted kernels are) at the same path as outside, /dev, /proc and
# /tmp; the mounts live in a mount namespace of their own (unshare), which
# ends with the command: nothing stays mounted.  Needs root.  The
# Makefile, kvm/rebuild-kvm.sh and the tests run every kernel build
# through it (KBUILD_ROOT: set for a kernel of another distribution than
# the machine's, such as trixie's 6.12 on Debian 12).
#
# usage: in-root.sh ROOT COMMAND [ARG]...
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: in-root.sh ROOT COMMAND [ARG]..." >&2; exit 2; }
root=$1
shift
[ -n "$root" ] || exec "$@"

top=$(cd "$(dirname "$0")/../.." && pwd -P)
[ -x "$root/usr/bin/make" ] ||
	{ echo "in-root: no build root in $root: run 'make deps'" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "in-root: needs root (chroot)" >&2; exit 1; }
cwd=$(pwd -P)
case $cwd/ in
"$top"/*) ;;
*) cwd=$top ;;
esac

# shellcheck disable=SC2016 # expanded by the inner shell
exec unshare --mount --propagation private /bin/sh -ec '
root=$1 top=$2 cwd=$3
shift 3
mkdir -p "$root$top"
mount --bind "$top" "$root$top"
mount --rbind /dev "$root/dev"
mount -t proc proc "$root/proc"
mount -t tmpfs tmpfs "$root/tmp"
exec chroot "$root" /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
' in-root "$root" "$top" "$cwd" "$@"
