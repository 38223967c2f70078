#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rebuild kvm.ko, kvm-amd.ko and kvm-intel.ko out of tree from the
# linux-source package, against the matching linux-headers package, with
# the project's KVM hook (kvm/xen_hook.c) in place of upstream's xen.o.
#
# usage: rebuild-kvm.sh SRC KDIR OUT SRC_VERSION
#   SRC   extracted linux-source tree (only arch/x86/kvm and virt/kvm are
#         used)
#   KDIR  the headers of the kernel the modules are for
#   OUT   build directory; the modules end up in OUT/arch/x86/kvm
#   SRC_VERSION  the linux-source package's version, which each module
#         records (modinfo -F linux_source), with the project's version,
#         XEN_ACCEL_VERSION from the environment (else VERSION), as its
#         MODULE_VERSION: kvm/modinfo.c, linked into each of the three
#
# The two source directories are copied to OUT with their relative layout,
# and the copy of arch/x86/kvm/Makefile is pointed at them instead of at
# $(srctree), which for an out-of-tree build is the headers package that
# lacks them.  The include/trace directory lets trace.h's
# TRACE_INCLUDE_PATH (../../arch/x86/kvm, relative to include/trace)
# resolve inside OUT.  The hook is linked, not copied, into the tree, and
# finds the project's include/kvm/xen_accel.h and the compat/include
# headers through include paths.
#
# The kernel's version, from SRC's top Makefile, picks what else is needed
# (compat/ holds all of it):
#   6.12  KVM is built with CONFIG_KVM_XEN: xen.o is replaced by the hook.
#   6.1   KVM is built without it (Debian 12): the hook is added, and the
#         Xen call sites of x86.c and irq_comm.c are compiled in by
#         defining CONFIG_KVM_XEN for these modules only (6.1's structs
#         have their Xen fields either way, so the layout the headers give
#         holds).
# Then compat/kvm-<version>/*.patch is applied, in the order of the names.
set -euo pipefail

[ $# -eq 4 ] || { echo "usage: rebuild-kvm.sh SRC KDIR OUT SRC_VERSION" >&2; exit 2; }
src=$1 kdir=$2 out=$3 srcver=$4
kvm=$out/arch/x86/kvm
top=$(cd "$(dirname "$0")/.." && pwd)
version=${XEN_ACCEL_VERSION:-$(cat "$top/VERSION")}
ver=$(sed -n 's/^VERSION = //p; s/^PATCHLEVEL = //p' "$src/Makefile" | paste -sd.)
case $ver in
6.12|6.1) ;;
*) echo "rebuild-kvm: Linux $ver is not supported (6.1, 6.12)" >&2; exit 1 ;;
esac

# A tree copied for another source, another kernel, or by another version
# of this script or of the patches is copied again.
stamp="$src $kdir $(cat "$0" "$top"/compat/kvm-*/*.patch | cksum)"
if [ ! -f "$out/.copied" ] || [ "$(cat "$out/.copied")" != "$stamp" ]; then
	rm -rf "$out"
	mkdir -p "$out/include/trace" "$out/arch/x86" "$out/virt"
	cp -r "$src/arch/x86/kvm" "$out/arch/x86/"
	cp -r "$src/virt/kvm" "$out/virt/"
	sed -i -e 's|-I $(srctree)/arch/x86/kvm|-I $(src) -I $(src)/../../../include/trace|' \
	       -e 's|include $(srctree)/virt/kvm/Makefile.kvm|include $(src)/../../../virt/kvm/Makefile.kvm|' \
	       "$kvm/Makefile"
	if [ "$ver" = 6.1 ]; then
		sed -i -e 's|^kvm-$(CONFIG_KVM_XEN)\t+= xen.o$|kvm-y\t\t\t+= xen_hook.o|' \
		       "$kvm/Makefile"
		echo "ccflags-y += -DCONFIG_KVM_XEN=1" >>"$kvm/Makefile"
	else
		sed -i -e 's|^kvm-$(CONFIG_KVM_XEN)\t+= xen.o$|kvm-$(CONFIG_KVM_XEN)\t+= xen_hook.o|' \
		       "$kvm/Makefile"
	fi
	for p in "$top/compat/kvm-$ver"/*.patch; do
		patch -s -d "$out" -p1 <"$p"
	done
	echo "ccflags-y += -I $top/include -I $top/compat/include" >>"$kvm/Makefile"
	cat >>"$kvm/Makefile" <<'MODINFO'
kvm-y += xen_accel_modinfo_kvm.o
kvm-amd-y += xen_accel_modinfo_amd.o
kvm-intel-y += xen_accel_modinfo_intel.o
include $(src)/xen_accel_modinfo.mk
MODINFO
	grep -q 'include $(src)/../../../virt/kvm/Makefile.kvm' "$kvm/Makefile" &&
	grep -q '+= xen_hook.o$' "$kvm/Makefile" || {
		echo "rebuild-kvm: unexpected arch/x86/kvm/Makefile layout" >&2
		exit 1
	}
	rm "$kvm/xen.c"
	echo "$stamp" >"$out/.copied"
fi

ln -sf "$top/kvm/xen_hook.c" "$kvm/xen_hook.c"
# The two strings of kvm/modinfo.c, for its three copies only; rewritten
# only when they change (Kbuild rebuilds what their flags changed for).
flags="-DXEN_ACCEL_VERSION='\"$version\"' -DXEN_ACCEL_LINUX_SOURCE='\"$srcver\"'"
mk=$(for m in kvm amd intel; do
	ln -sf "$top/kvm/modinfo.c" "$kvm/xen_accel_modinfo_$m.c"
	echo "CFLAGS_xen_accel_modinfo_$m.o := $flags"
done)
[ "$(cat "$kvm/xen_accel_modinfo.mk" 2>/dev/null)" = "$mk" ] ||
	echo "$mk" >"$kvm/xen_accel_modinfo.mk"
# In the kernel's build root where it has one (KBUILD_ROOT: the Makefile's,
# for a kernel of another distribution; tools/build/in-root.sh).
"$top/tools/build/in-root.sh" "${KBUILD_ROOT:-}" make -s -C "$kdir" M="$kvm" -j"$(nproc)" modules
