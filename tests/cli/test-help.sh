#!/bin/bash
# SPDX-License-Identifier: MIT
# Every command's --help against what the command accepts: the long options of each getopt
# table in src/cli (read from the source here, so a new option cannot go undocumented), the
# short options of its getopt string, and every option the help lists is tried (with a value
# when the table says it takes one, then a stray argument, so that nothing runs: an accepted
# option gets "unexpected argument", a refused one "unknown/unrecognized option"). Also
# `dockaudit help [COMMAND]` and the global options of main.c.
# Run by `make check` with DOCKAUDIT and top_srcdir set. Prints "ok N - name" lines and
# "P passed, F failed"; exit 0 all passed, 1 a case failed, 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
CLI=$top_srcdir/src/cli
TMP=$(mktemp -d /tmp/dockaudit-help.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"
# da ARGS...: dockaudit without --rules-dir.
da() { da_cmd "$DOCKAUDIT" "$@"; }
# The commands of main.c's table, but help (tested on its own below).
COMMANDS=$(sed -n 's/^[[:space:]]*{"\([a-z][a-z-]*\)", cmd_[a-z_]*,.*/\1/p' "$CLI/main.c" | grep -vx help)
[ "$(echo $COMMANDS)" != "" ] || { echo "no command table read from $CLI/main.c" >&2; exit 99; }


# table FILE: "NAME ARG" for each entry of the getopt tables in FILE (ARG: no or required).
table() {
        sed -n 's/^[[:space:]]*{"\([a-z][a-z-]*\)", *\(no\|required\|optional\)_argument,.*/\1 \2/p' "$1"
}
# shorts FILE: the letters of FILE's getopt_long() option strings.
shorts() {
        sed -n 's/.*getopt_long([^"]*"\([^"]*\)".*/\1/p' "$1" | tr -d ':\n' | fold -w1
}
# listed: the options the help text in $TMP/out gives a line of its own ("  -x, --name ...").
listed() {
        sed -n 's/^  \(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' "$TMP/out"
}
# value NAME: a harmless value for option NAME.
value() {
        case $1 in
        format) echo text ;;
        fail-on) echo high ;;
        output | facts) echo "$TMP/nonexistent" ;;
        choose) echo rule=fix ;;
        docker-root | rules-dir | waivers-dir | root) echo "$TMP" ;;
        dockerd-pid) echo 1 ;;
        unit) echo x.service ;;
        timeout) echo 5 ;;
        keep) echo 3 ;;
        report-dir) echo "$TMP" ;;
        max-age) echo 2d ;;
        now) echo 2026-11-30T10:00:00Z ;;
        hosts) echo alpha,beta ;;
        *) echo "no value known for --$1" >&2; echo x ;;
        esac
}

t_every_command_help() {
        local c
        for c in $COMMANDS; do
                da "$c" --help
                [ "$RC" = 0 ] && grep -q "^Usage: dockaudit $c" "$TMP/out" || fail "$c --help" || return 1
                [ ! -s "$TMP/err" ] || fail "$c --help wrote to stderr" || return 1
                cp "$TMP/out" "$TMP/help-$c"
                da help "$c"
                [ "$RC" = 0 ] && cmp -s "$TMP/out" "$TMP/help-$c" || fail "help $c differs from $c --help" || return 1
                da "$c" -h
                [ "$RC" = 0 ] && cmp -s "$TMP/out" "$TMP/help-$c" || fail "$c -h differs from $c --help" || return 1
        done
}

# Every long and short option of the command's getopt table is in its help; every option the
# help lists is in the table.
t_help_matches_tables() {
        local c name arg s o
        for c in $COMMANDS; do
                [ -f "$CLI/cmd-$c.c" ] || fail "no $CLI/cmd-$c.c" || return 1
                [ "$c" = rules ] && continue # no getopt table: t_rules_help
                da "$c" --help
                [ "$(table "$CLI/cmd-$c.c" | wc -l)" -ge 2 ] || fail "no getopt table read from cmd-$c.c" || return 1
                while read -r name arg; do
                        grep -qE -- "(^|[^a-z-])--$name([^a-z-]|\$)" "$TMP/out" ||
                                fail "$c --help does not document --$name (cmd-$c.c accepts it)" || return 1
                done < <(table "$CLI/cmd-$c.c")
                for s in $(shorts "$CLI/cmd-$c.c"); do
                        grep -qE -- "(^|[^a-z])-$s([^a-z]|\$)" "$TMP/out" ||
                                fail "$c --help does not document -$s" || return 1
                done
                for o in $(listed); do
                        table "$CLI/cmd-$c.c" | grep -q "^${o#--} " ||
                                fail "$c --help lists $o, which cmd-$c.c does not accept" || return 1
                done
        done
}

# Each option the help lists, given to the command (with a value when it takes one) and
# followed by a stray argument: the command must get past the option to the argument.
t_listed_options_accepted() {
        local c o arg v
        for c in $COMMANDS; do
                [ "$c" = rules ] && continue
                da "$c" --help
                listed >"$TMP/listed"
                [ -s "$TMP/listed" ] || fail "$c --help lists no option" || return 1
                while read -r o; do
                        [ "$o" = --help ] && continue
                        arg=$(table "$CLI/cmd-$c.c" | sed -n "s/^${o#--} //p")
                        v=()
                        [ "$arg" = required ] && v=("$(value "${o#--}")")
                        da "$c" "$o" "${v[@]}" zz-stray
                        # summarize takes reports as arguments: the stray one is read as a report
                        [ "$RC" = 2 ] && grep -q -e "unexpected argument 'zz-stray'" \
                                -e "^dockaudit: zz-stray: No such file or directory" "$TMP/err" ||
                                fail "$c $o ${v[*]}: not accepted" || return 1
                done <"$TMP/listed"
        done
}

t_rules_help() {
        local v
        da rules --help
        for v in list show check; do
                grep -q "dockaudit rules $v\|dockaudit rules \[$v\]" "$TMP/out" || fail "rules --help lacks $v" || return 1
        done
        # rules takes no option but -h/--help: its file has no getopt table to document
        [ -z "$(table "$CLI/cmd-rules.c")" ] || fail "cmd-rules.c grew a getopt table: document it here" || return 1
}

# The global usage lists every option of main.c's table; each is accepted before a command.
t_global_options() {
        local name arg v
        da --help
        cp "$TMP/out" "$TMP/global"
        [ "$(table "$CLI/main.c" | wc -l)" -ge 5 ] || fail "no global option table read from main.c" || return 1
        while read -r name arg; do
                grep -qE -- "^  (-h, )?--$name([^a-z-]|\$)" "$TMP/global" ||
                        fail "dockaudit --help does not list --$name" || return 1
                case $name in help | version) continue ;; esac
                v=()
                [ "$arg" = required ] && v=("$(value "$name")")
                da "--$name" "${v[@]}" zz-nosuch
                [ "$RC" = 2 ] && grep -q "unknown command 'zz-nosuch'" "$TMP/err" ||
                        fail "--$name ${v[*]} is not taken as a global option" || return 1
        done < <(table "$CLI/main.c")
        # every command of the table is in the usage
        for name in $COMMANDS help; do
                grep -q "^  $name\b" "$TMP/global" || fail "dockaudit --help lacks $name" || return 1
        done
}

t_help_command() {
        da help
        [ "$RC" = 0 ] && cmp -s "$TMP/out" "$TMP/global" || fail "help differs from --help" || return 1
        da help help
        [ "$RC" = 0 ] && cmp -s "$TMP/out" "$TMP/global" || fail "help help" || return 1
        da help nosuch
        [ "$RC" = 2 ] && grep -q "^dockaudit: unknown command 'nosuch'" "$TMP/err" && [ ! -s "$TMP/out" ] ||
                fail "help nosuch: exit 2 with a message" || return 1
        da nosuch --help
        [ "$RC" = 2 ] && grep -q "unknown command 'nosuch'" "$TMP/err" || fail "nosuch --help" || return 1
        da --version
        [ "$RC" = 0 ] && grep -qE '^dockaudit [0-9]' "$TMP/out" || fail "--version" || return 1
}

t_catalog() {
        local n_text n_json
        command -v jq >/dev/null || { echo "  jq is missing" >&2; return 1; }
        da facts --catalog
        [ "$RC" = 0 ] && [ ! -s "$TMP/err" ] && head -1 "$TMP/out" | grep -q '^NAME  *TYPE  *DESCRIPTION$' ||
                fail "facts --catalog" || return 1
        n_text=$(($(wc -l <"$TMP/out") - 1))
        tail -n +2 "$TMP/out" | awk '{ print $1 }' >"$TMP/names"
        sort -c "$TMP/names" || fail "the catalog is not in name order" || return 1
        awk '$2 !~ /^(string|number|bool|version|list)$/ { exit 1 }' <(tail -n +2 "$TMP/out") ||
                fail "a type that is not string, number, bool, version or list" || return 1
        # --root and --unit do not matter: nothing is collected
        da --root /nonexistent --unit x.service facts --format json --catalog
        [ "$RC" = 0 ] && [ "$(jq -r .schema "$TMP/out")" = dockaudit-fact-catalog/1 ] ||
                fail "facts --catalog --format json" || return 1
        n_json=$(jq '.facts | length' "$TMP/out")
        [ "$n_json" = "$n_text" ] && [ "$n_json" -gt 40 ] || fail "$n_json facts in JSON, $n_text in text" || return 1
        jq -r '.facts[].name' "$TMP/out" | cmp -s - "$TMP/names" || fail "JSON and text name other facts" || return 1
        [ "$(jq '[.facts[] | select((.description | length) == 0)] | length' "$TMP/out")" = 0 ] ||
                fail "a fact without a description" || return 1
}

run "every command's --help, -h and help COMMAND: the same, exit 0" t_every_command_help
run "each --help documents its getopt table, and lists nothing else" t_help_matches_tables
run "each option a --help lists is accepted" t_listed_options_accepted
run "rules --help names its verbs" t_rules_help
run "the global usage lists and accepts main.c's options" t_global_options
run "help, help help, help nosuch (exit 2), --version" t_help_command
run "facts --catalog: text and JSON, sorted, typed" t_catalog
finish
