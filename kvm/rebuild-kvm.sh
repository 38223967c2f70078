#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rebuild kvm.ko, kvm-amd.ko and kvm-intel.ko out of tree from the
# linux-source package, against the matching linux-headers package, with
# the project's KVM hook (kvm/xen_hook.c) in place of upstream's xen.o.
#
# usage: rebuild-kvm.sh SRC KDIR OUT
#   SRC   extracted linux-source tree (only arch/x86/kvm and virt/kvm are
#         used)
#   KDIR  the headers of the kernel the modules are for
#   OUT   build directory; the modules end up in OUT/arch/x86/kvm
#
# The two source directories are copied to OUT with their relative layout,
# and the copy of arch/x86/kvm/Makefile is pointed at them instead of at
# $(srctree), which for an out-of-tree build is the headers package that
# lacks them.  The include/trace directory lets trace.h's
# TRACE_INCLUDE_PATH (../../arch/x86/kvm, relative to include/trace)
# resolve inside OUT.  The hook is linked, not copied, into the tree, and
# finds the project's include/kvm/xen_accel.h through an include path.
set -euo pipefail

src=$1 kdir=$2 out=$3
kvm=$out/arch/x86/kvm
top=$(cd "$(dirname "$0")/.." && pwd)

# A tree copied for another source or another kernel is copied again.
stamp="$src $kdir"
if [ ! -f "$out/.copied" ] || [ "$(cat "$out/.copied")" != "$stamp" ]; then
	rm -rf "$out"
	mkdir -p "$out/include/trace" "$out/arch/x86" "$out/virt"
	cp -r "$src/arch/x86/kvm" "$out/arch/x86/"
	cp -r "$src/virt/kvm" "$out/virt/"
	sed -i -e 's|-I $(srctree)/arch/x86/kvm|-I $(src) -I $(src)/../../../include/trace|' \
	       -e 's|include $(srctree)/virt/kvm/Makefile.kvm|include $(src)/../../../virt/kvm/Makefile.kvm|' \
	       "$kvm/Makefile"
	sed -i -e 's|^kvm-$(CONFIG_KVM_XEN)\t+= xen.o$|kvm-$(CONFIG_KVM_XEN)\t+= xen_hook.o|' \
	       "$kvm/Makefile"
	echo "ccflags-y += -I $top/include" >>"$kvm/Makefile"
	grep -q 'include $(src)/../../../virt/kvm/Makefile.kvm' "$kvm/Makefile" &&
	grep -q '+= xen_hook.o$' "$kvm/Makefile" || {
		echo "rebuild-kvm: unexpected arch/x86/kvm/Makefile layout" >&2
		exit 1
	}
	rm "$kvm/xen.c"
	echo "$stamp" >"$out/.copied"
fi

ln -sf "$top/kvm/xen_hook.c" "$kvm/xen_hook.c"
make -s -C "$kdir" M="$kvm" -j"$(nproc)" modules
