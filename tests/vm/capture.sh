#!/bin/bash
# Guest-side: record real client traffic against fsmb for the fuzzers' seed
# corpora. Starts fsmb.ko + fsmbd as fsmb-basic.sh does, runs tcpdump on lo
# (port 445) into $VMSHARE/capture.pcap, and drives the server with
# smbclient (several dialects, ls/put/get/mkdir/rename/rm, -L, an SMB1
# multi-protocol negotiate, an anonymous attempt), rpcclient (srvsvc and
# wkssvc calls), the kernel cifs client (2.1, 3.0, 3.1.1 with a few file
# operations) and a short smbtorture run. Failures of individual clients
# are reported but do not matter much: what counts is the traffic.
# Run it from the host with scripts/fuzz/capture (which also turns the pcap
# into corpus files with scripts/fuzz/pcap-to-corpus).
# Knobs: CAPTURE_TORTURE="smb2.connect smb2.read ..." (comma or space
# separated; "none" skips smbtorture), TORTURE_TIMEOUT=120 s per suite.
# smb2.compound runs leaf by leaf: related1, related2 and invalid2 make
# smbtorture 4.17 itself crash against fsmb (Documentation/conformance.md),
# which would end the suite there.
. ./lib.sh
T_FIRST=${T_FIRST:-180}
SMBC_TIMEOUT=${T_CMD:-90}
COMPOUND=$(printf 'smb2.compound.%s ' related3 related4 related5 related6 related7 \
	related8 related9 unrelated1 invalid1 invalid3 invalid4 interim1 interim2 \
	compound-break compound-padding create-write-close)
TORTURE=$(echo "${CAPTURE_TORTURE:-smb2.connect smb2.read smb2.create smb2.getinfo smb2.setinfo smb2.dir.find $COMPOUND}" | tr ',' ' ')
TORTURE_TIMEOUT=${TORTURE_TIMEOUT:-120}

[ -n "${VMSHARE:-}" ] && [ -d "$VMSHARE" ] || { echo "capture: no VMSHARE" >&2; exit 1; }
PCAP=$VMSHARE/capture.pcap
rm -f "$PCAP"
setup_workdir
SH=$W/share STATE=$W/state CONF=$W/fsmb.conf LOG=$W/server.log MNT=/mnt/fsmb-capture
U=fsmbcap1 P=$(randpw)
SRV=//127.0.0.1
O=$VMSHARE/capture-out                # client outputs, kept on the host
rm -rf "$O"
mkdir -p "$STATE" "$MNT" "$O"
share_fs "$SH" 512 || die "cannot make the share's filesystem"
ensure_user $U || die "useradd $U"
chown $U "$SH"
chmod 1777 "$SH"
echo "hello from the server" > "$SH/readme.txt"
mkdir -p "$SH/dir/sub"
echo "nested" > "$SH/dir/sub/nested.txt"
printf 'caf\xc3\xa9 \xf0\x9f\x98\x80\n' > "$SH/dir/caf$(printf '\xc3\xa9').txt"
dd if=/dev/urandom of="$W/rand256k" bs=64k count=4 2> /dev/null

step "server"
timed "modprobe fsmb" modprobe fsmb || die "modprobe fsmb"
server_conf "$CONF" "$STATE"
share_conf "$CONF" "$SH" $U
check "user add $U" server_user_add "$CONF" $U "$P" || die "cannot add $U"
server_start "$CONF" "$LOG"
wait_listen 445 30 || die "fsmbd not listening on 445"
pass "fsmbd listening"

step "tcpdump on lo, port 445 -> $PCAP"
tcpdump -i lo -s 0 -U -Z root -w "$PCAP" 'tcp port 445' > "$W/tcpdump.log" 2>&1 &
TCPDUMP_PID=$!
# tcpdump prints "listening on lo" once the capture is armed.
wait_for 20 grep -q 'listening on' "$W/tcpdump.log" || die "tcpdump did not start: $(cat "$W/tcpdump.log")"
pass "tcpdump (pid $TCPDUMP_PID) capturing"

step "smbclient"
SMBC_TIMEOUT=$T_FIRST timed "smbclient -L (3.1.1)" out "$O/L311" smbc -L $SRV -U "$U%$P" -m SMB3_11
timed "smbclient -L (2.0.2)" out "$O/L202" smbc -L $SRV -U "$U%$P" -m SMB2_02
timed "smbclient -L, SMB1 multi-protocol negotiate" out "$O/Lnt1" \
	smbc -L $SRV -U "$U%$P" --option='client min protocol=NT1'
out "$O/anon" smbc -L $SRV -N -m SMB3_11 || true
pass "anonymous smbclient -L attempted ($(ntstatus "$O/anon"))"
out "$O/badpw" smbc $SRV/share -U "$U%wrong$P" -m SMB3_11 -c ls || true
pass "wrong password attempted ($(ntstatus "$O/badpw"))"
out "$O/badshare" smbc $SRV/nosuchshare -U "$U%$P" -m SMB3_11 -c ls || true
pass "unknown share attempted ($(ntstatus "$O/badshare"))"
cd "$W" || die "cd $W"
for m in SMB3_11 SMB3_00 SMB2_10 SMB2_02; do
	# Some commands fail on purpose (ls nosuch*): the exit code is shown only.
	t=$(now)
	out "$O/sess-$m" smbc $SRV/share -U "$U%$P" -m $m -c "ls; ls dir\\*; cd dir\\sub; ls; cd \\; \
mkdir new-$m; put rand256k new-$m\\r.bin; get new-$m\\r.bin got-$m.bin; \
allinfo readme.txt; rename new-$m\\r.bin new-$m\\s.bin; rm new-$m\\s.bin; \
rmdir new-$m; get readme.txt readme-$m.txt; ls nosuch*; volume; stat readme.txt"
	rc=$?
	check "smbclient $m session ran (exit $rc, $(since "$t")s; got back what was put)" \
		cmp "$W/rand256k" "$W/got-$m.bin"
done
cd - > /dev/null

step "rpcclient (srvsvc, wkssvc over IPC\$)"
for c in srvinfo netshareenum netshareenumall "netsharegetinfo share" \
	"netsharegetinfo IPC\$" "netsharegetinfo nosuch" wkssvc_wkstagetinfo \
	netremotetod; do
	timeout -k 5 60 rpcclient -s "$CLIENT_CONF" -U "$U%$P" -c "$c" 127.0.0.1 > "$O/rpc" 2>&1
	pass "rpcclient $c (exit $?)"
done

step "cifs mounts"
modprobe cifs
for v in 2.1 3.0 3.1.1; do
	if ! timed "mount -t cifs vers=$v" timeout -k 5 "$T_FIRST" mount -t cifs $SRV/share "$MNT" \
		-o "username=$U,password=$P,vers=$v,cache=none"; then
		continue
	fi
	ls -la "$MNT" "$MNT/dir" > /dev/null 2>&1
	echo "written by cifs $v" > "$MNT/cifs-$v.txt"
	cat "$MNT/cifs-$v.txt" > /dev/null
	cp "$W/rand256k" "$MNT/big-$v.bin" && cmp "$W/rand256k" "$MNT/big-$v.bin"
	mkdir "$MNT/d-$v" && mv "$MNT/cifs-$v.txt" "$MNT/d-$v/moved.txt"
	touch -d '2001-02-03 04:05:06' "$MNT/d-$v/moved.txt"
	chmod a-w "$MNT/d-$v/moved.txt"; chmod u+w "$MNT/d-$v/moved.txt"
	truncate -s 1000 "$MNT/big-$v.bin"
	stat "$MNT/d-$v/moved.txt" > /dev/null
	df "$MNT" > /dev/null
	ls "$MNT/nosuch" > /dev/null 2>&1
	rm -rf "$MNT/d-$v" "$MNT/big-$v.bin"
	sync
	check "umount vers=$v" timeout -k 5 60 umount "$MNT"
done

step "smbtorture"
for s in $TORTURE; do
	[ "$s" = none ] && break
	t=$(now)
	timeout -k 10 "$TORTURE_TIMEOUT" smbtorture -s "$CLIENT_CONF" $SRV/share -U "$U%$P" "$s" > "$O/torture-$s" 2>&1
	rc=$?
	pass "smbtorture $s: exit $rc, $(grep -c '^success:' "$O/torture-$s") ok, $(grep -Ec '^(failure|error):' "$O/torture-$s") failed ($(since "$t")s)"
done

step "stop"
kill -INT "$TCPDUMP_PID"
wait "$TCPDUMP_PID"
cat "$W/tcpdump.log"
server_stop
check "pcap written ($(stat -c %s "$PCAP" 2> /dev/null) bytes)" [ -s "$PCAP" ]
check "no kernel warnings" eval '! dmesg_bad'
finish
