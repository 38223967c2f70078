# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# The debug lane's own test: a mutex taken under a spinlock must show in
# the kernel log (and so fail the run).
insmod /modules/test/test_planted_bugs.ko bug=sleep
exit 0
