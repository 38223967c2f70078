#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make install` and `make uninstall` as a host runs them, into roots of
# their own under OUT (DESTDIR), for the kernel of VM_KDIR, with a
# running kernel's signature enforcement faked through ENFORCE_SYSFS (a
# sysfs tree made here): unsigned, an enforcing kernel makes it refuse and
# install nothing; with SIGN_KEY/SIGN_CERT it signs all five modules and
# writes a manifest of what it installed; the kernel postinst hook leaves
# the install alone for the kernel package version its KVM was rebuilt
# from, and removes it (and a dkms-built KVM) for another (a same-release
# update); it refuses where dkms has installed the project; `make
# uninstall` removes exactly what the manifest lists.  Prints TAP; exits
# non-zero on failure.  Needs KREL, VM_KDIR, SRC_VER (the Makefile exports
# them); the modules built already.
#
# usage: install-check.sh OUT
set -uo pipefail

out=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
pkg=xen-evtchn-accel
mods=(irqbypass xen_evtchn kvm kvm-amd kvm-intel)
rc=0

rm -rf "$out"
mkdir -p "$out/sys/module/module/parameters" "$out/lockdown/kernel/security"
echo Y >"$out/sys/module/module/parameters/sig_enforce"
echo "none [integrity] confidentiality" >"$out/lockdown/kernel/security/lockdown"
openssl req -new -x509 -nodes -days 1 -newkey rsa:2048 \
	-subj "/CN=$pkg install-check" -keyout "$out/key.pem" \
	-outform DER -out "$out/cert.der" 2>/dev/null

# result NAME: "ok"/"not ok" from the status of the last test command.
result() {
	if [ "$1" = 0 ]; then
		echo "ok - install: $2"
	else
		rc=1
		echo "not ok - install: $2"
		[ ! -s "$out/log" ] || sed 's/^/# /' "$out/log"
	fi
}

inst() {
	local root=$1
	shift
	make -s --no-print-directory -C "$top" install DESTDIR="$root" \
		KDIR="$VM_KDIR" "$@" >"$out/log" 2>&1
}

# Unsigned, on a kernel that enforces signatures: refused, nothing there.
for why in sys lockdown; do
	root=$out/refused-$why
	inst "$root" SIGN_KEY=none ENFORCE_SYSFS="$out/$why"
	st=$?
	[ $st -ne 0 ] && grep -q 'enforces module signatures' "$out/log" &&
		[ ! -e "$root/lib/modules/$KREL/updates" ] &&
		[ ! -e "$root/var/lib/$pkg" ]
	result $? "unsigned on a kernel enforcing signatures ($why): refused, nothing installed"
done

# Signed with the key given: all five, with the key's signer, a manifest.
root=$out/root
inst "$root" SIGN_KEY="$out/key.pem" SIGN_CERT="$out/cert.der" \
	ENFORCE_SYSFS="$out/sys"
st=$?
manifest=$root/var/lib/$pkg/$KREL.manifest
bad=
for m in "${mods[@]}"; do
	f=$root/lib/modules/$KREL/updates/$pkg/$m.ko
	[ "$(modinfo -F signer "$f" 2>/dev/null)" = "$pkg install-check" ] || bad="$bad $m"
	grep -qxF "file /lib/modules/$KREL/updates/$pkg/$m.ko" "$manifest" 2>/dev/null ||
		bad="$bad $m(manifest)"
done
[ $st -eq 0 ] && [ -z "$bad" ] || echo "unsigned or not in the manifest:$bad" >>"$out/log"
[ $st -eq 0 ] && [ -z "$bad" ]
result $? "signed with SIGN_KEY: all five modules, each in the manifest"

got=$(modinfo -F linux_source "$root/lib/modules/$KREL/updates/$pkg/kvm.ko" 2>/dev/null)
[ "$got" = "$SRC_VER" ] && grep -qxF "linux-source $SRC_VER" "$manifest"
result $? "the rebuilt KVM records linux-source $SRC_VER (it says '$got')"

# The kernel postinst hook, with a dpkg database that says which version
# of the kernel package is installed.
hook=$root/etc/kernel/postinst.d/$pkg
status() {
	mkdir -p "$root/var/lib/dpkg"
	printf 'Package: linux-image-%s\nStatus: install ok installed\nMaintainer: test\nArchitecture: amd64\nVersion: %s\nDescription: test\n\n' \
		"$KREL" "$1" >"$root/var/lib/dpkg/status"
}
status "$SRC_VER"
: >"$out/log"
DPKG_ROOT=$root "$hook" "$KREL" >>"$out/log" 2>&1
[ -f "$manifest" ] && [ -f "$root/lib/modules/$KREL/updates/$pkg/kvm.ko" ]
result $? "kernel postinst hook, same package version: the install stays"

# A copy of the install, for make uninstall below.
cp -a "$root" "$out/root2"
# And a dkms-built KVM (a copy of ours in dkms's place), for the hook.
dkms=$root/lib/modules/$KREL/updates/dkms
mkdir -p "$dkms"
cp "$root/lib/modules/$KREL/updates/$pkg/kvm.ko" "$dkms/"
status "$SRC_VER+update1"
DPKG_ROOT=$root "$hook" "$KREL" >>"$out/log" 2>&1
[ ! -e "$manifest" ] && [ -z "$(ls "$root/lib/modules/$KREL/updates/$pkg" 2>/dev/null)" ] &&
	grep -q "is now package version $SRC_VER+update1; the KVM that make install" "$out/log"
result $? "kernel postinst hook, a same-release update: make install's rebuilt KVM is removed"
[ ! -e "$dkms/kvm.ko" ] &&
	grep -q "is now package version $SRC_VER+update1; the KVM that dkms" "$out/log"
result $? "kernel postinst hook, a same-release update: dkms's rebuilt KVM is removed"

# Where dkms has installed the project for the kernel, make install
# refuses (two copies in updates/ would be ambiguous).
mkdir -p "$out/root3/var/lib/dkms/$pkg"
ln -s 0.1/"$KREL"/x86_64 "$out/root3/var/lib/dkms/$pkg/kernel-$KREL-x86_64"
inst "$out/root3" SIGN_KEY=none
st=$?
[ $st -ne 0 ] && grep -q "dkms has installed" "$out/log" &&
	[ ! -e "$out/root3/lib/modules/$KREL/updates" ]
result $? "refused where dkms has installed the project for the kernel"

# make uninstall: exactly what the manifest lists; a file of someone
# else's in the same directory stays.
root=$out/root2
touch "$root/lib/modules/$KREL/updates/$pkg/not-ours.ko"
make -s --no-print-directory -C "$top" uninstall DESTDIR="$root" \
	KDIR="$VM_KDIR" >"$out/log" 2>&1
st=$?
left=$(cd "$root" && find lib/modules/"$KREL"/updates etc/kernel var/lib/"$pkg" -type f 2>/dev/null)
[ $st -eq 0 ] && [ "$left" = "lib/modules/$KREL/updates/$pkg/not-ours.ko" ] ||
	echo "left: $left" >>"$out/log"
[ $st -eq 0 ] && [ "$left" = "lib/modules/$KREL/updates/$pkg/not-ours.ko" ]
result $? "make uninstall removes exactly what the manifest lists"
exit $rc
