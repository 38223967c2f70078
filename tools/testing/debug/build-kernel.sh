#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a test kernel from linux-source-6.12 (the tarball of the 6.12 test
# kernel that `make deps` extracted into build/kernels, SRC_TAR from the
# Makefile, which runs the lanes with KVER=6.12): tinyconfig, merged with the
# given config fragments, then olddefconfig.  Every option a fragment sets
# must have made it into the final .config, or the build fails: a lane
# must not run on a kernel without the checkers it relies on.  The source
# is extracted afresh into DIR/src (a tree that had `make headers` run in
# it refuses O= builds), the objects go to DIR/obj (the compiler's output
# to DIR/build.log), the modules are installed into DIR/mods; a second run
# with the same fragments reuses all of it.  Prints the kernel release.
#
# usage: build-kernel.sh DIR FRAGMENT...
set -euo pipefail

dir=$(realpath -m "$1")
shift
tar=${SRC_TAR:?}
src=$dir/src obj=$dir/obj mods=$dir/mods
stamp=$dir/.built
want=$(cat "$@" | sha1sum | cut -d" " -f1)
want=$want-$(stat -c %Y "$tar")

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
	make -s -C "$src" O="$obj" kernelrelease
	exit 0
fi

rm -rf "$src" "$obj" "$mods" "$stamp"
mkdir -p "$src" "$obj"
tar -C "$src" --strip-components=1 -xaf "$tar"
make -s -C "$src" O="$obj" tinyconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$@" >/dev/null
make -s -C "$src" O="$obj" olddefconfig >/dev/null

# Each option of the fragments, as set there, must be in the result.
missing=$(cat "$@" | grep -E '^(CONFIG_[A-Z0-9_]+=|# CONFIG_[A-Z0-9_]+ is not set)' |
	  while read -r line; do
		  opt=$(sed -E 's/^# (CONFIG_[A-Z0-9_]+) is not set$/\1/; s/=.*//' <<<"$line")
		  got=$(grep -E "^$opt=|^# $opt is not set" "$obj/.config" || echo "# $opt is not set")
		  [ "$got" = "$line" ] || echo "$line (got: $got)"
	  done)
if [ -n "$missing" ]; then
	echo "build-kernel: options that did not make it into the kernel:" >&2
	echo "$missing" >&2
	exit 1
fi

# The compiler's warnings about upstream code go to a log, not the output.
if ! make -s -C "$src" O="$obj" -j"$(nproc)" bzImage modules >"$dir/build.log" 2>&1 ||
   ! make -s -C "$src" O="$obj" INSTALL_MOD_PATH="$mods" INSTALL_MOD_STRIP=1 \
	modules_install >>"$dir/build.log" 2>&1; then
	grep -E 'error|Error' "$dir/build.log" | tail -n 20 >&2
	exit 1
fi
echo "$want" >"$stamp"
make -s -C "$src" O="$obj" kernelrelease
