#!/bin/bash
# SPDX-License-Identifier: MIT
# The man pages as built (doc/Makemodule.am): `MANWIDTH=80 man --warnings -l` renders both
# without a word on stderr (and groff -ww finds nothing); dockaudit(8) documents every command
# and every option of the getopt tables in src/cli; dockaudit.rule(5) lists exactly the facts
# of `dockaudit facts --catalog` with their types; `make install` puts the pages in man8/ and
# man5/ and the completions where bash-completion and zsh look.
# Run by `make check` with DOCKAUDIT, top_srcdir and top_builddir set. Prints "ok N - name"
# lines and "P passed, F failed"; exit 0 all passed, 1 a case failed, 77 configured with
# --disable-man, 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$(dirname "${DOCKAUDIT:-.}")}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
for t in man groff make; do command -v $t >/dev/null || { echo "$t is missing" >&2; exit 99; }; done
[ "${DOCKAUDIT_MAN:-yes}" != no ] || { echo "configured with --disable-man: no man pages to test" >&2; exit 77; }
MAN8=$top_builddir/doc/dockaudit.8
MAN5=$top_builddir/doc/dockaudit.rule.5
MAN5W=$top_builddir/doc/dockaudit.waiver.5
[ -f "$MAN8" ] && [ -f "$MAN5" ] ||
        { echo "$MAN8 or $MAN5 not built (configured with --disable-man? scdoc builds them)" >&2; exit 99; }
CLI=$top_srcdir/src/cli
TMP=$(mktemp -d /tmp/dockaudit-man.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"

# render PAGE: the page as man shows it at 80 columns, no hyphenation or adjusting to get in
# the way of grep, into $TMP/PAGE.txt; fails on anything on stderr.
render() {
        local name
        name=$(basename "$1")
        MANWIDTH=80 MAN_KEEP_FORMATTING='' MANROFFOPT='' LC_ALL=C.UTF-8 man --warnings -l "$1" \
                >"$TMP/$name.txt" 2>"$TMP/$name.err" || fail "man -l $1 exited $?" || return 1
        [ ! -s "$TMP/$name.err" ] || fail "man --warnings -l $1: $(head -5 "$TMP/$name.err")" || return 1
        # the same with every groff warning on
        groff -man -ww -z "$1" 2>"$TMP/$name.groff" || fail "groff -man -ww $1 failed" || return 1
        [ ! -s "$TMP/$name.groff" ] || fail "groff -ww $1: $(head -5 "$TMP/$name.groff")"
}
# table FILE: the long options of FILE's getopt tables.
table() {
        sed -n 's/^[[:space:]]*{"\([a-z][a-z-]*\)", *\(no\|required\|optional\)_argument,.*/\1/p' "$1"
}
# words FILE: the text of a rendered page with the lines joined, one space between words.
words() {
        # man (rendering in C.UTF-8) breaks a word where it hyphenates with U+2010: dropped; at
        # a hyphen of the text ("--fail-" "on"): kept
        LC_ALL=C sed -e ':a' -e '/\xe2\x80\x90$/{N;s/\xe2\x80\x90\n *//;ba' -e '}' \
                -e ':b' -e '/-$/{N;s/-\n */-/;bb' -e '}' "$1" | tr -s ' \n' '  '
}

t_render() {
        render "$MAN8" && render "$MAN5"
}

t_man8_complete() {
        local s c o text
        render "$MAN8" || return 1
        text=$(words "$TMP/dockaudit.8.txt")
        for s in NAME SYNOPSIS DESCRIPTION COMMANDS "GLOBAL OPTIONS" "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
                grep -q "^$s\$" "$TMP/dockaudit.8.txt" || fail "dockaudit(8) has no $s section" || return 1
        done
        for c in $(sed -n 's/^[[:space:]]*{"\([a-z][a-z-]*\)", cmd_[a-z_]*,.*/\1/p' "$CLI/main.c"); do
                grep -q "^       $c\b" "$TMP/dockaudit.8.txt" || fail "dockaudit(8) does not describe $c" || return 1
        done
        for c in audit fix facts leaks; do
                grep -q "^$(echo $c | tr a-z A-Z) OPTIONS\$" "$TMP/dockaudit.8.txt" || fail "no $c options section" || return 1
        done
        for f in "$CLI"/cmd-*.c "$CLI/main.c"; do
                for o in $(table "$f"); do
                        grep -qE -- "(^| )--$o( |,|\$)" "$TMP/dockaudit.8.txt" ||
                                fail "dockaudit(8) has no entry for --$o ($(basename "$f"))" || return 1
                done
        done
        for o in NO_COLOR DOCKER_HOST XDG_RUNTIME_DIR /etc/dockaudit/rules.d 50-dockaudit.conf; do
                grep -q -- "$o" <<<"$text" || fail "dockaudit(8) does not mention $o" || return 1
        done
}

# The FACTS section holds one "NAME (TYPE)" entry per fact of the binary's catalog, in order.
t_man5_catalog() {
        "$DOCKAUDIT" facts --catalog >"$TMP/catalog" || fail "facts --catalog" || return 1
        tail -n +2 "$TMP/catalog" | awk '{ print $1 " (" $2 ")" }' >"$TMP/want"
        render "$MAN5" || return 1
        sed -n '/^FACTS$/,/^[A-Z]/p' "$TMP/dockaudit.rule.5.txt" |
                sed -n 's/^       \([a-z][a-z0-9_.]*\) (\([a-z]*\))$/\1 (\2)/p' >"$TMP/got"
        [ -s "$TMP/got" ] || fail "no fact entries in the FACTS section" || return 1
        diff -u "$TMP/want" "$TMP/got" >&2 || fail "dockaudit.rule(5) FACTS differ from facts --catalog" || return 1
        # each description is there too, whole
        words "$TMP/dockaudit.rule.5.txt" >"$TMP/words5"
        tail -n +2 "$TMP/catalog" | sed 's/^[^ ]*  *[^ ]*  *//' | while IFS= read -r d; do
                grep -qF -- "$(tr -s " " <<<"$d")" "$TMP/words5" ||
                        { fail "description not in dockaudit.rule(5): $d"; exit 1; }
        done
}

t_man5_sections() {
        local s
        render "$MAN5" || return 1
        for s in NAME SYNOPSIS DESCRIPTION FORMAT "THE \[rule\] SECTION" "THE \[fix\] SECTION" CONDITIONS \
                "MESSAGE TEMPLATES" FACTS EXAMPLES "SEE ALSO"; do
                grep -q "^$s\$" "$TMP/dockaudit.rule.5.txt" || fail "dockaudit.rule(5) has no $s section" || return 1
        done
        # every key the rule reader accepts (src/rules/rule-keys.c) is documented
        for s in id title severity rationale references when message applies dropin daemon-json sysctl \
                unit-override choose-only restart note; do
                grep -qE "^       $s =" "$TMP/dockaudit.rule.5.txt" || fail "dockaudit.rule(5): no entry for $s =" || return 1
        done
}

t_man5_waiver() {
        local s
        render "$MAN5W" || return 1
        for s in NAME SYNOPSIS DESCRIPTION FORMAT REPORTS EXAMPLE "SEE ALSO"; do
                grep -q "^$s\$" "$TMP/dockaudit.waiver.5.txt" || fail "dockaudit.waiver(5) has no $s section" || return 1
        done
        # every key the waiver reader accepts (src/rules/waiver-file.c) is documented
        for s in $(sed -n 's/^[[:space:]]*\[WAIVER_[A-Z]*\] = "\([a-z]*\)",$/\1/p' "$top_srcdir/src/rules/waiver-file.c"); do
                grep -qE "^       $s =" "$TMP/dockaudit.waiver.5.txt" || fail "dockaudit.waiver(5): no entry for $s =" || return 1
        done
}

# make install puts the pages and completions where man, bash-completion and zsh look.
t_install() {
        local d=$TMP/inst
        make -s -C "$top_builddir" install-man install-dist_bashcompletionDATA install-dist_zshcompletionDATA \
                prefix=/usr DESTDIR="$d" >"$TMP/install.log" 2>&1 || fail "make install: $(tail -5 "$TMP/install.log")" || return 1
        for f in usr/share/man/man8/dockaudit.8 usr/share/man/man5/dockaudit.rule.5 \
                usr/share/man/man5/dockaudit.waiver.5 usr/share/bash-completion/completions/dockaudit; do
                [ -f "$d/$f" ] || fail "make install did not install /$f ($(cd "$d" && find . -type f))" || return 1
        done
        # zsh: vendor-completions when configured with --prefix=/usr (Debian), else site-functions
        [ -f "$d/usr/share/zsh/vendor-completions/_dockaudit" ] || [ -f "$d/usr/share/zsh/site-functions/_dockaudit" ] ||
                fail "make install did not install _dockaudit ($(cd "$d" && find . -type f))" || return 1
        # man finds the installed pages by name
        MANPATH=$d/usr/share/man man -w dockaudit.rule >/dev/null 2>&1 && MANPATH=$d/usr/share/man man -w 8 dockaudit >/dev/null 2>&1 ||
                fail "man -w does not find the installed pages"
}

run "man --warnings -l renders both pages cleanly" t_render
run "dockaudit(8): sections, commands, every option of src/cli, environment, files" t_man8_complete
run "dockaudit.rule(5): FACTS is the binary's catalog" t_man5_catalog
run "dockaudit.rule(5): sections and every rule file key" t_man5_sections
run "dockaudit.waiver(5): sections and every waiver file key" t_man5_waiver
run "make install: man8/, man5/, bash and zsh completion" t_install
finish
