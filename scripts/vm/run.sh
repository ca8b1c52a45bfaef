#!/bin/bash
# Usage: scripts/vm/run.sh /path/to/guest-script.sh [extra qemu args]
# Boots the unpacked Debian kernel under qemu (TCG) with the host's / shared
# read-only over 9p under a tmpfs overlay, runs the script inside as root
# (cwd = its directory), powers off and exits with the script's exit code, or
#   124  the guest killed the script after VMTIMEOUT-20 s (timeout(1); 137 if
#        it ignored SIGTERM for 5 s more)
#   125  no exit code came back: kernel oops/panic (oops=panic, panic=-1 and
#        -no-reboot end qemu at once), qemu failed, or the guest hung until
#        the host-side timeout of VMTIMEOUT s
#   127  the script is not readable in the guest
# Output: serial console on stdout and in $VMSHARE/console.log; the script's
# own output in $VMSHARE/output.log; its exit code in $VMSHARE/exitcode.
# Environment:
#   FSMB_VMDIR KVER KPKGVER   see config.sh
#   VMSHARE=$VMDIR/share      results dir, mounted read-write in the guest at the
#                             same path (give concurrent VMs different ones)
#   VMTIMEOUT=300             seconds for the whole VM; the script gets 20 s less
#   VMAPPEND="K=V ..."        extra kernel command line; K=V pairs reach the
#                             script's environment (names without dots, values
#                             without spaces; the whole line is limited to 2 KiB)
#   VMMEM=2G VMSMP=2 VMCPU=max VMACCEL=tcg,thread=multi (KVM is unusable here)
#   VMNET=none|user           user: virtio-net NIC, guest 10.0.2.15, host 10.0.2.2
#   VMQUIET=1                 do not copy the console to stdout
#   VMLOCK=1                  wait until no other VM runs on this machine (flock
#                             on VMLOCKFILE=/tmp/.fsmb-vm.lock)
set -u
. "$(dirname "$(readlink -f "$0")")/config.sh"
load_env || exit 125
[ $# -ge 1 ] || { sed -n '2,26p' "$0" >&2; exit 125; }
SCRIPT=$(readlink -f "$1")
shift
VMSHARE=${VMSHARE:-$VMDIR/share}
mkdir -p "$VMSHARE" && VMSHARE=$(cd "$VMSHARE" && pwd) || exit 125
VMTIMEOUT=${VMTIMEOUT:-300}
GUEST_TIMEOUT=$((VMTIMEOUT > 40 ? VMTIMEOUT - 20 : 20))
rm -f "$VMSHARE/exitcode" "$VMSHARE/output.log" "$VMSHARE/console.log"
case ${VMNET:-none} in
user) NET=(-netdev user,id=n0 -device virtio-net-pci,netdev=n0,romfile=) ;;
*) NET=() ;;
esac
for f in "$KROOT/boot/vmlinuz-$KVER" "$KCACHE/initramfs.cpio.gz"; do
	[ -r "$f" ] || { echo "run.sh: $f missing, run scripts/setup.sh" >&2; exit 125; }
done

# slab_nomerge: every fsmb_* cache stays its own, so a leaked object makes
# kmem_cache_destroy() complain at rmmod instead of hiding in a merged cache.
APPEND="console=ttyS0 loglevel=5 panic=-1 oops=panic slab_nomerge"
APPEND+=" vmstage2=$VMKIT/stage2.sh vmscript=$SCRIPT vmshare=$VMSHARE vmrepo=$REPO"
APPEND+=" vmkver=$KVER vmkroot=$KROOT vmdir=$VMDIR"
APPEND+=" vmnet=${VMNET:-none} vmtimeout=$GUEST_TIMEOUT ${VMAPPEND:-}"
[ ${#APPEND} -le 2000 ] || { echo "run.sh: kernel command line too long" >&2; exit 125; }

# One VM at a time on this machine (2 host cores; a second TCG guest halves
# both): wait for the others (VMLOCK=0 skips this). And no install-modules.sh
# on this VMDIR's module tree while the guest reads it.
if [ "${VMLOCK:-1}" = 1 ]; then
	exec 9> "${VMLOCKFILE:-/tmp/.fsmb-vm.lock}"
	if ! flock -n 9; then
		echo "run.sh: waiting for another VM to finish (lock ${VMLOCKFILE:-/tmp/.fsmb-vm.lock})" >&2
		flock 9
	fi
fi
exec 8> "$VMDIR/.modules.lock"
flock -s 8
out=/dev/stdout
[ "${VMQUIET:-0}" = 1 ] && out=/dev/null
start=$(date +%s.%N)
# multidevs=remap: the host root spans several filesystems; without it qemu
# warns and inode numbers may collide in the guest.
timeout --foreground -k 5 "$VMTIMEOUT" \
	qemu-system-x86_64 -accel "${VMACCEL:-tcg,thread=multi}" -cpu "${VMCPU:-max}" \
	-m "${VMMEM:-2G}" -smp "${VMSMP:-2}" \
	-nodefaults -no-user-config -display none -serial stdio -no-reboot \
	-kernel "$KROOT/boot/vmlinuz-$KVER" -initrd "$KCACHE/initramfs.cpio.gz" \
	-append "$APPEND" \
	-fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
	-fsdev "local,id=share,path=$VMSHARE,security_model=none,multidevs=remap" \
	-device virtio-9p-pci,fsdev=share,mount_tag=share \
	"${NET[@]}" "$@" < /dev/null 2>&1 | tee "$VMSHARE/console.log" > "$out"
qrc=${PIPESTATUS[0]}
[ -z "$(tail -c1 "$VMSHARE/console.log")" ] || echo >> "$out"   # console ended mid-line
awk -v s="$start" -v e="$(date +%s.%N)" -v r="$qrc" \
	'BEGIN { printf "run.sh: qemu exit %s, wall %.1fs\n", r, e - s }' >&2
if [ -s "$VMSHARE/exitcode" ]; then
	exit "$(cat "$VMSHARE/exitcode")"
fi
case $qrc in
124 | 137) echo "run.sh: no exit code: guest still running after ${VMTIMEOUT}s, killed" >&2 ;;
0) echo "run.sh: no exit code: the guest kernel died (see $VMSHARE/console.log)" >&2 ;;
*) echo "run.sh: no exit code: qemu failed (see $VMSHARE/console.log)" >&2 ;;
esac
exit 125
