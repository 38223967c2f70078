# SPDX-License-Identifier: GPL-2.0
# The rebuilt KVM with no accelerator loaded, where the kernel's modprobe
# can load one (as on a host where the project is installed): asking for
# KVM_CAP_XEN_HVM loads xen_evtchn.ko and reports Xen.  Where it cannot be
# loaded, the capability is 0 (no_accelerator).
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

# The kernel's modprobe for this test: it knows xen_evtchn, by the alias
# the hook asks for, and nothing else.  The other tests need the kernel to
# find no modprobe at all, as /init leaves it: put that back on any exit.
helper=/tmp/modprobe-accel
cat >$helper <<'EOF'
#!/bin/sh
for arg; do name=$arg; done
echo "modprobe $*" >>/tmp/modprobe-accel.log
[ "$name" = kvm-xen-accel ] && exec insmod /modules/ours/xen_evtchn.ko
exit 1
EOF
chmod 755 $helper
default=$(cat /proc/sys/kernel/modprobe)
trap 'echo "$default" >/proc/sys/kernel/modprobe' EXIT
: >/tmp/modprobe-accel.log

kvm_up rebuilt ours
loaded xen_evtchn && fail "xen_evtchn loaded before the test"
echo $helper >/proc/sys/kernel/modprobe
run cap_autoload_test
echo "$default" >/proc/sys/kernel/modprobe
cat /tmp/modprobe-accel.log
grep -q -- 'kvm-xen-accel' /tmp/modprobe-accel.log ||
	fail "the kernel did not ask for kvm-xen-accel"
loaded xen_evtchn || fail "xen_evtchn is not loaded after the test"
unload xen_evtchn
kvm_down
exit 0
