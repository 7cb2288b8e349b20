#!/bin/sh
# Installs what building needs on Debian/Ubuntu (as root, only what is missing: compiler,
# autotools, pkg-config, the -dev libraries; build-aux/deps.sh), then generates the build
# system. The tests' own needs (dockerd, valgrind, clang...) are installed by tests/run-all.
# Usage: ./autogen.sh [--no-deps]
set -eu
cd "$(dirname "$0")"

[ "${1:-}" = "--no-deps" ] || ./build-aux/deps.sh build

mkdir -p m4
autoreconf -fi
