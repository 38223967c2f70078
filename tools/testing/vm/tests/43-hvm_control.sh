# SPDX-License-Identifier: GPL-2.0
# xen_evtchn.ko's control plane: configuration, attributes and their bad
# input, the wallclock, the hypercall page and hypercalls.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

run_on_ours hvm_control_test
exit 0
