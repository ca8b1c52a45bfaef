#!/bin/bash
# Guest-side: Samba's smbtorture against fsmb (fsmb.ko + fsmbd) over
# 127.0.0.1:445. Runs each suite in its own smbtorture process with a time
# limit, parses its `--format=subunit` output, prints a per-subtest
# PASS/FAIL/SKIP table, and fails if a subtest fails (or errors, or never
# finishes) that tests/smbtorture-known-failures.txt does not list.
# Run it in a VM: scripts/vm/run.sh tests/vm/smbtorture.sh (or scripts/vm/check.sh).
# Knobs (environment, or VMAPPEND=K=V with commas instead of spaces):
#   SMBTORTURE_SUITES=smb2.connect,smb2.read,smb2.rw,smb2.dir
#   SUITE_TIMEOUT=600       seconds per suite (timeout -k 10), within the VM's limit
#   KNOWN_FAILURES=$REPO/tests/smbtorture-known-failures.txt
#                           lines "subtest<TAB>reason"; # starts a comment
#   T_FIRST=180             seconds for the first (warm-up) session
#   FSMB_SHARE_FS=ext4      the share's filesystem: ext4 | tmpfs | overlay (lib.sh)
#   FSMB_TEST_SERVER=samba  run against Samba's smbd instead (see lib.sh)
# Raw subunit logs and results.tsv (suite, subtest, result, reason) go to
# $VMSHARE/smbtorture/ (the host's results directory).
. ./lib.sh
SUITES=$(echo "${SMBTORTURE_SUITES:-smb2.connect,smb2.read,smb2.rw,smb2.dir}" | tr ',' ' ')
SUITE_TIMEOUT=${SUITE_TIMEOUT:-600}
KNOWN=${KNOWN_FAILURES:-$REPO/tests/smbtorture-known-failures.txt}
T_FIRST=${T_FIRST:-180}

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
cat >> "$CONF" <<-CONF
[share]
	path = $SH
	read only = no
	browseable = yes
	valid users = $U
CONF
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
	awk -v suite="$1" -v rc="$2" '
	function clean(s) { gsub(/\t/, " ", s); sub(/^[ ]+/, "", s); return substr(s, 1, 110) }
	function record(kind, name, reason,   r) {
		r = toupper(kind)
		if (kind == "success" || kind == "successful") r = "PASS"
		else if (kind == "failure" || kind == "fail") r = "FAIL"
		else if (kind == "uxsuccess") r = "UXPASS"
		if (!(name in res)) order[++n] = name
		res[name] = r; why[name] = clean(reason)
	}
	in_detail && $0 == "]" { record(dkind, dname, dreason); in_detail = 0; next }
	in_detail {
		# keep the most telling line of the details
		if (dreason == "" || (dreason !~ /NT_STATUS|expected|fail/ && $0 ~ /NT_STATUS|expected|fail/)) dreason = $0
		next
	}
	/^test: / { t = substr($0, 7); sub(/[ ]+$/, "", t); if (!(t in started)) { started[t] = 1; sorder[++ns] = t }; next }
	/^(success|successful|failure|fail|error|skip|xfail|uxsuccess): / {
		kind = $1; sub(/:$/, "", kind)
		rest = substr($0, length($1) + 2)
		if (rest ~ / \[$/) {                    # multi-line details follow
			sub(/ \[$/, "", rest)
			in_detail = 1; dkind = kind; dname = rest; dreason = ""
			next
		}
		reason = ""
		if (match(rest, / \[ .* \]$/)) { reason = substr(rest, RSTART + 3, RLENGTH - 5); rest = substr(rest, 1, RSTART - 1) }
		record(kind, rest, reason)
		next
	}
	END {
		if (in_detail) record(dkind, dname, dreason)
		for (i = 1; i <= ns; i++)
			if (!(sorder[i] in res))
				record(rc == 124 || rc == 137 ? "TIMEOUT" : "CRASH", sorder[i], "no result; smbtorture exit " rc)
		if (n == 0 && rc != 0) record("error", suite, "nothing ran; smbtorture exit " rc)
		for (i = 1; i <= n; i++) printf "%s\t%s\t%s\t%s\n", suite, order[i], res[order[i]], why[order[i]]
	}'
}

step "$(smbtorture --version 2>&1 | head -n1): $SUITES (limit ${SUITE_TIMEOUT}s each)"
: > "$R/results.tsv"
# Stay inside the guest's own time limit (stage2 passes it as vmtimeout):
# a suite gets SUITE_TIMEOUT or what is left, less 30 s for the report.
deadline=$((${vmtimeout:-100000} - 30))
for s in $SUITES; do
	t=$(now)
	to=$((deadline - ${t%.*}))
	[ $to -gt "$SUITE_TIMEOUT" ] && to=$SUITE_TIMEOUT
	if [ $to -lt 10 ]; then
		printf '%s\t%s\tERROR\tnot run: the VM time limit is reached\n' "$s" "$s" >> "$R/results.tsv"
		continue
	fi
	timeout -k 10 "$to" smbtorture -s "$CLIENT_CONF" //127.0.0.1/share -U "$U%$P" \
		--format=subunit --fullname "$s" > "$R/$s.subunit" 2>&1 < /dev/null
	rc=$?
	parse_subunit "$s" $rc < "$R/$s.subunit" > "$R/$s.tsv"
	if [ ! -s "$R/$s.tsv" ] || { [ $rc != 0 ] && [ $rc != 1 ] &&
		! awk -F'\t' '$3 !~ /^(PASS|SKIP|XFAIL)$/ {f = 1} END {exit !f}' "$R/$s.tsv"; }; then
		printf '%s\t%s\tERROR\tsmbtorture exit %s, %s results parsed\n' "$s" "$s" $rc "$(wc -l < "$R/$s.tsv")" >> "$R/$s.tsv"
	fi
	cat "$R/$s.tsv" >> "$R/results.tsv"
	echo "  $s: smbtorture exit $rc, $(since "$t")s, $(grep -c "^$s	" "$R/results.tsv") subtests"
done

# The table, against the known failures
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
check "no unexpected smbtorture failures ($unexpected)" [ "$unexpected" = 0 ]
check "$SERVER daemon still running" kill -0 "$SERVER_PID"
dmesg_bad > "$W/dmesg.bad"
check "dmesg has no BUG/WARNING/Oops/refcount_t lines" [ ! -s "$W/dmesg.bad" ] || show "$W/dmesg.bad"
finish
