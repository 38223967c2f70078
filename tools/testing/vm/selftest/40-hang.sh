# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Runner self-test: a test that never ends must be killed at its time limit
# and reported as "not ok".
sleep 100000
