#!/bin/bash
# SPDX-License-Identifier: MIT
# Where a binary without --rules-dir finds its bundled rules (issue 11): the build tree's
# binary through the marker the build writes next to it (dockaudit-build-rules: the README's
# first command runs ./dockaudit from build/), any binary through $DOCKAUDIT_RULES_DIR, and
# otherwise the installed $(pkgdatadir)/rules; no build path compiled into the binary.
# Run by `make check` with DOCKAUDIT, top_srcdir and top_builddir set. Prints "ok N - name"
# lines and "P passed, F failed"; exit 0 all passed, 1 a case failed, 99 cannot run.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "${DOCKAUDIT:-}" ] || { echo "DOCKAUDIT is not set to the built binary" >&2; exit 99; }
top_builddir=${top_builddir:-$(dirname "$DOCKAUDIT")}
for t in jq strings; do command -v $t >/dev/null || { echo "$t is missing" >&2; exit 99; }; done

RULES=$top_srcdir/rules
TMP=$(mktemp -d /tmp/dockaudit-lookup.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
. "$(dirname "$0")/lib.sh"
# da BINARY ARGS...: sets RC; output in $TMP/out, $TMP/err.
da() { da_cmd "$@"; }
unset DOCKAUDIT_RULES_DIR

# one_rule DIR: DIR holds only option-set-twice.
one_rule() {
        mkdir -p "$1"
        cp "$RULES/option-set-twice.rule" "$1/"
}

t_build_tree_marker() {
        [ "$(cat "$top_builddir/dockaudit-build-rules")" = "$RULES" ] || { RC=-; fail "the marker does not name $RULES"; return 1; }
        da "$DOCKAUDIT" rules show mountflags-slave-with-live-restore
        [ "$RC" = 0 ] && grep -qF "$RULES/mountflags-slave-with-live-restore.rule" "$TMP/out" ||
                fail "the build tree's binary did not read $RULES"
}
t_env_variable() {
        one_rule "$TMP/env"
        DOCKAUDIT_RULES_DIR=$TMP/env da "$DOCKAUDIT" rules list
        [ "$RC" = 0 ] && [ "$(grep -c . "$TMP/out")" = 2 ] && grep -q '^option-set-twice ' "$TMP/out" ||
                fail "DOCKAUDIT_RULES_DIR=$TMP/env was not the bundled directory"
}
t_env_empty_ignored() {
        DOCKAUDIT_RULES_DIR='' da "$DOCKAUDIT" rules show option-set-twice
        [ "$RC" = 0 ] && grep -qF "$RULES/option-set-twice.rule" "$TMP/out" || fail "an empty DOCKAUDIT_RULES_DIR was not ignored"
}
t_rules_dir_wins() {
        one_rule "$TMP/env"
        DOCKAUDIT_RULES_DIR=$TMP/nope da "$DOCKAUDIT" --rules-dir "$TMP/env" rules list
        [ "$RC" = 0 ] && grep -q '^option-set-twice ' "$TMP/out" || fail "--rules-dir did not replace DOCKAUDIT_RULES_DIR"
}
t_copy_without_marker() {
        mkdir -p "$TMP/bin"
        cp "$DOCKAUDIT" "$TMP/bin/dockaudit"
        da "$TMP/bin/dockaudit" rules list
        if [ "$RC" = 0 ]; then
                echo "  # rules installed on this host: the copy found them" >&2
                return 0
        fi
        [ "$RC" = 2 ] && grep -q 'rules directories: .*/etc/dockaudit/rules.d, .*/share/dockaudit/rules)' "$TMP/err" &&
                ! grep -qF "$RULES" "$TMP/err" || fail "a copy without the marker must look only in the installed paths"
}
t_copy_with_env() {
        mkdir -p "$TMP/bin"
        cp "$DOCKAUDIT" "$TMP/bin/dockaudit"
        DOCKAUDIT_RULES_DIR=$RULES da "$TMP/bin/dockaudit" rules list
        [ "$RC" = 0 ] && grep -q '^mountflags-slave-with-live-restore ' "$TMP/out" || fail "a copy with DOCKAUDIT_RULES_DIR"
}
t_copy_with_marker() {
        mkdir -p "$TMP/bin2"
        cp "$DOCKAUDIT" "$TMP/bin2/dockaudit"
        one_rule "$TMP/marked"
        echo "$TMP/marked" >"$TMP/bin2/dockaudit-build-rules"
        da "$TMP/bin2/dockaudit" rules show option-set-twice
        [ "$RC" = 0 ] && grep -qF "$TMP/marked/option-set-twice.rule" "$TMP/out" || fail "the marker next to a copy"
}
t_no_build_path_compiled_in() {
        RC=-
        strings -a "$DOCKAUDIT" >"$TMP/strings"
        ! grep -qF -e "$RULES" -e "$top_builddir/dockaudit" "$TMP/strings" ||
                fail "the binary names the build tree: $(grep -F -e "$RULES" -e "$top_builddir/dockaudit" "$TMP/strings" | head -3)"
}

run "the build tree's binary reads the source rules/ through its marker" t_build_tree_marker
run "DOCKAUDIT_RULES_DIR replaces the bundled directory" t_env_variable
run "an empty DOCKAUDIT_RULES_DIR is ignored" t_env_empty_ignored
run "--rules-dir wins over DOCKAUDIT_RULES_DIR" t_rules_dir_wins
run "a copy without the marker looks in the installed paths only" t_copy_without_marker
run "a copy finds rules through DOCKAUDIT_RULES_DIR" t_copy_with_env
run "a copy reads the marker next to it" t_copy_with_marker
run "no source or build path compiled into the binary" t_no_build_path_compiled_in
finish
