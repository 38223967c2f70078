# SPDX-License-Identifier: GPL-2.0
# Our irqbypass.ko loads and unloads on its own; xen_evtchn.ko needs the
# rebuilt kvm.ko (it links against the hook) and refuses to load without.
# shellcheck shell=sh source=tools/testing/vm/lib.sh
. /lib/vmtest.sh

load ours irqbypass
loaded irqbypass || fail "irqbypass is not live"
insmod /modules/ours/xen_evtchn.ko 2>/dev/null && fail "xen_evtchn loaded without KVM"
unload irqbypass
loaded irqbypass && fail "irqbypass is still loaded"
exit 0
