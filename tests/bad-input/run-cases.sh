#!/bin/bash
# SPDX-License-Identifier: MIT
# The bad-input suite: hostile inputs on every channel dockaudit reads (issue 9, item 3).
# Data-driven: each tests/bad-input/cases/*.cases file holds blocks of
#
#   case NAME                   one case (a blank line ends it)
#   why TEXT                    what is expected and why (shown when the case fails)
#   setup SHELL                 builds the scratch image $R (and files in $W) with the helpers
#                               below; cwd is $W; several lines run in order
#   env NAME=VALUE...           environment for dockaudit (words, expanded)
#   run ARGS...                 dockaudit's arguments (expanded: $R, $W, $RULES, $FIX ...);
#                               --rules-dir $RULES is added unless ARGS give --rules-dir
#   server ARGS...              start tests/bad-input/fake-docker with ARGS first
#   formats text json junit     the report formats to run in (default: text json for
#                               audit, facts and leaks; text otherwise); each format run
#                               adds "--format F"
#   untouched PATH...           remember PATH before each run (for the `untouched` check)
#   bin PATH                    run this copy of dockaudit (no --rules-dir added)
#   budget SECONDS              the time the case may take per run (default 10)
#   expect CHECK[; CHECK]...    see check() below; several lines add up
#
# Every run, whatever the case says: exit status < 124 (no crash, no timeout), no sanitizer
# report on stderr, exit status 0 only with `clean-ok` (a hostile input never gives a clean
# report), and in json/junit runs a well-formed stdout (non-empty unless `nojson`).
#
# Run by `make check` with DOCKAUDIT, FAKE_DOCKER and top_srcdir set. BAD_INPUT_ONLY=REGEX
# runs the matching cases only; BAD_INPUT_KEEP=1 keeps their directories. Prints "ok N - NAME [format]" lines and "P passed, F failed";
# exit 0 all passed, 1 a case failed, 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
[ -x "${FAKE_DOCKER:-}" ] || { echo "FAKE_DOCKER is not set to tests/bad-input/fake-docker" >&2; exit 99; }
for t in jq xmllint timeout mknod; do
        command -v $t >/dev/null || { echo "$t is missing (autogen.sh installs it)" >&2; exit 99; }
done

RULES=$top_srcdir/rules
FIX=$top_srcdir/tests/fixtures
CASES=$top_srcdir/tests/bad-input/cases
TOP=$(mktemp -d /tmp/dockaudit-bad.XXXXXX) || exit 99
SERVER_PID=
cleanup() {
        [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null
        # -o targets and roots may be odd files (FIFOs, device nodes): rm copes with all
        [ -n "${BAD_INPUT_KEEP:-}" ] && echo "kept $TOP" || rm -rf "$TOP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
N=0 PASSED=0 FAILED=0

# ---- helpers for `setup` lines (paths are relative to the image $R) ------------------------

# base: a clean image: docker-ce 20.10's unit and socket, Debian 10, a 5.10 kernel, daemon.json {}.
# `audit --root $R` exits 0 on it, so a hostile input that is ignored shows as a clean report.
base() {
        mkdir -p "$R/lib/systemd/system" "$R/etc/docker" "$R/lib/modules/5.10.0-21-amd64"
        cp "$FIX/units/docker-ce-packaging-20.10-docker.service" "$R/lib/systemd/system/docker.service"
        cp "$FIX/units/docker-ce-packaging-20.10-docker.socket" "$R/lib/systemd/system/docker.socket" # its -H fd://
        cp "$FIX/os-release/debian-10-etc-os-release" "$R/etc/os-release"
        echo '{}' >"$R/etc/docker/daemon.json"
}
# slave: the base image with the high finding (MountFlags=slave in a drop-in, live-restore
# in daemon.json): a correct report fails mountflags-slave-with-live-restore.
slave() {
        base
        put etc/systemd/system/docker.service.d/10-slave.conf '[Service]\nMountFlags=slave\n'
        put etc/docker/daemon.json '{"live-restore": true}\n'
}
# put PATH TEXT: printf %b TEXT into $R/PATH (directories made).
put() {
        mkdir -p "$(dirname "$R/$1")" && printf '%b' "$2" >"$R/$1"
}
# unit TEXT: the unit file docker.service under /etc/systemd/system (shadows the base one).
unit() {
        put etc/systemd/system/docker.service "[Unit]\nDescription=Docker\n\n[Service]\nType=notify\n$1\n"
}
# dropin NAME TEXT: a drop-in of docker.service.
dropin() {
        put "etc/systemd/system/docker.service.d/$1" "$2"
}
# huge PATH BYTES [PREFIX [SUFFIX]]: PREFIX, BYTES of 'a' on one line, SUFFIX.
huge() {
        mkdir -p "$(dirname "$R/$1")"
        { printf '%b' "${3:-}"; head -c "$2" /dev/zero | tr '\0' a; printf '%b' "${4:-}"; } >"$R/$1"
}
# sparse PATH BYTES: a file of BYTES zero bytes (sparse: cheap).
sparse() {
        mkdir -p "$(dirname "$R/$1")" && rm -f "$R/$1" && truncate -s "$2" "$R/$1"
}
# fifo PATH, dir PATH, link PATH TARGET, loop PATH (a symlink to itself), chr PATH MAJ MIN
fifo() { mkdir -p "$(dirname "$R/$1")" && rm -rf "$R/$1" && mkfifo "$R/$1"; }
dir() { rm -rf "${R:?}/$1" && mkdir -p "$R/$1"; }
link() { mkdir -p "$(dirname "$R/$1")" && rm -rf "$R/$1" && ln -s "$2" "$R/$1"; }
loop() { link "$1" "$(basename "$1")"; }
chr() { mkdir -p "$(dirname "$R/$1")" && rm -rf "$R/$1" && mknod "$R/$1" c "$2" "$3"; }
# nest N OPEN CLOSE: OPEN N times then CLOSE N times (deep nesting), on stdout.
nest() {
        local i s=
        for ((i = 0; i < $1; i++)); do s+=$2; done
        printf '%s' "$s"
        s=
        for ((i = 0; i < $1; i++)); do s+=$3; done
        printf '%s' "$s"
}
# rulesdir: $W/rules with copies of the bundled rules (to add a bad one to).
rulesdir() {
        mkdir -p "$W/rules" && cp "$RULES"/*.rule "$W/rules/"
}
# facts_file PATH JQ: the saved CentOS 7.3 facts, edited with JQ, as $W/PATH.
facts_file() {
        jq "$2" "$FIX/facts/centos73-slave-live-restore.json" >"$W/$1"
}

# ---- running a case ---------------------------------------------------------------------

# state PATH: what identifies a tree or file: names, types, modes, sizes, mtimes, inodes,
# link targets, device numbers, and the contents of the small regular files.
state() {
        [ -e "$1" ] || [ -L "$1" ] || { echo absent; return; }
        find "$1" -printf '%P %y %m %s %T@ %i %l\n' 2>/dev/null | LC_ALL=C sort
        find "$1" -type f -size -1M -exec md5sum {} + 2>/dev/null | LC_ALL=C sort
        find "$1" \( -type c -o -type b \) -exec stat -c '%n %t:%T' {} + 2>/dev/null
}

failmsg() { MSGS+=("$*"); }

# check WORD ARGS: one expectation against the last run (RC, $W/out, $W/err, FMT).
check() {
        local what=$1
        shift
        case $what in
        exit) [[ $RC =~ ^($*)$ ]] || failmsg "exit status $RC, expected $*" ;;
        clean-ok | nojson) ;;
        mention) # ERE: in the JSON's strings (json), in stdout+stderr (text, junit)
                if [ "$FMT" = json ] && [ -s "$W/out" ]; then
                        jq -r '.. | strings' "$W/out" 2>/dev/null | grep -qE -- "$*" ||
                                failmsg "the JSON does not mention /$*/"
                elif [ "$FMT" = json ]; then # nothing on stdout (allowed by nojson): stderr says it
                        grep -qaE -- "$*" "$W/err" || failmsg "stderr does not mention /$*/"
                else
                        cat "$W/out" "$W/err" | grep -qaE -- "$*" || failmsg "the output does not mention /$*/"
                fi ;;
        problem) # ERE: one of .problems (json), stdout+stderr (text)
                if [ "$FMT" = json ]; then
                        jq -r '.problems[]?' "$W/out" 2>/dev/null | grep -qE -- "$*" ||
                                failmsg "no problem in the JSON matches /$*/"
                elif [ "$FMT" = text ]; then
                        cat "$W/out" "$W/err" | grep -qaE -- "$*" || failmsg "the output does not mention /$*/"
                fi ;;
        rule) # ID STATUS-ERE (json runs only)
                if [ "$FMT" = json ]; then
                        local got
                        got=$(jq -r --arg id "$1" '.results[] | select(.id == $id) | .status' "$W/out" 2>/dev/null)
                        [[ $got =~ ^($2)$ ]] || failmsg "rule $1: status '$got', expected $2"
                fi ;;
        jq) # EXPR VALUE (json runs only)
                if [ "$FMT" = json ]; then
                        local expr=$1 got
                        shift
                        got=$(jq -r "$expr" "$W/out" 2>&1)
                        [ "$got" = "$*" ] || failmsg "jq '$expr': '$got', expected '$*'"
                fi ;;
        unchanged) [ "$(state "$R")" = "$R_STATE" ] || failmsg "the image changed" ;;
        untouched) # PATH: the same file (type, inode, size, mtime, contents) as before the run
                [ "$(state "$1")" = "${UNTOUCHED[$1]}" ] || failmsg "$1 was touched" ;;
        nomention) # ERE that must appear nowhere in stdout or stderr
                ! cat "$W/out" "$W/err" | grep -qaE -- "$*" || failmsg "the output mentions /$*/" ;;
        noraw) # text runs: no control bytes but newline and tab on stdout (escaped facts)
                if [ "$FMT" = text ]; then
                        ! tr -d '\n\t' <"$W/out" | LC_ALL=C grep -qa '[[:cntrl:]]' ||
                                failmsg "raw control characters on stdout"
                fi ;;
        absent) [ ! -e "$1" ] && [ ! -L "$1" ] || failmsg "$1 exists" ;;
        written) [ -f "$1" ] && [ ! -L "$1" ] || failmsg "$1 was not written" ;;
        contains) # PATH ERE
                grep -qE -- "$2" "$1" 2>/dev/null || failmsg "$1 lacks /$2/" ;;
        *) failmsg "unknown check '$what'" ;;
        esac
}

# run_format FMT: one run of the current case; sets MSGS.
run_format() {
        local args=() fmt_args=() t0 t1 c u
        FMT=$1
        MSGS=()
        [ "$FMT" = text ] || fmt_args=(--format "$FMT")
        eval "args=($C_RUN)"
        [[ " $C_RUN " == *" --rules-dir "* ]] || [ -n "$C_BIN" ] || args=(--rules-dir "$RULES" "${args[@]}")
        eval "local ulist=($C_UNTOUCHED)"
        for u in "${ulist[@]}"; do UNTOUCHED[$u]=$(state "$u"); done
        t0=$(date +%s)
        (
                cd "$W" || exit 99
                eval "exec env NO_COLOR=1 $C_ENV timeout -k 5 $C_BUDGET ${C_BIN:-\"\$DOCKAUDIT\"} \"\${args[@]}\" \"\${fmt_args[@]}\"" \
                        </dev/null >"$W/out" 2>"$W/err"
        )
        RC=$?
        t1=$(date +%s)
        ELAPSED=$((t1 - t0))
        if [ "$RC" -ge 124 ]; then
                [ "$RC" = 124 ] || [ "$RC" = 137 ] && failmsg "no answer within ${C_BUDGET} s (killed)" ||
                        failmsg "crashed or killed: exit status $RC"
        fi
        grep -qaE 'runtime error:|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer' "$W/err" &&
                failmsg "sanitizer report on stderr"
        [ "$RC" != 0 ] || [[ " ${C_EXPECT//;/ } " == *" clean-ok "* ]] || failmsg "exit status 0: a clean report on hostile input"
        case $FMT in
        json)
                if [ -s "$W/out" ]; then
                        jq -e . "$W/out" >/dev/null 2>&1 || failmsg "stdout is not valid JSON"
                elif [[ " ${C_EXPECT//;/ } " != *" nojson "* ]]; then
                        failmsg "--format json printed nothing on stdout"
                fi ;;
        junit)
                if [ -s "$W/out" ]; then
                        xmllint --noout "$W/out" 2>/dev/null || failmsg "stdout is not well-formed XML"
                elif [[ " ${C_EXPECT//;/ } " != *" nojson "* ]]; then
                        failmsg "--format junit printed nothing on stdout"
                fi ;;
        esac
        local IFS=';' i
        for c in $C_EXPECT; do
                # words split on blanks; only the words with a $ are expanded ($W, $R)
                IFS=' ' read -ra c <<<"$c"
                for i in "${!c[@]}"; do
                        [[ ${c[i]} != *'$'* ]] || eval "c[i]=\"${c[i]}\""
                done
                [ ${#c[@]} = 0 ] || IFS=' ' check "${c[@]}"
        done
}

# run_case: sets up $W and $R, runs each format, prints the TAP lines.
run_case() {
        local fmt formats
        [[ $C_NAME =~ ${BAD_INPUT_ONLY:-.} ]] || return 0
        W=$TOP/$C_NAME
        R=$W/root
        mkdir -p "$W" || exit 99
        declare -gA UNTOUCHED=()
        if [ -n "$C_SETUP" ]; then
                (cd "$W" && eval "$C_SETUP") >"$W/setup.log" 2>&1 || {
                        N=$((N + 1)) FAILED=$((FAILED + 1))
                        echo "not ok $N - $C_NAME: setup failed"
                        sed 's/^/  | /' "$W/setup.log" | head -5
                        return
                }
        fi
        if [ -n "$C_SERVER" ]; then
                # exec: $! is the server itself, killed by pid below
                eval "exec \"\$FAKE_DOCKER\" --lifetime 120 $C_SERVER" >"$W/server.log" 2>&1 &
                SERVER_PID=$!
                for _ in $(seq 50); do eval "[ -S $(sed -E 's/.*--socket +([^ ]+).*/\1/' <<<"$C_SERVER") ]" && break; sleep 0.1; done
        fi
        R_STATE=$(state "$R")
        formats=$C_FORMATS
        if [ -z "$formats" ]; then
                case " $C_RUN " in
                *" audit "* | *" facts "* | *" leaks "*) formats="text json" ;;
                *) formats=text ;;
                esac
        fi
        for fmt in $formats; do
                N=$((N + 1))
                run_format "$fmt"
                if [ ${#MSGS[@]} = 0 ]; then
                        echo "ok $N - $C_NAME [$fmt] (${ELAPSED}s)"
                        PASSED=$((PASSED + 1))
                else
                        echo "not ok $N - $C_NAME [$fmt] (${ELAPSED}s)"
                        FAILED=$((FAILED + 1))
                        printf '  FAIL: %s\n' "${MSGS[@]}"
                        [ -z "$C_WHY" ] || echo "  why: $C_WHY"
                        echo "  run: dockaudit $C_RUN (exit $RC); stderr:"
                        head -c 2000 "$W/err" | head -5 | sed 's/^/  | /'
                fi
        done
        if [ -n "$C_SERVER" ]; then
                kill "$SERVER_PID" 2>/dev/null
                wait "$SERVER_PID" 2>/dev/null
                SERVER_PID=
        fi
        [ -n "${BAD_INPUT_KEEP:-}" ] || rm -rf "$W"
}

reset_case() {
        C_NAME= C_WHY= C_SETUP= C_ENV= C_RUN= C_SERVER= C_FORMATS= C_BUDGET=10 C_EXPECT= C_UNTOUCHED= C_BIN=
}

# Reads one cases file, running each case as its block ends.
run_file() {
        local line key rest
        reset_case
        while IFS= read -r line || [ -n "$line" ]; do
                [[ $line =~ ^[[:space:]]*# ]] && continue
                if [[ $line =~ ^[[:space:]]*$ ]]; then
                        [ -z "$C_NAME" ] || run_case
                        reset_case
                        continue
                fi
                key=${line%% *}
                rest=${line#"$key"}
                rest=${rest#"${rest%%[! ]*}"}
                case $key in
                case) C_NAME=$rest ;;
                why) C_WHY+="$rest " ;;
                setup) C_SETUP+="$rest"$'\n' ;;
                env) C_ENV+=" $rest" ;;
                run) C_RUN=$rest ;;
                server) C_SERVER=$rest ;;
                formats) C_FORMATS=$rest ;;
                budget) C_BUDGET=$rest ;;
                expect) C_EXPECT+="$rest;" ;;
                untouched) C_UNTOUCHED+=" $rest" ;;
                bin) C_BIN=$rest ;;
                *) echo "$1: unknown line: $line" >&2; exit 99 ;;
                esac
        done <"$1"
        [ -z "$C_NAME" ] || run_case
}

START=$(date +%s)
for f in "$CASES"/*.cases; do
        echo "# $(basename "$f")"
        run_file "$f"
done
echo "$PASSED passed, $FAILED failed ($(($(date +%s) - START)) s)"
[ "$FAILED" = 0 ]
