#!/bin/bash
# Guest-side: hostile input against the live fsmb.ko (issue 4).
#   1 the pre-authentication limits, each proven: one session setup at a
#     time before authentication, max ip connections, receive buffers that
#     do not follow a declared length, a client that stops reading, half-
#     open connections dropped at the auth timeout, the idle timeout after
#     authentication, the daemon's port id hidden from unprivileged users,
#     fsmbd's capabilities, a 3.1.1 TREE_CONNECT unsigned after login
#     ending the connection
#   2 MALFORMED_PDUS (default 3000) mutated PDUs from fsmb-malformed.py:
#     valid sessions replayed with mutations before and after
#     authentication, bad compound chains, broken framing, SMB1 and other
#     garbage, many half-open connections
#   3 afterwards: a normal smbclient session (ls, put/get with a content
#     check), the object counters back to 0, no splat in dmesg, rmmod
# Run it in a VM: scripts/vm/check.sh fsmb-malformed (or scripts/vm/run.sh
# tests/vm/fsmb-malformed.sh). Knobs (environment, VMAPPEND=K=V):
# MALFORMED_PDUS, MALFORMED_JOBS (default 2), MALFORMED_SEED (client j
# uses SEED+j-1), MALFORMED_SKIP_LIMITS=1.
. ./lib.sh
[ "$SERVER" = fsmb ] || { echo "fsmb-malformed: fsmb only"; exit 0; }
setup_workdir
SH=$W/share STATE=$W/state CONF=$W/fsmb.conf LOG=$W/server.log
U=fsmbmal1 P=$(randpw)
PDUS=${MALFORMED_PDUS:-3000}
# Clients fuzzing at once (each sends PDUS/JOBS): also a concurrency test.
JOBS=${MALFORMED_JOBS:-2}
# Limits made small so that proving them is quick.
MAX_IP=16 AUTH_TO=15 IDLE_TO=20 SEND_TO=15
PY=/usr/bin/python3
TOOL=("$PY" "$REPO/tests/vm/fsmb-malformed.py" --user "$U" --password "$P"
	--share share --fsmbctl "$FSMBCTL")
mkdir -p "$STATE"
share_fs "$SH" 256 || die "cannot make the share's filesystem"
ensure_user $U || die "useradd $U"
chmod 1777 "$SH"
echo "fsmb-malformed: $PDUS malformed PDUs from $JOBS clients, seed ${MALFORMED_SEED:-random}, uptime $(now)s"

counter() { "$FSMBCTL" -j status | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
counters_zero() {
	local c
	for c in connections sessions tree_connects open_files; do
		if wait_for "${1:-30}" eval "[ \"\$(counter $c)\" = 0 ]"; then
			pass "$c back to 0"
		else
			fail "$c still $(counter $c)"
			"$FSMBCTL" status
		fi
	done
}
# Every kind of kernel splat, ours or anyone's.
SPLATS='BUG|WARNING|Oops|refcount_t|general protection|UBSAN|KASAN|list_add corruption|list_del corruption|hung_task|blocked for more than|circular locking|lockdep|Call Trace|kernel BUG|stack-protector|slab.*corrupt|Poison overwritten'
splats() { dmesg | grep -E "$SPLATS"; }
# tool DESC ARGS...: run the client tool, show its lines, PASS/FAIL them
tool() {
	local d=$1 rc
	shift
	"${TOOL[@]}" "$@" > "$W/tool.$d" 2>&1
	rc=$?
	show "$W/tool.$d"
	PASSES=$((PASSES + $(grep -c '^PASS:' "$W/tool.$d")))
	FAILS=$((FAILS + $(grep -c '^FAIL:' "$W/tool.$d")))
	if [ $rc != 0 ] && ! grep -q '^FAIL:' "$W/tool.$d"; then
		fail "$d: the tool exited with $rc"
	fi
	return $rc
}
daemon_alive() { kill -0 "$SERVER_PID" 2> /dev/null; }

step "server"
timed "modprobe fsmb send_timeout=$SEND_TO" modprobe fsmb send_timeout=$SEND_TO || die "modprobe fsmb"
server_conf "$CONF" "$STATE"
cat >> "$CONF" <<-CONF
	max ip connections = $MAX_IP
	auth timeout = $AUTH_TO
	idle timeout = $IDLE_TO
CONF
share_conf "$CONF" "$SH" $U
server_user_add "$CONF" $U "$P" || die "user add"
server_start "$CONF" "$LOG"
wait_listen 445 60 || die "nothing listens on 445"
SMBC_TIMEOUT=180 timed "warm-up session" out "$W/warmup" smbc //127.0.0.1/share -U "$U%$P" -m SMB3_11 -c ls ||
	{ show "$W/warmup"; die "no SMB session"; }
dmesg | grep -E "$SPLATS" > "$W/splats.before"

if [ "${MALFORMED_SKIP_LIMITS:-0}" != 1 ]; then
	step "1a. one session setup at a time before authentication"
	tool preauth preauth

	step "1b. max ip connections = $MAX_IP"
	tool perip perip --n $MAX_IP --src 127.0.0.5
	counters_zero 30
	step "1b'. max_connections (module parameter) = 8"
	echo 8 > /sys/module/fsmb/parameters/max_connections
	tool maxconns perip --n 8 --src 127.0.0.6 --no-other
	echo 1024 > /sys/module/fsmb/parameters/max_connections
	counters_zero 30

	step "1c. before authentication, receive buffers grow with the data, not with the declared length"
	tool bigdecl bigdecl --n 400
	counters_zero 30

	step "1d. a client that stops reading (send timeout ${SEND_TO}s)"
	tool slowreader slowreader --wait $((SEND_TO * 4))
	counters_zero 30

	step "1e. half-open connections (auth timeout ${AUTH_TO}s), idle timeout (${IDLE_TO}s)"
	"${TOOL[@]}" halfopen --n 40 --wait $((AUTH_TO * 3)) --min-wait $((AUTH_TO - 1)) > "$W/tool.halfopen" 2>&1 &
	hpid=$!
	tool idle idle --wait $((IDLE_TO * 3)) --min-wait $IDLE_TO
	wait $hpid
	hrc=$?
	show "$W/tool.halfopen"
	PASSES=$((PASSES + $(grep -c '^PASS:' "$W/tool.halfopen")))
	FAILS=$((FAILS + $(grep -c '^FAIL:' "$W/tool.halfopen")))
	[ $hrc = 0 ] || grep -q '^FAIL:' "$W/tool.halfopen" || fail "halfopen: the tool exited with $hrc"
	counters_zero 30

	step "1f. the daemon's netlink port id is for admins only"
	"$FSMBCTL" -j status > "$W/status.root"
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$FSMBCTL" -j status > "$W/status.user" 2>&1
	show "$W/status.root"
	show "$W/status.user"
	check "root sees the port id" grep -q '"portid":[1-9]' "$W/status.root"
	check "an unprivileged user sees the daemon registered" grep -q '"registered":true' "$W/status.user"
	check "... but not its port id" eval '! grep -q portid "$W/status.user"'

	step "1g. fsmbd keeps only CAP_NET_ADMIN"
	grep -E '^(Uid|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs)' "/proc/$SERVER_PID/status" > "$W/caps"
	show "$W/caps"
	# CAP_NET_ADMIN is bit 12
	check "effective and permitted: CAP_NET_ADMIN only" \
		eval '[ "$(grep -c "^Cap\(Eff\|Prm\):.*0000000000001000$" "$W/caps")" = 2 ]'
	check "bounding set: CAP_NET_ADMIN only" grep -q '^CapBnd:.*0000000000001000$' "$W/caps"
	check "no_new_privs set" grep -q '^NoNewPrivs:.*1$' "$W/caps"

	step "1h. 3.1.1: a user's TREE_CONNECT is signed or the connection ends"
	tool tconsign tconsign
	counters_zero 30

	step "1i. the daemon stops answering: 300 logins, at most 256 wait (10 s), the rest fail at once"
	tool stalled stalled --n 300 --daemon-pid "$SERVER_PID" --auth-timeout $AUTH_TO
	check "fsmbd is running again" daemon_alive
	counters_zero 30
	check "a login works again" out "$W/relogin" smbc //127.0.0.1/share -U "$U%$P" -c ls
fi

step "2. $PDUS malformed PDUs, $JOBS clients at once"
t0=$(now)
seed=${MALFORMED_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
pids=()
for j in $(seq 1 "$JOBS"); do
	# the last client also holds 100 half-open connections
	"${TOOL[@]}" fuzz --pdus $(((PDUS + JOBS - 1) / JOBS)) --seed $((seed + j - 1)) \
		--half-open $([ "$j" = "$JOBS" ] && echo 100 || echo 0) > "$W/tool.fuzz.$j" 2>&1 &
	pids+=($!)
done
for j in $(seq 1 "$JOBS"); do
	wait "${pids[$((j - 1))]}"
	rc=$?
	echo "  client $j (seed $((seed + j - 1))):"
	show "$W/tool.fuzz.$j"
	PASSES=$((PASSES + $(grep -c '^PASS:' "$W/tool.fuzz.$j")))
	FAILS=$((FAILS + $(grep -c '^FAIL:' "$W/tool.fuzz.$j")))
	[ $rc = 0 ] || grep -q '^FAIL:' "$W/tool.fuzz.$j" || fail "fuzz client $j exited with $rc"
done
total=$(cat "$W"/tool.fuzz.* | sed -n 's/^INFO: fuzz: \([0-9]*\) malformed PDUs.*/\1/p' | awk '{s += $1} END {print s + 0}')
echo "fuzz: $total malformed PDUs from $JOBS clients in $(since "$t0")s"
[ "$total" -ge "$PDUS" ] && pass "$total malformed PDUs sent (at least $PDUS)" || fail "only $total of $PDUS malformed PDUs sent"
check "fsmbd is still running" daemon_alive

step "3. a normal client afterwards"
head -c 300000 /dev/urandom > "$W/put.bin"
if timed "smbclient ls, put, get" out "$W/after" smbc //127.0.0.1/share -U "$U%$P" \
	-c "ls; put $W/put.bin after.bin; get after.bin $W/get.bin"; then
	check "put/get content identical" cmp "$W/put.bin" "$W/get.bin"
	check "... and on the server" cmp "$W/put.bin" "$SH/after.bin"
else
	show "$W/after"
fi
counters_zero 60
dmesg | grep -E "$SPLATS" > "$W/splats.after"
if diff "$W/splats.before" "$W/splats.after" > /dev/null; then
	pass "dmesg has no oops, WARN, BUG, refcount, list corruption, hung task or lockdep splat"
else
	fail "dmesg has splats"
	show "$W/splats.after"
fi

step "unload"
server_stop
timed "rmmod fsmb" rmmod fsmb
if splats > "$W/splats.end" && ! diff -q "$W/splats.before" "$W/splats.end" > /dev/null; then
	fail "splats at unload"
	show "$W/splats.end"
else
	pass "dmesg clean after rmmod"
fi
check "no fsmb slab cache left" eval '! fsmb_slabs | grep -q .'
finish
