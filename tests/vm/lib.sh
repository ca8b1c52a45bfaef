# Sourced (bash) by the guest-side tests. They run in the guest as root, as
# PID 1's child, cwd = this directory, with REPO, VMDIR, VMSHARE, KVER, KROOT
# exported by scripts/vm/stage2.sh and any VMAPPEND K=V pairs in the
# environment. The guest's / is a tmpfs overlay over the host's /: useradd,
# files under /tmp etc. are private to this boot.
#
# FSMB_TEST_SERVER=fsmb (default) tests fsmb.ko + fsmbd. FSMB_TEST_SERVER=samba
# runs the same client-side checks against Samba's smbd (its .deb, downloaded
# by scripts/setup.sh, is unpacked into the guest): a check of the tests
# themselves; steps that only make sense for fsmb are reported as SKIP.
# FSMB_TEST_SERVER=ksmbd runs them against the kernel's ksmbd: the out-of-tree
# ksmbd.ko in the guest kernel's updates/ and ksmbd-tools 3.4.7, both from
# scripts/peers/build.sh (the tools' .deb is unpacked into the guest), with
# a private config and user database (ksmbd.mountd -c CONF -u USERSDB).

REPO=${REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
FSMBD=${FSMBD:-$REPO/userspace/fsmbd/fsmbd}
FSMBCTL=${FSMBCTL:-$REPO/userspace/fsmbctl/fsmbctl}
SERVER=${FSMB_TEST_SERVER:-fsmb}
TNAME=$(basename "$0" .sh)
FAILS=0 PASSES=0 SKIPS=0 SESS_COUNT=0
# A write to a pipe whose reader died must fail, not kill the test.
trap '' PIPE

now() { cut -d' ' -f1 /proc/uptime; }
# since T0: seconds elapsed since uptime T0
since() { echo "$(now) $1" | awk '{printf "%.2f", $1 - $2}'; }
pass() { echo "PASS: $*"; PASSES=$((PASSES + 1)); }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
skip() { echo "SKIP: $*"; SKIPS=$((SKIPS + 1)); }
step() { echo; echo "== $*  (uptime $(now)s)"; }
# check DESCRIPTION CMD...: run CMD, record PASS/FAIL; returns CMD's success
check() {
	local d=$1
	shift
	if "$@"; then pass "$d"; else fail "$d"; return 1; fi
}
# timed DESCRIPTION CMD...: like check, and reports how long CMD took
timed() {
	local d=$1 t0
	shift
	t0=$(now)
	if "$@"; then pass "$d ($(since "$t0")s)"; else fail "$d ($(since "$t0")s)"; return 1; fi
}
# wait_listen PORT [SECONDS=20]: until something listens on TCP PORT (v4 or v6)
wait_listen() {
	local hex n=0
	hex=$(printf ':%04X ' "$1")
	while ! grep -q "${hex}[0-9A-F:]* 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null; do
		n=$((n + 1))
		[ $n -gt $((${2:-20} * 10)) ] && return 1
		sleep 0.1
	done
}
# wait_for SECONDS CMD...: retry CMD every 0.2 s until it succeeds
wait_for() {
	local n=0 lim=$(($1 * 5))
	shift
	until "$@"; do
		n=$((n + 1))
		[ $n -gt $lim ] && return 1
		sleep 0.2
	done
}
# hexof FILE / hexstr STRING [utf16]: lowercase hex, no separators (to look for
# a plaintext inside binary files)
hexof() { od -An -v -tx1 "$1" | tr -d ' \n'; }
hexstr() {
	if [ "${2:-}" = utf16 ]; then
		printf '%s' "$1" | od -An -v -tx1 | tr -d '\n' | sed 's/ \([0-9a-f][0-9a-f]\)/\100/g; s/ //g'
	else
		printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'
	fi
}
randpw() { echo "Pw$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')x"; }
ensure_user() { id -u "$1" > /dev/null 2>&1 || useradd -M -d /nonexistent -s /usr/sbin/nologin "$1"; }
fsmb_slabs() { grep '^fsmb' /proc/slabinfo 2>/dev/null; }
# Kernel log lines that mean a bug somewhere (ours or a client's)
dmesg_bad() { dmesg | grep -E -w 'BUG|WARNING|Oops|refcount_t|general protection|UBSAN|KASAN'; }

# ---- the SMB client side -------------------------------------------------
# W: this test's private directory. CLIENT_CONF keeps smbclient/smbtorture
# away from the host's /etc/samba/smb.conf.
setup_workdir() {
	W=/tmp/fsmb-$TNAME
	rm -rf "$W"
	mkdir -p "$W"
	CLIENT_CONF=$W/client.conf
	cat > "$CLIENT_CONF" <<-CONF
	[global]
		workgroup = WORKGROUP
		client min protocol = SMB2_02
		client max protocol = SMB3_11
		disable netbios = yes
	CONF
}
# smbc ARGS...: smbclient with the private client config, killed after
# SMBC_TIMEOUT (default 90) seconds
smbc() { timeout -k 5 "${SMBC_TIMEOUT:-90}" smbclient -s "$CLIENT_CONF" "$@"; }
# out FILE CMD...: run CMD with stdout+stderr to FILE, return its status
out() {
	local f=$1
	shift
	"$@" > "$f" 2>&1
}
# show FILE: print FILE indented (command output inside the PASS/FAIL log)
show() { sed 's/^/    /' "$1"; }
# ntstatus FILE: the first NT_STATUS_* in FILE
ntstatus() { grep -o 'NT_STATUS_[A-Z0-9_]*' "$1" | head -n1; }

# One smbclient session driven command by command, so the server side can be
# checked between commands. smbclient reads stdin with poll()+stdio: stdbuf
# -i0 keeps unread lines in the FIFO (else the next command waits for more
# input), -oL makes its output visible at once. After each command an unknown
# command "fsmb-mark-N" is sent; its "command not found" line marks the end.
# sess_open ARGS...: start smbclient ARGS (//server/share -U ...), wait for the
# session (SESS_TIMEOUT, default 90 s)
sess_open() {
	SESS_DIR=$W/sess.$$.$((++SESS_COUNT))
	mkdir -p "$SESS_DIR" && mkfifo "$SESS_DIR/in" || return 1
	stdbuf -i0 -oL -eL smbclient -s "$CLIENT_CONF" "$@" < "$SESS_DIR/in" > "$SESS_DIR/out" 2>&1 &
	SESS_PID=$!
	exec 7> "$SESS_DIR/in"
	SESS_N=0
	sess "" "${SESS_TIMEOUT:-90}"
}
# sess COMMAND [SECONDS=60]: run COMMAND in the session; its output is in
# $SESS_DIR/last (and printed); fails if the session died, did not answer, or
# the output has an NT_STATUS_ error
sess() {
	local m lines n=0 lim=$((${2:-60} * 10))
	SESS_N=$((SESS_N + 1))
	m="fsmb-mark-$SESS_N"
	lines=$(wc -l < "$SESS_DIR/out")
	[ -n "$1" ] && echo "  smb: \\> $1"
	{ printf '%s\n%s\n' "$1" "$m" >&7; } 2> /dev/null
	until grep -q "^$m: command not found" "$SESS_DIR/out"; do
		n=$((n + 1))
		if [ $n -gt $lim ] || ! kill -0 "$SESS_PID" 2>/dev/null; then
			tail -n +"$((lines + 1))" "$SESS_DIR/out" > "$SESS_DIR/last"
			show "$SESS_DIR/last"
			echo "    (smbclient session $([ $n -gt $lim ] && echo "did not answer within ${2:-60}s" || echo "ended"))"
			return 1
		fi
		sleep 0.1
	done
	tail -n +"$((lines + 1))" "$SESS_DIR/out" | grep -v "^$m: command not found" > "$SESS_DIR/last"
	show "$SESS_DIR/last"
	! grep -q 'NT_STATUS_' "$SESS_DIR/last"
}
# sess_close: end the session (EOF on its stdin), at most 10 s
sess_close() {
	[ -n "${SESS_PID:-}" ] || return 0
	exec 7>&-
	wait_for 10 eval '! kill -0 "$SESS_PID" 2>/dev/null' || kill -KILL "$SESS_PID" 2>/dev/null
	wait "$SESS_PID" 2>/dev/null
	local rc=$?
	SESS_PID=
	return $rc
}

# share_fs DIR [SIZE_MB=512]: a fresh filesystem for a share at DIR, as
# FSMB_SHARE_FS says: ext4 (default; a loop-mounted image in /dev/shm, i.e.
# RAM), tmpfs, or overlay (just a directory on the guest's overlay root,
# which is not what a server serves in real life: readdir offsets and user
# xattrs differ).
share_fs() {
	local img=/dev/shm/$TNAME.$(basename "$1").img
	mkdir -p "$1" || return 1
	case ${FSMB_SHARE_FS:-ext4} in
	ext4)
		modprobe loop && modprobe ext4 &&
		truncate -s "${2:-512}M" "$img" && mkfs.ext4 -q -F -E nodiscard "$img" &&
		mount -o loop "$img" "$1" && rmdir "$1/lost+found" ;;
	tmpfs)
		mount -t tmpfs -o "size=${2:-512}m" tmpfs "$1" ;;
	overlay) ;;
	*)
		echo "unknown FSMB_SHARE_FS=$FSMB_SHARE_FS" >&2; return 1 ;;
	esac
}

# ---- the server under test ------------------------------------------------
# server_load: load fsmb.ko (or unpack Samba)
server_load() {
	case $SERVER in
	fsmb)
		modprobe fsmb ;;
	samba)
		command -v smbd > /dev/null && return 0
		# Not `dpkg-deb -x DEB /`: its tar would replace the merged-/usr
		# symlinks /lib, /bin, /sbin with directories.
		dpkg-deb --fsys-tarfile "$VMDIR/debs/samba.deb" | tar -x --keep-directory-symlink -C / ;;
	ksmbd)
		# ksmbd-tools Conflicts: samba, so the host has only its .deb.
		command -v ksmbd.mountd > /dev/null ||
			dpkg-deb --fsys-tarfile "$VMDIR/debs/ksmbd-tools.deb" |
			tar -x --keep-directory-symlink -C / || return 1
		modprobe ksmbd ;;
	*)
		echo "unknown FSMB_TEST_SERVER=$SERVER" >&2; return 1 ;;
	esac
}
# server_conf FILE STATEDIR: write the [global] section (append shares yourself)
server_conf() {
	if [ "$SERVER" = ksmbd ]; then
		# ksmbd.conf(5) of ksmbd-tools 3.4.7: no "smb ports"/"state
		# directory"; the user database sits next to the config (ksmbd_db).
		# ksmbd has no SMB 2.0.2: its lowest dialect is 2.1.
		mkdir -p "$2"
		cat > "$1" <<-CONF
		[global]
			netbios name = FSMBVM
			workgroup = WORKGROUP
			tcp port = 445
			server min protocol = SMB2_10
			server max protocol = SMB3_11
			server signing = auto
		CONF
		return
	fi
	cat > "$1" <<-CONF
	[global]
		netbios name = FSMBVM
		workgroup = WORKGROUP
		smb ports = 445
		server min protocol = SMB2_02
		server max protocol = SMB3_11
		server signing = auto
		state directory = $2
	CONF
	if [ "$SERVER" = samba ]; then
		mkdir -p "$2"/private "$2"/lock "$2"/cache "$2"/pid "$2"/ncalrpc "$2"/log
		cat >> "$1" <<-CONF
		server role = standalone server
		interfaces = lo
		bind interfaces only = yes
		disable netbios = yes
		private dir = $2/private
		lock directory = $2/lock
		cache directory = $2/cache
		pid directory = $2/pid
		ncalrpc dir = $2/ncalrpc
		passdb backend = tdbsam:$2/private/passdb.tdb
		log file = $2/log/log.%m
		max log size = 0
		load printers = no
		printcap name = /dev/null
		disable spoolss = yes
		map to guest = never
		CONF
	fi
}
# share_conf CONF DIR USERS: append the tests' share, [share] at DIR,
# writable and browseable, for USERS (space-separated)
share_conf() {
	cat >> "$1" <<-CONF
	[share]
		path = $2
		read only = no
		browseable = yes
		valid users = $3
	CONF
}
# ksmbd_db CONF: ksmbd's user database for the config file CONF
ksmbd_db() { echo "${1%/*}/ksmbdpwd.db"; }
# server_user_add CONF NAME PASSWORD: create the unix user if needed, add it
# to the server's user database (password on stdin, one line)
server_user_add() {
	ensure_user "$2" || return 1
	if [ "$SERVER" = ksmbd ]; then
		ksmbd.adduser -c "$1" -i "$(ksmbd_db "$1")" -a "$2" -p "$3"
	elif [ "$SERVER" = samba ]; then
		printf '%s\n%s\n' "$3" "$3" | smbpasswd -c "$1" -s -a "$2"
	else
		printf '%s\n' "$3" | "$FSMBCTL" -c "$1" user add "$2"
	fi
}
# server_start CONF LOG: start the daemon in the background (SERVER_PID), in
# its own session so that signals it sends to its process group cannot hit us
server_start() {
	if [ "$SERVER" = ksmbd ]; then
		# -n: no detach; the manager forks its worker itself.
		setsid ksmbd.mountd -n -c "$1" -u "$(ksmbd_db "$1")" >> "$2" 2>&1 &
	elif [ "$SERVER" = samba ]; then
		smbd -s "$1" -F --debug-stdout >> "$2" 2>&1 &
	else
		setsid "$FSMBD" -c "$1" -F >> "$2" 2>&1 &
	fi
	SERVER_PID=$!
	SERVER_LOG=$2
}
# server_stop [SIGNAL]: stop the daemon and reap it (at most 10 s, then SIGKILL)
server_stop() {
	[ -n "${SERVER_PID:-}" ] || return 0
	if [ "$SERVER" = ksmbd ]; then
		# ksmbd.control -s: the kernel drops its connections and mountd
		# exits; then the module can go.
		ksmbd.control -s
		wait_for 10 eval '! kill -0 "$SERVER_PID" 2>/dev/null' || kill -KILL "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
		SERVER_PID=
		wait_for 10 rmmod ksmbd
		return
	fi
	kill -"${1:-TERM}" "$SERVER_PID" 2>/dev/null
	wait_for 10 eval '! kill -0 "$SERVER_PID" 2>/dev/null' || kill -KILL "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
}

# ---- reporting ------------------------------------------------------------
diagnostics() {
	if [ -n "${SERVER_LOG:-}" ] && [ -f "$SERVER_LOG" ]; then
		echo "---- $SERVER daemon log (last 60 lines of $SERVER_LOG)"
		tail -n 60 "$SERVER_LOG"
	fi
	echo "---- dmesg (last 40 lines)"
	dmesg | tail -n 40
}
# keep the logs next to output.log in the results directory
save_logs() {
	[ -n "${VMSHARE:-}" ] && [ -d "$VMSHARE" ] || return 0
	[ -n "${SERVER_LOG:-}" ] && cp "$SERVER_LOG" "$VMSHARE/$TNAME.server.log" 2>/dev/null
	dmesg > "$VMSHARE/$TNAME.dmesg" 2>/dev/null
	return 0
}
die() {
	fail "$*"
	diagnostics
	save_logs
	echo "== $TNAME: aborted; $PASSES passed, $FAILS failed, $SKIPS skipped (server: $SERVER)"
	exit 1
}
finish() {
	[ "$FAILS" = 0 ] || diagnostics
	save_logs
	echo "== $TNAME: $PASSES passed, $FAILS failed, $SKIPS skipped (server: $SERVER, uptime $(now)s)"
	[ "$FAILS" = 0 ]
}
