# SPDX-License-Identifier: GPL-2.0
# The project as a host installs it (make install into a real
# /lib/modules, with depmod): `modprobe kvm_amd` loads the rebuilt KVM
# from updates/ on our irqbypass.ko; a VMM's first Xen ioctl loads
# xen_evtchn.ko by its alias; it cannot be unloaded while that VM lives,
# and can after; a newer build put in its place (another MODULE_VERSION)
# is what the next VM loads, without a reboot.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

sbin=/tmp/sbin
mkdir -p $sbin
for tool in modprobe rmmod depmod modinfo; do
	ln -sf /tests/bin/kmod $sbin/$tool
done
echo $sbin/modprobe >/proc/sys/kernel/modprobe

$sbin/modprobe kvm_amd || fail "modprobe kvm_amd"
grep -q ' kvm_xen_accel_register' /proc/kallsyms ||
	fail "modprobe kvm_amd did not load the rebuilt kvm.ko"
echo "irqbypass $(cat /sys/module/irqbypass/version), kvm from $($sbin/modinfo -n kvm)"
[ -e /sys/module/irqbypass/version ] || fail "the stock irqbypass.ko was loaded"
[ ! -e /sys/module/xen_evtchn ] || fail "xen_evtchn loaded before any Xen ioctl"

# bind_vm VERSION: a VM bound, the module loaded, it is VERSION, and it
# stays while the VM lives, and goes after.
bind_vm() {
	# Emptied here, not by the job's redirection, which may come after
	# the first grep below and leave it the previous VM's "bound".
	: >/tmp/hold.out
	"$(command -v hold_xen_vm)" >>/tmp/hold.out 2>&1 &
	pid=$!
	i=0
	until grep -q bound /tmp/hold.out; do
		i=$((i + 1))
		[ $i -lt 300 ] || fail "no VM bound: $(cat /tmp/hold.out)"
		sleep 0.1
	done
	version=$(cat /sys/module/xen_evtchn/version) ||
		fail "the first Xen ioctl did not load xen_evtchn"
	echo "xen_evtchn $version loaded by the first Xen ioctl"
	[ "$version" = "$1" ] || fail "xen_evtchn is $version, not $1"
	$sbin/rmmod xen_evtchn 2>/dev/null && fail "xen_evtchn unloaded under a VM"
	kill $pid
	wait $pid
	$sbin/rmmod xen_evtchn || fail "xen_evtchn not unloadable after the VM"
}

installed=$($sbin/modinfo -F version xen_evtchn)
bind_vm "$installed"

# A newer build in its place, depmod, and the next VM loads it.
file=$($sbin/modinfo -n xen_evtchn)
rm "$file"
cp /modules/upgrade/xen_evtchn.ko "${file%.ko*}.ko"
$sbin/depmod || fail depmod
bind_vm upgrade-test

$sbin/modprobe -r kvm_amd || fail "modprobe -r kvm_amd"
exit 0
