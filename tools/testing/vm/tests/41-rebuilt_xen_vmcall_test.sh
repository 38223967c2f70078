# SPDX-License-Identifier: GPL-2.0
# Upstream's xen_vmcall_test, unmodified, against the rebuilt KVM with the
# hook and xen_evtchn.ko.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

run_on_ours xen_vmcall_test
exit 0
