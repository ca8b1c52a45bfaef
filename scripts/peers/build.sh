#!/bin/bash
# The peers fsmb is measured against, for the test guest (called by
# scripts/setup.sh; run as root; idempotent, ~2 s when nothing changed):
#   ksmbd.ko  fs/smb/server of Debian's linux-source-$KSERIES, the same
#             version as the guest kernel (KPKGVER), built out of tree with
#             SMB Direct (CONFIG_SMB_SERVER_SMBDIRECT) and patches/ksmbd-*.patch
#             (without them Debian's ksmbd rejects ksmbd-tools 3.4.7's share
#             configs and oopses on the first plain open)
#   cifs.ko   fs/smb/client of the same source with SMB Direct (CONFIG_CIFS_SMB_DIRECT)
#   ksmbd-tools' .deb, downloaded only ($VMDIR/debs/ksmbd-tools.deb): it
#             Conflicts: samba, and the host keeps samba-testsuite/smbclient
#             and samba's libraries; the guest unpacks it into its RAM overlay
#             (tests/vm/lib.sh, FSMB_TEST_SERVER=ksmbd). Its few libraries are
#             installed on the host.
#   samba-vfs-modules, installed on the host (no conflict): streams_xattr and
#             the other VFS modules the samba .deb of scripts/setup.sh lacks
#             (scripts/conformance configures Samba with streams_xattr)
# Both modules are stripped (--strip-debug; the unstripped ones stay in
# $KCACHE/peers/oot for gdb/addr2line) into the unpacked guest kernel's
# lib/modules/$KVER/updates/, then `depmod -C scripts/vm/depmod.conf`: in the
# guest `modprobe ksmbd` and the mount-time autoload of cifs pick them.
# scripts/vm/install-modules.sh only removes the modules it installed itself
# (its manifest), so these stay.
# Why out of tree and how (see also the comments below): kbuild against
# linux-headers-$KVER; the headers have no scripts/asn1_compiler, so it is
# compiled from linux-source and the *.asn1 grammars are turned into .c/.h
# here; CONFIG_X=y on the make command line selects the SMB Direct objects and
# KCFLAGS=-DCONFIG_X=1 makes the C code see it (the headers' autoconf.h does
# not define it).
# Cache: $KCACHE/peers/ (src/, asn1_compiler, oot/, out/, build.log); each
# step reruns only when its stamp ($KCACHE/.stamp-peers-*) says its inputs
# changed; FORCE=1 (as for setup.sh) redoes them.
# Environment: KVER, KPKGVER (default: $VMDIR/env), FSMB_VMDIR, JOBS.
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/../vm/config.sh"
load_env
PEERKIT=$REPO/scripts/peers
KSERIES=$(echo "$KVER" | cut -d. -f1,2)         # 6.1.0-56-amd64 -> 6.1
P=$KCACHE/peers
SRC=$P/src/linux-source-$KSERIES
JOBS=${JOBS:-$(nproc)}

say() { echo "== peers: $*"; }
die() { echo "peers/build.sh: $*" >&2; exit 1; }
stamp() { [ -f "$KCACHE/.stamp-peers-$1" ] && [ "$(cat "$KCACHE/.stamp-peers-$1")" = "$2" ]; }
mark() { echo "$2" > "$KCACHE/.stamp-peers-$1"; }
hashof() { cat "$@" | sha256sum | cut -c1-16; }
not_installed() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null | grep -qx installed || echo "$p"
	done
}
download() {    # package version arch -> path of the .deb in $VMDIR/debs
	local f="$VMDIR/debs/${1}_${2/:/%3a}_${3}.deb"
	if [ ! -s "$f" ]; then
		(cd "$VMDIR/debs" && "${APT_GET[@]}" -o APT::Sandbox::User=root download "$1=$2") >&2
	fi
	[ -s "$f" ] || die "download of $1=$2 did not produce $f"
	echo "$f"
}
[ "$(id -u)" = 0 ] || die "run as root"
[ -d "$KROOT/lib/modules/$KVER" ] || die "no guest kernel in $KROOT: run scripts/setup.sh"
[ -d "$KHEADERS" ] || die "no $KHEADERS: run scripts/setup.sh"
mkdir -p "$P" "$VMDIR/debs"
[ "${FORCE:-0}" = 1 ] && rm -f "$KCACHE"/.stamp-peers-*

# ---- ksmbd-tools: .deb for the guest, its libraries on the host ----------
v=$(detect_candidate ksmbd-tools)
[ -n "$v" ] && [ "$v" != "(none)" ] || die "apt knows no ksmbd-tools (APT_UPDATE=1 scripts/setup.sh)"
deb=$(download ksmbd-tools "$v" amd64)
ln -sfn "$(basename "$deb")" "$VMDIR/debs/ksmbd-tools.deb"
# shellcheck disable=SC2046
need=$(not_installed samba-vfs-modules \
	$(apt-cache depends "ksmbd-tools=$v" | awk '$1 == "Depends:" && $2 !~ /^</ {print $2}' | sort -u))
if [ -n "$need" ]; then
	say "installing $need"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive "${APT_GET[@]}" install -y --no-install-recommends $need
fi

# ---- the parts of linux-source the builds need -----------------------------
SRC_PARTS="fs/smb fs/internal.h scripts/asn1_compiler.c include/linux/asn1.h
	include/linux/asn1_ber_bytecode.h"
# shellcheck disable=SC2086
if ! stamp src "$KPKGVER $(echo $SRC_PARTS)" || [ ! -d "$SRC/fs/smb/server" ]; then
	members=()
	for p in $SRC_PARTS; do members+=("linux-source-$KSERIES/$p"); done
	rm -rf "$P/src"
	mkdir -p "$P/src"
	tarball=/usr/src/linux-source-$KSERIES.tar.xz
	if [ "$(dpkg-query -W -f='${Version}' "linux-source-$KSERIES" 2>/dev/null)" = "$KPKGVER" ] &&
		[ -s "$tarball" ]; then
		say "sources from the installed linux-source-$KSERIES $KPKGVER"
		tar -xJf "$tarball" -C "$P/src" "${members[@]}"
	else
		# Another version is installed (or none): take the guest's from its .deb,
		# streaming the inner usr/src/linux-source-X.tar.xz.
		deb=$(download "linux-source-$KSERIES" "$KPKGVER" all)
		say "sources from $(basename "$deb")"
		dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/linux-source-$KSERIES.tar.xz" |
			tar -xJ -f - -C "$P/src" "${members[@]}"
	fi
	mark src "$KPKGVER $(echo $SRC_PARTS)"
	rm -f "$KCACHE/.stamp-peers-asn1" "$KCACHE/.stamp-peers-build"
fi

if ! stamp asn1 "$KPKGVER" || [ ! -x "$P/asn1_compiler" ]; then
	gcc -O2 -I "$SRC/include" -o "$P/asn1_compiler" "$SRC/scripts/asn1_compiler.c"
	mark asn1 "$KPKGVER"
fi

# ---- the out-of-tree builds -----------------------------------------------
MODS="fs/smb/server/ksmbd.ko fs/smb/client/cifs.ko"
h="$KPKGVER $(hashof "$0" "$PEERKIT"/patches/*.patch)"
built() { for ko in $MODS; do [ -s "$P/out/$(basename "$ko")" ] || return 1; done; }
if ! stamp build "$h" || ! built; then
	say "building ksmbd.ko and cifs.ko with SMB Direct (log: $P/build.log, ~1-2 min)"
	t0=$(date +%s)
	{
		set -e
		rm -rf "$P/oot" "$P/out"
		mkdir -p "$P/oot/fs/smb" "$P/out"
		cp -a "$SRC/fs/smb/server" "$SRC/fs/smb/client" "$SRC/fs/smb/common" "$P/oot/fs/smb/"
		cp "$SRC/fs/internal.h" "$P/oot/fs/"    # fs/smb/server includes ../../internal.h
		# Generate the SPNEGO grammars' .c/.h and drop the .asn1 files, so
		# kbuild's %.asn1 rule (which needs scripts/asn1_compiler) never fires.
		for f in "$P"/oot/fs/smb/server/*.asn1 "$P"/oot/fs/smb/client/*.asn1; do
			"$P/asn1_compiler" "$f" "$f.c" "$f.h"
			rm "$f"
		done
		for p in "$PEERKIT"/patches/ksmbd-*.patch; do
			echo "applying $(basename "$p")"
			patch -p1 -d "$P/oot" --forward --batch --no-backup-if-mismatch < "$p"
		done
		make -C "$KHEADERS" M="$P/oot/fs/smb/server" -j"$JOBS" modules \
			CONFIG_SMB_SERVER=m CONFIG_SMB_SERVER_SMBDIRECT=y \
			KCFLAGS="-DCONFIG_SMB_SERVER_SMBDIRECT=1"
		make -C "$KHEADERS" M="$P/oot/fs/smb/client" -j"$JOBS" modules \
			CONFIG_CIFS=m CONFIG_CIFS_SMB_DIRECT=y \
			KCFLAGS="-DCONFIG_CIFS_SMB_DIRECT=1"
		# ksmbd.ko 11 -> 0.6 MiB, cifs.ko 27 -> 2.7 MiB: a faster first
		# (cold) insmod over 9p.
		for ko in $MODS; do
			strip --strip-debug -o "$P/out/$(basename "$ko")" "$P/oot/$ko"
		done
	} > "$P/build.log" 2>&1 || { tail -n 30 "$P/build.log"; die "build failed, see $P/build.log"; }
	mark build "$h"
	say "built in $(($(date +%s) - t0))s"
fi

# ---- install into the guest kernel's tree ---------------------------------
installed() {
	local n
	for ko in $MODS; do
		n=$(basename "$ko")
		cmp -s "$P/out/$n" "$UPDATES/$n" &&
			grep -q "^updates/$n:" "$KROOT/lib/modules/$KVER/modules.dep" || return 1
	done
}
if ! installed; then
	# Not while a guest reads the tree (scripts/vm/run.sh holds it shared).
	exec 9> "$VMDIR/.modules.lock"
	if ! flock -n 9; then
		say "waiting for the running VM to release $VMDIR/.modules.lock"
		flock 9
	fi
	mkdir -p "$UPDATES"
	for ko in $MODS; do
		n=$(basename "$ko")
		cp "$P/out/$n" "$UPDATES/$n.tmp"
		mv "$UPDATES/$n.tmp" "$UPDATES/$n"
	done
	depmod -C "$REPO/scripts/vm/depmod.conf" -b "$KROOT" "$KVER"
	exec 9>&-
	say "installed into $UPDATES: $(cd "$UPDATES" && ls -- *.ko | tr '\n' ' ')"
fi
say "ksmbd.ko, cifs.ko (SMB Direct) in updates/; ksmbd-tools $v in $VMDIR/debs"
