# SPDX-License-Identifier: GPL-2.0
# Upstream's xen_shinfo_test, unmodified, against the rebuilt KVM with the
# hook and xen_evtchn.ko: every stage (runstate, steal time, event
# channels, timers, polling, the races).  Run by run_shinfo_test (lib.sh):
# any hang fails it.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

ours_up
run_shinfo_test ours
ours_down
exit 0
