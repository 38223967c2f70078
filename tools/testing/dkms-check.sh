#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS (Debian's dkms) builds and installs the project from a copy of the
# tree TOP (this one by default), for the kernel of KREL, as a host would
# on a kernel update; into trees of its own under OUT (--sourcetree,
# --dkmstree, --installtree; --no-depmod, since dkms 3.0 would run depmod
# on the machine's own /lib/modules/KREL whatever its --installtree), so
# that the machine's /lib/modules stays as it is.  The install tree holds
# what a host's /lib/modules/KREL holds: the stock kernel/ modules and the
# kernel's lists (hard links to the extracted VM kernel, VM_ROOT), so that
# dkms compares each module with the stock one as on a host.  Checks that
# `dkms install` succeeds, that it put all five modules in updates/dkms,
# for that kernel, and that depmod then resolves each of the five names
# to ours; and that xen_evtchn reports the release's version.  Prints TAP;
# exits non-zero on failure.  Needs KREL, VM_ROOT and VM_KDIR (the
# Makefile exports them).
#
# usage: dkms-check.sh OUT [TOP]
set -uo pipefail

out=$1
top=$(cd "${2:-$(dirname "$0")/../..}" && pwd)
version=$(cat "$top/VERSION")
pkg=xen-evtchn-accel
src=$out/src/$pkg-$version
inst=$out/root/lib/modules/$KREL

rm -rf "$out"
mkdir -p "$src" "$out/tree" "$inst"
# A git checkout's files (not build/), or a whole exported tree.
if git -C "$top" rev-parse --show-toplevel 2>/dev/null | grep -qxF "$top"; then
	git -C "$top" ls-files -co --exclude-standard | grep -v '^build$'
else
	(cd "$top" && find . -path ./build -prune -o ! -type d -print)
fi | tar -C "$top" -cf - -T - | tar -C "$src" -xf -
# The stock modules (linked) and lists (copied): a host's /lib/modules/KREL.
cp -al "$VM_ROOT/lib/modules/$KREL/kernel" "$inst/"
cp "$VM_ROOT/lib/modules/$KREL"/modules.* "$inst/"

dkms_do() {
	dkms "$@" -m "$pkg" -v "$version" -k "$KREL" --sourcetree "$out/src" \
		--dkmstree "$out/tree" --installtree "$out/root/lib/modules" \
		--kernelsourcedir "$VM_KDIR" --no-depmod >>"$out/dkms.log" 2>&1
}

if dkms_do build && dkms_do install && depmod -b "$out/root" "$KREL"; then
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
	used=$(modinfo -b "$out/root" -k "$KREL" -n "$m" 2>/dev/null)
	if [ -n "$f" ] && [ "${magic%% *}" = "$KREL" ] && [ "$used" = "$f" ]; then
		echo "ok - dkms: $m installed for $KREL, and what modprobe loads"
	else
		rc=1
		echo "not ok - dkms: $m installed for $KREL, and what modprobe loads (${f:-missing}, ${magic:-no vermagic}; modprobe loads ${used:-nothing})"
		grep -A3 "^$m.ko" "$out/dkms.log" | sed 's/^/# /'
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
