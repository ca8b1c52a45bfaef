#!/bin/bash
# Guest-side: protocol-level behaviour of fsmb that fsmb-basic does not
# cover: every dialect with and without signing (the client requires
# signing, so a wrong or missing signature fails the session), the SMB1
# multi-protocol upgrade, `server signing = mandatory`, encryption refused
# cleanly while it is not implemented, the kernel's object counters back to
# zero once clients are gone, and an idle unauthenticated connection dropped.
# Run it in a VM: scripts/vm/run.sh tests/vm/fsmb-protocol.sh
. ./lib.sh
[ "$SERVER" = fsmb ] || { echo "fsmb-protocol: fsmb only"; exit 0; }
setup_workdir
SH=$W/share STATE=$W/state CONF=$W/fsmb.conf LOG=$W/server.log
U=fsmbproto1 P=$(randpw)
S=//127.0.0.1/share
M=/mnt/fsmb-protocol
mkdir -p "$SH" "$STATE" "$M"
ensure_user $U || die "useradd $U"
chmod 1777 "$SH"
echo hello > "$SH/hello.txt"

# write_conf SIGNING: the config with `server signing = SIGNING`
write_conf() {
	server_conf "$CONF" "$STATE"
	sed -i "s/server signing = auto/server signing = $1/" "$CONF"
	share_conf "$CONF" "$SH" $U
}
# ok DESC CMD...: CMD must succeed. fails_cleanly DESC CMD...: CMD must fail
# with an error, not hang (smbc has its own time limit, SMBC_TIMEOUT; wrap
# other commands in timeout).
ok() {
	local d=$1
	shift
	if out "$W/out" "$@"; then pass "$d"; else fail "$d"; show "$W/out" | tail -n 5; fi
}
fails_cleanly() {
	local d=$1 t0 rc
	shift
	t0=$(now)
	SMBC_TIMEOUT=60 out "$W/out" "$@"
	rc=$?
	case $rc in
	0) fail "$d (it succeeded)" ;;
	124 | 137) fail "$d (hung until killed)" ;;
	126 | 127) fail "$d (could not run: rc $rc)"; show "$W/out" | tail -n 3 ;;
	*) pass "$d (rc $rc after $(since "$t0")s)" ;;
	esac
}
# counter NAME: a counter from `fsmbctl -j status`
counter() { "$FSMBCTL" -j status | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

step "server"
timed "modprobe fsmb" modprobe fsmb || die "modprobe fsmb"
write_conf auto
server_user_add "$CONF" $U "$P" || die "user add"
server_start "$CONF" "$LOG"
wait_listen 445 60 || die "nothing listens on 445"
SMBC_TIMEOUT=180 timed "warm-up session (3.1.1)" out "$W/warmup" smbc $S -U "$U%$P" -m SMB3_11 -c ls ||
	{ show "$W/warmup"; die "no SMB session"; }

step "dialects and signing algorithms"
ok "SMB1 multi-protocol negotiate upgraded to SMB2+" \
	smbc $S -U "$U%$P" --option='client min protocol=NT1' -c 'get hello.txt /dev/null'
for d in SMB2_02 SMB2_10 SMB3_00 SMB3_02 SMB3_11; do
	ok "$d unsigned" smbc $S -U "$U%$P" -m $d -c 'get hello.txt /dev/null'
	# HMAC-SHA256 for 2.x, AES-CMAC for 3.0/3.0.2, AES-GMAC for 3.1.1
	ok "$d signed (client requires signing)" \
		smbc $S -U "$U%$P" -m $d --option='client signing=required' -c 'get hello.txt /dev/null'
done
dd if=/dev/urandom of="$W/big" bs=1M count=20 2> /dev/null
ok "3.1.1 signed 20 MiB put + get" smbc $S -U "$U%$P" -m SMB3_11 \
	--option='client signing=required' -c "put $W/big big; get big $W/big.back"
check "... identical" cmp "$W/big" "$W/big.back"
for o in vers=2.0,sign vers=3.0,sign vers=3.1.1,sign; do
	if timed "mount $o" out "$W/mnt" mount -t cifs $S $M -o "username=$U,password=$P,$o,cache=none"; then
		ok "[$o] 8 MiB written" dd if="$W/big" of=$M/f bs=1M count=8 conv=fsync
		check "[$o] identical on the server" cmp -n 8388608 "$W/big" "$SH/f"
		umount $M
	else
		show "$W/mnt"
	fi
done

step "encryption is not offered yet and is refused cleanly"
ok "3.1.1 client wanting (not requiring) encryption still connects" \
	smbc $S -U "$U%$P" -m SMB3_11 --option='client smb encrypt=desired' -c ls
fails_cleanly "3.1.1 client requiring encryption refused" \
	smbc $S -U "$U%$P" -m SMB3_11 --option='client smb encrypt=required' -c ls
fails_cleanly "mount -t cifs seal refused" \
	timeout -k 5 60 mount -t cifs $S $M -o "username=$U,password=$P,vers=3.1.1,seal"
umount $M 2> /dev/null

step "server signing = mandatory"
server_stop
write_conf mandatory
server_start "$CONF" "$LOG"
wait_listen 445 60 || die "nothing listens on 445 (mandatory)"
ok "3.1.1 client with default settings gets a signed session" smbc $S -U "$U%$P" -m SMB3_11 -c ls
ok "2.1 client with default settings gets a signed session" smbc $S -U "$U%$P" -m SMB2_10 -c ls
if timed "mount vers=3.0.2 (signing enforced by the server)" out "$W/mnt" \
	mount -t cifs $S $M -o "username=$U,password=$P,vers=3.0.2"; then
	check "  ls through the signed mount" ls $M
	umount $M
fi

step "the kernel's counters go back to zero"
# Everything above has disconnected; connections close asynchronously.
for c in connections sessions tree_connects open_files; do
	if wait_for 10 eval "[ \"\$(counter $c)\" = 0 ]"; then
		pass "$c back to 0"
	else
		fail "$c still $(counter $c)"
		"$FSMBCTL" status
	fi
done

step "an idle unauthenticated connection is dropped"
exec 7<> /dev/tcp/127.0.0.1/445
t0=$(now)
if timeout 90 cat <&7 > /dev/null; then
	pass "closed by the server after $(since "$t0")s"
else
	fail "still open after 90 s"
fi
exec 7<&-

step "unload"
server_stop
timed "rmmod fsmb" rmmod fsmb
if dmesg_bad > "$W/dmesg.bad"; then fail "dmesg has splats"; show "$W/dmesg.bad"; else pass "dmesg clean"; fi
finish
