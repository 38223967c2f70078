# SPDX-License-Identifier: GPL-2.0
# Runstate updates while the vCPU is preempted by a CPU hog and its area's
# pages are invalidated in a loop (runstate_stress_test.c); on the lanes'
# kernels, lockdep and PREEMPT_RT's rwlocks see the preemption notifier's
# path.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

run_on_ours runstate_stress_test
exit 0
