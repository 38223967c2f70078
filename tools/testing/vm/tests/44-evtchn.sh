# SPDX-License-Identifier: GPL-2.0
# xen_evtchn.ko's 2-level event channel delivery, routes, port table and
# EVTCHNOP_send, in both guest ABIs.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

run_on_ours evtchn_test
exit 0
