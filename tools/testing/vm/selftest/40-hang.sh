# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Runner self-test: a test that never ends must be killed at its time limit
# and reported as "not ok", with its children (the two ends of this pipe),
# and the report must show where each of them waits.
sleep 100000 | cat
