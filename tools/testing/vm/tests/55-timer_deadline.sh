# SPDX-License-Identifier: GPL-2.0
# A Xen timer never fires before its deadline as the guest's clock sees
# it, also when reading the time in the vCPU's thread is made slow
# (timer_deadline_test.c): on ours, and on the stock KVM (upstream's).
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

tr=/sys/kernel/tracing
[ -e $tr/trace ] || mount -t tracefs nodev $tr || fail "no tracefs"

run_on_ours timer_deadline_test
stock_xen || { echo "no stock KVM with Xen here"; exit 0; }
kvm_up stock
run timer_deadline_test
kvm_down
exit 0
