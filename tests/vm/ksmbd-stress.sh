#!/bin/bash
# Guest-side: stress a server's per-inode open-file bookkeeping with dbench
# over a cifs mount (vers=3.1.1) and, optionally, smbtorture's lease/oplock/
# durable-open suites; fails on a BUG/WARNING/Oops in dmesg. Written for
# ksmbd (the list corruption of ksmbd_inode.m_fp_list that
# scripts/peers/patches/ksmbd-close-fd-unlink.patch fixes), but runs against
# any FSMB_TEST_SERVER. A server that oopses kills the guest (oops=panic):
# scripts/vm/run.sh then exits 125. smbtorture's output goes to
# $VMSHARE/ksmbd-stress.torture.SUITE.log.
# Run it in a VM:
#   VMAPPEND="FSMB_TEST_SERVER=ksmbd" VMTIMEOUT=900 scripts/vm/run.sh tests/vm/ksmbd-stress.sh
# Knobs (environment, or VMAPPEND=K=V with commas instead of spaces):
#   DBENCH_ROUNDS=3         rounds of (dbench 1 client, dbench 4 clients)
#   DBENCH_TIME=20          seconds per dbench run
#   DBENCH_CLIENTS=1,4      client counts per round
#   TORTURE_SUITES=smb2.lease,smb2.oplock,smb2.durable-open   ("" or none: skip)
#   TORTURE_TIMEOUT=300     seconds per smbtorture suite
#   LEASES=1                ksmbd: "smb2 leases = yes" (off by default in ksmbd)
. ./lib.sh
ROUNDS=${DBENCH_ROUNDS:-3}
DT=${DBENCH_TIME:-20}
CLIENTS=$(echo "${DBENCH_CLIENTS:-1,4}" | tr ',' ' ')
SUITES=$(echo "${TORTURE_SUITES-smb2.lease,smb2.oplock,smb2.durable-open}" | tr ',' ' ')
[ "$SUITES" = none ] && SUITES=
TT=${TORTURE_TIMEOUT:-300}
LOADFILE=/usr/share/dbench/client.txt

setup_workdir
SH=$W/share STATE=$W/state CONF=$W/server.conf MNT=$W/mnt
U=fsmbstress1 P=$(randpw)
mkdir -p "$STATE" "$MNT"
share_fs "$SH" 1024 || die "cannot make the share's filesystem (${FSMB_SHARE_FS:-ext4})"
ensure_user $U || die "useradd $U"
chown $U "$SH"
chmod 1777 "$SH"
command -v dbench > /dev/null && [ -r "$LOADFILE" ] || die "no dbench or $LOADFILE"

step "server ($SERVER)"
timed "load $SERVER" server_load || die "cannot load $SERVER"
server_conf "$CONF" "$STATE"
if [ "$SERVER" = ksmbd ] && [ "${LEASES:-1}" = 1 ]; then
	printf '\tsmb2 leases = yes\n' >> "$CONF"
fi
share_conf "$CONF" "$SH" $U
check "user add $U" server_user_add "$CONF" $U "$P" || die "cannot add $U"
server_start "$CONF" "$W/server.log"
wait_listen 445 60 || die "nothing listens on 445"
SMBC_TIMEOUT=180 timed "warm-up session (smbclient ls)" out "$W/warmup" smbc //127.0.0.1/share -U "$U%$P" -c ls ||
	{ show "$W/warmup"; die "no SMB session"; }

# kernel_clean WHAT: no BUG/WARNING/Oops in dmesg so far
kernel_clean() {
	if dmesg_bad > "$W/bad"; then
		show "$W/bad"
		fail "kernel log clean after $1"
		return 1
	fi
	pass "kernel log clean after $1"
}

step "dbench over cifs vers=3.1.1 ($ROUNDS rounds of $CLIENTS clients, ${DT}s each)"
timed "mount -t cifs vers=3.1.1" timeout -k 5 180 mount -t cifs //127.0.0.1/share "$MNT" \
	-o "username=$U,password=$P,vers=3.1.1" || die "cannot mount"
runs=0
for r in $(seq 1 "$ROUNDS"); do
	for c in $CLIENTS; do
		d=$MNT/dbench.$r.$c
		mkdir -p "$d"
		timeout -k 10 $((DT + 240)) dbench -c "$LOADFILE" -D "$d" -t "$DT" "$c" > "$W/dbench" 2>&1
		rc=$?
		if [ $rc = 0 ]; then
			runs=$((runs + 1))
			pass "dbench round $r, $c clients: $(awk '/^Throughput/ {print $2, $3}' "$W/dbench")"
		else
			tail -n 15 "$W/dbench" > "$W/dbench.tail"
			show "$W/dbench.tail"
			fail "dbench round $r, $c clients (exit $rc)"
		fi
		rm -rf "$d"
		kernel_clean "dbench round $r, $c clients" || break 2
	done
done
echo "dbench runs completed: $runs"
timeout -k 5 60 umount "$MNT" || umount -l "$MNT"

if [ -n "$SUITES" ]; then
	step "smbtorture $SUITES"
	for s in $SUITES; do
		timeout -k 10 "$TT" smbtorture -s "$CLIENT_CONF" //127.0.0.1/share -U "$U%$P" "$s" \
			> "$W/torture.$s" 2>&1 < /dev/null
		rc=$?
		# Only the server's survival is checked here, not the subtests'
		# results (ksmbd fails some of them by design).
		echo "  $s: smbtorture exit $rc; $(grep -c '^success:' "$W/torture.$s") success," \
			"$(grep -c -E '^(failure|error):' "$W/torture.$s") failure/error"
		[ -n "${VMSHARE:-}" ] && cp "$W/torture.$s" "$VMSHARE/ksmbd-stress.torture.$s.log" 2> /dev/null
		kernel_clean "smbtorture $s" || break
	done
fi

step "stop $SERVER"
server_stop
kernel_clean "server stop"
finish
