#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-host`'s checks inside the booted Debian system (installed
# there as /usr/local/sbin/check-host-boot, run by check-host.service at
# boot; it powers the machine off when done).  Prints TAP to stdout
# (the unit sends it to the second serial port, which QEMU writes to a
# file).  /etc/check-host/ holds what the build machine left for it:
# "phase" (installed: after README's host steps; uninstalled: after
# make uninstall), "release" and "version" (what uname -r / uname -v were
# made to say in the chroot where the steps ran: this kernel's must be
# the same), "modprobe" (README's modprobe line, verbatim),
# "selftest-env" (VM_PRELOAD for 6.1's selftests).
#
# installed (after README's steps), upgraded (after a kernel package
#   update), uninstalled (after make uninstall): the common checks, then
#   the phase's.
# installed: the signed stock kernel booted, with its initramfs, with
#   Secure Boot and lockdown on; the MOK certificate is trusted; README's
#   modprobe line loads the rebuilt KVM from updates/xen-evtchn-accel/
#   (signed, no "E" taint); a VMM's first Xen ioctl (upstream's
#   xen_shinfo_test, which must pass) loads xen_evtchn; vfio-pci loads.
# upgraded: the stock KVM of the updated kernel loads; none rebuilt
#   from an older source.
# uninstalled: the stock KVM loads from kernel/, nothing of ours is left.
#
# usage: check-host-boot
set -uo pipefail

etc=/etc/check-host
phase=$(cat $etc/phase)
rel=$(uname -r)
pkg=xen-evtchn-accel
n=0 failed=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $phase: $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $phase: $2"
	fi
}

# check NAME CMD...: runs CMD, its output as TAP comments.
check() {
	local name=$1 out st
	shift
	out=$("$@" 2>&1)
	st=$?
	[ -z "$out" ] || echo "# ${out//$'\n'/$'\n'# }"
	ok $st "$name"
}

# shellcheck source=tools/testing/shinfo-retry.sh
. /usr/local/lib/check-host/shinfo-retry.sh

# Upstream's xen_shinfo_test, as run_shinfo_test runs it in the test VM
# (tools/testing/vm/lib.sh): a failure that is not the KVM's
# (shinfo_retry_reason) is run once more.
shinfo_test() {
	local try st why
	for try in 1 2; do
		# shellcheck disable=SC2086 # no LD_PRELOAD word when empty
		env ${VM_PRELOAD:+LD_PRELOAD=$VM_PRELOAD} timeout 900 \
			/opt/check-host/xen_shinfo_test >/tmp/shinfo.out 2>&1
		st=$?
		cat /tmp/shinfo.out
		[ $st = 0 ] && return 0
		[ $try = 1 ] && why=$(shinfo_retry_reason /tmp/shinfo.out) ||
			return $st
		echo "$why; once more"
	done
}

echo "TAP version 13"
echo "# phase $phase; uname -r: $rel; uname -v: $(uname -v)"
echo "# cmdline: $(cat /proc/cmdline)"
echo "# uptime at the checks' start: $(cut -d' ' -f1 /proc/uptime) s"

same_kernel() {
	echo "expected: $(cat $etc/release) / $(cat $etc/version)"
	[ "$rel" = "$(cat $etc/release)" ] && [ "$(uname -v)" = "$(cat $etc/version)" ]
}
signed_image() {
	dpkg-query -W -f='${Package} ${Version} ${db:Status-Abbrev}\n' "linux-image-$rel*"
	dpkg-query -W -f='${db:Status-Abbrev}' "linux-image-$rel" | grep -q '^ii' &&
		! dpkg-query -W -f='${db:Status-Abbrev}' "linux-image-$rel-unsigned" 2>/dev/null | grep -q '^ii'
}
initramfs() {
	ls -l "/boot/initrd.img-$rel" && dmesg | grep -E 'Freeing initrd memory|Trying to unpack rootfs'
}
sb_state() {
	mokutil --sb-state | tee /dev/stderr | grep -q "SecureBoot enabled"
}
lockdown() {
	cat /sys/kernel/security/lockdown
	grep -qE '\[(integrity|confidentiality)\]' /sys/kernel/security/lockdown
}
mok_trusted() {
	local out
	out=$(mokutil --test-key /var/lib/dkms/mok.pub 2>&1)
	echo "$out"
	grep -q "already enrolled" <<<"$out" &&
		dmesg | grep "Loaded X.509 cert 'DKMS module signing key"
}

# origin MODULE: where MODULE's loaded copy came from: "ours" when its
# srcversion is that of the one in updates/xen-evtchn-accel (ours all
# have a MODULE_VERSION, hence a srcversion); "stock" when it is not
# out of tree (no "O" taint) and kernel/ has its file (the stock
# modules have no version, and no srcversion in sysfs).
origin() {
	local m=$1 loaded f
	[ -e "/sys/module/$m/initstate" ] || {
		echo "not loaded"
		return
	}
	loaded=$(cat "/sys/module/$m/srcversion" 2>/dev/null)
	for f in "/lib/modules/$rel/updates/$pkg/${m//_/-}.ko" \
		 "/lib/modules/$rel/updates/$pkg/$m.ko"; do
		if [ -n "$loaded" ] && [ -f "$f" ] &&
		   [ "$(modinfo -F srcversion "$f")" = "$loaded" ]; then
			echo "ours ($f)"
			return
		fi
	done
	f=$(find "/lib/modules/$rel/kernel" \( -name "${m//_/-}.ko*" -o -name "$m.ko*" \) | head -n 1)
	if [ -n "$f" ] && ! grep -q O "/sys/module/$m/taint"; then
		echo "stock ($f)"
		return
	fi
	echo "unknown (srcversion '$loaded', taint '$(cat "/sys/module/$m/taint")')"
}

# README's modprobe line, verbatim (kvm, kvm_amd and irqbypass may have
# been loaded at boot by udev: it reloads them); WANT: whose KVM and
# irqbypass must then be loaded, ours or stock.
readme_modprobe() {
	local want=$1 m o st
	echo "+ $(cat $etc/modprobe)"
	bash -c "$(cat $etc/modprobe)"
	st=$?
	for m in irqbypass kvm kvm_amd; do
		o=$(origin $m)
		echo "$m: $o"
		case $o in "$want"*) ;; *) st=1 ;; esac
	done
	return $st
}
modinfo_paths() {
	local where=$1 m f st=0
	shift
	for m in "$@"; do
		f=$(modinfo -n "$m" 2>&1)
		echo "$m: $f (signer: $(modinfo -F signer "$m" 2>/dev/null))"
		case $f in "/lib/modules/$rel/$where/"*) ;; *) st=1 ;; esac
	done
	return $st
}
# not_ours MODULE: modprobe would not find it in updates/.
not_ours() {
	local f
	f=$(modinfo -n "$1" 2>&1)
	echo "$1: $f"
	case $f in */updates/*) return 1 ;; esac
}
kvm_source() {
	local v s
	v=$(cat /sys/module/kvm/version) s=$(modinfo -F linux_source kvm)
	echo "kvm version $v, linux_source $s"
	uname -v | grep -qF "Debian $s "
}
xen_evtchn_ours() {
	local o
	o=$(origin xen_evtchn)
	echo "xen_evtchn: $o"
	case $o in ours*) ;; *) return 1 ;; esac
}
vfio() {
	modprobe vfio-pci && [ -d /sys/module/vfio_pci ] &&
		echo "irqbypass holders: $(ls /sys/module/irqbypass/holders)"
}
nothing_left() {
	local f st=0
	for f in /lib/modules/*/updates/"$pkg" /lib/modules/*/updates/dkms \
		 "/var/lib/$pkg" "/etc/kernel/postinst.d/$pkg"; do
		[ ! -e "$f" ] || { echo "left: $f"; st=1; }
	done
	return $st
}
# no_stale_kvm: KVM for this kernel is the stock one, or one rebuilt
# from this kernel's own package version.
no_stale_kvm() {
	local f s
	f=$(modinfo -n kvm)
	echo "kvm: $f"
	case $f in
	"/lib/modules/$rel/kernel/"*) return 0 ;;
	esac
	s=$(modinfo -F linux_source kvm)
	echo "rebuilt from linux-source $s"
	uname -v | grep -qF "Debian $s "
}
signatures() {
	local t
	t=$(cat /proc/sys/kernel/tainted)
	echo "tainted: $t"
	! dmesg | grep -iE "Key was rejected|module verification failed|Loading of unsigned module" &&
		[ $((t & 8192)) = 0 ]
}
no_splat() {
	! dmesg | grep -E "WARNING:|BUG:|Oops|Call Trace:"
}

check "booted the release and package version the host steps built for" same_kernel
check "the kernel is the signed package's (linux-image-$rel, not -unsigned)" signed_image
check "booted with its initramfs (/boot/initrd.img-$rel)" initramfs
check "Secure Boot is on (mokutil --sb-state)" sb_state
check "lockdown is on" lockdown

case $phase in
installed)
	check "the MOK certificate is enrolled, the kernel trusts it" mok_trusted
	check "modinfo -n: kvm, kvm-amd, irqbypass, xen_evtchn from updates/$pkg" \
		modinfo_paths "updates/$pkg" kvm kvm-amd irqbypass xen_evtchn
	check "README's modprobe line loads the rebuilt KVM and our irqbypass" \
		readme_modprobe ours
	check "the rebuilt KVM is from the running kernel's own linux-source" kvm_source
	check "xen_evtchn is not loaded before a VMM's first Xen ioctl" \
		test ! -d /sys/module/xen_evtchn
	# shellcheck disable=SC1091 # written by check-host.sh
	. $etc/selftest-env
	check "upstream's xen_shinfo_test passes${VM_PRELOAD:+ (LD_PRELOAD=$VM_PRELOAD)}" \
		shinfo_test
	check "its first Xen ioctl loaded xen_evtchn from updates/$pkg" xen_evtchn_ours
	check "modprobe vfio-pci loads (on our irqbypass)" vfio
	;;
upgraded)
	echo "# /lib/modules: $(ls /lib/modules); manifests: $(ls /var/lib/$pkg 2>&1)"
	check "after the kernel update, no KVM rebuilt from an older source in charge" \
		no_stale_kvm
	check "README's modprobe line loads the update's stock KVM" readme_modprobe stock
	check "no xen_evtchn of ours for this kernel" not_ours xen_evtchn
	check "modprobe vfio-pci loads" vfio
	;;
uninstalled)
	check "nothing of ours is left, for any kernel (updates/$pkg, manifests, hook)" nothing_left
	check "modinfo -n: kvm and irqbypass from kernel/" \
		modinfo_paths kernel kvm irqbypass
	check "no xen_evtchn of ours (Debian's own Xen driver of that name may be there)" \
		not_ours xen_evtchn
	check "README's modprobe line loads the stock KVM" readme_modprobe stock
	check "modprobe vfio-pci loads" vfio
	;;
*) ok 1 "unknown phase $phase" ;;
esac

check "no module signature rejected, no unsigned-module (E) taint" signatures
check "no kernel warning, oops or BUG" no_splat
echo "# dmesg, modules:"
dmesg | grep -iE 'secure ?boot|lockdown|kvm|xen_evtchn|irqbypass|vfio|MOK|x509|Loaded X.509|signing key' | sed 's/^/# /'
echo "$((n - failed)) passed, $failed failed"
