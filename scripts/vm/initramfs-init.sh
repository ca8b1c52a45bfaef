#!/bin/sh
# /init of the initramfs (busybox). Mounts the host's / (9p tag "hostroot",
# read-only) as the lower layer of an overlay whose upper layer is a tmpfs,
# and switch_root's into $vmstage2 (scripts/vm/stage2.sh, read from the host)
# as the new PID 1. vm* variables come from the kernel command line: the
# kernel passes unknown key=value parameters to init as environment.
export PATH=/bin
fail() {
	echo "initramfs: $*"
	busybox poweroff -f
}
busybox mount -t proc proc /proc
busybox mount -t sysfs sysfs /sys
busybox mount -t devtmpfs devtmpfs /dev
# virtio_pci, 9pnet_virtio, 9p, overlay and their dependencies, in the order
# `modprobe --show-depends` gave.
for m in $(busybox cat /modules/order); do
	busybox insmod "/modules/$m" || echo "initramfs: insmod $m failed"
done
# msize 512000 is the largest virtio-9p accepts in 6.1. cache=loose: the host
# root does not change under a test (build before booting).
busybox mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose,ro \
	hostroot /lower || fail "9p mount of the host root failed"
busybox mount -t tmpfs -o "size=${vmtmpfs:-1G},mode=755" rwlayer /rw
busybox mkdir -p /rw/upper /rw/work
busybox mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work \
	overlay /newroot || fail "overlay mount failed"
busybox mkdir -p /newroot/.lower /newroot/.rw
busybox mount --move /lower /newroot/.lower
busybox mount --move /rw /newroot/.rw
busybox mount --move /dev /newroot/dev
busybox umount /proc /sys
[ -n "$vmstage2" ] || fail "no vmstage2= on the kernel command line"
exec busybox switch_root /newroot "$vmstage2"
