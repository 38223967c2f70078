#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms.conf's PRE_INSTALL: fail `dkms install` before anything is installed
# when dkms would leave out any of the five modules.  dkms (3.0) skips a
# module whose MODULE_VERSION equals, or is older than, that of the one
# module of its name in the kernel's tree (two without a version are
# "equal"), says so, goes on with the others, and reports the module
# installed; a PRE_INSTALL that fails aborts the install instead.  This
# applies dkms's rule (its VER ordering) to each built module: it must
# have a version, and where the tree has exactly one module of its name,
# a version that differs from and is not older than that one's.  dkms
# runs PRE_INSTALL once, after its own check of the first module
# (irqbypass), from the source directory.
#
# usage: dkms-pre-install.sh INSTALL_TREE/KERNEL_RELEASE BUILT_MODULE_DIR
set -uo pipefail

tree=${1:?usage: see $0} built=${2:?usage: see $0}

# dkms's VER: every number padded to three digits, compared as strings.
ver() {
	sed -e 's:\([^0-9]\)\([0-9]\):\1 \2:g' -e 's:\([0-9]\)\([^0-9]\):\1 \2:g' \
	    -e 's:\(.*\): \1 :' -e 's: \([0-9]\) : 00\1 :g' \
	    -e 's: \([0-9][0-9]\) : 0\1 :g' -e 's: ::g' <<<"$1"
}

rc=0
for ko in "$built"/*.ko*; do
	name=${ko##*/}
	name=${name%%.ko*}
	mine=$(modinfo -F version "$ko" 2>/dev/null)
	if [ -z "$mine" ]; then
		echo "dkms-pre-install: $name.ko has no MODULE_VERSION: dkms would not install it over the stock one" >&2
		rc=1
		continue
	fi
	mapfile -t there < <(find "$tree" \( -name "$name.ko" -o -name "$name.ko.*" \) -type f)
	[ ${#there[@]} -eq 1 ] || continue
	theirs=$(modinfo -F version "${there[0]}" 2>/dev/null)
	[ -n "$theirs" ] || continue
	if [ "$theirs" = "$mine" ] || [[ "$(ver "$theirs")" > "$(ver "$mine")" ]]; then
		echo "dkms-pre-install: $name.ko $mine is not newer than ${there[0]} ($theirs): dkms would not install it" >&2
		rc=1
	fi
done
[ $rc = 0 ] || echo "dkms-pre-install: not installing: all five modules or none (dkms install --force replaces them all)" >&2
exit $rc
