# SPDX-License-Identifier: GPL-2.0
# A Xen timer that fires while the VMM exits, after its memory is freed and
# before its VM is (timer_teardown_test.c): xen_evtchn.ko must not write
# into the freed shared_info page.  Only the debug lane's KASAN sees the
# write; elsewhere this checks that nothing else goes wrong.  Upstream's
# 6.12 KVM has this bug, so the test runs on ours alone.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

ours_up
run timer_teardown_test
ours_down
exit 0
