#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench [ROUNDS=5]`: xen_bench.c on the stock KVM (upstream's
# in-kernel Xen) and on ours, alternately, ROUNDS times in one boot of a
# test VM, then a table per path: median, min and max on each, and the
# ratio of the medians, ours over stock.  Guest paths in TSC cycles per
# operation, host paths in ns.  Exits non-zero when the run failed.
# Needs what one-test.sh needs (exported by the Makefile).
#
# usage: bench.sh ROUNDS
set -euo pipefail

rounds=$1
vm=$(cd "$(dirname "$0")/vm" && pwd)
tap=$OBJ/bench.tap
rc=0
"$vm/one-test.sh" bench "$vm/bench/10-xen_bench.sh" xen_bench 1200 1400 \
	"vmtest.bench_rounds=$rounds" >"$tap" || rc=$?
grep -v '^# *bench:\|^#   ' "$tap" || true
sed -n 's/^# bench: //p' "$tap"
exit $rc
