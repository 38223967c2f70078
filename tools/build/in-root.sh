#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run COMMAND in the build root ROOT (tools/build/build-root.sh made it),
# in the current directory, or, with ROOT empty, here as it is.  The
# command sees ROOT as /, with the project's tree and the directory that
# holds ROOT (build/, where the extracted kernels are, and DKMS's copy of
# the tree) at the same paths as outside, /dev, /proc and /tmp; the
# mounts live in a mount namespace of their own (unshare), which ends
# with the command: nothing stays mounted.  Needs root.  The
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
root=$(cd "$root" 2>/dev/null && pwd -P) &&
[ -x "$root/usr/bin/make" ] ||
	{ echo "in-root: no build root in $root: run 'make deps'" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "in-root: needs root (chroot)" >&2; exit 1; }
# The directories bound: the outermost of the project's tree and ROOT's
# directory first (one may hold the other).
outer=${root%/*}
binds=("$outer" "$top")
case $top/ in
"$outer"/*) binds=("$outer") ;;
esac
case $outer/ in
"$top"/*) binds=("$top") ;;
esac
cwd=$(pwd -P)
inside=0
for b in "${binds[@]}"; do
	case $cwd/ in
	"$b"/*) inside=1 ;;
	esac
done
[ $inside = 1 ] || cwd=$top

# shellcheck disable=SC2016 # expanded by the inner shell
exec unshare --mount --propagation private /bin/sh -ec '
root=$1 cwd=$2 n=$3
shift 3
while [ "$n" -gt 0 ]; do
	mkdir -p "$root$1"
	mount --bind "$1" "$root$1"
	shift
	n=$((n - 1))
done
mount --rbind /dev "$root/dev"
mount -t proc proc "$root/proc"
mount -t tmpfs tmpfs "$root/tmp"
exec chroot "$root" /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
' in-root "$root" "$cwd" ${#binds[@]} "${binds[@]}" "$@"
