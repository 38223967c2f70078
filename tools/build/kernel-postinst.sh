#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xen-evtchn-accel's hook in /etc/kernel/postinst.d/ (make install puts it
# there; make uninstall takes it away with the last install): Debian's
# kernel packages run it as "HOOK RELEASE IMAGE" once a kernel package is
# installed or updated.  Debian keeps a release name across package
# revisions (6.1.0-57 spans several 6.1.192-N), and the rebuilt kvm.ko,
# kvm-amd.ko, kvm-intel.ko are built from the linux-source of one package
# version (modinfo -F linux_source kvm): a rebuilt KVM of RELEASE from
# another version than the kernel package now installed is taken out of
# the way, so that the stock KVM of the update is what loads, and this
# says how to rebuild.  For make install's copy, the files its manifest
# lists are removed; for dkms's, the project is removed from dkms for
# RELEASE (dkms's own hook, which runs first, leaves an installed module
# alone; under a DPKG_ROOT, the dkms-built kvm.ko is removed instead).
#
# DPKG_ROOT (which dpkg sets for the scripts it runs; empty for the
# machine itself) is the root it works in.
#
# usage: xen-evtchn-accel RELEASE [IMAGE]
set -u

rel=${1:?usage: xen-evtchn-accel RELEASE [IMAGE]}
pkg=xen-evtchn-accel
root=${DPKG_ROOT:-}
manifest=$root/var/lib/$pkg/$rel.manifest

version() {
	dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Version}' "$1" 2>/dev/null
}
new=$(version "linux-image-$rel")
[ -n "$new" ] || new=$(version "linux-image-$rel-unsigned")
[ -n "$new" ] || exit 0
changed=0

if [ -f "$manifest" ]; then
	built=$(sed -n 's/^linux-source //p' "$manifest")
	if [ "$built" != "$new" ]; then
		sed -n 's/^file //p' "$manifest" | while read -r f; do
			rm -f "$root$f"
		done
		rmdir "$root/lib/modules/$rel/updates/$pkg" 2>/dev/null
		rm -f "$manifest"
		changed=1
		echo "$pkg: kernel $rel is now package version $new; the KVM that make install rebuilt from linux-source $built is removed (the stock KVM loads): run make install again with linux-source at $new"
	fi
fi

for ko in "$root/lib/modules/$rel/updates/dkms/kvm.ko" "$root/lib/modules/$rel/updates/dkms/kvm.ko.xz"; do
	[ -f "$ko" ] || continue
	built=$(modinfo -F linux_source "$ko" 2>/dev/null)
	[ -n "$built" ] && [ "$built" != "$new" ] || continue
	ver=$(modinfo -F version "$ko")
	# dkms works on the machine's own trees only.
	[ -z "$root" ] && dkms remove "$pkg/$ver" -k "$rel" >/dev/null 2>&1 ||
		rm -f "$ko"
	changed=1
	echo "$pkg: kernel $rel is now package version $new; the KVM that dkms rebuilt from linux-source $built is removed (the stock KVM loads): install linux-source at $new, then dkms install $pkg/$ver -k $rel"
done

[ $changed = 0 ] || depmod -b "${root:-/}" "$rel"
exit 0
