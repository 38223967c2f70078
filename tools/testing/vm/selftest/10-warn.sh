# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Runner self-test: this test passes, but the module it loads WARNs; the
# runner must fail the run on the splat.
insmod /modules/test/test_splat.ko
exit 0
