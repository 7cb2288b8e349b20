#!/bin/sh
# SPDX-License-Identifier: MIT
# The include graph of src/ points one way. Each folder is a layer with a rank; a file may
# include headers of its own folder and of folders of lower rank only:
#   cli 6 | fix 5, report 5 | collect 4 | rules 3, leaks 3 | formats 2 | systemd 1 | basic 0
# Two folders of the same rank never include each other. Also: no .c file at src/'s top.
# Prints each upward (or sideways) include as "FILE:LINE: FOLDER -> HEADER"; exit 1 if any.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top_srcdir/src" || exit 99

rank() {
        case $1 in
        basic) echo 0 ;; systemd) echo 1 ;; formats) echo 2 ;; rules | leaks) echo 3 ;;
        collect) echo 4 ;; fix | report) echo 5 ;; cli) echo 6 ;; *) echo unknown ;;
        esac
}

bad=0
for f in *.c *.h; do
        [ -e "$f" ] || continue
        echo "src/$f: a source file at the top of src/ (it belongs in a layer's folder)"
        bad=$((bad + 1))
done
for dir in */; do
        dir=${dir%/}
        from=$(rank "$dir")
        if [ "$from" = unknown ]; then
                echo "src/$dir: a folder without a rank (add it to $0 and to Makefile.am)"
                bad=$((bad + 1))
                continue
        fi
        # Every quoted include, as FILE:LINE:HEADER.
        for hit in $(grep -Hn '^#include "' "$dir"/*.c "$dir"/*.h 2>/dev/null | sed 's/:#include "\([^"]*\)".*/:\1/'); do
                header=${hit##*:}
                case $header in
                */*) to_dir=${header%%/*} ;;
                *)
                        echo "src/${hit%:*}: include \"$header\" without its folder"
                        bad=$((bad + 1))
                        continue
                        ;;
                esac
                [ "$to_dir" = "$dir" ] && continue
                to=$(rank "$to_dir")
                if [ "$to" = unknown ] || [ "$to" -ge "$from" ]; then
                        echo "src/${hit%:*}: $dir (rank $from) -> $header (rank $to)"
                        bad=$((bad + 1))
                fi
        done
done
if [ "$bad" -gt 0 ]; then
        echo "$bad include(s) against the layering"
        exit 1
fi
echo "layering: every include of src/ points down"
