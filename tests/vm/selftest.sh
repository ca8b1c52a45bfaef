#!/bin/bash
# Harness self-test (no fsmb needed): the guest runs the unpacked kernel on an
# overlay root, sees the host's tools and the repository, the module tree is
# bound, and the exit code travels back: exits $SELFTEST_EXIT (default 0;
# scripts/vm/selftest.sh also boots it with VMAPPEND=SELFTEST_EXIT=3, and with
# SELFTEST_HANG=1, which never ends: the guest's time limit must stop it).
. ./lib.sh
echo "guest: $(uname -r), $(nproc) vCPUs, uptime $(now)s, REPO=$REPO"
check "guest runs the unpacked kernel $KVER" [ "$(uname -r)" = "$KVER" ]
check "root is the overlay" sh -c "awk '\$2 == \"/\" {print \$3}' /proc/mounts | grep -qx overlay"
check "repository visible" [ -r "$REPO/tests/vm/lib.sh" ]
check "module tree bound" [ -f "/lib/modules/$KVER/modules.dep" ]
check "results dir writable" sh -c "echo ok > '$VMSHARE/selftest.txt'"
check "smbclient --version" smbclient --version
check "smbtorture --version" smbtorture --version
check "mount.cifs -V" mount.cifs -V
check "modprobe cifs" modprobe cifs
echo "fsmb.ko in updates/: $(modinfo -n fsmb 2>/dev/null || echo none)"
if [ "${SELFTEST_HANG:-0}" = 1 ]; then
	echo "hanging on purpose (with a daemon holding the output open)"
	(sleep 100000 &)
	sleep 100000
fi
finish || exit 1
exit "${SELFTEST_EXIT:-0}"
