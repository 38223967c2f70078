# SPDX-License-Identifier: GPL-2.0
# shared_info moved by the VMM while events take the slow path (memslot
# flags toggled under them): it stays where the VMM put it.  The window
# that matters (a refresh that has read the cache's address but not yet
# taken its lock) is a few instructions wide; test_slow_refresh.ko widens
# it to 200 us for the test's sender thread, with a kprobe on KVM's
# refresh function, so that the VMM's moves land in it.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

ours_up
if grep -q ' kvm_gfn_to_pfn_cache_refresh' /proc/kallsyms; then
	refresh=kvm_gfn_to_pfn_cache_refresh
else
	refresh=kvm_gpc_refresh
fi
load test test_slow_refresh symbol=$refresh
run shinfo_move_test
unload test_slow_refresh
ours_down
exit 0
