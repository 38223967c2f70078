#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make fuzz [SEED=S] [OPS=N]`: the fuzzer (xen_fuzz.c) alone, in a test
# VM of its own, on the rebuilt KVM with xen_evtchn.ko.  The same seed
# replays the same operations.
#
# `make fuzz DIFF=1 [SEEDS=A-B] [OPS=N]`: its differential mode, each seed
# on the stock KVM and on ours in one VM boot, the logs compared op by op
# (tests/53-xen_fuzz_diff.sh).  About 2 s of VM time per seed and 100
# operations on each KVM.
#
# Prints TAP; exits non-zero when the fuzzer failed, the logs differ in a
# way that is not known, or the kernel log shows a splat (but the stock
# KVM's known WARN, run.sh).  Needs what one-test.sh needs (exported by
# the Makefile).
#
# usage: fuzz.sh SEED OPS [DIFF SEEDS [KEEP]]
#   KEEP  (DIFF=1) make only these operations, as in 3,17,20-25 (xen_fuzz -k)
# With SHRINK=SEED:OP,... in the environment (DIFF=1), the test shrinks
# those differences instead, and with DUMP=OP it prints the guest's bytes
# that differ after operation OP (tests/53-xen_fuzz_diff.sh).
set -euo pipefail

seed=$1 ops=$2 diff=${3:-0} seeds=${4:-1-20} keep=${5:-}
vm=$(cd "$(dirname "$0")/vm" && pwd)
if [ "$diff" = 1 ]; then
	[[ $seeds =~ ^[0-9]+-[0-9]+$ ]] || [[ $seeds =~ ^[0-9]+$ ]] ||
		{ echo "SEEDS: A-B or A" >&2; exit 2; }
	[[ $seeds == *-* ]] || seeds=$seeds-$seeds
	# Each side of a seed gets 30 s, and 60 s more per 1000 operations.
	limit=$((30 + ops * 60 / 1000))
	n=$((${seeds#*-} - ${seeds%-*} + 1))
	vm_limit=$((120 + 2 * n * limit))
	exec "$vm/one-test.sh" fuzz-diff "$vm/tests/53-xen_fuzz_diff.sh" \
		xen_evtchn/xen_fuzz "$vm_limit" "$((vm_limit + 200))" \
		"xen_fuzz.diff_seeds=$seeds xen_fuzz.diff_ops=$ops xen_fuzz.diff_limit=$limit${keep:+ xen_fuzz.diff_keep=$keep}${SHRINK:+ xen_fuzz.diff_shrink=$SHRINK}${DUMP:+ xen_fuzz.diff_dump=$DUMP}"
fi
exec "$vm/one-test.sh" fuzz "$vm/tests/51-xen_fuzz.sh" xen_evtchn/xen_fuzz 3000 3200 \
	"xen_fuzz.seed=$seed xen_fuzz.ops=$ops xen_fuzz.limit=2900"
