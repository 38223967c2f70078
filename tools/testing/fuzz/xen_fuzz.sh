# SPDX-License-Identifier: GPL-2.0
# The fuzzer (xen_fuzz.c) on the rebuilt KVM with xen_evtchn.ko, for
# `make fuzz`, with the seed and the number of operations from the kernel
# command line: xen_fuzz.seed=S xen_fuzz.ops=N.  Any unexpected errno fails
# it here; any splat fails the run.
. /lib/vmtest.sh

arg() {
	sed -n "s/.*xen_fuzz\\.$1=\\([0-9]*\\).*/\\1/p" /proc/cmdline
}
seed=$(arg seed)
ops=$(arg ops)

kvm_up rebuilt ours
load ours xen_evtchn
run xen_fuzz -s "${seed:-1}" -n "${ops:-5000}"
unload xen_evtchn
kvm_down
exit 0
