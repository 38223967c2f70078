# SPDX-License-Identifier: GPL-2.0
# Upstream's xen_shinfo_test, unmodified, against the rebuilt KVM with the
# hook and xen_evtchn.ko: every stage (runstate, steal time, event
# channels, timers, polling, the races).
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

run_on_ours xen_shinfo_test -v
exit 0
