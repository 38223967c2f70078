# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by tools/testing/check.sh, check-kernel.sh and lane.sh.
#
# build NAME COMMAND...: run a build step quietly and print its TAP result,
# "ok - LABEL: NAME" (LABEL: $build_label, "build" unless the caller sets
# it), with the last 40 lines of its output as "# " lines when it failed;
# return the step's exit status.
build() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		echo "ok - ${build_label:-build}: $name"
	else
		echo "not ok - ${build_label:-build}: $name"
		tail -n 40 <<<"$out" | sed 's/^/# /'
		return 1
	fi
}
