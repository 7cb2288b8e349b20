#!/bin/bash
# SPDX-License-Identifier: MIT
# The Debian package, end to end (issue 11), run once by tests/run-all (as root):
#   1. the distributed tree (make distdir from BUILDDIR, into a scratch directory: the source
#      tree is never written) is built with dpkg-buildpackage -us -uc -b;
#   2. lintian: no error and no warning (the overrides say why in debian/);
#   3. contents: the binary, every bundled rule, the copyright file carrying LICENSE, and every
#      file that `make install` installs (man pages, completion, units, docs included, gzipped
#      where dh_compress does so); no build path in the installed binary;
#   4. `apt-get install ./dockaudit_*.deb` in a clean Debian 12 chroot made with mmdebstrap
#      from the host's apt sources: there, with no --rules-dir, `dockaudit rules list` lists
#      the bundled rules from /usr/share/dockaudit/rules, /etc/dockaudit/rules.d is honoured,
#      and `dockaudit audit --root` on a scratch image finds what it should; libarchive, which
#      the binary does not link but dlopen()s for --sos ARCHIVE, comes with the package's
#      Depends (no Recommends installed) and `audit --sos` of tests/fixtures/sos's archive works;
#   5. in the same chroot, with a stand-in docker-ce package installed: build-aux/deps.sh's
#      plan, simulated by the real apt-get, removes nothing (while installing docker.io would
#      remove docker-ce: the hazard the plan avoids is real).
# Usage: tests/package/test-deb.sh [BUILDDIR] (a configured build tree; default build/).
# Prints "ok N - name" lines and "P passed, F failed"; exit 0 all passed, 1 a step failed,
# 99 cannot run.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
builddir=$(cd "${1:-$top/build}" 2>/dev/null && pwd) || { echo "no build tree ${1:-$top/build}" >&2; exit 99; }
[ -f "$builddir/Makefile" ] || { echo "$builddir is not a configured build tree" >&2; exit 99; }
[ "$(id -u)" = 0 ] || { echo "test-deb.sh must run as root (mmdebstrap --mode=root, chroot)" >&2; exit 99; }
for t in dpkg-buildpackage dh lintian mmdebstrap dpkg-deb strings jq readelf; do
        command -v $t >/dev/null || { echo "$t is missing (build-aux/deps.sh test installs it)" >&2; exit 99; }
done

version=$(sed -n 's/^VERSION = //p' "$builddir/Makefile")
TMP=$(mktemp -d /tmp/dockaudit-deb.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
src=$TMP/dockaudit-$version
N=0 FAILED=0 PASSED=0

run() {
        N=$((N + 1))
        if ( "$2" ); then echo "ok $N - $1"; PASSED=$((PASSED + 1)); else
                echo "not ok $N - $1"; FAILED=$((FAILED + 1))
                # Later steps need the earlier ones.
                echo "$PASSED passed, $FAILED failed"
                exit 1
        fi
}
fail() {
        echo "  FAIL: $*" >&2
        return 1
}

t_build() {
        make -s -C "$builddir" distdir distdir="$src" >"$TMP/distdir.log" 2>&1 ||
                { cat "$TMP/distdir.log" >&2; fail "make distdir"; return 1; }
        (cd "$src" && dpkg-buildpackage -us -uc -b) >"$TMP/build.log" 2>&1 ||
                { tail -40 "$TMP/build.log" >&2; fail "dpkg-buildpackage (log above)"; return 1; }
        deb=$(ls "$TMP"/dockaudit_"$version"-*_*.deb 2>/dev/null)
        [ -f "$deb" ] || fail "no dockaudit_$version-*.deb built" || return 1
        # dh_auto_test ran the unit tests, and only them (debian/rules says why).
        grep -q '^# PASS: *[1-9]' "$TMP/build.log" && ! grep -q '^[A-Z]*: tests/.*\.sh$' "$TMP/build.log" ||
                fail "the package build did not run exactly the unit tests" || return 1
        echo "  # package build: $(sed -n 's/^# PASS: *//p' "$TMP/build.log") unit tests passed" >&2
}
deb() {
        ls "$TMP"/dockaudit_"$version"-*_*.deb
}

t_lintian() {
        local suppress=
        dpkg-deb -c "$(deb)" | awk '{ print $6 }' | sed 's|^\./||' >"$TMP/contents"
        # dockaudit(8) comes with the documentation set (issue 11): until a man page is
        # installed, its absence is known and not this test's to report.
        if ! grep -q '^usr/share/man/' "$TMP/contents"; then
                echo "  # no man page installed yet: no-manual-page suppressed" >&2
                suppress="--suppress-tags no-manual-page"
        fi
        # shellcheck disable=SC2086
        lintian --info $suppress "$TMP"/dockaudit_"$version"-*_*.changes >"$TMP/lintian" 2>&1
        grep -v '^running with root privileges' "$TMP/lintian" | sed 's/^/  | /' >&2
        ! grep -q '^[EW]: ' "$TMP/lintian" || fail "lintian reported errors or warnings"
}

t_contents() {
        local f n
        grep -qx 'usr/bin/dockaudit' "$TMP/contents" || fail "no usr/bin/dockaudit" || return 1
        n=0
        for f in "$src"/rules/*.rule; do
                n=$((n + 1))
                grep -qx "usr/share/dockaudit/rules/$(basename "$f")" "$TMP/contents" ||
                        fail "bundled rule $(basename "$f") missing" || return 1
        done
        [ "$n" -gt 0 ] || fail "no rule in the source tree" || return 1
        ! grep -q 'build-rules' "$TMP/contents" || fail "the build tree's marker is in the package" || return 1
        dpkg -x "$(deb)" "$TMP/x"
        # The licence: every line of LICENSE's permission text is in the copyright file.
        grep -q '^License: Expat' "$TMP/x/usr/share/doc/dockaudit/copyright" &&
                grep -q 'dockaudit contributors' "$TMP/x/usr/share/doc/dockaudit/copyright" ||
                fail "copyright has no Expat licence for dockaudit contributors" || return 1
        tail -n +4 "$src/LICENSE" | grep -v '^$' | while IFS= read -r f; do
                grep -qF -- "$f" "$TMP/x/usr/share/doc/dockaudit/copyright" || { fail "copyright lacks '$f'"; exit 1; }
        done || return 1
        # Everything `make install` installs (same configuration as the package) is in it.
        make -s -C "$src" install DESTDIR="$TMP/plain" >"$TMP/install.log" 2>&1 ||
                { cat "$TMP/install.log" >&2; fail "make install"; return 1; }
        (cd "$TMP/plain" && find . -type f -o -type l) | sed 's|^\./||' | sort >"$TMP/installed"
        [ -s "$TMP/installed" ] || fail "make install installed nothing" || return 1
        while read -r f; do
                case $f in
                usr/share/doc/dockaudit/LICENSE) continue ;; # debian/copyright carries it
                esac
                grep -qx -e "$f" -e "$f.gz" "$TMP/contents" || { fail "make install installs $f, the package does not"; return 1; }
        done <"$TMP/installed"
        echo "  # $(wc -l <"$TMP/installed") installed files, of which man pages: $(grep -c '^usr/share/man/' "$TMP/installed")," \
                "completion: $(grep -c 'completion' "$TMP/installed"), units: $(grep -c 'systemd/' "$TMP/installed")" >&2
}

t_no_build_paths() {
        local p
        strings -a "$TMP/x/usr/bin/dockaudit" >"$TMP/strings"
        for p in "$TMP" "$top" "$builddir" "$src"; do
                ! grep -qF -- "$p" "$TMP/strings" || fail "the installed binary contains the build path '$p'" || return 1
        done
        # The administrator's directory is compiled in with the "-" that makes it optional.
        grep -qx '/usr/share/dockaudit/rules' "$TMP/strings" && grep -qx -e '-/etc/dockaudit/rules.d' "$TMP/strings" ||
                fail "the installed binary does not name /usr/share/dockaudit/rules and /etc/dockaudit/rules.d"
}

# The hooks run on this host with the chroot as $1 (and /proc, /dev mounted in it); what they
# print goes to $TMP for the checks below.
t_apt_install_in_chroot() {
        local sources='' s
        for s in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
                [ -s "$s" ] && sources=$s && break
        done
        cp "$(deb)" "$TMP/dockaudit.deb"
        mkdir -p "$TMP/out"
        cat >"$TMP/hook.sh" <<'EOF'
#!/bin/sh
# $1: the chroot; $2: where results go. A scratch image as in tests/cli/test-cli.sh: a CentOS 7
# kernel, MountFlags=slave (moby 1.11.2's unit) and live-restore: must fail the high rule.
set -u
r=$1/scratch
mkdir -p "$r/lib/systemd/system" "$r/etc/docker" "$r/lib/modules/3.10.0-1160.81.1.el7.x86_64"
cp "$2/unit" "$r/lib/systemd/system/docker.service"
cp "$2/os-release" "$r/etc/os-release"
printf '{\n  "live-restore": true\n}\n' >"$r/etc/docker/daemon.json"
chroot "$1" dockaudit --version >"$2/version" 2>&1; echo $? >"$2/version.rc"
chroot "$1" dockaudit rules list >"$2/list" 2>&1; echo $? >"$2/list.rc"
chroot "$1" dockaudit rules show option-set-twice >"$2/show" 2>&1
chroot "$1" dockaudit audit --root /scratch --format json >"$2/audit.json" 2>"$2/audit.err"; echo $? >"$2/audit.rc"
# The administrator's directory: a /dev/null link disables a bundled rule.
mkdir -p "$1/etc/dockaudit/rules.d"
ln -s /dev/null "$1/etc/dockaudit/rules.d/dead-containers.rule"
chroot "$1" dockaudit audit --root /scratch --format json >"$2/audit2.json" 2>"$2/audit2.err"; echo $? >"$2/audit2.rc"
# An sos report archive: libarchive.so.13 is dlopen()ed, from the libarchive13 of Depends.
cp "$2/sos.tar.xz" "$1/tmp/sos.tar.xz"
chroot "$1" dockaudit audit --sos /tmp/sos.tar.xz --format json >"$2/sos.json" 2>"$2/sos.err"; echo $? >"$2/sos.rc"
EOF
        cat >"$TMP/deps-hook.sh" <<'EOF'
#!/bin/sh
# $1: the chroot; $2: where results go. A stand-in docker-ce (docker.io declares Conflicts:
# docker-ce), then deps.sh's test plan against the chroot's dpkg, simulated by apt-get.
set -u
mkdir -p "$1/tmp/fake/DEBIAN" "$1/tmp/fake/usr/bin"
printf 'Package: docker-ce\nVersion: 5:24.0.7-1~debian.12~bookworm\nArchitecture: all\nMaintainer: test <test@example.org>\nDescription: stand-in for Docker CE\n test-deb.sh\n' \
        >"$1/tmp/fake/DEBIAN/control"
printf '#!/bin/sh\n' >"$1/tmp/fake/usr/bin/dockerd"
chmod 755 "$1/tmp/fake/usr/bin/dockerd"
chroot "$1" dpkg-deb --build /tmp/fake /tmp/docker-ce.deb >/dev/null
chroot "$1" dpkg -i /tmp/docker-ce.deb >"$2/dpkg-i" 2>&1
cp "$2/deps.sh" "$1/tmp/deps.sh"
chroot "$1" sh -c 'DEPS_LIB=1 . /tmp/deps.sh; dpkg-query -W -f "\${Package} \${db:Status-Status}\n" | deps_plan test "$(deps_unmanaged_dockerd)"' >"$2/plan"
chroot "$1" apt-get -s install $(sed -n 's/^install //p' "$2/plan") >"$2/sim" 2>&1; echo $? >"$2/sim.rc"
chroot "$1" apt-get -s install docker.io >"$2/sim-docker.io" 2>&1
EOF
        cp "$top/build-aux/deps.sh" "$TMP/out/deps.sh"
        cp "$top/tests/fixtures/units/moby-v1.11.2-docker.service" "$TMP/out/unit"
        cp "$top/tests/fixtures/os-release/centos-7.1.1503-etc-os-release" "$TMP/out/os-release"
        cp "$top/tests/fixtures/sos/sosreport-dockaudit.tar.xz" "$TMP/out/sos.tar.xz"
        # shellcheck disable=SC2086
        timeout 600 mmdebstrap --variant=apt --mode=root --quiet \
                --customize-hook="copy-in $TMP/dockaudit.deb /tmp" \
                --customize-hook='chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends /tmp/dockaudit.deb' \
                --customize-hook="sh $TMP/hook.sh \"\$1\" $TMP/out" \
                --customize-hook="sh $TMP/deps-hook.sh \"\$1\" $TMP/out" \
                bookworm "$TMP/root" $sources >"$TMP/mmdebstrap.log" 2>&1 ||
                { tail -30 "$TMP/mmdebstrap.log" >&2; fail "mmdebstrap + apt-get install ./dockaudit.deb (the Debian archive must be reachable)"; return 1; }
        grep -q "^Setting up dockaudit ($version-" "$TMP/mmdebstrap.log" || fail "apt-get did not set up dockaudit" || return 1
        grep '^Setting up \|^The following NEW' "$TMP/mmdebstrap.log" | tail -3 | sed 's/^/  # /' >&2
}

t_installed_binary_runs() {
        local o=$TMP/out f n
        [ "$(cat "$o/version.rc")" = 0 ] && grep -qx "dockaudit $version" "$o/version" ||
                { cat "$o/version" >&2; fail "dockaudit --version"; return 1; }
        [ "$(cat "$o/list.rc")" = 0 ] || { cat "$o/list" >&2; fail "rules list exit $(cat "$o/list.rc")"; return 1; }
        for f in "$src"/rules/*.rule; do
                grep -q "^$(basename "$f" .rule) " "$o/list" || { cat "$o/list" >&2; fail "rules list lacks $(basename "$f" .rule)"; return 1; }
        done
        grep -q '/usr/share/dockaudit/rules/option-set-twice.rule' "$o/show" ||
                { cat "$o/show" >&2; fail "rules show does not name /usr/share/dockaudit/rules"; return 1; }
        # Exit 1: a high finding fails, and it is the one the image was made for.
        [ "$(cat "$o/audit.rc")" = 1 ] || { cat "$o/audit.err" "$o/audit.json" >&2; fail "audit --root exit $(cat "$o/audit.rc")"; return 1; }
        jq -e '.results[] | select(.id == "mountflags-slave-with-live-restore") | .status == "fail"' "$o/audit.json" >/dev/null ||
                fail "mountflags-slave-with-live-restore did not fail" || return 1
        n=$(ls "$src"/rules/*.rule | wc -l)
        jq -e --argjson n "$n" '.results | length == $n' "$o/audit.json" >/dev/null ||
                fail "the audit evaluated $(jq '.results | length' "$o/audit.json") rules, not the $n bundled ones" || return 1
        jq -e '.results[] | select(.id == "dead-containers") | .status == "disabled"' "$o/audit2.json" >/dev/null &&
                jq -e '.results[] | select(.id == "dead-containers") | .disabled_by == "/etc/dockaudit/rules.d/dead-containers.rule"' "$o/audit2.json" >/dev/null ||
                { jq '.results[] | select(.id == "dead-containers")' "$o/audit2.json" >&2; fail "/etc/dockaudit/rules.d was not honoured"; return 1; }
        echo "  # in the chroot: $(wc -l <"$o/list") lines of rules list; audit --root: exit 1," \
                "$(jq -r '.summary | "\(.fail) failed, \(.pass) passed, \(.skip) skipped"' "$o/audit.json")" >&2
}

# libarchive is loaded with dlopen() (src/cli/sos-archive.c), which dpkg-shlibdeps cannot see:
# not linked, named in Depends by hand, and --sos ARCHIVE works where only Depends came.
t_sos_libarchive_depends() {
        local o=$TMP/out want
        ! readelf -d "$TMP/x/usr/bin/dockaudit" | grep -F 'libarchive.so' ||
                fail "the installed binary links libarchive" || return 1
        dpkg-deb -f "$(deb)" Depends | tr ',' '\n' | grep -qx ' *libarchive13' ||
                fail "Depends lacks libarchive13: $(dpkg-deb -f "$(deb)" Depends)" || return 1
        want=$(jq -r .summary.exit_status "$top/tests/fixtures/sos/direct.json")
        [ "$(cat "$o/sos.rc")" = "$want" ] && jq -e '.facts["unit.mount_flags"].value == "slave"' "$o/sos.json" >/dev/null ||
                { cat "$o/sos.err" >&2; fail "audit --sos ARCHIVE in the chroot: exit $(cat "$o/sos.rc"), not $want"; return 1; }
}

t_deps_keep_docker_ce() {
        local o=$TMP/out
        grep -q '^Setting up docker-ce ' "$o/dpkg-i" || { cat "$o/dpkg-i" >&2; fail "the stand-in docker-ce did not install"; return 1; }
        grep -qx 'keep docker-ce' "$o/plan" && grep -qx 'skip docker.io' "$o/plan" && ! grep -q '^install \(docker.io\|containerd\|runc\)$' "$o/plan" ||
                { cat "$o/plan" >&2; fail "the plan does not keep docker-ce"; return 1; }
        [ "$(cat "$o/sim.rc")" = 0 ] && grep -q '^Inst ' "$o/sim" && ! grep -q '^Remv ' "$o/sim" ||
                { grep -v '^Conf ' "$o/sim" | tail -20 >&2; fail "apt-get -s install of the plan failed or removes a package"; return 1; }
        grep -q '^Remv docker-ce ' "$o/sim-docker.io" ||
                { tail -20 "$o/sim-docker.io" >&2; fail "installing docker.io would not remove docker-ce: the stand-in is no stand-in"; return 1; }
        echo "  # plan: $(grep -c '^install ' "$o/plan") packages to install, kept: $(sed -n 's/^keep //p' "$o/plan" | xargs)," \
                "skipped: $(sed -n 's/^skip //p' "$o/plan" | xargs); apt-get -s: $(grep -c '^Inst ' "$o/sim") Inst, 0 Remv" >&2
}

run "dpkg-buildpackage -us -uc -b from the distributed tree" t_build
run "lintian: no error, no warning" t_lintian
run "contents: binary, rules, copyright, everything make install installs" t_contents
run "no build path in the installed binary" t_no_build_paths
run "apt-get install ./dockaudit.deb in a clean Debian 12 chroot" t_apt_install_in_chroot
run "the installed binary: bundled rules, rules.d, audit --root" t_installed_binary_runs
run "libarchive: not linked, in Depends, --sos ARCHIVE works in the chroot" t_sos_libarchive_depends
run "deps.sh next to a docker-ce: the real apt removes nothing" t_deps_keep_docker_ce
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
