#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install packages with apt-get (as root, non-interactively, without
# recommends), having first asked apt for its plan (apt-get -s) and
# refused when that plan would install, upgrade or remove any kernel
# image package (linux-image-*): neither the build nor the tests may
# change the kernel this machine boots, nor its metapackage.
#
# With APT_INSTALL_DRY=1 in the environment, stops after that check (the
# tests' way to try it).
#
# usage: apt-install.sh PACKAGE[=VERSION]...
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: apt-install.sh PACKAGE..." >&2; exit 2; }
export DEBIAN_FRONTEND=noninteractive
plan=$(apt-get install -s -qq --no-install-recommends "$@") || {
	echo "apt-install: apt cannot install: $*" >&2
	exit 1
}
if kernel=$(grep -E '^(Inst|Remv|Purg) linux-image' <<<"$plan"); then
	echo "apt-install: refused: installing $* would change kernel images:" >&2
	sed 's/^/  /' <<<"$kernel" >&2
	exit 1
fi
[ "${APT_INSTALL_DRY:-0}" = 0 ] || exit 0
apt-get install -y -qq --no-install-recommends "$@" >/dev/null
