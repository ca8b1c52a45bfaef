#!/bin/bash
# Idempotent setup of a fresh Debian 12 machine for building and testing fsmb.
# Run as root. Steps:
#   1. apt: host build dependencies, the tools the test guest runs (the guest
#      sees the host's / read-only, so they are installed here), and
#      linux-headers-$KVER. `apt-get update` only when something is missing
#      (or APT_UPDATE=1, e.g. to pick up a new Debian kernel ABI).
#   2. linux-image-$KVER: `apt-get download` + `dpkg-deb -x` into the cache
#      (never installed), depmod -C scripts/vm/depmod.conf (updates/ first)
#   3. samba's .deb, downloaded only: FSMB_TEST_SERVER=samba runs the VM tests
#      against Samba's smbd to check the tests themselves (the guest unpacks it)
#   4. the initramfs (scripts/vm/mkinitramfs.sh)
#   5. `make` in the repository top, against the guest kernel's headers
# Everything version-specific is cached in ${FSMB_VMDIR:-/var/tmp/fsmb-vm}/<KVER>_<KPKGVER>/;
# a step reruns only when its stamp's inputs changed (FORCE=1 redoes them all).
# Nothing is written outside that directory except through apt and make.
# SETUP_NO_MAKE=1 skips step 5. Exit status: make's (or the first failure's).
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/vm/config.sh"

# What the host needs to build fsmb (kernel module, daemon, tools, unit tests, fuzzers).
BUILD_PKGS=(build-essential pkg-config libcmocka-dev libnl-genl-3-dev libnl-3-dev
	libmnl-dev nettle-dev libgnutls28-dev clang libclang-rt-14-dev llvm
	linux-source-6.1 dkms)
# The VM harness itself, and what the guest runs from the host root.
VM_PKGS=(qemu-system-x86 busybox-static kmod cpio gzip xz-utils binutils e2fsprogs iproute2
	procps util-linux passwd)
# fio, dbench, iperf3: scripts/bench. tcpdump and python3: scripts/fuzz/capture
# (traffic for the fuzzers' corpora).
TEST_PKGS=(smbclient cifs-utils samba-testsuite samba-common-bin python3-impacket
	fio dbench iperf3 tcpdump python3)
# Downloaded, not installed (unpacked inside the guest when needed). samba
# itself is not installed on the host; its dependencies are (samba_deps below).
PEER_DEBS=(samba)

t_start=$(date +%s)
step() { echo "== setup: $* ($(($(date +%s) - t_start))s)"; }
die() { echo "setup: $*" >&2; exit 1; }
not_installed() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null | grep -qx installed || echo "$p"
	done
}
apt_updated=0
apt_update() {
	[ $apt_updated = 1 ] && return
	"${APT_GET[@]}" update
	apt_updated=1
}
apt_install() {
	apt_update
	DEBIAN_FRONTEND=noninteractive "${APT_GET[@]}" install -y --no-install-recommends "$@"
}

[ "$(id -u)" = 0 ] || die "run as root"
[ "${APT_UPDATE:-0}" = 1 ] && apt_update

step "packages"
if [ -z "${KVER:-}" ]; then
	KVER=$(detect_kver)
	[ -n "$KVER" ] || { apt_update; KVER=$(detect_kver); }
	[ -n "$KVER" ] || die "cannot tell the kernel ABI from 'apt-cache depends linux-image-amd64'"
fi
KPKGVER=${KPKGVER:-$(detect_candidate "linux-image-$KVER")}
if [ -z "$KPKGVER" ] || [ "$KPKGVER" = "(none)" ]; then
	apt_update
	KPKGVER=$(detect_candidate "linux-image-$KVER")
fi
[ -n "$KPKGVER" ] && [ "$KPKGVER" != "(none)" ] || die "no candidate version of linux-image-$KVER"
set_derived
echo "guest kernel: $KVER ($KPKGVER), cache: $KCACHE"

need=$(not_installed "${BUILD_PKGS[@]}" "${VM_PKGS[@]}" "${TEST_PKGS[@]}")
if [ "$(dpkg-query -W -f='${Version}' "linux-headers-$KVER" 2>/dev/null)" != "$KPKGVER" ] ||
	[ -n "$(not_installed "linux-headers-$KVER")" ]; then
	need="$need linux-headers-$KVER=$KPKGVER"
fi
# shellcheck disable=SC2086
[ -z "${need// /}" ] || apt_install $need
# The peers' own dependencies (libraries, python3-samba, ...), without the peers.
peer_deps() {
	local p
	for p in "${PEER_DEBS[@]}"; do
		apt-cache depends "$p" | awk '$1 == "Depends:" && $2 !~ /^</ {print $2}'
	done | sort -u
}
deps=$(peer_deps)
[ -n "$deps" ] || { apt_update; deps=$(peer_deps); }
# shellcheck disable=SC2086
need=$(not_installed $deps)
# shellcheck disable=SC2086
[ -z "$need" ] || apt_install $need

mkdir -p "$VMDIR/debs" "$KCACHE"
[ "${FORCE:-0}" = 1 ] && rm -f "$KCACHE"/.stamp-*
# stamp NAME VALUE: true if step NAME last ran with VALUE; mark NAME VALUE records it.
stamp() { [ -f "$KCACHE/.stamp-$1" ] && [ "$(cat "$KCACHE/.stamp-$1")" = "$2" ]; }
mark() { echo "$2" > "$KCACHE/.stamp-$1"; }
hashof() { cat "$@" | sha256sum | cut -c1-16; }
download() {    # package version arch -> path of the .deb in $VMDIR/debs
	local f="$VMDIR/debs/${1}_${2/:/%3a}_${3}.deb"     # apt's file name for epoch "N:"
	if [ ! -s "$f" ]; then
		(cd "$VMDIR/debs" && "${APT_GET[@]}" -o APT::Sandbox::User=root download "$1=$2") >&2
	fi
	[ -s "$f" ] || die "download of $1=$2 did not produce $f"
	echo "$f"
}

step "guest kernel"
if ! stamp kernel "$KPKGVER $(hashof "$VMKIT/depmod.conf")" || [ ! -d "$KROOT" ]; then
	deb=$(download "linux-image-$KVER" "$KPKGVER" amd64)
	rm -rf "$KROOT" "$KROOT.tmp"
	dpkg-deb -x "$deb" "$KROOT.tmp"
	# The .deb ships no modules.dep (its postinst would run depmod).
	depmod -C "$VMKIT/depmod.conf" -b "$KROOT.tmp" "$KVER"
	mv "$KROOT.tmp" "$KROOT"
	mark kernel "$KPKGVER $(hashof "$VMKIT/depmod.conf")"
fi

step "peer .debs (${PEER_DEBS[*]})"
for p in "${PEER_DEBS[@]}"; do
	v=$(detect_candidate "$p")
	a=$(apt-cache show "$p=$v" 2>/dev/null | awk '/^Architecture:/ {print $2; exit}')
	deb=$(download "$p" "$v" "${a:-amd64}")
	ln -sfn "$(basename "$deb")" "$VMDIR/debs/$p.deb"      # what the guest unpacks
done

step "peers (scripts/peers/build.sh)"; KVER=$KVER KPKGVER=$KPKGVER "$REPO/scripts/peers/build.sh"

step "initramfs"
h=$(hashof "$VMKIT/mkinitramfs.sh" "$VMKIT/initramfs-init.sh" "$(command -v busybox)")
if ! stamp initramfs "$KPKGVER $h" || [ ! -s "$KCACHE/initramfs.cpio.gz" ]; then
	KVER=$KVER KPKGVER=$KPKGVER "$VMKIT/mkinitramfs.sh"
	mark initramfs "$KPKGVER $h"
fi

printf 'KVER=%s\nKPKGVER=%s\n' "$KVER" "$KPKGVER" > "$VMDIR/env"
step "VM ready: $VMDIR/env says KVER=$KVER KPKGVER=$KPKGVER"

[ "${SETUP_NO_MAKE:-0}" = 1 ] && exit 0
step "make -C $REPO KDIR=$KHEADERS"
rc=0
make -C "$REPO" KDIR="$KHEADERS" || rc=$?
step "done (make exit $rc)"
exit $rc
