#!/bin/bash
# Guest side of scripts/bench (run by scripts/vm/run.sh): in this one boot,
# measure the loopback TCP limit with iperf3, then each server in turn with
# the same cifs client and the same mount options. Every figure is appended
# at once to $VMSHARE/bench/results.tsv:
#   server  metric  unit  run  value
# so a guest that dies part-way keeps what it measured. A benchmark is not a
# test: the exit status says only whether every server could be set up and
# measured, never whether a figure is good.
# Knobs (VMAPPEND K=V): BENCH_SERVERS (fsmb,samba,ksmbd), BENCH_RUNS (3),
# BENCH_SEQ_MB (256), BENCH_FIO_SECONDS (10), BENCH_DBENCH_SECONDS (20),
# BENCH_DBENCH_CLIENTS (1,4,16), BENCH_FILES (1000), BENCH_CONN_SECONDS (10),
# BENCH_MEM_CONNS (200), BENCH_IPERF_SECONDS (10), BENCH_ONLY (all of
# iperf,seq,seal,fio,files,connrate,memory,dbench), BENCH_BASELINE (1; 0
# skips iperf3 and the TCP memory baseline: scripts/bench/run's next boot
# after a guest died).
. "$REPO/tests/vm/lib.sh"
TNAME=bench
RUNS=${BENCH_RUNS:-3}
SERVERS=${BENCH_SERVERS:-fsmb,samba,ksmbd}
SEQ_MB=${BENCH_SEQ_MB:-256}
FIO_SECONDS=${BENCH_FIO_SECONDS:-10}
DBENCH_SECONDS=${BENCH_DBENCH_SECONDS:-20}
DBENCH_CLIENTS=${BENCH_DBENCH_CLIENTS:-1,4,16}
NFILES=${BENCH_FILES:-1000}
CONN_SECONDS=${BENCH_CONN_SECONDS:-10}
MEM_CONNS=${BENCH_MEM_CONNS:-200}
IPERF_SECONDS=${BENCH_IPERF_SECONDS:-10}
ONLY=${BENCH_ONLY:-iperf,seq,seal,fio,files,connrate,memory,dbench}
PY=/usr/bin/python3
LOAD="$PY $REPO/scripts/bench/smbload.py"
OUT=$VMSHARE/bench
mkdir -p "$OUT" || exit 1
U=benchuser P=$(randpw)
M=/mnt/bench
setup_workdir
mkdir -p "$M"

want() { [[ ,$ONLY, == *,$1,* ]]; }
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$SERVER" "$1" "$2" "$3" "$4" >> "$OUT/results.tsv"; }
note() { printf '%s\t%s\n' "$SERVER" "$*" >> "$OUT/notes.tsv"; echo "  note: $*"; }
# mbps MB SECONDS
mbps() { awk -v m="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? m / s : 0) }'; }
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }
meminfo() { awk -v k="$1" '$1 == k ":" { print $2 }' /proc/meminfo; }

# ---- the limit: TCP over the same loopback ---------------------------------
bench_iperf() {
	local r bps
	SERVER=iperf3
	step "iperf3 over 127.0.0.1"
	iperf3 -s -D -p 5201 --pidfile "$W/iperf3.pid" --logfile "$W/iperf3.server" && wait_listen 5201 20 || return 1
	for r in $(seq "$RUNS"); do
		iperf3 -c 127.0.0.1 -p 5201 -t "$IPERF_SECONDS" -J > "$W/iperf3.$r.json" || break
		bps=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"])' "$W/iperf3.$r.json")
		record tcp_stream MB/s "$r" "$(awk -v b="$bps" 'BEGIN { printf "%.1f", b / 8 / 1048576 }')"
		echo "  run $r: $(tail -n1 "$OUT/results.tsv" | cut -f5) MB/s"
	done
	kill "$(cat "$W/iperf3.pid")"
	[ "$r" = "$RUNS" ]
}

# ---- per-server setup -------------------------------------------------------
server_up() {
	local sh=$W/$SERVER/share state=$W/$SERVER/state conf=$W/$SERVER/server.conf
	mkdir -p "$W/$SERVER"
	share_fs "$sh" 1024 || return 1
	chown $U "$sh" && chmod 1777 "$sh"
	server_load || return 1
	server_conf "$conf" "$state"
	# The memory run holds BENCH_MEM_CONNS connections from 127.0.0.1,
	# each with a tree connected. ksmbd-tools 3.4.7 caps both at 128 by
	# default: "max connections" in [global] is the kernel's TCP limit
	# (the rest are reset), the same key in a share section counts that
	# share's tree connects, and mountd refuses the one that makes the
	# count reach it (the 128th: shm_open_connection() tests >=), with
	# STATUS_ACCESS_DENIED (before
	# scripts/peers/patches/ksmbd-tree-connect-err-pin.patch, in a
	# malformed reply that impacket decrypted to garbage). fsmb allows 64
	# connections per client address; smbd has no cap.
	case $SERVER in
	ksmbd) printf '\tmax connections = %d\n' $((MEM_CONNS + 64)) >> "$conf" ;;
	fsmb) printf '\tmax ip connections = %d\n' $((MEM_CONNS + 64)) >> "$conf" ;;
	esac
	share_conf "$conf" "$sh" $U
	[ "$SERVER" = ksmbd ] && printf '\tmax connections = %d\n' $((MEM_CONNS + 64)) >> "$conf"
	server_user_add "$conf" $U "$P" || return 1
	server_start "$conf" "$W/$SERVER/server.log"
	wait_listen 445 60 || return 1
	# The first session of a boot autoloads crypto modules: not measured.
	SMBC_TIMEOUT=120 smbc //127.0.0.1/share -U "$U%$P" -c ls > "$W/$SERVER/warmup" 2>&1
}
server_down() {
	umount "$M" 2> /dev/null
	server_stop
	[ "$SERVER" = fsmb ] && wait_for 10 rmmod fsmb
	wait_for 20 eval '! wait_listen 445 0'
	umount "$W/$SERVER/share" 2> /dev/null
	rm -f /dev/shm/bench.share.img
}
# mnt OPTIONS: mount the share on $M with the options every server gets
mnt() {
	mount -t cifs //127.0.0.1/share "$M" \
		-o "username=$U,password=$P,uid=0,gid=0,vers=3.1.1${1:+,$1}" 2> "$W/mount.err"
}

# ---- sequential write and read ---------------------------------------------
# seq NAME OPTIONS: SEQ_MB written with fsync, then read after dropping the
# client's and the server's caches (both in this guest)
bench_seq() {
	local name=$1 opts=$2 r t0 t
	step "$SERVER: sequential $SEQ_MB MiB ($name: vers=3.1.1${opts:+,$opts})"
	if ! mnt "$opts"; then
		note "$name: mount failed: $(head -n1 "$W/mount.err" | head -c 200)"
		return 0
	fi
	for r in $(seq "$RUNS"); do
		rm -f "$M/seq"
		drop_caches
		t0=$(now)
		dd if=/dev/zero of="$M/seq" bs=1M count="$SEQ_MB" conv=fsync status=none || { note "$name: write failed"; break; }
		t=$(since "$t0")
		record "seq_write_$name" MB/s "$r" "$(mbps "$SEQ_MB" "$t")"
		drop_caches
		t0=$(now)
		dd if="$M/seq" of=/dev/null bs=1M status=none || { note "$name: read failed"; break; }
		t=$(since "$t0")
		record "seq_read_$name" MB/s "$r" "$(mbps "$SEQ_MB" "$t")"
		echo "  run $r: $(tail -n2 "$OUT/results.tsv" | cut -f2,5 | tr '\n\t' '  ')"
	done
	rm -f "$M/seq"
	umount "$M"
}

# ---- 4 KiB random reads, O_DIRECT -------------------------------------------
bench_fio() {
	local r qd engine iops
	step "$SERVER: fio 4 KiB random read, O_DIRECT"
	mnt "" || { note "fio: mount failed"; return 0; }
	# lay the file out once, outside the measurement
	fio --name=layout --filename="$M/fio.dat" --size=64M --rw=write --bs=1M \
		--direct=1 --output=/dev/null || { note "fio: layout failed"; umount "$M"; return 0; }
	for qd in 1 16; do
		engine=psync
		[ "$qd" -gt 1 ] && engine=libaio
		for r in $(seq "$RUNS"); do
			fio --name=randread --filename="$M/fio.dat" --size=64M --rw=randread \
				--bs=4k --direct=1 --ioengine=$engine --iodepth=$qd \
				--runtime="$FIO_SECONDS" --time_based --output-format=json \
				--output="$W/fio.json" || { note "fio qd$qd failed"; break; }
			iops=$($PY -c 'import json,sys; print("%.0f" % json.load(open(sys.argv[1]))["jobs"][0]["read"]["iops"])' "$W/fio.json")
			record "randread4k_qd$qd" IOPS "$r" "$iops"
			echo "  qd$qd run $r: $iops IOPS"
		done
	done
	rm -f "$M/fio.dat"
	umount "$M"
}

# ---- small files -------------------------------------------------------------
# actimeo=0: every stat goes to the server instead of the client's cache
bench_files() {
	local r line
	step "$SERVER: $NFILES files of 4 KiB: create+write+close, stat, unlink (actimeo=0)"
	mnt actimeo=0 || { note "files: mount failed"; return 0; }
	mkdir -p "$M/files"
	for r in $(seq "$RUNS"); do
		line=$($LOAD files "$M/files" "$NFILES" 4096) || { note "files: run $r failed"; break; }
		set -- $line
		record files_create ops/s "$r" "$2"
		record files_stat ops/s "$r" "$4"
		record files_unlink ops/s "$r" "$6"
		echo "  run $r: $line"
	done
	rm -rf "$M/files"
	umount "$M"
}

# ---- connection setup rate --------------------------------------------------
bench_connrate() {
	local r line
	step "$SERVER: negotiate + session setup + tree connect per second (impacket, SMB 3.0)"
	for r in $(seq "$RUNS"); do
		line=$($LOAD connrate 127.0.0.1 share $U "$P" "$CONN_SECONDS" 2> "$W/connrate.err") ||
			{ note "connrate: $(tail -n1 "$W/connrate.err")"; break; }
		record conn_setup conn/s "$r" "$(echo "$line" | sed 's/.* rate \([0-9.]*\).*/\1/')"
		echo "  run $r: $line"
	done
}

# ---- dbench -------------------------------------------------------------------
bench_dbench() {
	local n r mb
	step "$SERVER: dbench (client.txt) over the cifs mount"
	mnt "" || { note "dbench: mount failed"; return 0; }
	for n in ${DBENCH_CLIENTS//,/ }; do
		for r in $(seq "$RUNS"); do
			rm -rf "$M/dbench"
			mkdir -p "$M/dbench"
			timeout -k 10 $((DBENCH_SECONDS * 4 + 120)) dbench -c /usr/share/dbench/client.txt \
				-D "$M/dbench" -t "$DBENCH_SECONDS" "$n" > "$W/dbench.out" 2>&1
			mb=$(sed -n 's/^Throughput \([0-9.]*\) MB\/sec.*/\1/p' "$W/dbench.out")
			if [ -z "$mb" ]; then
				note "dbench $n: no result ($(grep -m1 -iE 'error|fail' "$W/dbench.out" | head -c 200))"
				break
			fi
			record "dbench_$n" MB/s "$r" "$mb"
			echo "  $n clients, run $r: $mb MB/s"
		done
	done
	rm -rf "$M/dbench"
	umount "$M"
}

# ---- memory per idle authenticated connection -------------------------------
# Kernel memory: Slab (reclaimable caches dropped first) + VmallocUsed, and
# everything the kernel holds that is neither page cache nor user memory
# (MemTotal - MemFree - Buffers - Cached - AnonPages: this catches
# page-allocator buffers and socket memory too). Deltas over N idle
# connections, each authenticated with a tree connected, divided by N.
kmem_snapshot() {
	sync
	echo 2 > /proc/sys/vm/drop_caches
	sleep 1
	echo "$(meminfo Slab) $(meminfo VmallocUsed) $(($(meminfo MemTotal) - $(meminfo MemFree) - $(meminfo Buffers) - $(meminfo Cached) - $(meminfo AnonPages)))"
}
# user_kb: RSS and PSS (KiB) of the server's processes (smbd; fsmbd)
user_kb() {
	local comm=smbd p rss=0 pss=0
	[ "$SERVER" = fsmb ] && comm=fsmbd
	[ "$SERVER" = ksmbd ] && comm=ksmbd.mountd
	for p in $(pgrep -x "$comm"); do
		rss=$((rss + $(awk '/^Rss:/ {print $2}' /proc/$p/smaps_rollup 2> /dev/null || echo 0)))
		pss=$((pss + $(awk '/^Pss:/ {print $2}' /proc/$p/smaps_rollup 2> /dev/null || echo 0)))
	done
	echo "$rss $pss"
}
# hold_conns KIND ARGS...: start smbload.py KIND ARGS... READY, wait for it
hold_start() {
	rm -f "$W/ready"
	mkfifo "$W/hold.in" 2> /dev/null
	$LOAD "$@" "$W/ready" < "$W/hold.in" > "$W/hold.out" 2>&1 &
	HOLD_PID=$!
	exec 6> "$W/hold.in"
	wait_for 600 eval '[ -f "$W/ready" ] || ! kill -0 $HOLD_PID 2>/dev/null'
	[ -f "$W/ready" ] && sleep 3
}
hold_stop() {
	exec 6>&-
	wait_for 60 eval '! kill -0 $HOLD_PID 2>/dev/null' || kill -KILL $HOLD_PID 2>/dev/null
	wait $HOLD_PID 2>/dev/null
}
per_conn() { awk -v a="$1" -v b="$2" -v n="$MEM_CONNS" 'BEGIN { printf "%.1f", (b - a) / n }'; }
bench_memory_tcp() {
	local before after sink
	SERVER=tcp
	step "memory: $MEM_CONNS plain TCP connections over loopback (the baseline)"
	$LOAD tcp-sink 4455 > /dev/null 2>&1 &
	sink=$!
	wait_listen 4455 20 || { note "tcp-sink did not start"; return 0; }
	read -r -a before <<< "$(kmem_snapshot)"
	hold_start tcp-hold 127.0.0.1 4455 "$MEM_CONNS" || { note "tcp-hold: $(tail -n1 "$W/hold.out")"; hold_stop; kill $sink; return 0; }
	read -r -a after <<< "$(kmem_snapshot)"
	hold_stop
	kill $sink
	wait $sink 2> /dev/null
	record mem_slab KiB/conn 1 "$(per_conn "${before[0]}" "${after[0]}")"
	record mem_vmalloc KiB/conn 1 "$(per_conn "${before[1]}" "${after[1]}")"
	record mem_kernel KiB/conn 1 "$(per_conn "${before[2]}" "${after[2]}")"
	echo "  slab $(per_conn "${before[0]}" "${after[0]}") vmalloc $(per_conn "${before[1]}" "${after[1]}") kernel $(per_conn "${before[2]}" "${after[2]}") KiB/conn"
}
bench_memory() {
	local before after ubefore uafter got
	step "$SERVER: memory of $MEM_CONNS idle authenticated connections (impacket, SMB 3.0, tree connected)"
	read -r -a before <<< "$(kmem_snapshot)"
	read -r -a ubefore <<< "$(user_kb)"
	if ! hold_start hold 127.0.0.1 share $U "$P" "$MEM_CONNS"; then
		note "memory: $(tail -n1 "$W/hold.out")"
		hold_stop
		return 0
	fi
	got=$(awk '{print $2}' "$W/ready")
	read -r -a after <<< "$(kmem_snapshot)"
	read -r -a uafter <<< "$(user_kb)"
	hold_stop
	record mem_slab KiB/conn 1 "$(per_conn "${before[0]}" "${after[0]}")"
	record mem_vmalloc KiB/conn 1 "$(per_conn "${before[1]}" "${after[1]}")"
	record mem_kernel KiB/conn 1 "$(per_conn "${before[2]}" "${after[2]}")"
	record mem_user_rss KiB/conn 1 "$(per_conn "${ubefore[0]}" "${uafter[0]}")"
	record mem_user_pss KiB/conn 1 "$(per_conn "${ubefore[1]}" "${uafter[1]}")"
	echo "  $got connections: slab $(per_conn "${before[0]}" "${after[0]}") vmalloc $(per_conn "${before[1]}" "${after[1]}")" \
		"kernel $(per_conn "${before[2]}" "${after[2]}") KiB/conn; server processes RSS" \
		"$(per_conn "${ubefore[0]}" "${uafter[0]}") PSS $(per_conn "${ubefore[1]}" "${uafter[1]}") KiB/conn"
}

# ---- main ---------------------------------------------------------------------
ensure_user $U || die "useradd $U"
modprobe cifs || die "modprobe cifs"
ulimit -n 4096
{
	echo "runs=$RUNS"
	echo "only=$ONLY"
	echo "knobs=BENCH_SEQ_MB=$SEQ_MB BENCH_FIO_SECONDS=$FIO_SECONDS BENCH_DBENCH_SECONDS=$DBENCH_SECONDS" \
		"BENCH_DBENCH_CLIENTS=$DBENCH_CLIENTS BENCH_FILES=$NFILES BENCH_CONN_SECONDS=$CONN_SECONDS" \
		"BENCH_MEM_CONNS=$MEM_CONNS BENCH_IPERF_SECONDS=$IPERF_SECONDS"
	echo "guest_kernel=$(uname -r)"
	echo "cifs=cifs.ko srcversion $(modinfo -F srcversion cifs)"
	echo "tools=$(fio --version), $(dbench --help 2>&1 | sed -n '1s/ -.*//p'), $(iperf3 --version | head -n1 | cut -d' ' -f1,2), impacket $(dpkg-query -W -f '${Version}' python3-impacket)"
} > "$OUT/guest-meta"
if [ "${BENCH_BASELINE:-1}" = 1 ]; then
	want iperf && { bench_iperf || fail "iperf3"; }
	want memory && bench_memory_tcp
fi
for SERVER in ${SERVERS//,/ }; do
	t_server=$(now)
	if ! server_up; then
		fail "$SERVER: cannot start"
		show "$W/$SERVER/warmup" 2> /dev/null
		diagnostics
		server_down
		continue
	fi
	pass "$SERVER up"
	# dbench last: it is what takes Debian 6.1's ksmbd (and the guest) down
	want seq && bench_seq cached ""
	want seq && bench_seq nocache cache=none
	want seal && bench_seq seal seal
	want fio && bench_fio
	want files && bench_files
	want connrate && bench_connrate
	want memory && bench_memory
	want dbench && bench_dbench
	server_down
	echo "$SERVER	$(since "$t_server")" >> "$OUT/timing.tsv"
	dmesg_bad > "$W/dmesg.bad" && note "kernel log: $(head -n3 "$W/dmesg.bad" | tr '\n' ' ')"
	dmesg -c > "$OUT/dmesg.$SERVER"
done
finish
