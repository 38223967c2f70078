# SPDX-License-Identifier: GPL-2.0
# shared_info moved by the VMM while events take the slow path (memslot
# flags toggled under them): it stays where the VMM put it.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

run_on_ours shinfo_move_test
exit 0
