#!/bin/bash
# Guest-side integration test of fsmb.ko + fsmbd with real clients (smbclient,
# smbcacls, the kernel cifs client), over 127.0.0.1:445:
#   1 module load          2 user db (fsmbctl)        3 daemon start
#   4 smbclient -L         5 one smbclient session, step by step
#   6 auth/tree errors, user added while running      7 cifs mounts 2.1/3.0.2/3.1.1
#   8 path escapes, streams                           9 daemon killed and restarted
#   10 rmmod with clients connected; slabs, dmesg
# Run it in a VM: scripts/vm/run.sh tests/vm/fsmb-basic.sh (or scripts/vm/check.sh).
# Prints PASS/FAIL/SKIP lines; exits non-zero on any failure (the daemon's
# log and the dmesg tail are printed then, and saved into $VMSHARE).
# Knobs (environment, VMAPPEND=K=V): T_FIRST (s, first connection, default
# 180: crypto modules autoload on the first session), T_CMD (s, default 90),
# FSMB_TEST_SERVER=samba (run against Samba's smbd, see lib.sh),
# FSMB_SHARE_FS=ext4|tmpfs|overlay (the share's filesystem, see lib.sh).
. ./lib.sh
T_FIRST=${T_FIRST:-180}
T_CMD=${T_CMD:-90}
SMBC_TIMEOUT=$T_CMD
SESS_TIMEOUT=$T_CMD

setup_workdir                         # W=/tmp/fsmb-fsmb-basic, CLIENT_CONF
SH=$W/share SECRET=$W/secret OUTSIDE=$W/outside STATE=$W/state
CONF=$W/fsmb.conf LOG=$W/server.log MNT=/mnt/fsmb-basic
U1=fsmbtest1 U2=fsmbtest2
P1=$(randpw) P2=$(randpw)
SRV=//127.0.0.1
O=$W/out                              # command outputs
mkdir -p "$SECRET" "$OUTSIDE" "$STATE" "$MNT" "$O"
share_fs "$SH" 512 || die "cannot make the share's filesystem (${FSMB_SHARE_FS:-ext4})"
ensure_user $U1 || die "useradd $U1"
# The server may act as the logged-on unix user: let both users write.
chown $U1 "$SH"
chmod 1777 "$SH"
echo "hello from the server" > "$SH/readme.txt"
echo "secret share content" > "$SECRET/secret-share.txt"
echo "fsmb-basic: server $SERVER, users $U1/$U2, share $SH (${FSMB_SHARE_FS:-ext4}), uptime $(now)s"

step1_load() {
	step "1. load the module"
	if [ "$SERVER" != fsmb ]; then
		timed "load $SERVER" server_load || die "cannot load $SERVER"
		return
	fi
	echo "module: $(modinfo -n fsmb 2>&1)"
	timed "modprobe fsmb" modprobe fsmb || die "modprobe fsmb failed"
	echo "/proc/modules: $(grep fsmb /proc/modules)"
	fsmb_slabs > "$O/slabs.loaded"
	echo "fsmb slab caches after load: $(wc -l < "$O/slabs.loaded")"
	show "$O/slabs.loaded"
	check "fsmb in /proc/modules" grep -q '^fsmb ' /proc/modules
}

write_conf() {
	server_conf "$CONF" "$STATE"
	share_conf "$CONF" "$SH" "$U1 $U2"
	cat >> "$CONF" <<-CONF
	[secret]
		path = $SECRET
		valid users = nobodyelse
	CONF
}

# no_plaintext DIR PASSWORD: no file under DIR holds PASSWORD in ASCII or UTF-16LE
no_plaintext() {
	local f a u bad=0
	a=$(hexstr "$2")
	u=$(hexstr "$2" utf16)
	for f in $(find "$1" -type f); do
		case $(hexof "$f") in
		*"$a"* | *"$u"*) echo "    plaintext password in $f"; bad=1 ;;
		esac
	done
	[ $bad = 0 ]
}

step2_users() {
	step "2. user database"
	write_conf
	check "user add $U1 (password on stdin)" server_user_add "$CONF" $U1 "$P1" ||
		die "cannot add $U1"
	if [ "$SERVER" != fsmb ]; then
		skip "fsmbctl user list, user file checks (server $SERVER)"
		return
	fi
	out "$O/userlist" "$FSMBCTL" -c "$CONF" user list
	show "$O/userlist"
	check "user list shows $U1" grep -qw $U1 "$O/userlist"
	local files f
	files=$(grep -rlF $U1 "$STATE")
	check "a file in the state directory holds $U1" [ -n "$files" ]
	for f in $files; do
		check "$f has mode 0600 ($(stat -c %a "$f"))" [ "$(stat -c %a "$f")" = 600 ]
	done
	check "no plaintext password in the state directory" no_plaintext "$STATE" "$P1"
}

# start_server: start the daemon, wait until 445 listens (or the daemon died)
start_server() {
	local t n=0
	t=$(now)
	server_start "$CONF" "$LOG"
	until wait_listen 445 1; do
		n=$((n + 1))
		if [ $n -ge 60 ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
			fail "$SERVER daemon listening on 445 ($(since "$t")s; daemon $(kill -0 "$SERVER_PID" 2>/dev/null && echo running || echo exited))"
			return 1
		fi
	done
	pass "$SERVER daemon (pid $SERVER_PID) listening on 445 after $(since "$t")s"
}

step3_start() {
	step "3. start the daemon"
	start_server || die "no listener"
}

step4_list() {
	step "4. smbclient -L (first session: no tight timeout)"
	SMBC_TIMEOUT=$T_FIRST timed "smbclient -L $SRV -m SMB3_11" \
		out "$O/list" smbc -L $SRV -U "$U1%$P1" -m SMB3_11
	show "$O/list"
	check "share listed as Disk" grep -Eq '^[[:space:]]+share[[:space:]]+Disk' "$O/list"
	check "IPC\$ listed" grep -Eq '^[[:space:]]+IPC\$[[:space:]]+IPC' "$O/list"
}

# sess_step DESCRIPTION COMMAND SERVERCHECK...: COMMAND in the open session must
# succeed, then SERVERCHECK on the server's files
sess_step() {
	local d=$1 c=$2
	shift 2
	if sess "$c" "$T_CMD"; then
		check "$d" "$@"
	else
		fail "$d (smbclient: $(ntstatus "$SESS_DIR/last"))"
	fi
}

step5_session() {
	step "5. one smbclient session: ls, mkdir, put, get, rename, rm, rmdir"
	dd if=/dev/urandom of="$W/rand1m" bs=1M count=1 2> /dev/null
	if ! timed "session to $SRV/share (SMB3_11)" sess_open $SRV/share -U "$U1%$P1" -m SMB3_11; then
		sess_close
		return 1
	fi
	sess_step "ls lists readme.txt" "ls" grep -q 'readme\.txt' "$SESS_DIR/last"
	sess_step "mkdir sub1: directory on the server" "mkdir sub1" [ -d "$SH/sub1" ]
	sess_step "put 1 MiB: identical on the server" "put $W/rand1m sub1/rand1m.bin" \
		cmp "$W/rand1m" "$SH/sub1/rand1m.bin"
	sess_step "get it back: identical" "get sub1/rand1m.bin $W/rand1m.back" \
		cmp "$W/rand1m" "$W/rand1m.back"
	sess_step "rename: server has the new name only" "rename sub1/rand1m.bin sub1/renamed.bin" \
		eval '[ ! -e "$SH/sub1/rand1m.bin" ] && cmp "$W/rand1m" "$SH/sub1/renamed.bin"'
	sess_step "rm: file gone on the server" "rm sub1/renamed.bin" [ ! -e "$SH/sub1/renamed.bin" ]
	sess_step "rmdir: directory gone on the server" "rmdir sub1" [ ! -e "$SH/sub1" ]
	check "smbclient session ends cleanly" sess_close
}

# has_status FILE STATUS: FILE (smbclient output) names STATUS
has_status() { grep -q "$2" "$1"; }

step6_errors() {
	step "6. wrong password, unknown share, valid users, user added at run time"
	out "$O/badpw" smbc $SRV/share -U "$U1%wrong$P1" -c ls
	show "$O/badpw"
	check "wrong password: NT_STATUS_LOGON_FAILURE" has_status "$O/badpw" NT_STATUS_LOGON_FAILURE
	out "$O/noshare" smbc $SRV/nosuchshare -U "$U1%$P1" -c ls
	show "$O/noshare"
	check "unknown share: NT_STATUS_BAD_NETWORK_NAME" has_status "$O/noshare" NT_STATUS_BAD_NETWORK_NAME
	out "$O/secret" smbc $SRV/secret -U "$U1%$P1" -c ls
	show "$O/secret"
	check "share whose valid users exclude $U1 refused ($(ntstatus "$O/secret"))" \
		eval '! grep -q secret-share "$O/secret" && has_status "$O/secret" NT_STATUS_'
	local pid=$SERVER_PID t
	check "user add $U2 while the daemon runs" server_user_add "$CONF" $U2 "$P2"
	t=$(now)
	if wait_for 10 out "$O/user2" smbc $SRV/share -U "$U2%$P2" -c ls; then
		pass "$U2 logs in without a daemon restart ($(since "$t")s after user add)"
	else
		show "$O/user2"
		fail "$U2 logs in without a daemon restart ($(ntstatus "$O/user2"))"
	fi
	check "daemon not restarted (pid $pid alive)" kill -0 "$pid"
}

# ls_size DIR NAME SIZE: `ls -l DIR` shows NAME with SIZE bytes
ls_size() { ls -l "$1" | awk -v n="$2" -v s="$3" '$NF == n && $5 == s {f = 1} END {exit !f}'; }
size_is() { [ "$(stat -c %s "$1" 2>&1)" = "$2" ]; }
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }
cifs_mount() {    # VERS [OPTIONS]
	timed "mount -t cifs vers=$1${2:+,$2}" \
		timeout -k 5 "$T_FIRST" mount -t cifs $SRV/share "$MNT" \
		-o "username=$U1,password=$P1,vers=$1${2:+,$2}"
}
cifs_umount() {
	timeout -k 5 60 umount "$MNT" || { timeout 30 umount -f "$MNT" || umount -l "$MNT"; return 1; }
}

# big_roundtrip MB: write MB MiB of random data through the mount (fsync),
# drop caches, read back; sha256 of source, read-back and server copy agree
big_roundtrip() {
	local mb=$1 src=$W/rand$1m t s1 s2 s3
	[ -f "$src" ] || dd if=/dev/urandom of="$src" bs=1M count="$mb" 2> /dev/null
	t=$(now)
	dd if="$src" of="$MNT/big.bin" bs=1M conv=fsync 2> /dev/null || return 1
	echo "    $mb MiB write (fsync): $(since "$t")s"
	drop_caches
	t=$(now)
	s2=$(sha256sum < "$MNT/big.bin") || return 1
	echo "    $mb MiB cold read: $(since "$t")s"
	s1=$(sha256sum < "$src")
	s3=$(sha256sum < "$SH/big.bin")
	[ "$s1" = "$s2" ] && [ "$s1" = "$s3" ] || { echo "    sha256 src $s1 read $s2 server $s3"; return 1; }
	rm -f "$MNT/big.bin"
}

cifs_round() {    # VERS [OPTIONS]
	local v=$1 f c
	cifs_mount "$@" || return 1
	grep " $MNT " /proc/mounts | sed 's/password=[^,]*/password=*/; s/^/    /'
	f=small-$v.txt
	c="hello through cifs vers=$v $(randpw)"
	printf '%s\n' "$c" > "$MNT/$f"
	check "[$v] small file written: content on the server" [ "$(cat "$SH/$f" 2>&1)" = "$c" ]
	drop_caches
	check "[$v] small file read back" [ "$(cat "$MNT/$f" 2>&1)" = "$c" ]
	check "[$v] ls -l shows $f with $((${#c} + 1)) bytes" ls_size "$MNT" "$f" $((${#c} + 1))
	mv "$MNT/$f" "$MNT/moved-$f"
	check "[$v] mv: server has the new name only" \
		eval '[ ! -e "$SH/$f" ] && [ "$(cat "$SH/moved-$f" 2>&1)" = "$c" ]'
	truncate -s 100000 "$MNT/moved-$f"
	check "[$v] truncate -s 100000 (client and server size)" \
		eval 'size_is "$MNT/moved-$f" 100000 && size_is "$SH/moved-$f" 100000'
	truncate -s 5 "$MNT/moved-$f"
	drop_caches
	check "[$v] truncate -s 5: content is the first 5 bytes" \
		eval '[ "$(cat "$MNT/moved-$f")" = "${c:0:5}" ] && size_is "$SH/moved-$f" 5'
	rm -f "$MNT/moved-$f"
	check "[$v] rm: gone on the server" [ ! -e "$SH/moved-$f" ]
	mkdir "$MNT/dir-$v"
	check "[$v] mkdir: directory on the server" [ -d "$SH/dir-$v" ]
	rmdir "$MNT/dir-$v"
	check "[$v] rmdir: gone on the server" [ ! -e "$SH/dir-$v" ]
	if [ "$v" = 3.1.1 ]; then
		check "[$v] 64 MiB write, cold read, sha256 = source = server copy" big_roundtrip 64
	fi
	check "[$v] umount" cifs_umount
}

step7_cifs() {
	step "7. cifs mounts"
	modprobe cifs
	cifs_round 2.1
	cifs_round 3.0.2 cache=none
	cifs_round 3.1.1
}

step8_escape() {
	step "8. path escapes and streams"
	local secret
	secret="outside-secret-$(randpw)"
	echo "$secret" > "$OUTSIDE/secret.txt"
	ln -sfn ../outside "$SH/escape"                # directory outside the share
	ln -sfn ../outside/secret.txt "$SH/escapefile" # file outside the share
	ln -sfn /etc "$SH/etclink"
	# smbclient
	out "$O/esc0" smbc $SRV/share -U "$U1%$P1" -c "ls escape/*"
	show "$O/esc0"
	check "smbclient: symlinked outside directory not listed" \
		eval '! grep -Eq "^ +secret\.txt +[A-Z]* +[0-9]+ " "$O/esc0"'
	out "$O/esc1" smbc $SRV/share -U "$U1%$P1" -c \
		"get escape/secret.txt $W/got-escape; get escapefile $W/got-escapefile"
	show "$O/esc1"
	check "smbclient: files behind symlinks out of the share not readable" \
		eval '! grep -qs "$secret" "$W/got-escape" "$W/got-escapefile"'
	out "$O/esc2" smbc $SRV/share -U "$U1%$P1" -c "get etclink/passwd $W/got-etc"
	show "$O/esc2"
	check "smbclient: /etc through a symlink not readable" [ ! -s "$W/got-etc" ]
	out "$O/esc3" smbc $SRV/share -U "$U1%$P1" -c "get ..\\..\\etc\\passwd $W/got-dotdot"
	show "$O/esc3"
	check "smbclient get ..\\..\\etc\\passwd refused" [ ! -s "$W/got-dotdot" ]
	# smbclient cleans ".." out of paths itself; smbcacls sends them verbatim
	out "$O/esc4" timeout -k 5 "$T_CMD" smbcacls -s "$CLIENT_CONF" $SRV/share \
		'..\..\..\..\etc\passwd' -U "$U1%$P1"
	show "$O/esc4"
	check "raw ..\\..\\..\\..\\etc\\passwd open (smbcacls) refused ($(ntstatus "$O/esc4"))" \
		eval '! grep -q "^REVISION" "$O/esc4"'
	echo "stream data" > "$W/small.txt"
	out "$O/stream" smbc $SRV/share -U "$U1%$P1" -c "put $W/small.txt a:stream; put $W/small.txt b:c:\$DATA"
	show "$O/stream"
	check "name with ':' (stream) refused" has_status "$O/stream" NT_STATUS_
	check "no file with ':' created on the server" eval '[ -z "$(find "$SH" -name "*:*")" ]'
	# the kernel client
	cifs_mount 3.1.1 || return 1
	ls -la "$MNT" | sed 's/^/    /'
	check "cifs: symlinked outside directory does not show secret.txt" \
		eval '! ls "$MNT/escape/" 2>/dev/null | grep -q secret'
	check "cifs: outside file not readable (directory link)" \
		eval '! grep -qs "$secret" "$MNT/escape/secret.txt"'
	check "cifs: outside file not readable (file link)" eval '! grep -qs "$secret" "$MNT/escapefile"'
	if [ -L "$MNT/etclink" ]; then
		# a symlink the client resolves in its own namespace: not a server escape
		pass "cifs: etclink is presented as a symlink (client-side, not followed by the server)"
	else
		check "cifs: /etc/passwd through a symlink not readable" \
			eval '! grep -qs "^root:" "$MNT/etclink/passwd"'
	fi
	cifs_umount
	rm -f "$SH/escape" "$SH/escapefile" "$SH/etclink"
}

step9_daemon_restart() {
	step "9. daemon killed: the mount lives on, new sessions fail fast, restart"
	cifs_mount 3.1.1 || return 1
	local c rc t el
	c="written before the kill $(randpw)"
	echo "$c" > "$MNT/before.txt"
	sync
	server_stop TERM
	pass "$SERVER daemon killed"
	if [ "$SERVER" = fsmb ]; then
		drop_caches
		check "existing mount still reads" [ "$(cat "$MNT/before.txt" 2>&1)" = "$c" ]
		dd if="$W/rand1m" of="$MNT/after.bin" bs=64k conv=fsync 2> /dev/null
		check "existing mount still writes" cmp "$W/rand1m" "$SH/after.bin"
	else
		skip "existing mount after the kill (smbd's children exit with their parent)"
	fi
	t=$(now)
	SMBC_TIMEOUT=60 out "$O/nodaemon" smbc $SRV/share -U "$U1%$P1" -c ls
	rc=$?
	el=$(since "$t")
	show "$O/nodaemon"
	check "new smbclient session fails without the daemon (rc $rc)" eval '[ $rc != 0 ] && ! grep -q readme "$O/nodaemon"'
	check "... within 15 s (${el}s)" awk -v e="$el" 'BEGIN {exit !(e <= 15)}'
	start_server || return 1
	t=$(now)
	if wait_for 30 out "$O/restarted" smbc $SRV/share -U "$U1%$P1" -c ls; then
		pass "new smbclient session after the restart ($(since "$t")s)"
	else
		show "$O/restarted"
		fail "new smbclient session after the restart ($(ntstatus "$O/restarted"))"
	fi
	check "the old mount works after the restart" eval 'echo again > "$MNT/again.txt" && [ "$(cat "$SH/again.txt")" = again ]'
	cifs_umount
}

step10_unload() {
	step "10. rmmod with clients connected; slabs; dmesg"
	local t mounted=0 sess=0
	cifs_mount 3.1.1 && mounted=1
	[ $mounted = 1 ] && { echo busy > "$MNT/busy.txt" || echo "    (write to the mount failed)"; }
	sess_open $SRV/share -U "$U1%$P1" && sess=1
	echo "    established on 445: $(grep -c ':01BD [0-9A-F:]* 01 ' /proc/net/tcp /proc/net/tcp6 | tr '\n' ' ')"
	if [ "$SERVER" = fsmb ]; then
		echo "    fsmb refcnt $(cat /sys/module/fsmb/refcnt 2>&1), daemon $(kill -0 "$SERVER_PID" 2>/dev/null && echo running || echo gone)"
		t=$(now)
		if timeout -k 5 60 rmmod fsmb; then
			pass "rmmod fsmb with the daemon running, a cifs mount ($mounted) and a session ($sess) ($(since "$t")s)"
		else
			fail "rmmod fsmb with the daemon running, a cifs mount ($mounted) and a session ($sess) ($(since "$t")s)"
			server_stop TERM
			timed "rmmod fsmb after stopping the daemon" timeout -k 5 60 rmmod fsmb
		fi
		check "fsmb gone from /proc/modules" eval '! grep -q "^fsmb " /proc/modules'
		echo "    daemon after rmmod: $(kill -0 "$SERVER_PID" 2>/dev/null && echo running || echo exited)"
	else
		skip "rmmod (server $SERVER)"
	fi
	if [ $sess = 1 ]; then
		sess ls 30 > /dev/null
		echo "    smbclient session after rmmod: $(ntstatus "$SESS_DIR/last") ($(tail -n1 "$SESS_DIR/last"))"
	fi
	sess_close
	if [ $mounted = 1 ]; then
		t=$(now)
		timeout -k 5 30 umount -f "$MNT" || umount -l "$MNT"
		check "cifs mount gone ($(since "$t")s)" eval '! grep -q " $MNT " /proc/mounts'
	fi
	server_stop TERM
	if [ "$SERVER" = fsmb ]; then
		fsmb_slabs > "$O/slabs.unloaded"
		show "$O/slabs.unloaded"
		check "no fsmb slab caches after rmmod" [ ! -s "$O/slabs.unloaded" ]
	fi
}

step1_load
step2_users
step3_start
step4_list
step5_session
if [ "$FAILS" != 0 ] && ! out "$O/probe" smbc $SRV/share -U "$U1%$P1" -c ls; then
	fail "no working SMB session at all: steps 6-9 skipped"
	show "$O/probe"
else
	step6_errors
	step7_cifs
	step8_escape
	step9_daemon_restart
fi
step10_unload
step "dmesg"
dmesg_bad > "$O/dmesg.bad"
check "dmesg has no BUG/WARNING/Oops/refcount_t lines" [ ! -s "$O/dmesg.bad" ] || show "$O/dmesg.bad"
finish
