#!/bin/bash
# Build $KCACHE/initramfs.cpio.gz: static busybox, initramfs-init.sh as /init,
# and the modules needed to mount the 9p host root and the overlay, with their
# dependencies in load order from `modprobe --show-depends` (run against the
# unpacked kernel's modules.dep, so nothing of the host's /lib/modules is used).
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/config.sh"
load_env
# Debian builds all of these as modules (9p, virtio, overlay are =m in 6.1).
INITRAMFS_MODULES=${INITRAMFS_MODULES:-"virtio_pci 9pnet_virtio 9p overlay"}
OUT=$KCACHE/initramfs.cpio.gz
W=$(mktemp -d "$KCACHE/initrd.XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir -p "$W"/{bin,dev,proc,sys,newroot,lower,rw,modules}
BB=$(command -v busybox)
# Must be busybox-static (the initramfs has no libraries; `busybox` conflicts with it).
case $(LC_ALL=C ldd "$BB" 2>&1 || true) in
*"not a dynamic"*) ;;
*) echo "$BB is not statically linked: install busybox-static" >&2; exit 1 ;;
esac
cp "$BB" "$W/bin/busybox"
ln -s busybox "$W/bin/sh"
: > "$W/modules/order"
for top in $INITRAMFS_MODULES; do
	modprobe -d "$KROOT" -S "$KVER" --show-depends "$top"
done | awk '$1 == "insmod" && !seen[$2]++ {print $2}' | while read -r ko; do
	cp "$ko" "$W/modules/"
	basename "$ko" >> "$W/modules/order"
done
[ -s "$W/modules/order" ] || { echo "mkinitramfs: no modules found in $KROOT" >&2; exit 1; }
install -m 755 "$VMKIT/initramfs-init.sh" "$W/init"
(cd "$W" && find . | cpio -o -H newc --quiet | gzip -1) > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "initramfs: $OUT ($(stat -c %s "$OUT") bytes; modules: $(tr '\n' ' ' < "$W/modules/order"))"
