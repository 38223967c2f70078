# SPDX-License-Identifier: GPL-2.0
# What operators see: stats_test checks xen_evtchn_stats in the VM's
# debugfs directory against a known workload, with every xen_evtchn
# tracepoint enabled, and KVM's own kvm:kvm_xen_hypercall; then the trace
# must hold the events that workload makes, each kind of them, and KVM's
# record of its hypercalls.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

tr=/sys/kernel/tracing
[ -e $tr/trace ] || mount -t tracefs nodev $tr || fail "no tracefs"

ours_up
for e in send deliver upcall timer poll; do
	[ -d $tr/events/xen_evtchn/xen_evtchn_$e ] ||
		fail "no tracepoint xen_evtchn_$e"
done
hcall=$tr/events/kvm/kvm_xen_hypercall
[ -d $hcall ] || fail "no tracepoint kvm_xen_hypercall"
echo 1 >$tr/events/xen_evtchn/enable
echo 1 >$hcall/enable
: >$tr/trace
run stats_test
echo 0 >$hcall/enable
echo 0 >$tr/events/xen_evtchn/enable
cp $tr/trace /tmp/xen_trace
: >$tr/trace
ours_down

echo "trace: $(grep -c 'xen_evtchn_' /tmp/xen_trace) xen_evtchn events"
for want in 'xen_evtchn_send: port=3 kind=ipi result=1' \
	    'xen_evtchn_send: port=3 kind=ipi result=0' \
	    'xen_evtchn_send: port=7 kind=eventfd' \
	    'xen_evtchn_send: port=8 kind=to_vmm' \
	    'xen_evtchn_send: port=11 kind=ioctl result=1' \
	    'xen_evtchn_deliver: port=4 vcpu=0 path=fast result=masked' \
	    'xen_evtchn_deliver: port=6 vcpu=0 path=fast result=delivered' \
	    'xen_evtchn_upcall: vcpu=0 via=callback' \
	    'xen_evtchn_upcall: vcpu=0 via=shadow' \
	    'xen_evtchn_timer: vcpu=0 event=arm' \
	    'xen_evtchn_timer: vcpu=0 event=fire' \
	    'xen_evtchn_poll: vcpu=0 event=block port=10' \
	    'xen_evtchn_poll: vcpu=0 event=wake port=-1'; do
	grep -q "$want" /tmp/xen_trace || fail "no trace line '$want'"
	echo "ok: $want"
done

# KVM's record of each hypercall (6.1's has no cpl): EVTCHNOP_send,
# set_timer_op, SCHEDOP_poll, with their arguments.
echo "trace: $(grep -c 'kvm_xen_hypercall:' /tmp/xen_trace) kvm_xen_hypercall events"
for want in 'nr 0x20 a0 0x4 ' 'nr 0xf a0 0x1 ' 'nr 0x1d a0 0x3 '; do
	grep -q "kvm_xen_hypercall: \(cpl 0 \)\{0,1\}$want" /tmp/xen_trace ||
		fail "no kvm_xen_hypercall line with '$want'"
	echo "ok: kvm_xen_hypercall $want"
done
exit 0
