/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kselftest_harness.h, as the project's harness programs include it: with
 * a longer time limit per test.  The harness's own 30 s is a limit on the
 * machine's speed, not on the code: under TCG beside other work a test
 * that passes in 5 s idle took over 30 s (timer_deadline_test's kprobe
 * teardown).  900 s still ends a hung test case, by name, before the VM
 * runner's 1200 s limit on the whole program.
 */
#ifndef XEN_ACCEL_HARNESS_H
#define XEN_ACCEL_HARNESS_H

#include "kselftest_harness.h"

#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 900

#endif /* XEN_ACCEL_HARNESS_H */
