#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make fuzz [SEED=S] [OPS=N]`: the fuzzer (xen_fuzz.c) alone, in a test
# VM of its own, on the rebuilt KVM with xen_evtchn.ko.  The same seed
# replays the same operations.  Prints TAP; exits non-zero when the fuzzer
# failed or the kernel log shows a splat.  Needs what one-test.sh
# needs (exported by the Makefile).
#
# usage: fuzz.sh SEED OPS
set -euo pipefail

seed=$1 ops=$2
vm=$(cd "$(dirname "$0")/vm" && pwd)
exec "$vm/one-test.sh" fuzz "$vm/tests/51-xen_fuzz.sh" xen_evtchn/xen_fuzz 3000 3200 \
	"xen_fuzz.seed=$seed xen_fuzz.ops=$ops xen_fuzz.limit=2900"
