# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Runner self-test: the hung test before this one (40-hang.sh) left a
# pipeline behind when its shell was killed; the runner must have killed
# that pipeline too, or it would still hold whatever it held (a test's
# selftest program holds /dev/kvm, and so KVM's modules).
# shellcheck disable=SC2009 # busybox here has ps but no pgrep
if ps | grep -q '[s]leep 100000'; then
	echo "the hung test's sleep still runs:"
	ps
	exit 1
fi
exit 0
