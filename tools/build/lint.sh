#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The project's lint, in TAP: checkpatch --strict and kernel-doc -Wall
# (from the extracted linux-source tree) on every C source and header of
# ours, shellcheck (warnings and errors) on every shell script, then a W=1
# build with sparse checking every file (C=2) of the modules, in which any
# warning fails, and the same for the KVM hook in the rebuilt KVM tree.
# Needs SRC, VM_KDIR, KVM_OBJ, KVM_SYMVERS, MOD_OBJ and TEST_MOD_OBJ (the
# Makefile exports them), the modules and the test modules built.
set -uo pipefail

top=$(git rev-parse --show-toplevel 2>/dev/null || pwd)
cd "$top" || exit 1
rc=0

mapfile -t files < <(git ls-files -co --exclude-standard -- '*.c' '*.h' |
		     grep -v '^build/' | grep -v '\.mod\.c$')
shim=tools/testing/unit/shim/
compat=compat/
checkpatch() {
	"$SRC/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
		"$@" 2>&1
}
# The unit tests' shim re-creates kernel iterator macros (for_each_set_bit,
# xa_for_each), whose shape needs each argument more than once, and the
# kernel's attribute macros themselves (__packed).
# compat/ is where kernel versions are told apart: by LINUX_VERSION_CODE,
# which checkpatch flags for code meant for one kernel only.
# shellcheck disable=SC2046 # option lists, split on purpose
out=$(checkpatch -f $(printf '%s\n' "${files[@]}" | grep -v "^$shim" | grep -v "^$compat");
      checkpatch --ignore MACRO_ARG_REUSE,PREFER_DEFINED_ATTRIBUTE_MACRO -f $(printf '%s\n' "${files[@]}" | grep "^$shim");
      checkpatch --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f $(printf '%s\n' "${files[@]}" | grep "^$compat"))
if [ -z "$out" ]; then
	echo "ok - lint: checkpatch --strict clean (${#files[@]} files)"
else
	rc=1
	echo "not ok - lint: checkpatch --strict clean (${#files[@]} files)"
	sed 's/^/# /' <<<"$out"
fi

# kernel-doc prints its warnings on stderr, and exits 0 all the same.
out=$("$SRC/scripts/kernel-doc" -Wall -none "${files[@]}" 2>&1)
if [ -z "$out" ]; then
	echo "ok - lint: kernel-doc -Wall clean (${#files[@]} files)"
else
	rc=1
	echo "not ok - lint: kernel-doc -Wall clean (${#files[@]} files)"
	sed 's/^/# /' <<<"$out"
fi

# Every shell script: *.sh, and the VM's and the real guest's init
# scripts and launcher.
mapfile -t scripts < <(git ls-files -co --exclude-standard -- '*.sh' |
		       grep -v '^build/'; printf '%s\n' tools/testing/vm/init \
		       tools/testing/xen_guest/guest-init \
		       tools/testing/xen_guest/xen-guest)
if out=$(shellcheck -x -S warning -f gcc "${scripts[@]}" 2>&1); then
	echo "ok - lint: shellcheck clean (${#scripts[@]} scripts)"
else
	rc=1
	echo "not ok - lint: shellcheck clean (${#scripts[@]} scripts)"
	sed 's/^/# /' <<<"$out"
fi

# In the build trees of the modules and the test modules (their trees of
# links, tools/build/modtree.sh).
for dir in "$MOD_OBJ" "$TEST_MOD_OBJ"; do
	name=modules
	# The test modules link against our irqbypass.ko, built just before.
	extra=$KVM_SYMVERS
	if [ "$dir" = "$TEST_MOD_OBJ" ]; then
		name=tools/testing/vm/modules
		extra="$extra $MOD_OBJ/Module.symvers"
	fi
	out=$(make -s -C "$VM_KDIR" M="$dir" W=1 C=2 \
		KBUILD_EXTRA_SYMBOLS="$extra" XEN_ACCEL_INCLUDE="$top/include" \
		modules 2>&1)
	if [ $? -eq 0 ] && ! grep -Eq 'warning:|error:' <<<"$out"; then
		echo "ok - lint: W=1 and sparse clean: $name"
	else
		rc=1
		echo "not ok - lint: W=1 and sparse clean: $name"
		sed 's/^/# /' <<<"$out"
	fi
done
# The KVM hook, compiled alone in the rebuilt KVM tree (KVM's own files
# are upstream's, not ours to lint).
out=$(make -s -C "$VM_KDIR" M="$KVM_OBJ" W=1 C=2 xen_hook.o 2>&1)
if [ $? -eq 0 ] && ! grep -Eq 'warning:|error:' <<<"$out"; then
	echo "ok - lint: W=1 and sparse clean: kvm/xen_hook.c"
else
	rc=1
	echo "not ok - lint: W=1 and sparse clean: kvm/xen_hook.c"
	sed 's/^/# /' <<<"$out"
fi
exit $rc
