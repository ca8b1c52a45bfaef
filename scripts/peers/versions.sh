# Sourced (bash) after scripts/vm/config.sh's load_env by the scripts that
# report on the servers side by side (scripts/conformance, scripts/bench):
# one description of the machine, the guest and each server's build, so the
# reports name the same things the same way.

# server_version fsmb|ksmbd|samba: "version=..." of what the guest runs
server_version() {
	case $1 in
	fsmb)
		echo "version=fsmb.ko of kernel/ as in $(git -C "$REPO" log -1 --format=%h -- kernel 2> /dev/null)$(
			git -C "$REPO" diff --quiet HEAD -- kernel 2> /dev/null || echo ' plus uncommitted changes')" \
			"(HEAD $(git -C "$REPO" describe --always --dirty 2> /dev/null), fsmb.ko built" \
			"$(date -u -r "$REPO/kernel/fsmb.ko" '+%F %T UTC' 2> /dev/null), sha256 $(sha256sum < "$UPDATES/fsmb.ko" | cut -c1-16))" ;;
	ksmbd)
		echo "version=ksmbd.ko of Debian linux-source $KPKGVER, out of tree with SMB Direct" \
			"and scripts/peers/patches (srcversion $(modinfo -F srcversion "$UPDATES/ksmbd.ko" 2> /dev/null));" \
			"ksmbd-tools $(dpkg-deb -f "$VMDIR/debs/ksmbd-tools.deb" Version 2> /dev/null)" ;;
	samba)
		echo "version=smbd $(dpkg-deb -f "$VMDIR/debs/samba.deb" Version 2> /dev/null) (Debian samba)" ;;
	esac
}

# host_description: "machine=..." and "guest=..." lines
host_description() {
	echo "machine=$(uname -srm); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); $(nproc) CPUs;" \
		"$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM"
	echo "guest=Debian $KVER ($KPKGVER) under $(qemu-system-x86_64 --version | head -n1 | sed 's/ (.*//'), TCG, ${VMSMP:-2} vCPUs, ${VMMEM:-2G}"
}

# peers_ready SERVER...: the peers' builds are in place (scripts/setup.sh)
peers_ready() {
	local s
	for s in "$@"; do
		case $s in
		ksmbd)
			[ -f "$UPDATES/ksmbd.ko" ] && [ -e "$VMDIR/debs/ksmbd-tools.deb" ] ||
				{ echo "no ksmbd peer: run scripts/setup.sh (scripts/peers/build.sh)" >&2; return 1; } ;;
		samba)
			[ -e "$VMDIR/debs/samba.deb" ] || { echo "no samba .deb: run scripts/setup.sh" >&2; return 1; } ;;
		esac
	done
}
