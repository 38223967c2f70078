# SPDX-License-Identifier: GPL-2.0
# A restored guest sees every pending event, in every order of
# SHARED_INFO, VCPU_INFO and sender setup (route, IPI port, timer), in both
# ABIs; a vcpu_info whose selector straddles a cache line gets events.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

run_on_ours restore_order_test
exit 0
