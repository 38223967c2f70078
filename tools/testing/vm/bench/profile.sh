# SPDX-License-Identifier: GPL-2.0
# make bench-profile, in the VM: where the host paths' time goes, on the
# stock KVM and on ours.  perf samples every CPU (cpu-clock, 5 kHz, call
# chains) while xen_bench runs with few guest iterations and many host
# ones; then, per KVM, the samples whose call chain passes through
# kvm_arch_vm_ioctl (KVM_XEN_HVM_EVTCHN_SEND, the evtchn_send_ioctl and
# send_vcpus_N paths) are counted by the function they landed in, and
# those in the Xen code by function and offset.  Under TCG a sample is
# taken where a translated block starts, so a count right after a call
# is mostly the cost of that call's return (Documentation/performance.rst).
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

echo -1 >/proc/sys/kernel/perf_event_paranoid
echo 0 >/proc/sys/kernel/kptr_restrict

# leaves FILE FILTER: "COUNT LEAF" for each sample of xen_bench whose call
# chain has kvm_arch_vm_ioctl and whose leaf matches FILTER (awk regex).
leaves() {
	/tests/bin/perf script -i "$1" --comm xen_bench -F ip,sym,symoff \
		2>/dev/null | awk -v filter="$2" '
	NF == 0 { if (n && hit && leaf ~ filter) c[leaf]++; n = 0; hit = 0; next }
	{ n++; if (n == 1) leaf = $2; if ($2 ~ /^kvm_arch_vm_ioctl\+/) hit = 1 }
	END { for (k in c) print c[k], k }' | sort -rn
}

for kvm in stock ours; do
	if [ $kvm = stock ]; then kvm_up stock; else ours_up; fi
	/tests/bin/perf record -q -a -g -F 5000 -o /tmp/$kvm.data -- \
		sleep 600 &
	perf=$!
	sleep 2
	/tests/bin/xen_bench -n 4 -N 300000 >/tmp/b.out 2>&1 ||
		fail "xen_bench on $kvm: $(tail -5 /tmp/b.out)"
	kill -INT $perf
	wait $perf
	sed -n "s/^bench: \(evtchn_send_ioctl\|send_vcpus_1\) /profile: $kvm path \1 /p" /tmp/b.out
	# By function: strip the offsets.
	leaves /tmp/$kvm.data . | awk '{ sub(/\+0x[0-9a-f]+$/, "", $2); c[$2] += $1; t += $1 }
		END { for (k in c) print c[k], k; print t, "TOTAL" }' |
		sort -rn | head -25 | sed "s/^/profile: $kvm function /"
	leaves /tmp/$kvm.data '^(kvm_xen_|xen_evtchn_)' | head -20 |
		sed "s/^/profile: $kvm offset /"
	if [ $kvm = stock ]; then kvm_down; else ours_down; fi
done
