#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-host`: the project installed on a real Debian 12 system the
# way README.md's "Installing on a host" says, then booted with Secure
# Boot on and checked.
#
#  1. The system: tools/testing/host/mkbase.sh builds it with mmdebstrap
#     (the signed linux-image-amd64 of the series KVER, initramfs-tools,
#     shim-signed, grub-efi-amd64-signed, dkms, ...; cached).  Here it
#     goes onto a GPT disk image (loop devices): an ESP with Debian's
#     signed shim as \EFI\BOOT\BOOTX64.EFI, its signed grubx64.efi and
#     MokManager, and a grub.cfg that boots /vmlinuz and /initrd.img (the
#     links Debian's kernel packages keep); an ext4 root.
#  2. README's steps, its own command lines (tools/testing/host/
#     readme-steps.sh), run as root in a chroot of that root filesystem on
#     this machine (/proc, /sys, /dev bound; resolv.conf for apt-get
#     update): `make host-deps`, the Secure Boot key's `openssl req`,
#     `make install`, each in a copy of this tree in /root.  In the chroot,
#     uname -r and uname -v must be the image kernel's, as the project's
#     scripts read them: /usr/local/bin/uname (first in PATH, removed
#     afterwards) prints the release and version string that the image's
#     own /boot/vmlinuz-RELEASE carries in its boot header (what that
#     kernel's uname says: the booted system checks that it does), and
#     passes anything else to /bin/uname.  The chroot sees this
#     machine's /sys, which enforces no signatures: make install's
#     Secure Boot refusal is not exercised here (tools/testing/
#     install-check.sh does that).  `mokutil --import` (it needs
#     MokManager's password prompt at the next boot) is replaced by
#     enrolling the same certificate in MokList, the variable that
#     MokManager writes, in a copy of OVMF's variable store with
#     Microsoft's keys (OVMF_VARS_4M.ms.fd) with virt-fw-vars --add-mok;
#     its `reboot` is the boot below.  A README line of another kind fails
#     the test.
#  3. The boot: QEMU (TCG, -cpu max: emulated SVM), OVMF with Secure Boot
#     on, the disk on virtio; check-host.service runs
#     tools/testing/host/boot-check.sh (TAP on the second serial port)
#     and powers off: the signed stock kernel and its initramfs, Secure
#     Boot and lockdown on, README's modprobe line loading the rebuilt KVM
#     from updates/, upstream's xen_shinfo_test loading xen_evtchn and
#     passing, vfio-pci loading.
#  4. A kernel package update in the chroot (apt-get install
#     linux-image-amd64, from bookworm's point release to
#     bookworm-security's kernel), a boot: the stock KVM of the update
#     loads, no rebuilt KVM of an older source.
#  5. `make uninstall` in the chroot (and for the older release,
#     HOST_REL=, as README says), a boot, and the stock KVM is back,
#     nothing of ours left.
#
# Prints TAP and ends with "N passed, N failed".  Needs BUILD (the
# Makefile exports it), the selftests built (make selftests), root, and
# the tools of tools/testing/host/deps.sh.  One QEMU at a time, niced.
# BOOT_TIMEOUT (seconds, default 2400) bounds each boot.
#
# CHECK_HOST_REV=COMMIT runs the same on that commit's tree and its
# README.md instead of this working tree (the fail-first check: an older
# install path, such as 44f604a's "make deps; make install", must fail
# it); a README without the Secure Boot steps gets no MOK enrolled.
#
# usage: check-host.sh KVER
set -uo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
here=$top/tools/testing/host
kver=${1:?usage: check-host.sh KVER}
rev=${CHECK_HOST_REV:-}
out=$BUILD/host/$kver${rev:+-$rev}
mnt=$out/root
disk=$out/disk.img
pkg=xen-evtchn-accel
proj=/root/$pkg
boot_timeout=${BOOT_TIMEOUT:-2400}
# Fixed identities of the disk's filesystems (grub.cfg and fstab name them).
root_uuid=5a1c3d2e-4b6f-4e8a-9c0d-24e0c4ec2400
esp_id=24EC2400
esp_uuid=24EC-2400
# GPT: the ESP at 1 MiB (256 MiB), the root after it, 12 GiB in all (in
# 512-byte sectors; the last MiB left for the backup GPT).
esp_start=2048 esp_size=524288 root_start=526336
disk_sectors=$((12 * 1024 * 1024 * 2))
root_size=$((disk_sectors - root_start - 2048))
passed=0 failed=0

result() {
	if [ "$1" = 0 ]; then
		passed=$((passed + 1))
		echo "ok - host-$kver: $2"
	else
		failed=$((failed + 1))
		echo "not ok - host-$kver: $2"
	fi
	return "$1"
}

comment() {
	sed 's/^/# /'
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
	exit
}

umount_all() {
	local m l
	for m in dev/pts dev sys proc ""; do
		mountpoint -q "$mnt/$m" && umount "$mnt/$m"
	done
	for l in $(losetup -j "$disk" 2>/dev/null | cut -d: -f1); do
		losetup -d "$l"
	done
}
trap umount_all EXIT

# attach OFFSET SIZE: a loop device for that part of the disk (sectors).
attach() {
	losetup -f --show --offset $(($1 * 512)) --sizelimit $(($2 * 512)) "$disk"
}

# mount_disk [chroot]: the root filesystem on $mnt (once: never two loop
# devices on it at a time), and with
# "chroot", /proc, /sys, /dev and name resolution for the chroot.
mount_disk() {
	local l
	mkdir -p "$mnt"
	! mountpoint -q "$mnt" || { echo "$mnt: mounted already"; return 1; }
	l=$(attach $root_start $root_size) && mount "$l" "$mnt" || return 1
	[ "${1:-}" = chroot ] || return 0
	mount --bind /proc "$mnt/proc" && mount --bind /sys "$mnt/sys" &&
		mount --bind /dev "$mnt/dev" && mount --bind /dev/pts "$mnt/dev/pts" &&
		cp /etc/resolv.conf "$mnt/etc/resolv.conf"
}

unmount_disk() {
	rm -f "$mnt/etc/resolv.conf"
	umount_all
}

# in_chroot CMD: CMD run by bash as root in the image, in the project's
# copy, with a clean environment.
in_chroot() {
	nice -n 10 chroot "$mnt" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "cd $proj && $1"
}

# The disk, from the base system tarball: partitions, filesystems, the
# tarball, fstab, the ESP.
make_disk() {
	local tar=$1
	rm -f "$disk"
	truncate -s $((disk_sectors * 512)) "$disk"
	sfdisk -q "$disk" <<-EOF || return 1
		label: gpt
		start=$esp_start, size=$esp_size, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=ESP
		start=$root_start, size=$root_size, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=root
	EOF
	local l esp=$out/esp
	l=$(attach $root_start $root_size) && mkfs.ext4 -q -U $root_uuid -L root "$l" || return 1
	umount_all
	mount_disk || return 1
	tar -C "$mnt" --numeric-owner --xattrs --xattrs-include='*' -xpf "$tar" || return 1
	cat >"$mnt/etc/fstab" <<-EOF
		UUID=$root_uuid / ext4 errors=remount-ro 0 1
		UUID=$esp_uuid /boot/efi vfat umask=0077 0 1
	EOF
	# The ESP, made with mtools (this machine's kernel may have no vfat):
	# Debian's removable-media layout, shim as the default loader, which
	# runs grubx64.efi (and mmx64.efi, MokManager) from its directory;
	# Debian's signed grub reads /EFI/debian/grub.cfg (its prefix).
	# Under TCG, on a busy machine, udev can take longer than systemd's
	# 90 s for a device (the ESP of fstab): the system would stop in
	# emergency mode.
	rm -rf "$esp" "$esp.img"
	mkdir -p "$esp/EFI/BOOT" "$esp/EFI/debian" "$mnt/boot/efi"
	cp "$mnt/usr/lib/shim/shimx64.efi.signed" "$esp/EFI/BOOT/BOOTX64.EFI" &&
		cp "$mnt/usr/lib/shim/mmx64.efi.signed" "$esp/EFI/BOOT/mmx64.efi" &&
		cp "$mnt/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed" \
			"$esp/EFI/BOOT/grubx64.efi" || return 1
	cat >"$esp/EFI/debian/grub.cfg" <<-EOF
		set timeout=0
		search --no-floppy --fs-uuid --set=root $root_uuid
		linux /vmlinuz root=UUID=$root_uuid ro console=ttyS0,115200 systemd.default_device_timeout_sec=900
		initrd /initrd.img
		boot
	EOF
	cp "$esp/EFI/debian/grub.cfg" "$esp/EFI/BOOT/grub.cfg"
	truncate -s $((esp_size * 512)) "$esp.img"
	mkfs.vfat -F 32 -i $esp_id -n ESP "$esp.img" >/dev/null &&
		mcopy -s -i "$esp.img" "$esp/EFI" ::/ &&
		dd if="$esp.img" of="$disk" bs=512 seek=$esp_start conv=notrunc,sparse status=none &&
		umount_all
}

# kernel_string RELEASE: the version string in the image kernel's boot
# header ("RELEASE (builder) #1 SMP ... Debian VERSION (date)"): the
# x86 boot protocol's kernel_version field, at 0x20e, is its offset
# less 0x200.
kernel_string() {
	local img=$mnt/boot/vmlinuz-$1 off
	off=$(od -An -tu2 -j 526 -N 2 "$img" | tr -d ' ')
	dd if="$img" bs=1 skip=$((off + 512)) count=512 status=none | tr '\0' '\n' | head -n 1
}

# fake_uname RELEASE: /usr/local/bin/uname, saying what that kernel says.
fake_uname() {
	local s r v
	s=$(kernel_string "$1")
	r=${s%% *} v=${s#*) }
	if [ "$r" != "$1" ] || [ -z "$v" ]; then
		echo "cannot read the version string of vmlinuz-$1 ($s)"
		return 1
	fi
	cat >"$mnt/usr/local/bin/uname" <<-EOF
		#!/bin/sh
		# make check-host: the image's kernel, $1, as uname -r and -v
		# would say in that kernel; anything else from /bin/uname.
		case "\$*" in
		-r) echo '$r' ;;
		-v) echo '$v' ;;
		*) exec /bin/uname "\$@" ;;
		esac
	EOF
	chmod 755 "$mnt/usr/local/bin/uname"
	echo "$r" >"$out/release"
	echo "$v" >"$out/version"
	echo "uname -r: $r; uname -v: $v"
}

# copy_tree: this tree's files (tracked and new, not build/) to $proj;
# with CHECK_HOST_REV, that commit's.
copy_tree() {
	rm -rf "${mnt:?}$proj"
	mkdir -p "$mnt$proj"
	if [ -n "$rev" ]; then
		git -C "$top" archive "$rev" | tar -C "$mnt$proj" -xf -
		return
	fi
	git -C "$top" ls-files -z --cached --others --exclude-standard |
		tar -C "$top" --null -T - --ignore-failed-read -cf - |
		tar -C "$mnt$proj" -xf -
}

# The boot's checks, and what they read (tools/testing/host/boot-check.sh).
setup_boot_check() {
	local phase=$1 modprobe=$2 c=$mnt/etc/check-host
	mkdir -p "$c" "$mnt/opt/check-host"
	install -m 755 "$here/boot-check.sh" "$mnt/usr/local/sbin/check-host-boot"
	install -D -m 644 "$top/tools/testing/shinfo-retry.sh" \
		"$mnt/usr/local/lib/check-host/shinfo-retry.sh"
	install -m 644 "$here/check-host.service" "$mnt/etc/systemd/system/check-host.service"
	ln -sf /etc/systemd/system/check-host.service \
		"$mnt/etc/systemd/system/multi-user.target.wants/check-host.service"
	echo "$phase" >"$c/phase"
	cp "$out/release" "$c/release"
	cp "$out/version" "$c/version"
	echo "$modprobe" >"$c/modprobe"
	install -m 755 "$BUILD/selftests/kvm/x86_64/xen_shinfo_test" "$mnt/opt/check-host/"
	if [ "$kver" = 6.1 ]; then
		install -m 644 "$BUILD/selftests/kvm61/kvm61_preload.so" "$mnt/opt/check-host/"
		echo "VM_PRELOAD=/opt/check-host/kvm61_preload.so" >"$c/selftest-env"
	else
		echo "VM_PRELOAD=" >"$c/selftest-env"
	fi
}

# boot NAME: the disk booted with Secure Boot on; the checks' TAP in
# $out/NAME.tap, the console in $out/NAME.console.  Prints the time.
# A boot that cannot go on (the initramfs's shell, a panic, a refused
# signature) is stopped when the console shows it, one that takes
# longer than BOOT_TIMEOUT at that.
stuck='\(initramfs\) |Kernel panic|You are in emergency mode|bad shim signature|Security Violation|Access Denied|you need to load the kernel first'
boot() {
	local name=$1 t0 pid st=0 why=
	rm -f "$out/$name.console" "$out/$name.tap"
	cp "$out/vars.fd" "$out/$name.vars.fd"
	# One of these QEMUs at a time, whichever run it is of.
	exec 9>"$BUILD/host/.qemu.lock"
	flock 9
	t0=$(date +%s)
	nice -n 10 qemu-system-x86_64 \
		-accel tcg -cpu max -smp 1 -m 2048 \
		-machine q35,smm=on \
		-global driver=cfi.pflash01,property=secure,value=on \
		-drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.ms.fd \
		-drive if=pflash,format=raw,unit=1,file="$out/$name.vars.fd" \
		-drive if=virtio,format=raw,file="$disk" \
		-nodefaults -display none -no-reboot -nic none \
		-serial file:"$out/$name.console" -serial file:"$out/$name.tap" \
		</dev/null >"$out/$name.qemu.log" 2>&1 &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		sleep 5
		if grep -qaE "$stuck" "$out/$name.console" 2>/dev/null; then
			why="stuck: $(grep -aoE "$stuck" "$out/$name.console" | head -n 1)"
		elif [ $(($(date +%s) - t0)) -gt "$boot_timeout" ]; then
			why="over BOOT_TIMEOUT ($boot_timeout s)"
		fi
		if [ -n "$why" ]; then
			sleep 5
			kill $pid 2>/dev/null
			st=1
		fi
	done
	wait $pid || st=1
	exec 9>&-
	echo "boot $name: QEMU exited ${why:-$st} after $(($(date +%s) - t0)) s"
	return $st
}

# boot_and_check NAME: boot, and a result for each of the boot's checks.
boot_and_check() {
	local name=$1 log st line
	log=$(boot "$name")
	st=$?
	comment <<<"$log"
	result $st "boot ($name): the system boots and powers itself off ($(sed -n 's/.*after \([0-9]*\) s$/\1 s/p' <<<"$log"))"
	[ -s "$out/$name.tap" ] || {
		result 1 "boot ($name): the checks ran (no TAP; console's end:)"
		tail -n 40 "$out/$name.console" | comment
		return
	}
	while IFS= read -r line; do
		line=${line%$'\r'}
		case $line in
		"ok "*) result 0 "${line#ok * - }" ;;
		"not ok "*) result 1 "${line#not ok * - }" ;;
		*" passed, "*" failed") ;;
		*) echo "$line" ;;
		esac
	done < <(sed -n '/^TAP version/,$p' "$out/$name.tap")
	tr -d '\r' <"$out/$name.tap" | grep -qa ' passed, [0-9]* failed$'
	result $? "boot ($name): the checks completed"
}

mkdir -p "$out"
t_start=$(date +%s)
need=("$BUILD/selftests/kvm/x86_64/xen_shinfo_test")
[ "$kver" != 6.1 ] || need+=("$BUILD/selftests/kvm61/kvm61_preload.so")
for f in "${need[@]}"; do
	[ -f "$f" ] || { result 1 "selftests built ($f: make selftests)"; finish; }
done

# 1. The system and its disk.
t0=$(date +%s)
if ! base=$("$here/mkbase.sh" "$kver" "$BUILD/host" 2>"$out/mkbase.log"); then
	result 1 "Debian 12 system image (mmdebstrap)"
	tail -n 30 "$out/mkbase.log" | comment
	finish
fi
read -r tar rel ver <<<"$base"
result 0 "Debian 12 system image: linux-image-amd64 -> linux-image-$rel $ver, signed ($(($(date +%s) - t0)) s; ${tar##*/})"
t0=$(date +%s)
make_disk "$tar" >"$out/disk.log" 2>&1
result $? "GPT disk: ESP (shim, grub, MokManager), ext4 root ($(($(date +%s) - t0)) s)" ||
	{ comment <"$out/disk.log"; finish; }
[ "$failed" = 0 ] || finish
dpkg_images() {
	# shellcheck disable=SC2016 # dpkg-query's fields
	chroot "$mnt" dpkg-query -W -f='${Package} ${Version} ${db:Status-Abbrev}\n' 'linux-image*' |
		grep ' ii *$'
}

# 2. README's steps.
if [ -n "$rev" ]; then
	git -C "$top" show "$rev:README.md" >"$out/README.md" ||
		{ result 1 "CHECK_HOST_REV=$rev: its README.md"; finish; }
else
	cp "$top/README.md" "$out/README.md"
fi
mapfile -t steps < <("$here/readme-steps.sh" "$out/README.md")
deps=() key= mok= install= modprobe= bad=
for s in "${steps[@]}"; do
	case $s in
	"make host-deps"* | "make deps"*) deps+=("$s") ;;
	"openssl req "*) key=$s ;;
	"mokutil --import "*) mok=$s ;;
	"reboot"*) ;;
	"make install"*) install=$s ;;
	"modprobe "*) modprobe=$s ;;
	*) bad+="$s; " ;;
	esac
done
[ -z "$bad" ] && [ ${#deps[@]} -gt 0 ] && { [ -n "$rev" ] || [ -n "$key" ]; } &&
	[ -n "$install" ] && [ -n "$modprobe" ]
result $? "README.md's host steps are the ones this test knows how to run${bad:+ (unknown: $bad)}" ||
	finish
printf '%s\n' "${steps[@]}" | comment

mount_disk chroot >"$out/mount.log" 2>&1 || { result 1 "chroot"; comment <"$out/mount.log"; finish; }
images_before=$(dpkg_images)
comment <<<"$images_before"
copy_tree
fake_uname "$rel" | comment
# run_step CMD [WHAT]: CMD in the chroot, a result (WHAT: whose step it
# is, README's unless given).
run_step() {
	local s=$1 what=${2:-README} t0 st
	t0=$(date +%s)
	in_chroot "$s" >"$out/step.log" 2>&1
	st=$?
	result $st "$what, in the image: $s ($(($(date +%s) - t0)) s)"
	[ $st = 0 ] || tail -n 30 "$out/step.log" | comment
	cat "$out/step.log" >>"$out/steps.log"
	return $st
}
: >"$out/steps.log"
for s in "${deps[@]}"; do
	run_step "$s" || finish
done
if [ -n "$key" ]; then
	[ ! -e "$mnt/var/lib/dkms/mok.key" ]
	result $? "no MOK key before README's Secure Boot steps (dkms makes none when installed)"
	run_step "$key" || finish
	# mokutil --import, MokManager's enrollment at the next boot: the
	# same certificate added to MokList in the firmware's variable store.
	openssl x509 -inform DER -in "$mnt/var/lib/dkms/mok.pub" -out "$out/mok.pem" &&
		virt-fw-vars -i /usr/share/OVMF/OVMF_VARS_4M.ms.fd \
			--add-mok 605dab50-e046-4300-abb6-3dd810dd8b23 "$out/mok.pem" \
			-o "$out/vars.fd" >"$out/vars.log" 2>&1
	result $? "README's '$mok': the certificate enrolled in MokList (virt-fw-vars --add-mok on OVMF_VARS_4M.ms.fd)" ||
		{ comment <"$out/vars.log"; finish; }
else
	cp /usr/share/OVMF/OVMF_VARS_4M.ms.fd "$out/vars.fd"
fi
run_step "$install" || finish
images_after=$(dpkg_images)
[ "$images_before" = "$images_after" ]
result $? "README's steps left the kernel packages as they were (dpkg -l 'linux-image*')" ||
	diff <(echo "$images_before") <(echo "$images_after") | comment
rm -f "$mnt/usr/local/bin/uname"
setup_boot_check installed "$modprobe"
unmount_disk

# 3. Boot, installed.
boot_and_check installed
if [ -n "$rev" ]; then
	# An older tree: its installed boot tells.
	echo "# check-host $kver (CHECK_HOST_REV=$rev): $(($(date +%s) - t_start)) s in all"
	finish
fi

# 4. A kernel package update, as apt-get makes it (the image's kernel is
# bookworm's point release; bookworm-security has a newer one): the
# kernel packages' postinst hooks run, ours among them, then a boot
# into it.  Debian offers the same release name in a new package version
# (our hook then takes the rebuilt KVM out of the way) or a new release
# (the old release's install stays, unused); either way the stock KVM of
# the update must be what loads.
if ! mount_disk chroot >"$out/mount.log" 2>&1; then
	result 1 "chroot for the kernel update"
	comment <"$out/mount.log"
	finish
fi
fake_uname "$rel" >/dev/null
run_step "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q linux-image-amd64" \
	"the kernel update"
grep -a 'xen-evtchn-accel' "$out/step.log" | comment
# shellcheck disable=SC2016 # dpkg-query's fields
read -r rel2 ver2 < <(chroot "$mnt" dpkg-query -W -f='${Depends}\n' linux-image-amd64 |
	sed -n 's/.*linux-image-\([^ ]*\) (= \(.*\))$/\1 \2/p')
echo "# kernel update: linux-image-$rel $ver -> linux-image-$rel2 $ver2"
[ -n "$rel2" ] && [ "$ver2" != "$ver" ]
result $? "the update installed a newer kernel package ($rel2 $ver2)"
if [ "$rel2" = "$rel" ]; then
	[ ! -e "$mnt/var/lib/$pkg/$rel.manifest" ] && [ ! -e "$mnt/lib/modules/$rel/updates/$pkg" ]
	result $? "same release, new package version: the hook took the rebuilt KVM of $ver out of the way"
else
	[ -f "$mnt/var/lib/$pkg/$rel.manifest" ] && [ ! -e "$mnt/lib/modules/$rel2/updates/$pkg" ]
	result $? "new release $rel2: nothing of ours for it, $rel's install as it was"
fi
fake_uname "$rel2" | comment
rm -f "$mnt/usr/local/bin/uname"
setup_boot_check upgraded "$modprobe"
unmount_disk
boot_and_check upgraded

# 5. make uninstall (for the running kernel, and as README says for
# another release, HOST_REL=), boot.
if mount_disk chroot >"$out/mount.log" 2>&1; then
	fake_uname "$rel2" >/dev/null
	run_step "make uninstall" "README (make uninstall)"
	[ "$rel2" = "$rel" ] ||
		run_step "make uninstall HOST_REL=$rel" "README (make uninstall, another release)"
	rm -f "$mnt/usr/local/bin/uname"
	setup_boot_check uninstalled "$modprobe"
	unmount_disk
	boot_and_check uninstalled
else
	result 1 "chroot for make uninstall"
	comment <"$out/mount.log"
fi
echo "# check-host $kver: $(($(date +%s) - t_start)) s in all"
finish
