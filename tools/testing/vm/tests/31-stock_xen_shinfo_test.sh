# SPDX-License-Identifier: GPL-2.0
# Reference suite: upstream's xen_shinfo_test, unmodified, against the stock
# Debian KVM (upstream's in-kernel Xen support).
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

kvm_up stock
run xen_shinfo_test -v
kvm_down
exit 0
