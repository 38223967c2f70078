# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Runner self-test: a skipped test (kselftest's status 4) must count as a
# failure.
exit 4
