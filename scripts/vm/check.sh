#!/bin/bash
# Usage: scripts/vm/check.sh [TEST...]     (what `make check` runs for the VM layer)
# Installs the freshly built modules into the cached guest kernel
# (install-modules.sh), then runs each guest test in its own VM, one after
# another, and prints a summary ending in the line "N passed, N failed".
# Exit status 0 only when every test passed.
#   TEST        fsmb-basic, fsmb-protocol, smbtorture, fsmb-malformed (default:
#               all, in that order)
#   CHECK_VMTIMEOUT=S   VM time limit for every test instead of its own
#               (the long fsmb-malformed run: make malformed-long)
#   FSMB_MODULES="a.ko b.ko"   modules to install (default: kernel/*.ko and
#               smbdirect/*.ko of the repository, whichever exist)
#   CHECK_QUIET=1   do not stream the guests' consoles; print a failing
#               test's own output afterwards instead
#   VMAPPEND, FSMB_VMDIR, ...: see run.sh
# Logs: $VMDIR/results/check-<time>/<test>/{console.log,output.log,run.log,...}
set -u
. "$(dirname "$(readlink -f "$0")")/config.sh"
load_env || exit 1

# test name   VM time limit (s)
ALL_TESTS=(
	"fsmb-basic  900"
	"fsmb-protocol  600"
	"smbtorture  1500"
	"fsmb-malformed  900"
)

sel=("$@")
tests=()
for row in "${ALL_TESTS[@]}"; do
	read -r name _ <<< "$row"
	if [ ${#sel[@]} -eq 0 ] || printf '%s\n' "${sel[@]}" | grep -qxF "$name"; then
		tests+=("$row")
	fi
done
for s in "${sel[@]}"; do
	printf '%s\n' "${ALL_TESTS[@]}" | grep -q "^$s " || { echo "check.sh: unknown test $s" >&2; exit 2; }
done

t_all=$(date +%s)
RES=$VMDIR/results/check-$(date +%Y%m%d-%H%M%S)
mkdir -p "$RES"
passed=0 failed=0 summary=()

if [ -n "${FSMB_MODULES:-}" ]; then
	read -r -a mods <<< "$FSMB_MODULES"
else
	mapfile -t mods < <(find "$REPO/kernel" "$REPO/smbdirect" -maxdepth 1 -name '*.ko' 2> /dev/null | sort)
fi
[ ${#mods[@]} -gt 0 ] || echo "check.sh: warning: no module built (kernel/fsmb.ko); the tests will fail at modprobe" >&2
for b in userspace/fsmbd/fsmbd userspace/fsmbctl/fsmbctl; do
	[ -x "$REPO/$b" ] || echo "check.sh: warning: $b not built" >&2
done
if ! FSMB_MODULES_NONE=1 "$VMKIT/install-modules.sh" "${mods[@]}"; then
	echo "check.sh: install-modules.sh failed: no test run"
	echo "0 passed, ${#tests[@]} failed"
	exit 1
fi

explain() {
	case $1 in
	0) echo "PASS" ;;
	124 | 137) echo "FAIL (exit $1: killed at the guest's time limit)" ;;
	125) echo "FAIL (exit 125: no exit code: kernel oops/panic or VM timeout, see console.log)" ;;
	127) echo "FAIL (exit 127: script not readable in the guest)" ;;
	*) echo "FAIL (exit $1)" ;;
	esac
}

for row in "${tests[@]}"; do
	read -r name to <<< "$row"
	to=${CHECK_VMTIMEOUT:-$to}
	dir=$RES/$name
	mkdir -p "$dir"
	echo "==== $name (VM limit ${to}s, logs in $dir)"
	s=$(date +%s.%N)
	if [ "${CHECK_QUIET:-0}" = 1 ]; then
		VMSHARE=$dir VMTIMEOUT=$to VMQUIET=1 "$VMKIT/run.sh" "$REPO/tests/vm/$name.sh" > "$dir/run.log" 2>&1
		rc=$?
	else
		VMSHARE=$dir VMTIMEOUT=$to "$VMKIT/run.sh" "$REPO/tests/vm/$name.sh" 2>&1 | tee "$dir/run.log"
		rc=${PIPESTATUS[0]}
	fi
	secs=$(awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
	verdict=$(explain "$rc")
	if [ "$rc" = 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		if [ "${CHECK_QUIET:-0}" = 1 ]; then
			echo "---- $name: output.log"
			cat "$dir/output.log" 2> /dev/null
			[ "$rc" = 125 ] && { echo "---- $name: console.log (tail)"; tail -n 60 "$dir/console.log"; }
		fi
	fi
	summary+=("$(printf '%-12s %-70s %7ss' "$name" "$verdict" "$secs")")
	echo "==== $name: $verdict, ${secs}s"
done

echo
echo "VM tests (logs: $RES, $(($(date +%s) - t_all))s in all):"
printf '  %s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
