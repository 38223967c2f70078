# SPDX-License-Identifier: GPL-2.0
# `make run`: load our irqbypass.ko, the rebuilt KVM and xen_evtchn.ko, and
# show them.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

kvm_up rebuilt ours
load ours xen_evtchn
echo "--- lsmod"
lsmod
echo "--- kernel log of the modules"
dmesg | grep -E 'kvm|irqbypass|xen_evtchn'
unload xen_evtchn
kvm_down
exit 0
