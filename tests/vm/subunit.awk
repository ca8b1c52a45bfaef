# Parses smbtorture's `--format=subunit` output (stdin) into one line per
# subtest: suite, name, result, reason (tab-separated). Used by
# tests/vm/smbtorture.sh in the guest and by scripts/conformance on the host.
# Variables: suite (first column), rc (smbtorture's exit status), none (the
# name of the ERROR line written when nothing ran; default: suite).
# Results: PASS FAIL ERROR SKIP XFAIL UXPASS, and TIMEOUT (rc 124/137) or
# CRASH for a subtest that started but never reported.
BEGIN { if (none == "") none = suite }
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
	if (n == 0 && rc != 0) record("error", none, "nothing ran; smbtorture exit " rc)
	for (i = 1; i <= n; i++) printf "%s\t%s\t%s\t%s\n", suite, order[i], res[order[i]], why[order[i]]
}
