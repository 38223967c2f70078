# SPDX-License-Identifier: GPL-2.0
# `make run`: the stack loaded (our irqbypass.ko, the rebuilt KVM,
# xen_evtchn.ko), then a real Xen HVM guest (Debian's kernel, 2 vCPUs)
# under QEMU 10 on it.  Side by side, as they come: the guest's view
# (lines "guest: ...": Xen detected, its event channels counting up each
# round) and the accelerator's (lines "accelerator: ...": the VM's
# nonzero counters from xen_evtchn_stats); then a clean power-off and
# unload.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

kvm_up rebuilt ours
load ours xen_evtchn
echo "stack: $(lsmod | awk '$1 ~ /^(irqbypass|kvm|kvm_amd|xen_evtchn)$/ { printf "%s ", $1 }')"
echo "starting a Xen HVM guest under QEMU 10 (-accel kvm,xen-version=0x4000a)"
XEN_GUEST_ROUNDS=4 XEN_GUEST_WATCH=1 xen-guest 300 >/tmp/demo.out 2>&1 &
guest=$!
shown=0
while kill -0 $guest 2>/dev/null; do
	sleep 3
	n=$(grep -c '^guest: ' /tmp/demo.out)
	grep '^guest: ' /tmp/demo.out | tail -n +$((shown + 1)) | head -n $((n - shown))
	shown=$n
	for f in /sys/kernel/debug/kvm/*/xen_evtchn_stats; do
		[ -e "$f" ] || continue
		echo "accelerator: $(awk '$2 > 0 { printf "%s=%s ", $1, $2 }' "$f")"
	done
done
wait $guest
rc=$?
grep '^guest: ' /tmp/demo.out | tail -n +$((shown + 1))
tail -n 1 /tmp/demo.out
[ $rc -eq 0 ] || { sed 's/^/  /' /tmp/demo.out; fail "the Xen guest failed"; }
unload xen_evtchn
kvm_down
exit 0
