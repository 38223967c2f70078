#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make install` and `make uninstall` for the kernel RELEASE, into the root
# DESTDIR (empty: this machine).
#
# check: whether the modules can be installed signed as the running kernel
#   requires.  The key is SIGN_KEY and SIGN_CERT, by default dkms's MOK
#   key (/var/lib/dkms/mok.key, mok.pub) where both exist (SIGN_KEY=none:
#   no key).  When the
#   running kernel enforces module signatures (module.sig_enforce, or
#   lockdown, which Debian's kernel turns on under Secure Boot, or Secure
#   Boot itself) and there is no key, or mokutil says its certificate is
#   not enrolled, refuses: nothing is installed and the stock modules stay
#   in charge.  This applies to an install on this machine (no DESTDIR);
#   ENFORCE_SYSFS, set, names another sysfs root to read instead of /sys,
#   and applies it to a DESTDIR install too (for the tests).
# install KDIR LINUX_SOURCE_VERSION MODULE.ko...: copies the modules to
#   DESTDIR/lib/modules/RELEASE/updates/xen-evtchn-accel/, signs them with
#   the key (KDIR's scripts/sign-file, with the kernel's hash), installs
#   the kernel postinst hook (tools/build/kernel-postinst.sh) as
#   DESTDIR/etc/kernel/postinst.d/xen-evtchn-accel, writes the manifest
#   DESTDIR/var/lib/xen-evtchn-accel/RELEASE.manifest (what was
#   installed, the project's version, the linux-source version the KVM was
#   rebuilt from), and runs depmod.  Refuses where dkms has installed the
#   project for RELEASE (two copies in updates/ would be ambiguous).
# uninstall: removes exactly the files that RELEASE's manifest lists
#   and the hook with the last manifest, then the manifest, and runs
#   depmod.
#
# usage: install.sh check|install|uninstall RELEASE [KDIR VERSION MODULE.ko...]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:?usage: see $0} rel=${2:?usage: see $0}
shift 2
dest=${DESTDIR:-}
pkg=xen-evtchn-accel
subdir=updates/$pkg
state=/var/lib/$pkg
manifest=$state/$rel.manifest
hook=/etc/kernel/postinst.d/$pkg

die() {
	echo "install: $*" >&2
	exit 1
}

# The signing key: SIGN_KEY/SIGN_CERT, else dkms's where both exist;
# SIGN_KEY=none: none.
key=${SIGN_KEY:-} cert=${SIGN_CERT:-}
if [ "$key" = none ]; then
	key= cert=
elif [ -z "$key" ] && [ -z "$cert" ] && [ -f /var/lib/dkms/mok.key ] &&
     [ -f /var/lib/dkms/mok.pub ]; then
	key=/var/lib/dkms/mok.key cert=/var/lib/dkms/mok.pub
fi
[ -z "$key$cert" ] || { [ -f "$key" ] && [ -f "$cert" ]; } ||
	die "SIGN_KEY and SIGN_CERT must both name files (they are '$key', '$cert')"

# enforcing: why the running kernel only loads modules signed by a key it
# trusts, if it does.
enforcing() {
	local sys=${ENFORCE_SYSFS:-/sys} sb
	if [ "$(cat "$sys/module/module/parameters/sig_enforce" 2>/dev/null)" = Y ]; then
		echo "module.sig_enforce is on"
	elif grep -qE '\[(integrity|confidentiality)\]' "$sys/kernel/security/lockdown" 2>/dev/null; then
		echo "lockdown is $(grep -oE '\[[a-z]+\]' "$sys/kernel/security/lockdown")"
	elif sb=$(od -An -tu1 -j4 -N1 "$sys"/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c 2>/dev/null) &&
	     [ "${sb// /}" = 1 ]; then
		echo "Secure Boot is on"
	else
		return 1
	fi
}

check() {
	local why
	[ -z "$dest" ] || [ -n "${ENFORCE_SYSFS:-}" ] || return 0
	why=$(enforcing) || return 0
	if [ -z "$key" ]; then
		die "the running kernel enforces module signatures ($why), and no key to sign with: give SIGN_KEY= and SIGN_CERT= (a key the machine trusts), or enroll dkms's key (README.md, \"Secure Boot\").  Nothing installed: the stock modules stay in charge."
	fi
	if command -v mokutil >/dev/null && [ -z "${ENFORCE_SYSFS:-}" ] &&
	   ! mokutil --test-key "$cert" 2>/dev/null | grep -q 'already enrolled'; then
		die "the running kernel enforces module signatures ($why), and $cert is not enrolled: mokutil --import $cert, reboot and enroll it (README.md, \"Secure Boot\"), then make install again.  Nothing installed: the stock modules stay in charge."
	fi
}

uninstall() {
	local f
	if [ ! -f "$dest$manifest" ]; then
		# An install made before there were manifests: its directory.
		if [ -d "$dest/lib/modules/$rel/$subdir" ]; then
			echo "install: no manifest for $rel; removing /lib/modules/$rel/$subdir (an install without one)"
			rm -rf "${dest:?}/lib/modules/$rel/$subdir"
			depmod -b "${dest:-/}" "$rel"
		else
			echo "install: nothing installed for $rel by make install"
		fi
		return 0
	fi
	sed -n 's/^file //p' "$dest$manifest" | while read -r f; do
		rm -f "$dest$f"
	done
	rmdir "$dest/lib/modules/$rel/$subdir" 2>/dev/null || true
	rm -f "$dest$manifest"
	if ! ls "$dest$state"/*.manifest >/dev/null 2>&1; then
		rm -f "$dest$hook"
		rmdir "$dest$state" 2>/dev/null || true
	fi
	depmod -b "${dest:-/}" "$rel"
	echo "install: removed what $manifest listed"
}

install() {
	local kdir=$1 srcver=$2 m to hash=sha256 signed=no
	shift 2
	[ ! -L "$dest/var/lib/dkms/$pkg/kernel-$rel-x86_64" ] ||
		die "dkms has installed $pkg for $rel: 'dkms remove $pkg/<version> -k $rel' first, or use dkms alone"
	check
	[ ! -f "$dest$manifest" ] || uninstall >/dev/null
	if [ -n "$key" ]; then
		[ -x "$kdir/scripts/sign-file" ] || die "no $kdir/scripts/sign-file to sign with"
		hash=$(sed -n 's/^CONFIG_MODULE_SIG_HASH="\(.*\)"$/\1/p' "$kdir/.config")
		signed="yes, $cert"
	fi
	mkdir -p "$dest/lib/modules/$rel/$subdir" "$dest$state" "$dest${hook%/*}"
	{
		echo "# $pkg: what make install put in place; make uninstall removes it"
		echo "release $rel"
		echo "version $(modinfo -F version "$1")"
		echo "linux-source $srcver"
		echo "signed $signed"
	} >"$dest$manifest.new"
	for m in "$@"; do
		to=/lib/modules/$rel/$subdir/${m##*/}
		cp "$m" "$dest$to"
		chmod 644 "$dest$to"
		[ -z "$key" ] || "$kdir/scripts/sign-file" "${hash:-sha256}" "$key" "$cert" "$dest$to"
		echo "file $to" >>"$dest$manifest.new"
	done
	cp "$here/kernel-postinst.sh" "$dest$hook"
	chmod 755 "$dest$hook"
	echo "hook $hook" >>"$dest$manifest.new"
	mv "$dest$manifest.new" "$dest$manifest"
	depmod -b "${dest:-/}" "$rel"
	echo "install: $# modules for $rel (KVM from linux-source $srcver), signed: $signed; manifest $manifest"
	[ -n "$key" ] || echo "install: not signed: a kernel that enforces module signatures will not load them" >&2
}

case $cmd in
check) check ;;
install) install "$@" ;;
uninstall) uninstall ;;
*) die "usage: install.sh check|install|uninstall RELEASE ..." ;;
esac
