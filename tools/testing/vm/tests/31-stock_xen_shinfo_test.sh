# SPDX-License-Identifier: GPL-2.0
# Reference suite: upstream's xen_shinfo_test, unmodified, against the stock
# Debian KVM (upstream's in-kernel Xen support).  How a hang of the stock
# KVM's own is told from any other: run_shinfo_test in lib.sh.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

kvm_up stock
run_shinfo_test stock
kvm_down
exit 0
