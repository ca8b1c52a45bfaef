#!/bin/sh
# PID 1 of the guest after switch_root; / is overlay(host / read-only over 9p,
# tmpfs). Sets up a minimal system, runs the test script as root, stores its
# exit code in the shared results directory and powers off.
# Kernel command line variables (set by run.sh):
#   vmscript=  the script (absolute host path)   vmshare=  host results dir (9p, rw)
#   vmkroot=   unpacked linux-image               vmkver=   its ABI (uname -r)
#   vmrepo=    repository top                     vmdir=    FSMB_VMDIR
#   vmtimeout= seconds before the script is killed (exit code 124)
#   vmnet=     user | none
# The script gets REPO, VMDIR, VMSHARE, KVER, KROOT in its environment, plus
# every VMAPPEND K=V pair (the kernel hands them to init as environment).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8
export REPO="$vmrepo" VMDIR="$vmdir" VMSHARE="$vmshare" KROOT="$vmkroot"
export KVER="${vmkver:-$(uname -r)}"

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/lock
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# /tmp stays the overlay: writes land in the tmpfs upper layer, never the host.

# The guest kernel's modules: plain `modprobe X` and request_module() work,
# and find fsmb.ko in updates/ (install-modules.sh).
mkdir -p "/lib/modules/$KVER"
mount --bind "$KROOT/lib/modules/$KVER" "/lib/modules/$KVER"
modprobe configfs && mount -t configfs configfs /sys/kernel/config

mkdir -p "$VMSHARE"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 share "$VMSHARE"
hostname fsmbvm
ip link set lo up
if [ "${vmnet:-none}" = user ]; then
	# qemu user networking: guest 10.0.2.15/24, gateway 10.0.2.2, DNS 10.0.2.3
	modprobe virtio_net
	ip link set eth0 up
	ip addr add 10.0.2.15/24 dev eth0
	ip route add default via 10.0.2.2
fi
echo "stage2: ready at uptime $(cut -d' ' -f1 /proc/uptime)s"

rc=127
if [ -n "$vmscript" ] && [ -r "$vmscript" ]; then
	# The script's output goes through a FIFO to tee (serial console +
	# output.log). Not a pipeline: daemons the script leaves running keep the
	# FIFO open, and a pipeline would wait for them; tee is stopped here.
	mkfifo /run/vmout
	tee "$VMSHARE/output.log" < /run/vmout &
	tee_pid=$!
	to=
	[ -n "$vmtimeout" ] && to="timeout -k 5 $vmtimeout"
	( cd "$(dirname "$vmscript")" && exec $to "$vmscript" ) > /run/vmout 2>&1 < /dev/null
	rc=$?
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 $tee_pid 2>/dev/null || break
		sleep 0.1
	done
	kill $tee_pid 2>/dev/null
	[ $rc = 124 ] && [ -n "$vmtimeout" ] &&
		echo "stage2: script killed after ${vmtimeout}s" | tee -a "$VMSHARE/output.log"
else
	echo "stage2: no readable vmscript (vmscript=$vmscript)"
fi
echo "$rc" > "$VMSHARE/exitcode"
echo "stage2: exit code $rc, uptime $(cut -d' ' -f1 /proc/uptime)s, powering off"
sync
umount "$VMSHARE" 2>/dev/null
busybox poweroff -f
echo o > /proc/sysrq-trigger
sleep 10
