#!/bin/bash
# SPDX-License-Identifier: MIT
# Shell completion in real shells. bash: shell-completion/bash/dockaudit is sourced in a
# non-interactive bash (alone, and after bash-completion's own script where installed),
# COMP_WORDS/COMP_CWORD are set and _dockaudit is called, COMPREPLY is compared. zsh: an
# interactive zsh on a pseudo-terminal (zpty) loads _dockaudit through compinit, TAB is typed
# and the matches are read back (compadd wrapped to print them). Rule ids come from the built
# dockaudit's `rules list` with a --rules-dir holding a local rule; unit names from a fake
# systemctl that records whether --user was passed.
# Run by `make check` with DOCKAUDIT and top_srcdir set. Prints "ok N - name" lines and
# "P passed, F failed"; exit 0 all passed, 1 a case failed, 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
command -v zsh >/dev/null || { echo "zsh is missing (the test dependencies install it)" >&2; exit 99; }
BASH_COMP=$top_srcdir/shell-completion/bash/dockaudit
ZSH_DIR=$top_srcdir/shell-completion/zsh
CLI=$top_srcdir/src/cli
TMP=$(mktemp -d /tmp/dockaudit-completion.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"

# A bin directory with dockaudit (the build's) and a fake systemctl first in PATH.
mkdir -p "$TMP/bin" "$TMP/rules" "$TMP/files/sub"
ln -s "$DOCKAUDIT" "$TMP/bin/dockaudit"
cat >"$TMP/bin/systemctl" <<EOF
#!/bin/sh
echo "\$*" >>"$TMP/systemctl.log"
case " \$* " in
*" --user "*) printf 'podman.service enabled enabled\nrootless-docker.service enabled enabled\n' ;;
*) printf 'docker.service enabled enabled\ncontainerd.service enabled enabled\ngetty@.service enabled enabled\nssh.service enabled enabled\n' ;;
esac
EOF
chmod +x "$TMP/bin/systemctl"
cp "$top_srcdir"/rules/*.rule "$TMP/rules/"
sed 's/^id = .*/id = my-local-rule/' "$top_srcdir/rules/dead-containers.rule" >"$TMP/rules/my-local-rule.rule"
touch "$TMP/files/report.json" "$TMP/files/facts.json"
PATH=$TMP/bin:$PATH
export PATH


# bcomp [--full] WORDS...: COMPREPLY (sorted, one per line) for the last word of WORDS, in a
# fresh bash; --full loads bash-completion's script first.
bcomp() {
        local pre=''
        if [ "$1" = --full ]; then
                shift
                pre='source /usr/share/bash-completion/bash_completion;'
        fi
        bash --norc --noprofile -c "$pre"'
                source "$0" || exit 3
                COMP_WORDS=("${@}"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
                COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
                _dockaudit dockaudit "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" || exit 4
                printf "%s\n" "${COMPREPLY[@]}" | sort' "$BASH_COMP" "$@" 2>"$TMP/bash-err"
}
# expect_b "EXPECTED (space-separated, sorted)" WORDS...: exactly these matches.
expect_b() {
        local want got
        want=$(printf '%s\n' $1 | sort)
        shift
        got=$(bcomp "$@")
        [ "$got" = "$want" ] || fail "bash [$*]: expected [$(echo $want)], got [$(echo $got)]"
}
# contains_b "WORDS EXPECTED AMONG THE MATCHES" WORDS...
contains_b() {
        local w want=$1 got
        shift
        got=$(bcomp "$@")
        for w in $want; do
                grep -qxF -- "$w" <<<"$got" || fail "bash [$*]: $w not offered (got [$(echo $got)])" || return 1
        done
}
# table FILE: the long options of FILE's getopt tables.
table() {
        sed -n 's/^[[:space:]]*{"\([a-z][a-z-]*\)", *\(no\|required\|optional\)_argument,.*/--\1/p' "$1"
}

t_bash_commands() {
        expect_b "audit" dockaudit a &&
                expect_b "audit facts fix help leaks rules summarize" dockaudit "" &&
                expect_b "facts fix" dockaudit --user f &&
                expect_b "audit facts fix help leaks rules summarize" dockaudit help "" &&
                expect_b "list show check" dockaudit rules ""
}
t_bash_options() {
        local c
        expect_b "--facts --fail-on --fail-on-new --format" dockaudit audit --f || return 1
        expect_b "--no-color --no-reload" dockaudit fix --no || return 1
        expect_b "--timeout" dockaudit fix --ti || return 1
        # every long option of each command's getopt table, and main.c's before the command
        for c in audit fix facts leaks; do
                contains_b "$(table "$CLI/cmd-$c.c")" dockaudit "$c" -- || return 1
        done
        contains_b "$(table "$CLI/main.c")" dockaudit -- || return 1
}
t_bash_values() {
        expect_b "json junit prometheus sarif text" dockaudit audit --format "" &&
                expect_b "json text" dockaudit facts --format "" &&
                expect_b "json text" dockaudit leaks --format "" &&
                expect_b "html json junit text" dockaudit summarize --format "" &&
                expect_b "json junit" dockaudit audit --format = j &&
                expect_b "--format=json --format=junit" dockaudit audit --format=j &&
                expect_b "info low medium high" dockaudit --unit x.service fix --fail-on "" &&
                expect_b "medium" dockaudit audit --fail-on m
}
t_bash_rule_ids() {
        local ids
        ids=$(cd "$TMP/rules" && ls *.rule | sed 's/\.rule$//')
        expect_b "$ids" dockaudit --rules-dir "$TMP/rules" rules show "" || return 1
        expect_b "my-local-rule" dockaudit rules --rules-dir "$TMP/rules" show my || return 1
        expect_b "my-local-rule=" dockaudit --rules-dir "$TMP/rules" fix --choose my || return 1
        expect_b "default keep-slave" dockaudit --rules-dir "$TMP/rules" fix --choose \
                mountflags-slave-with-live-restore = "" || return 1
        expect_b "mountflags-slave-with-live-restore=keep-slave" dockaudit --rules-dir "$TMP/rules" fix \
                --choose mountflags-slave-with-live-restore=k || return 1
}
t_bash_units() {
        rm -f "$TMP/systemctl.log"
        expect_b "containerd.service docker.service ssh.service" dockaudit --unit "" || return 1
        grep -qx 'list-unit-files --type=service --no-legend --no-pager' "$TMP/systemctl.log" ||
                fail "systemctl called as: $(cat "$TMP/systemctl.log")" || return 1
        expect_b "rootless-docker.service" dockaudit --user audit --unit r || return 1
        grep -q -- '^--user list-unit-files' "$TMP/systemctl.log" || fail "no --user for systemctl" || return 1
}
t_bash_files() {
        expect_b "$TMP/files/facts.json" dockaudit audit --facts "$TMP/files/f" &&
                expect_b "$TMP/files/report.json" dockaudit audit -o "$TMP/files/r" &&
                expect_b "$TMP/files/sub" dockaudit --root "$TMP/files/" &&
                expect_b "$TMP/files/sub" dockaudit leaks --docker-root "$TMP/files/" &&
                expect_b "$TMP/files/facts.json" dockaudit rules check "$TMP/files/f"
}
# With bash-completion's own script loaded first (as in an interactive shell).
t_bash_with_bash_completion() {
        [ -r /usr/share/bash-completion/bash_completion ] || { echo "  bash-completion not installed: skipped" >&2; return 0; }
        [ "$(bcomp --full dockaudit audit --fo)" = --format ] || fail "audit --fo with bash-completion" || return 1
        [ "$(bcomp --full dockaudit --rules-dir "$TMP/rules" rules show my)" = my-local-rule ] ||
                fail "rules show my with bash-completion" || return 1
}

# zcomp WORDS: the matches an interactive zsh offers for WORDS<TAB> (one per line, sorted).
cat >"$TMP/capture.zsh" <<'EOF'
# zsh -f capture.zsh FPATHDIR LINE: the matches zsh offers for LINE<TAB>, one per line.
zmodload zsh/zpty || exit 99
zpty z zsh -f -i
zpty -w z "PS1='' PS2='' RPS1=''; unsetopt zle_bracketed_paste 2>/dev/null; fpath=($1 \$fpath)"
zpty -w z 'autoload -U compinit; compinit -u -D'
# every match added, printed to the terminal (calls that only compute, -O -A -D, pass through)
zpty -w z 'compadd() { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi; local -a __h; builtin compadd -A __h "$@"; print -rl -- ${__h/#/HIT:} >/dev/tty; builtin compadd "$@"; }'
zpty -w z 'print READY-$((1+1))'
local line
while zpty -r z line; do [[ $line == READY-2* ]] && break; done
zpty -w -n z "$2"$'\t'
# Let the completion run before more input arrives: zle drops a listing with typeahead.
sleep 1
zpty -w z $'\C-u''print DONE-$((2+2))'
while zpty -r z line; do
        [[ $line == *DONE-4* ]] && break
        [[ $line == *HIT:* ]] && print -r -- ${${line##*HIT:}//[$'\r\n']/}
done
zpty -d z
EOF
zcomp() {
        timeout 30 zsh -f "$TMP/capture.zsh" "$ZSH_DIR" "$*" 2>"$TMP/zsh-err" | sort -u
}
expect_z() {
        local want got
        want=$(printf '%s\n' $1 | sort)
        shift
        got=$(zcomp "$@")
        [ "$got" = "$want" ] || fail "zsh [$*]: expected [$(echo $want)], got [$(echo $got)]"
}

t_zsh_loads() {
        zsh -f -c "autoload -U compinit; compinit -u -D; source '$ZSH_DIR/_dockaudit'" >"$TMP/out" 2>&1 ||
                fail "sourcing _dockaudit: $(cat "$TMP/out")" || return 1
        [ ! -s "$TMP/out" ] || fail "sourcing _dockaudit printed: $(cat "$TMP/out")"
}
t_zsh_completes() {
        local ids
        ids=$(cd "$TMP/rules" && ls m*.rule | sed 's/\.rule$//')
        expect_z "audit" dockaudit a &&
                expect_z "audit facts fix help leaks rules summarize" dockaudit " " &&
                expect_z "--facts --fail-on --fail-on-new --format" dockaudit audit --f &&
                expect_z "json junit prometheus sarif text" dockaudit audit --format " " &&
                expect_z "json text" dockaudit facts --format " " &&
                expect_z "html json junit text" dockaudit summarize --format " " &&
                expect_z "check list show" dockaudit rules " " &&
                expect_z "$ids" dockaudit --rules-dir "$TMP/rules" rules show m &&
                expect_z "my-local-rule" dockaudit rules --rules-dir "$TMP/rules" show my &&
                expect_z "--facts --fail-on --fail-on-new --format" dockaudit audit --rules-dir "$TMP/rules" --user --f &&
                expect_z "default keep-slave" dockaudit --rules-dir "$TMP/rules" fix \
                        --choose mountflags-slave-with-live-restore= &&
                expect_z "--timeout" dockaudit fix --ti &&
                expect_z "docker.service" dockaudit --unit "do" &&
                expect_z "podman.service" dockaudit --user audit --unit p
}

run "bash: commands and rules verbs" t_bash_commands
run "bash: options of each command, as their getopt tables" t_bash_options
run "bash: --format and --fail-on values" t_bash_values
run "bash: rule ids and fix names from the rules of --rules-dir" t_bash_rule_ids
run "bash: unit names from systemctl, --user passed on" t_bash_units
run "bash: files and directories" t_bash_files
run "bash: with bash-completion loaded" t_bash_with_bash_completion
run "zsh: _dockaudit loads with compinit" t_zsh_loads
run "zsh: TAB in an interactive zsh (zpty)" t_zsh_completes
finish
