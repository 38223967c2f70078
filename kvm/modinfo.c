// SPDX-License-Identifier: GPL-2.0
/*
 * What each rebuilt KVM module says of itself, compiled into kvm.ko,
 * kvm-amd.ko and kvm-intel.ko (kvm/rebuild-kvm.sh links this file into
 * each under a name of its own, with the two strings defined):
 *
 * - MODULE_VERSION, the project's version.  dkms installs a module only if
 *   its version differs from the one of that name already in the kernel's
 *   tree (and is not older): the stock KVM modules have none, so without
 *   one ours would count as the same and not be installed.
 * - linux_source, the version of the linux-source package KVM was rebuilt
 *   from, which is the kernel package version it matches.  A kernel
 *   update keeps the release name across package versions: the kernel
 *   postinst hook (tools/build/kernel-postinst.sh) compares the two.
 */
#include <linux/module.h>

MODULE_VERSION(XEN_ACCEL_VERSION);
MODULE_INFO(linux_source, XEN_ACCEL_LINUX_SOURCE);
