#!/bin/sh
# SPDX-License-Identifier: MIT
# Every C file of the tree is formatted with the repository's .clang-format: lists the files
# that are not (with the first differences) and exits 1. Fix with:
#   clang-format -i $(git ls-files '*.c' '*.h')
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top_srcdir" || exit 99
command -v clang-format >/dev/null || { echo "clang-format is missing (autogen.sh installs it)" >&2; exit 99; }
bad=0 n=0
for f in $(find src tests -name '*.[ch]' | sort); do
        n=$((n + 1))
        if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
                bad=$((bad + 1))
                echo "$f: not formatted"
                clang-format "$f" | diff -u "$f" - | sed -n '3,12p'
        fi
done
echo "format: $((n - bad)) of $n files formatted"
[ "$bad" = 0 ]
