#!/bin/bash
# Usage: scripts/vm/selftest.sh     Checks the VM harness itself (no fsmb
# needed): a guest runs tests/vm/selftest.sh (kernel, overlay root, module
# tree, smbclient/smbtorture/mount.cifs present) and must return 0, then 3
# (exit codes travel back), and, with SELFTEST_HANG=1 and VMTIMEOUT=45, 124
# (the guest-side time limit). Prints "N passed, N failed".
set -u
. "$(dirname "$(readlink -f "$0")")/config.sh"
load_env || exit 1
passed=0 failed=0
# want  environment
CASES=("0 -" "3 VMAPPEND=SELFTEST_EXIT=3" "124 VMAPPEND=SELFTEST_HANG=1 VMTIMEOUT=45")
for c in "${CASES[@]}"; do
	read -r want envs <<< "$c"
	extra=()
	[ "$envs" = - ] || read -r -a extra <<< "$envs"
	s=$(date +%s.%N)
	env VMSHARE="$VMDIR/selftest" VMQUIET=1 "${extra[@]}" "$VMKIT/run.sh" "$REPO/tests/vm/selftest.sh" 2> /dev/null
	rc=$?
	secs=$(awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
	boot=$(sed -n 's/.*stage2: ready at uptime \([0-9.]*\)s.*/\1/p' "$VMDIR/selftest/console.log")
	if [ "$rc" = "$want" ]; then
		passed=$((passed + 1)); v=ok
	else
		failed=$((failed + 1)); v=FAIL
		cat "$VMDIR/selftest/output.log" 2> /dev/null
	fi
	printf '%-4s want %-3s got %-3s %6ss wall, guest ready at %ss  (%s)\n' "$v" "$want" "$rc" "$secs" "$boot" "$envs"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
