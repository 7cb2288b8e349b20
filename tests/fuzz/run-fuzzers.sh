#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs the libFuzzer targets on the corpora kept in the tree (tests/fuzz/corpus/NAME/, each
# minimised with -merge=1: only inputs that add coverage, plus crash-* reproducers that are
# kept as they are). Called by `make fuzz-smoke` and `make fuzz-long` from the build tree:
#   run-fuzzers.sh smoke|long SRCDIR PROGRAM...
# Environment (all optional):
#   FUZZ_SECONDS        seconds per target (smoke 15, long 600)
#   FUZZ_TARGETS        names to run ("unitfile rule", "fuzz-unitfile" also accepted); default all
#   FUZZ_UPDATE_CORPUS  long only: 1 = merge what the run found into the tree's corpus
#   FUZZ_TIMEOUT        seconds one input may take (20), FUZZ_RSS_MB memory limit (2048),
#   FUZZ_MAX_LEN        longest input tried (65536), FUZZ_KEEP_MAX largest file kept in the tree (16384)
# smoke fuzzes a copy of the corpus and keeps only crashers (tests/fuzz/smoke/NAME/). long writes into the build tree only:
# tests/fuzz/long/NAME/{new,crashes,log} and a table of the runs in tests/fuzz/long/summary.md.
# Exit 1 when any target crashed, leaked, timed out or went over the memory limit (the
# reproducers are in crashes/), 2 on a usage error.
set -u

mode=$1 srcdir=$2
shift 2
case $mode in
smoke) seconds=${FUZZ_SECONDS:-15} ;;
long) seconds=${FUZZ_SECONDS:-600} ;;
*)
        echo "usage: $0 smoke|long SRCDIR PROGRAM..." >&2
        exit 2
        ;;
esac
timeout=${FUZZ_TIMEOUT:-20} rss=${FUZZ_RSS_MB:-2048} maxlen=${FUZZ_MAX_LEN:-65536}
keepmax=${FUZZ_KEEP_MAX:-16384} update=${FUZZ_UPDATE_CORPUS:-0}
case $seconds$timeout$rss$maxlen$keepmax in
*[!0-9]*)
        echo "$0: FUZZ_SECONDS, FUZZ_TIMEOUT, FUZZ_RSS_MB, FUZZ_MAX_LEN, FUZZ_KEEP_MAX: numbers" >&2
        exit 2
        ;;
esac

# The programs asked for, in the order of FUZZ_TARGETS.
progs=
for want in ${FUZZ_TARGETS:-}; do
        want=${want##*/}
        want=${want#fuzz-}
        found=
        for p in "$@"; do
                [ "${p##*/fuzz-}" = "$want" ] && found=$p
        done
        if [ -z "$found" ]; then
                echo "$0: no fuzz target '$want' (have: $(for p in "$@"; do printf '%s ' "${p##*/fuzz-}"; done))" >&2
                exit 2
        fi
        progs="$progs $found"
done
[ -n "${FUZZ_TARGETS:-}" ] || progs="$*"

# libFuzzer's final statistics and last status line, as "execs cov ft corp".
stats() {
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$1" | tail -n 1)
        line=$(grep -E '^#[0-9]+.*cov: ' "$1" | tail -n 1)
        cov=$(printf '%s\n' "$line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
        ft=$(printf '%s\n' "$line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
        corp=$(printf '%s\n' "$line" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
        echo "${execs:-?} ${cov:-?} ${ft:-?} ${corp:-?}"
}

# Minimises corpus dir $2 with the inputs of $3 (files up to keepmax bytes): crash-* files stay.
update_corpus() {
        prog=$1 corpus=$2 found=$3
        tmp=$(mktemp -d) || return 1
        mkdir "$tmp/in" "$tmp/out"
        find "$corpus" "$found" -maxdepth 1 -type f ! -name 'crash-*' -size -$((keepmax + 1))c \
                -exec cp {} "$tmp/in/" \;
        # -use_counters=0: an input is kept for the edges it adds, not for hit counts.
        if "$prog" -merge=1 -use_counters=0 -max_len="$maxlen" -timeout="$timeout" -rss_limit_mb="$rss" \
                "$tmp/out" "$tmp/in" >"$tmp/merge.log" 2>&1; then
                find "$corpus" -maxdepth 1 -type f ! -name 'crash-*' -delete
                cp "$tmp/out"/* "$corpus"/ 2>/dev/null
        else
                echo "merge into $corpus failed:" >&2
                tail -n 20 "$tmp/merge.log" >&2
        fi
        rm -rf "$tmp"
}

longdir=tests/fuzz/long
if [ "$mode" = long ]; then
        mkdir -p "$longdir"
        [ -s "$longdir/summary.md" ] || {
                echo "| target | seconds | execs | cov | ft | corpus in memory | files kept | result |"
                echo "|---|---|---|---|---|---|---|---|"
        } >"$longdir/summary.md"
fi
failed=
for prog in $progs; do
        name=${prog##*/fuzz-}
        corpus=$srcdir/tests/fuzz/corpus/$name
        mkdir -p "$corpus"
        if [ "$mode" = smoke ]; then
                work=$(mktemp -d) || exit 1
                cp "$corpus"/* "$work"/ 2>/dev/null
                crashes=tests/fuzz/smoke/$name/
                rm -rf "$crashes"
                mkdir -p "$crashes"
                dirs="$work" log=$prog.fuzz.log
        else
                work=$longdir/$name
                rm -rf "$work/new"
                mkdir -p "$work/new" "$work/crashes"
                dirs="$work/new $corpus" log=$work/log crashes=$work/crashes/
        fi
        echo "fuzz $name for ${seconds}s ($(ls "$corpus" | wc -l) corpus files)"
        # The corpus is read first: a crash-* reproducer that still crashes fails at once.
        # shellcheck disable=SC2086
        timeout -k 10 $((seconds * 2 + 300)) ./"$prog" -max_total_time="$seconds" -max_len="$maxlen" \
                -timeout="$timeout" -rss_limit_mb="$rss" -print_final_stats=1 \
                -artifact_prefix="$crashes" $dirs >"$log" 2>&1
        rc=$?
        result=ok
        # libFuzzer keeps inputs that took over 10 s as slow-unit-*: worth a look, no failure.
        slow=$(find "$crashes" -maxdepth 1 -name 'slow-unit-*' 2>/dev/null | wc -l)
        [ "$slow" -gt 0 ] && result="ok ($slow slow-unit-* over 10 s in $crashes)"
        if [ $rc -ne 0 ]; then
                result="FAILED (exit $rc: $(ls "$crashes" 2>/dev/null | tr '\n' ' '))"
                failed="$failed $name"
                echo "fuzz $name: $result; log $log:" >&2
                grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -n 20 >&2
        fi
        if [ "$mode" = smoke ]; then
                rm -rf "$work"
                continue
        fi
        [ "$update" = 1 ] && [ $rc -eq 0 ] && update_corpus "./$prog" "$corpus" "$work/new"
        # shellcheck disable=SC2046 # four numbers
        set -- $(stats "$log")
        printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$seconds" "$1" "$2" "$3" "$4" \
                "$(ls "$corpus" | wc -l) + $(ls "$work/new" | wc -l) new" "$result" >>"$longdir/summary.md"
        echo "fuzz $name: $result, $1 execs, cov $2, ft $3"
done
[ "$mode" = long ] && echo "runs recorded in $longdir/summary.md"
if [ -n "$failed" ]; then
        echo "fuzz: failed:$failed" >&2
        exit 1
fi
exit 0
