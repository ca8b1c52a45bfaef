#!/bin/bash
# Guest-side: Samba's smbtorture against fsmb (fsmb.ko + fsmbd) over
# 127.0.0.1:445. Runs each suite in its own smbtorture process with a time
# limit, parses its `--format=subunit` output, prints a per-subtest
# PASS/FAIL/SKIP table, and fails if a subtest fails (or errors, or never
# finishes) that tests/smbtorture-known-failures.txt does not list.
# Run it in a VM: scripts/vm/run.sh tests/vm/smbtorture.sh (or scripts/vm/check.sh).
# Knobs (environment, or VMAPPEND=K=V with commas instead of spaces):
#   SMBTORTURE_SUITES=smb2.connect,smb2.read,smb2.rw,smb2.dir
#   SMBTORTURE_SUITES_FILE=F   the suites (or single subtests) one a line in F,
#                           instead (e.g. a file in $VMSHARE: no length limit)
#   SUITE_TIMEOUT=600       seconds per suite (timeout -k 10), within the VM's limit
#   KNOWN_FAILURES=$REPO/tests/smbtorture-known-failures.txt
#                           lines "subtest<TAB>reason"; # starts a comment
#   T_FIRST=180             seconds for the first (warm-up) session
#   FSMB_SHARE_FS=ext4      the share's filesystem: ext4 | tmpfs | overlay (lib.sh)
#   FSMB_TEST_SERVER=samba|ksmbd  run against Samba's smbd or ksmbd instead (lib.sh)
# For scripts/conformance (all off by default):
#   CONFORMANCE=1           only report: no known-failures list, no failure for
#                           failing subtests; the peers get the share options
#                           that make their features testable (see below)
#   SUITE_TIMEOUTS=s1:secs,s2:secs   per-suite limits instead of SUITE_TIMEOUT
#   RETRY_LEAVES=1          (default: CONFORMANCE) after a suite hung or crashed,
#                           run each of its leaves that has no result yet in its
#                           own smbtorture process (LEAF_TIMEOUT=60 s each,
#                           RETRY_BUDGET=SUITE_TIMEOUT s in all for the suite);
#                           the leaf that hung stays TIMEOUT, leaves beyond the
#                           budget are NOTRUN
#   MAXOPENFILES=N          smb2.maxfid opens at most N files (smbtorture's
#                           torture:maxopenfiles, default 0x11000)
# Raw subunit logs and results.tsv (suite, subtest, result, reason) go to
# $VMSHARE/smbtorture/ (the host's results directory), with done (the suites
# that finished, one a line) and timing.tsv (suite, smbtorture exit, seconds,
# leaves rerun).
. ./lib.sh
# One a line: a subtest's name may hold a space ("...OVERWRITE_IF Existing").
SUITES=$(echo "${SMBTORTURE_SUITES:-smb2.connect,smb2.read,smb2.rw,smb2.dir}" | tr ', ' '\n\n' | grep .)
[ -n "${SMBTORTURE_SUITES_FILE:-}" ] && SUITES=$(grep . "$SMBTORTURE_SUITES_FILE")
SUITE_TIMEOUT=${SUITE_TIMEOUT:-600}
KNOWN=${KNOWN_FAILURES:-$REPO/tests/smbtorture-known-failures.txt}
T_FIRST=${T_FIRST:-180}
CONFORMANCE=${CONFORMANCE:-0}
RETRY_LEAVES=${RETRY_LEAVES:-$CONFORMANCE}
LEAF_TIMEOUT=${LEAF_TIMEOUT:-60}
# In conformance runs a killed smbtorture must not lose its last results in
# a stdio buffer.
UNBUF=
[ "$CONFORMANCE" = 1 ] && UNBUF="stdbuf -oL"

setup_workdir
SH=$W/share STATE=$W/state CONF=$W/fsmb.conf
U=fsmbtorture1 P=$(randpw)
R=$W/results
if [ -n "${VMSHARE:-}" ] && mkdir -p "$VMSHARE/smbtorture" 2> /dev/null; then
	R=$VMSHARE/smbtorture
	rm -f "$R"/*
fi
mkdir -p "$STATE" "$R"
share_fs "$SH" 1024 || die "cannot make the share's filesystem (${FSMB_SHARE_FS:-ext4})"
echo "share: $SH on $(awk -v d="$SH" '$2 == d {print $3; f = 1} END {if (!f) print "the root overlay"}' /proc/mounts)"
ensure_user $U || die "useradd $U"
chown $U "$SH"
chmod 1777 "$SH"

step "server ($SERVER)"
timed "load $SERVER" server_load || die "cannot load $SERVER"
server_conf "$CONF" "$STATE"
# Conformance: what makes the peers' features testable, as their own test
# setups do. Samba: streams and NT ACLs in xattrs (not on by default);
# durable handles need posix locking = no (kernel oplocks/share modes are
# already off in 4.17). ksmbd: leases are off by default; streams and ACLs
# as for Samba (ksmbd CI's shares). fsmb: its defaults.
if [ "$CONFORMANCE" = 1 ] && [ "$SERVER" = ksmbd ]; then
	printf '\tsmb2 leases = yes\n' >> "$CONF"
fi
share_conf "$CONF" "$SH" $U
if [ "$CONFORMANCE" = 1 ]; then
	case $SERVER in
	samba) printf '\t%s\n' "vfs objects = acl_xattr streams_xattr" "posix locking = no" >> "$CONF" ;;
	ksmbd) printf '\t%s\n' "vfs objects = acl_xattr streams_xattr" >> "$CONF" ;;
	esac
	echo "---- $CONF"
	cat "$CONF"
fi
check "user add $U" server_user_add "$CONF" $U "$P" || die "cannot add $U"
server_start "$CONF" "$W/server.log"
wait_listen 445 60 || die "nothing listens on 445"
# The first session in a fresh guest autoloads crypto modules (up to ~20 s):
# take that outside the suites' time limits.
SMBC_TIMEOUT=$T_FIRST timed "warm-up session (smbclient ls)" out "$W/warmup" smbc //127.0.0.1/share -U "$U%$P" -c ls ||
	{ show "$W/warmup"; die "no SMB session"; }

# parse_subunit SUITE RC < subunit-log: one line per subtest: suite, name,
# result, reason. Results: PASS FAIL ERROR SKIP XFAIL UXPASS, and TIMEOUT /
# CRASH for a subtest that started but never reported; ERROR with the suite's
# name when nothing ran at all.
parse_subunit() {
	awk -v suite="$1" -v rc="$2" -v none="${3:-$1}" -f "$REPO/tests/vm/subunit.awk"
}

# suite_timeout SUITE: its entry in SUITE_TIMEOUTS, else SUITE_TIMEOUT
suite_timeout() {
	local e
	for e in $(echo "${SUITE_TIMEOUTS:-}" | tr ',' ' '); do
		[ "${e%:*}" = "$1" ] && { echo "${e##*:}"; return; }
	done
	echo "$SUITE_TIMEOUT"
}
# torture SECONDS LOG TEST: one smbtorture process for TEST (suite or leaf)
torture() {
	local opt=
	[ -n "${MAXOPENFILES:-}" ] && case $3 in smb2.maxfid*) opt=--option=torture:maxopenfiles=$MAXOPENFILES ;; esac
	timeout -k 10 "$1" $UNBUF smbtorture -s "$CLIENT_CONF" //127.0.0.1/share -U "$U%$P" \
		--format=subunit --fullname $opt "$3" > "$2" 2>&1 < /dev/null
}
# leaves SUITE: its leaf tests, named as the results name them (--list
# repeats the last part: smb2.read.eof.eof is reported as smb2.read.eof)
# (--list SUITE also lists suites that merely start with its name:
# smb2.create lists smb2.create_no_streams, which is not in it)
leaves() {
	smbtorture --list "$1" 2> /dev/null | grep -v '^smbtorture ' |
		awk -F. -v s="$1" 'NF > 1 && $NF == $(NF - 1) { NF-- } $0 == s || index($0, s ".") == 1' OFS=.
}
# retry_leaves SUITE BUDGET: after SUITE hung or crashed, run its leaves
# without a result one by one, appending to $R/SUITE.tsv; prints how many ran
retry_leaves() {
	local s=$1 end leaf lto n=0 lrc t
	t=$(now)
	end=$((${t%.*} + $2))
	[ $end -gt $deadline ] && end=$deadline
	leaves "$s" > "$R/$s.leaves"
	while IFS= read -r leaf; do
		cut -f2 "$R/$s.tsv" | grep -qxF -- "$leaf" && continue
		t=$(now)
		lto=$((end - ${t%.*}))
		[ $lto -gt "$LEAF_TIMEOUT" ] && lto=$LEAF_TIMEOUT
		if [ $lto -lt 5 ]; then
			printf '%s\t%s\tNOTRUN\tnot run: the suite hung and its time budget is spent\n' "$s" "$leaf" >> "$R/$s.tsv"
			continue
		fi
		n=$((n + 1))
		torture $lto "$R/$s.leaf$n.subunit" "$leaf"
		lrc=$?
		parse_subunit "$s" $lrc "$leaf" < "$R/$s.leaf$n.subunit" >> "$R/$s.tsv"
	done < "$R/$s.leaves"
	echo $n
}

step "$(smbtorture --version 2>&1 | head -n1): $(echo "$SUITES" | paste -sd ' ') (limit ${SUITE_TIMEOUT}s each${SUITE_TIMEOUTS:+, $SUITE_TIMEOUTS})"
: > "$R/results.tsv"
: > "$R/done"
: > "$R/timing.tsv"
# Stay inside the guest's own time limit (stage2 passes it as vmtimeout):
# a suite gets SUITE_TIMEOUT or what is left, less 30 s for the report.
deadline=$((${vmtimeout:-100000} - 30))
while IFS= read -r s; do
	t=$(now)
	to=$((deadline - ${t%.*}))
	st=$(suite_timeout "$s")
	[ $to -gt "$st" ] && to=$st
	if [ $to -lt 10 ]; then
		printf '%s\t%s\tERROR\tnot run: the VM time limit is reached\n' "$s" "$s" >> "$R/results.tsv"
		continue
	fi
	torture "$to" "$R/$s.subunit" "$s"
	rc=$?
	parse_subunit "$s" $rc < "$R/$s.subunit" > "$R/$s.tsv"
	if [ ! -s "$R/$s.tsv" ] || { [ $rc != 0 ] && [ $rc != 1 ] &&
		! awk -F'\t' '$3 !~ /^(PASS|SKIP|XFAIL)$/ {f = 1} END {exit !f}' "$R/$s.tsv"; }; then
		printf '%s\t%s\tERROR\tsmbtorture exit %s, %s results parsed\n' "$s" "$s" $rc "$(wc -l < "$R/$s.tsv")" >> "$R/$s.tsv"
	fi
	nl=0
	if [ "$RETRY_LEAVES" = 1 ] && [ $rc != 0 ] && [ $rc != 1 ]; then
		nl=$(retry_leaves "$s" "${RETRY_BUDGET:-$st}")
	fi
	cat "$R/$s.tsv" >> "$R/results.tsv"
	echo "$s" >> "$R/done"
	printf '%s\t%s\t%s\t%s\n' "$s" $rc "$(since "$t")" "$nl" >> "$R/timing.tsv"
	echo "  $s: smbtorture exit $rc, $(since "$t")s, $(grep -c "^$s	" "$R/results.tsv") subtests$([ "$nl" = 0 ] || echo ", $nl leaves rerun one by one")"
done <<< "$SUITES"

# The table, against the known failures (none in conformance runs)
known=
[ "$CONFORMANCE" = 1 ] && KNOWN=none ||
	known=$(sed -e 's/#.*//' "$KNOWN" 2> /dev/null | awk -F'\t' 'NF && $1 != "" {print $1}')
is_known() { printf '%s\n' "$known" | grep -qxF -- "$1"; }
step "results (known failures: $KNOWN)"
printf '%-44s %-8s %s\n' SUBTEST RESULT REASON
unexpected=0 nknown=0 npass=0 nskip=0 nfail=0
while IFS='	' read -r _ name result reason; do
	note=
	case $result in
	PASS | XFAIL | UXPASS)
		npass=$((npass + 1))
		is_known "$name" && note="(listed as a known failure: remove it from the list)" ;;
	SKIP)
		nskip=$((nskip + 1)) ;;
	*)
		nfail=$((nfail + 1))
		if is_known "$name"; then
			nknown=$((nknown + 1))
			result="$result(known)"
		else
			unexpected=$((unexpected + 1))
		fi ;;
	esac
	printf '%-44s %-8s %s\n' "$name" "$result" "$([ "$result" = PASS ] || echo "$reason") $note"
done < "$R/results.tsv"
echo
echo "smbtorture: $((npass + nskip + nfail)) subtests: $npass passed, $nfail failed ($nknown known), $nskip skipped"
[ "$CONFORMANCE" = 1 ] || check "no unexpected smbtorture failures ($unexpected)" [ "$unexpected" = 0 ]
check "$SERVER daemon still running" kill -0 "$SERVER_PID"
dmesg_bad > "$W/dmesg.bad"
check "dmesg has no BUG/WARNING/Oops/refcount_t lines" [ ! -s "$W/dmesg.bad" ] || show "$W/dmesg.bad"
finish
