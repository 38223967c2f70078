#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS (Debian's dkms) builds and installs the project from a copy of the
# tree, for the kernel of KREL, as a host would on a kernel update; into
# trees of its own under OUT (--sourcetree, --dkmstree, --installtree), so
# that the machine's /lib/modules stays as it is.  Checks that the five
# modules are installed, for that kernel, with the release's version.
# Prints TAP; exits non-zero on failure.  Needs KREL (the Makefile
# exports it).
#
# usage: dkms-check.sh OUT
set -uo pipefail

out=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
version=$(cat "$top/VERSION")
pkg=xen-evtchn-accel
src=$out/src/$pkg-$version
inst=$out/inst/$KREL

rm -rf "$out"
mkdir -p "$src" "$out/tree" "$inst"
git -C "$top" ls-files -co --exclude-standard | grep -v '^build$' |
	tar -C "$top" -cf - -T - | tar -C "$src" -xf -
# The kernel's own lists, which depmod reads, in the private tree.
cp /lib/modules/"$KREL"/modules.order /lib/modules/"$KREL"/modules.builtin* \
	"$inst/"

dkms_do() {
	dkms "$@" -m "$pkg" -v "$version" -k "$KREL" --sourcetree "$out/src" \
		--dkmstree "$out/tree" --installtree "$out/inst" \
		>>"$out/dkms.log" 2>&1
}

if dkms_do build && dkms_do install; then
	echo "ok - dkms: build and install for $KREL"
else
	echo "not ok - dkms: build and install for $KREL"
	tail -n 30 "$out/dkms.log" | sed 's/^/# /'
	exit 1
fi

rc=0
for m in irqbypass xen_evtchn kvm kvm-amd kvm-intel; do
	f=$(ls "$inst"/updates/dkms/"$m".ko* 2>/dev/null)
	magic=$(modinfo -F vermagic "$f" 2>/dev/null)
	if [ -n "$f" ] && [ "${magic%% *}" = "$KREL" ]; then
		echo "ok - dkms: $m installed for $KREL"
	else
		rc=1
		echo "not ok - dkms: $m installed for $KREL (${f:-missing}, $magic)"
	fi
done
got=$(modinfo -F version "$inst"/updates/dkms/xen_evtchn.ko* 2>/dev/null)
if [ "$got" = "$version" ]; then
	echo "ok - dkms: xen_evtchn reports version $version"
else
	rc=1
	echo "not ok - dkms: xen_evtchn reports version $version (it says '$got')"
fi
exit $rc
