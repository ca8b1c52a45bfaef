#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: tests/fuzz/run.sh smoke|regress|campaign|merge HARNESS...
# (normally through tests/fuzz/Makefile: make fuzz-smoke, make fuzz, ...)
#
#   regress   every committed input of corpus/<h>/ once (libFuzzer -runs=0
#             over a temporary copy of the corpus)
#   smoke     regress, then FUZZ_SMOKE_SECONDS (default 5) of fuzzing from
#             that copy; the committed corpus is never written
#   campaign  FUZZ_SECONDS (default 600) per harness from build/campaign/<h>/
#             (seeded from corpus/<h>/, kept between campaigns); afterwards
#             the inputs that reach new edges are merged into corpus/<h>/
#             (-merge=1 -use_counters=0), unless FUZZ_MERGE=0
#   merge     MERGE_FROM/<h>/ (e.g. inputs from scripts/fuzz/capture)
#             minimized on its own with -merge=1, and what remains copied
#             into corpus/<h>/ as ${MERGE_PREFIX:-traffic-}<sha1> (unless
#             the same bytes are there already), replacing the files of
#             that prefix an earlier merge left
#
# Every harness runs under `nice -n 19` (FUZZ_NICE), one after the other,
# with -rss_limit_mb=$FUZZ_RSS_MB (2048), -timeout=$FUZZ_TIMEOUT (10 s per
# input), -max_len from the harness's largest seed (at least 4096), and
# dict/<h>.dict when there is one. A crash, leak, timeout or memory blow-up
# fails the harness; its input is kept in build/artifacts/ (the command to
# reproduce it is printed). One summary line per harness, then
#   fuzz-<mode>: N harnesses, N passed, N failed
# Exit status 0 only when all passed.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${FUZZ_BUILD:-$HERE/build}
CORPUS=$HERE/corpus
DICT=$HERE/dict
ART=$BUILD/artifacts
mode=${1:-}
shift || true
[ $# -gt 0 ] || { sed -n '3,27p' "$0" >&2; exit 2; }
case $mode in
smoke | regress | campaign | merge) ;;
*) sed -n '3,27p' "$0" >&2; exit 2 ;;
esac
SMOKE_SECONDS=${FUZZ_SMOKE_SECONDS:-5}
PREFIX=${MERGE_PREFIX:-traffic-}
SECONDS_EACH=${FUZZ_SECONDS:-600}
NICE=${FUZZ_NICE:-19}
COMMON=(-rss_limit_mb="${FUZZ_RSS_MB:-2048}" -timeout="${FUZZ_TIMEOUT:-10}"
	-print_final_stats=1)
mkdir -p "$ART"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fsmb-fuzz.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
t_all=$(date +%s)
passed=0 failed=0

# stat NAME LOG: libFuzzer's final statistic NAME
stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -n1; }
# corp LOG: the corpus size libFuzzer reported last ("corp: 12/345b")
corp() { grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$1" | tail -n1 | sed 's/corp: //'; }
# why LOG: the first line that says what went wrong
why() {
	grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|invariant failed|ALARM: working on the last Unit|out-of-memory|Timeout' "$1" |
		sed 's/^==[0-9]*==//' | cut -c1-150
}
# max_len H: the largest committed input of H, at least 4096
max_len() {
	local m
	m=$(find "$CORPUS/$1" -type f -printf '%s\n' 2> /dev/null | sort -n | tail -n1)
	echo $(( ${m:-0} > 4096 ? m : 4096 ))
}
# dict_arg H
dict_arg() { [ -f "$DICT/$1.dict" ] && echo "-dict=$DICT/$1.dict"; }
nfiles() { find "$1" -type f 2> /dev/null | wc -l; }

fail() {    # H STEP LOG
	echo "fuzz-$mode: $1: FAIL ($2): $(why "$3")"
	echo "---- $1: last lines of the libFuzzer log"
	grep -v '^#[0-9]' "$3" | tail -n 25 | sed 's/^/    /'
	local a
	a=$(grep -o "Test unit written to [^ ]*" "$3" | tail -n1 | sed 's/Test unit written to //')
	[ -n "$a" ] && echo "    reproduce: $BUILD/fuzz_$1 $a"
	failed=$((failed + 1))
}

for h in "$@"; do
	bin=$BUILD/fuzz_$h
	if [ ! -x "$bin" ]; then
		echo "fuzz-$mode: $h: FAIL (no $bin: make -C tests/fuzz build)"
		failed=$((failed + 1))
		continue
	fi
	committed=$(nfiles "$CORPUS/$h")
	t0=$(date +%s.%N)
	case $mode in
	smoke | regress)
		work=$TMP/$h
		mkdir -p "$work"
		[ -d "$CORPUS/$h" ] && cp -r "$CORPUS/$h/." "$work/"
		log=$TMP/$h.regress.log
		# -runs=0: each input once, no mutation.
		if ! nice -n "$NICE" "$bin" "${COMMON[@]}" -runs=0 \
			-artifact_prefix="$ART/$h-" "$work" > "$log" 2>&1; then
			fail "$h" "committed corpus" "$log"
			continue
		fi
		execs=$(stat number_of_executed_units "$log")
		if [ "$mode" = regress ]; then
			printf 'fuzz-regress: %-15s PASS  %5d inputs run\n' "$h" "$committed"
			passed=$((passed + 1))
			continue
		fi
		log=$TMP/$h.fuzz.log
		# shellcheck disable=SC2046
		if ! nice -n "$NICE" "$bin" "${COMMON[@]}" -max_total_time="$SMOKE_SECONDS" \
			-max_len="$(max_len "$h")" $(dict_arg "$h") \
			-artifact_prefix="$ART/$h-" "$work" > "$log" 2>&1; then
			fail "$h" "fuzzing" "$log"
			continue
		fi
		;;
	campaign)
		work=$BUILD/campaign/$h
		mkdir -p "$work"
		[ -d "$CORPUS/$h" ] && cp -rn "$CORPUS/$h/." "$work/"
		log=$BUILD/campaign/$h.log
		# shellcheck disable=SC2046
		if ! nice -n "$NICE" "$bin" "${COMMON[@]}" -max_total_time="$SECONDS_EACH" \
			-max_len="$(max_len "$h")" $(dict_arg "$h") \
			-artifact_prefix="$ART/$h-" "$work" > "$log" 2>&1; then
			fail "$h" "fuzzing" "$log"
			continue
		fi
		if [ "${FUZZ_MERGE:-1}" = 1 ]; then
			mkdir -p "$CORPUS/$h"
			# Edges only (-use_counters=0): hit counts would
			# keep hundreds of near-duplicates per campaign.
			nice -n "$NICE" "$bin" "${COMMON[@]}" -merge=1 -use_counters=0 \
				-artifact_prefix="$ART/$h-" "$CORPUS/$h" "$work" \
				> "$BUILD/campaign/$h.merge.log" 2>&1 ||
				{ fail "$h" "merge" "$BUILD/campaign/$h.merge.log"; continue; }
		fi
		;;
	merge)
		from=${MERGE_FROM:?}/$h
		if [ ! -d "$from" ]; then
			printf 'fuzz-merge: %-15s PASS  nothing in %s\n' "$h" "$from"
			passed=$((passed + 1))
			continue
		fi
		# The offered inputs minimized among themselves (-merge=1 into
		# an empty directory), so that real traffic keeps a place in
		# the corpus even where hand-written seeds cover the same code.
		min=$TMP/$h.min
		mkdir -p "$min" "$CORPUS/$h"
		log=$TMP/$h.merge.log
		if ! nice -n "$NICE" "$bin" "${COMMON[@]}" -merge=1 -max_len="$(max_len "$h")" \
			-artifact_prefix="$ART/$h-" "$min" "$from" > "$log" 2>&1; then
			fail "$h" "merge" "$log"
			continue
		fi
		# A new capture replaces the inputs of the previous one.
		find "$CORPUS/$h" -type f -name "$PREFIX*" -delete
		have=$(find "$CORPUS/$h" -type f -exec sha1sum {} + | cut -d' ' -f1)
		for f in "$min"/*; do
			[ -f "$f" ] || continue
			s=$(sha1sum < "$f" | cut -d' ' -f1)
			grep -qx "$s" <<< "$have" || cp "$f" "$CORPUS/$h/$PREFIX$s"
		done
		printf 'fuzz-merge: %-15s PASS  %5d -> %5d files (%d offered, %d after minimizing)\n' "$h" \
			"$committed" "$(nfiles "$CORPUS/$h")" "$(nfiles "$from")" "$(nfiles "$min")"
		passed=$((passed + 1))
		continue
		;;
	esac
	secs=$(awk -v s="$t0" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
	execs=$(stat number_of_executed_units "$log")
	rate=$(stat average_exec_per_sec "$log")
	new=$(stat new_units_added "$log")
	rss=$(stat peak_rss_mb "$log")
	extra=
	[ "$mode" = campaign ] && extra="  now $(nfiles "$CORPUS/$h") committed"
	printf 'fuzz-%s: %-15s PASS  %9s execs (%s/s)  corpus %4d files (+%s new, %s)  cov %s  rss %sMB  %ss%s\n' \
		"$mode" "$h" "${execs:-?}" "${rate:-?}" "$committed" "${new:-0}" "$(corp "$log")" \
		"$(grep -o 'cov: [0-9]*' "$log" | tail -n1 | sed 's/cov: //')" "${rss:-?}" "$secs" "$extra"
	passed=$((passed + 1))
done
echo "fuzz-$mode: $((passed + failed)) harnesses, $passed passed, $failed failed ($(($(date +%s) - t_all))s)"
[ "$failed" = 0 ]
