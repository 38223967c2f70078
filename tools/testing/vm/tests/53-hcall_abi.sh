# SPDX-License-Identifier: GPL-2.0
# The guest's hypercall ABI (hcall_abi_test.c): the same expectations on
# ours and on the stock KVM, in the same boot.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

run_on_ours hcall_abi_test
stock_xen || { echo "a test lane or 6.1: no stock KVM with Xen to compare with"; exit 0; }
kvm_up stock
run hcall_abi_test
kvm_down
exit 0
