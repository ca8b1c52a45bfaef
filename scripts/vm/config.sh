# Sourced (bash) by the host-side VM scripts: paths, guest kernel version.
# Every setting can be overridden from the environment.
#
#   FSMB_VMDIR  cache and results root, outside the repo (default /var/tmp/fsmb-vm)
#   KVER        guest kernel ABI, e.g. 6.1.0-56-amd64. setup.sh detects it with
#               `apt-cache depends linux-image-amd64` and records it in
#               $VMDIR/env; the other scripts read it from there.
#   KPKGVER     Debian version of that kernel package, e.g. 6.1.192-2
#
# Derived: KCACHE=$VMDIR/${KVER}_${KPKGVER} holds everything version-specific:
#   kernel/             linux-image-$KVER unpacked (never installed); fsmb's
#                       modules go to kernel/lib/modules/$KVER/updates/
#   initramfs.cpio.gz   busybox-static + virtio/9p/overlay modules
#   .stamp-*            setup.sh's record of what each step was built from

VMKIT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)     # scripts/vm
REPO=$(cd "$VMKIT/../.." && pwd)                          # the repository top
VMDIR=${FSMB_VMDIR:-/var/tmp/fsmb-vm}
APT_GET=(apt-get -o DPkg::Lock::Timeout=300)

detect_kver() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\([0-9].*\)$/\1/p' | head -n1
}

detect_candidate() {    # package -> apt's candidate version
	apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}'
}

set_derived() {
	KCACHE=$VMDIR/${KVER}_${KPKGVER}
	KROOT=$KCACHE/kernel                            # unpacked linux-image
	KHEADERS=/usr/src/linux-headers-$KVER
	UPDATES=$KROOT/lib/modules/$KVER/updates        # where install-modules.sh puts fsmb.ko
}

# Fill KVER/KPKGVER from what setup.sh recorded, unless the caller set them.
load_env() {
	if [ -r "$VMDIR/env" ]; then
		local k p
		k=$(sed -n 's/^KVER=//p' "$VMDIR/env")
		p=$(sed -n 's/^KPKGVER=//p' "$VMDIR/env")
		KVER=${KVER:-$k}
		if [ "$KVER" = "$k" ]; then KPKGVER=${KPKGVER:-$p}; fi
	fi
	if [ -z "${KVER:-}" ] || [ -z "${KPKGVER:-}" ]; then
		echo "KVER/KPKGVER unknown: run scripts/setup.sh first (or set both)" >&2
		return 1
	fi
	set_derived
}

# Run, not sourced: `bash config.sh --kheaders` prints the guest kernel's
# header directory, which the Makefile builds the module against.
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ "${1:-}" = --kheaders ]; then
	load_env && echo "$KHEADERS"
fi
