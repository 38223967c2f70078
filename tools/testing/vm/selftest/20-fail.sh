# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Runner self-test: a failing test must be reported as "not ok".
exit 1
