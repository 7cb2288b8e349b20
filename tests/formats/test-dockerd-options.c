/* SPDX-License-Identifier: MIT */
/* dockerd's command line and its conflicts with daemon.json (src/formats/dockerd-options.c). */
#include <check.h>
#include <dirent.h>

#include "check-run.h"

#include "formats/dockerd-options.h"

#define DIR FIXTURES "/dockerd/"
#define SYSCONFIG DIR "centos-virt7-docker-2-1.13.1-2-etc-sysconfig-docker"

/* A test-local stand-in for systemd's expansion, enough for these files (no quotes inside
 * ExecStart=, single-quoted values in the sysconfig file): the ExecStart= words of a unit with
 * their line, and each unquoted $NAME replaced by the words of NAME from the env file, which
 * keep the env file's line. The real expansion is exec_expand() (exec-expand.c, tested in
 * test-exec-expand.c). */
static char *env_value(const char *envfile, const char *name, unsigned *ret_line)
{
        _cleanup_free_ char *data = NULL;
        char *l, *save = NULL;
        unsigned line = 0;

        if (read_full_file(envfile, &data, NULL) < 0)
                return NULL;
        for (l = data; l; l = save) {
                const char *v;

                save = strchr(l, '\n');
                if (save)
                        *save++ = 0;
                line++;
                if ((v = startswith(l, name)) && v[0] == '=') {
                        size_t n = strlen(v + 1);

                        *ret_line = line;
                        if (n >= 2 && v[1] == '\'' && v[n] == '\'')
                                return strndup(v + 2, n - 2);
                        return strdup(v + 1);
                }
        }
        return NULL;
}

static void push(ExpandedArgv *a, const char *text, size_t len, const char *file, unsigned line)
{
        ExpandedWord *v = realloc(a->v, (a->n + 1) * sizeof *v);

        ck_assert_ptr_nonnull(v);
        a->v = v;
        a->v[a->n++] = (ExpandedWord){strndup(text, len), strdup(file), line};
}

static void split_into(ExpandedArgv *a, const char *s, const char *file, unsigned line, const char *envfile)
{
        for (s += strspn(s, " \t"); *s; s += strspn(s, " \t")) {
                size_t n = strcspn(s, " \t");

                if (s[0] == '$' && envfile) {
                        _cleanup_free_ char *name = strndup(s + 1, n - 1), *v = NULL;
                        unsigned vline = 0;

                        v = env_value(envfile, name, &vline);
                        if (v)
                                split_into(a, v, envfile, vline, NULL);
                } else if (!(n == 1 && s[0] == '\\'))
                        push(a, s, n, file, line);
                s += n;
        }
}

static void unit_argv(const char *unit, const char *envfile, ExpandedArgv *a)
{
        _cleanup_free_ char *data = NULL;
        char *l, *next;
        unsigned line = 0;
        bool in = false;

        *a = (ExpandedArgv){};
        ck_assert_int_eq(read_full_file(unit, &data, NULL), 0);
        for (l = data; l; l = next) {
                const char *v;
                bool cont;

                next = strchr(l, '\n');
                if (next)
                        *next++ = 0;
                line++;
                v = in ? l : startswith(l, "ExecStart=");
                if (!v)
                        continue;
                cont = endswith(v, "\\");
                split_into(a, v, unit, line, envfile);
                in = cont;
                if (!cont)
                        break;
        }
        ck_assert_uint_gt(a->n, 0);
}

static void words(ExpandedArgv *a, const char *const *w)
{
        *a = (ExpandedArgv){};
        for (unsigned i = 0; w[i]; i++)
                push(a, w[i], strlen(w[i]), "test.service", i + 1);
}

static void parse_words(const char *const *w, DockerdOptions *o)
{
        ExpandedArgv a;

        words(&a, w);
        ck_assert_int_eq(dockerd_options_parse(&a, o), 0);
        expanded_argv_done(&a);
}

static json_t *json(const char *text)
{
        json_t *j = json_loads(text, 0, NULL);

        ck_assert_ptr_nonnull(j);
        return j;
}

static char *conflicts_of(const DockerdOptions *o, const char *config, char **ret_unknown)
{
        json_t *j = json(config);
        _cleanup_strv_free_ char **c = NULL, **u = NULL;

        ck_assert_int_eq(dockerd_options_conflicts(o, j, &c, &u), 0);
        json_decref(j);
        if (ret_unknown)
                *ret_unknown = strv_join(u, ",");
        return strv_join(c, ",");
}

static void assert_option(
        const DockerdOptions *o, const char *key, const char *value, const char *file, unsigned line)
{
        const DockerdOption *x = dockerd_options_find(o, key);

        ck_assert_msg(x, "no option for %s", key);
        ck_assert_str_eq(x->value, value);
        if (file) {
                ck_assert_str_eq(x->file, file);
                ck_assert_uint_eq(x->line, line);
        }
}

START_TEST(test_centos_dockerd_current)
{
        ExpandedArgv a;
        DockerdOptions o = {};
        DaemonJson d = {};
        _cleanup_free_ char *c = NULL, *u = NULL, *flags = NULL;
        _cleanup_strv_free_ char **keys = NULL;
        bool b = false;
        const char *unit = DIR "centos-virt7-docker-2-1.13.1-2-docker.service";

        unit_argv(unit, SYSCONFIG, &a);
        ck_assert_str_eq(a.v[0].text, "/usr/bin/dockerd-current");
        ck_assert_int_eq(dockerd_options_parse(&a, &o), 0);
        ck_assert_msg(strv_length(o.errors) == 0, "%s", o.errors[0]);
        ck_assert_uint_eq(strv_length(o.args), 0);
        ck_assert_uint_eq(o.n, 10);
        for (size_t i = 0; i < o.n; i++)
                ck_assert_int_eq(strv_extend(&keys, o.v[i].json_key), 0);
        flags = strv_join(keys, ",");
        ck_assert_str_eq(flags, "runtimes,default-runtime,authorization-plugins,containerd,exec-opts,"
                                "userland-proxy-path,init-path,selinux-enabled,log-driver,add-registry");
        assert_option(&o, "runtimes", "oci=/usr/libexec/docker/docker-runc-current", unit, 15);
        assert_option(&o, "default-runtime", "oci", unit, 16);
        assert_option(&o, "containerd", "/run/containerd.sock", unit, 18);
        assert_option(&o, "exec-opts", "native.cgroupdriver=systemd", unit, 19);
        /* From $OPTIONS and $ADD_REGISTRY: the sysconfig file's lines. */
        assert_option(&o, "selinux-enabled", "true", SYSCONFIG, 4);
        assert_option(&o, "log-driver", "journald", SYSCONFIG, 4);
        assert_option(&o, "add-registry", "registry.access.redhat.com", SYSCONFIG, 13);
        ck_assert_ptr_null(dockerd_options_find(&o, "live-restore"));
        ck_assert_ptr_null(dockerd_options_config_file(&o));
        ck_assert_int_eq(dockerd_option_bool(dockerd_options_find(&o, "selinux-enabled"), &b), 0);
        ck_assert(b);

        /* Against the full example daemon.json of the v17.03 docs: every key is known; the
         * options given both ways are listed in pflag's (sorted) order; runtimes is merged. */
        ck_assert_int_eq(daemon_json_load(FIXTURES
                                 "/daemon-json/moby-v17.03.0-ce-docs-dockerd-full-example-linux.json",
                                 &d, NULL),
                0);
        {
                _cleanup_strv_free_ char **cl = NULL, **ul = NULL;

                ck_assert_int_eq(dockerd_options_conflicts(&o, d.root, &cl, &ul), 0);
                c = strv_join(cl, ",");
                u = strv_join(ul, ",");
        }
        ck_assert_str_eq(c,
                "authorization-plugins,default-runtime,exec-opts,init-path,log-driver,selinux-enabled,"
                "userland-proxy-path");
        ck_assert_str_eq(u, "");
        daemon_json_done(&d);
        dockerd_options_done(&o);
        expanded_argv_done(&a);
}
END_TEST

START_TEST(test_upstream_units)
{
        static const struct {
                const char *unit, *hosts;
                unsigned n;
        } units[] = {
                {"moby-v1.5.0-docker.service", "fd://", 1}, /* docker -d -H fd:// */
                {"moby-v1.11.2-docker.service", "fd://", 1}, /* docker daemon -H fd:// */
                {"docker-ce-packaging-18.09-docker.service", "fd://", 2},
                {"moby-master-b985e23-docker.service", "fd://", 2},
        };

        for (size_t i = 0; i < ELEMENTSOF(units); i++) {
                _cleanup_free_ char *path = strdupf("%s%s", DIR, units[i].unit), *c = NULL;
                ExpandedArgv a;
                DockerdOptions o = {};

                unit_argv(path, NULL, &a);
                ck_assert_int_eq(dockerd_options_parse(&a, &o), 0);
                ck_assert_msg(strv_length(o.errors) == 0, "%s: %s", units[i].unit, o.errors[0]);
                ck_assert_uint_eq(o.n, units[i].n);
                assert_option(&o, "hosts", units[i].hosts, path, a.v[0].line);
                /* The classic failure: -H in the unit and "hosts" in daemon.json. */
                c = conflicts_of(
                        &o, "{\"hosts\": [\"unix:///var/run/docker.sock\", \"tcp://0.0.0.0:2376\"]}", NULL);
                ck_assert_str_eq(c, "hosts");
                dockerd_options_done(&o);
                expanded_argv_done(&a);
        }
}
END_TEST

START_TEST(test_live_restore)
{
        DockerdOptions o = {};
        bool b = true;
        _cleanup_free_ char *c = NULL;

        parse_words((const char *const[]){"/usr/bin/dockerd", "--live-restore=false", NULL}, &o);
        ck_assert_int_eq(dockerd_option_bool(dockerd_options_find(&o, "live-restore"), &b), 0);
        ck_assert(!b);
        /* Still a conflict with the file, whatever the value. */
        c = conflicts_of(&o, "{\"live-restore\": true}", NULL);
        ck_assert_str_eq(c, "live-restore");
        dockerd_options_done(&o);

        /* Last one wins. */
        parse_words(
                (const char *const[]){"dockerd", "--live-restore", "-H", "fd://", "--live-restore=0", NULL},
                &o);
        assert_option(&o, "live-restore", "0", "test.service", 5);
        ck_assert_int_eq(dockerd_option_bool(dockerd_options_find(&o, "live-restore"), &b), 0);
        ck_assert(!b);
        dockerd_options_done(&o);

        parse_words((const char *const[]){"dockerd", "--live-restore", NULL}, &o);
        ck_assert_int_eq(dockerd_option_bool(dockerd_options_find(&o, "live-restore"), &b), 0);
        ck_assert(b);
        dockerd_options_done(&o);

        /* A boolean never takes the next word: "false" is an argument and dockerd refuses it. */
        parse_words((const char *const[]){"dockerd", "--live-restore", "false", NULL}, &o);
        ck_assert_int_eq(dockerd_option_bool(dockerd_options_find(&o, "live-restore"), &b), 0);
        ck_assert(b);
        ck_assert_uint_eq(strv_length(o.args), 1);
        ck_assert_str_eq(o.errors[0], "test.service:3: dockerd accepts no arguments: \"false\"");
        dockerd_options_done(&o);

        parse_words((const char *const[]){"dockerd", "--live-restore=yes", NULL}, &o);
        ck_assert_int_eq(dockerd_option_bool(dockerd_options_find(&o, "live-restore"), &b), -EINVAL);
        dockerd_options_done(&o);
}
END_TEST

START_TEST(test_short_flags)
{
        DockerdOptions o = {};
        _cleanup_free_ char *c = NULL, *u = NULL;

        parse_words((const char *const[]){"/usr/bin/dockerd", "-Dldebug", "-g", "/srv/docker", "-s",
                            "overlay2", "-H=unix:///run/a.sock", "-Htcp://127.0.0.1:2375", "-p/run/d.pid",
                            "-G", "wheel", NULL},
                &o);
        ck_assert_uint_eq(strv_length(o.errors), 0);
        assert_option(&o, "debug", "true", "test.service", 2);
        assert_option(&o, "log-level", "debug", NULL, 0);
        assert_option(&o, "graph", "/srv/docker", "test.service", 3);
        assert_option(&o, "storage-driver", "overlay2", "test.service", 5);
        assert_option(&o, "hosts", "tcp://127.0.0.1:2375", "test.service", 8);
        assert_option(&o, "pidfile", "/run/d.pid", NULL, 0);
        assert_option(&o, "group", "wheel", NULL, 0);
        ck_assert_str_eq(o.v[0].name, "debug");
        ck_assert_str_eq(o.v[1].name, "log-level");
        /* Non-named flags conflict by name (or shorthand); "D" is not a key dockerd knows. */
        c = conflicts_of(&o,
                "{\"debug\": true, \"graph\": \"/x\", \"storage-driver\": \"vfs\", \"group\": \"g\"}", &u);
        ck_assert_str_eq(c, "debug,graph,group,storage-driver");
        ck_assert_str_eq(u, "");
        free(c);
        free(u);
        c = conflicts_of(&o, "{\"D\": true}", &u);
        ck_assert_str_eq(u, "D");
        ck_assert_str_eq(c, "D");
        dockerd_options_done(&o);

        /* "-D=false" and a single-dash long name, which pflag reads as shorthands. */
        parse_words((const char *const[]){"dockerd", "-D=false", "-live-restore", NULL}, &o);
        assert_option(&o, "debug", "false", NULL, 0);
        assert_option(&o, "log-level", "ive-restore", NULL, 0);
        ck_assert_ptr_null(dockerd_options_find(&o, "live-restore"));
        dockerd_options_done(&o);
}
END_TEST

START_TEST(test_named_and_flattened)
{
        DockerdOptions o = {};
        _cleanup_free_ char *c = NULL, *u = NULL;

        parse_words((const char *const[]){"dockerd", "--insecure-registry", "r:5000", "--label=a=b", "--dns",
                            "8.8.8.8", "--log-opt", "max-size=10m", "--http-proxy", "http://p:3128",
                            "--add-runtime", "x=/bin/x", "--storage-opt", "dm.basesize=20G",
                            "--registry-mirror=https://m", "--default-ulimit", "nofile=1:2", "--exec-opt",
                            "native.cgroupdriver=systemd", NULL},
                &o);
        ck_assert_uint_eq(strv_length(o.errors), 0);
        c = conflicts_of(&o,
                "{\"insecure-registries\": [], \"labels\": [], \"dns\": [], \"log-opts\": {\"max-file\": "
                "\"3\"},"
                " \"proxies\": {\"http-proxy\": \"http://q\"}, \"runtimes\": {}, \"storage-opts\": [],"
                " \"registry-mirrors\": [], \"default-ulimits\": {}, \"exec-opts\": [],"
                " \"insecure-registry\": [], \"label\": []}",
                &u);
        /* Sorted by flag name; runtimes is merged, not a conflict; "proxies" is flattened. */
        ck_assert_str_eq(c, "default-ulimits,dns,exec-opts,http-proxy,insecure-registries,labels,log-opts,"
                            "registry-mirrors,storage-opts");
        /* Keys spelled like the flag of a named option are known to flags.Lookup() (so not
         * unknown) but never compared (named options are found by their json name): ignored. */
        ck_assert_str_eq(u, "");
        dockerd_options_done(&o);
}
END_TEST

START_TEST(test_unknown_keys)
{
        DockerdOptions o = {};
        _cleanup_free_ char *c = NULL, *u = NULL;

        parse_words((const char *const[]){"dockerd", NULL}, &o);
        c = conflicts_of(&o,
                "{\"live_restore\": true, \"features\": {\"buildkit\": true}, \"builder\": {\"gc\": {}},"
                " \"min-api-version\": \"1.24\", \"tls\": true, \"hosts\": [], \"bogus\": {\"also-bogus\": "
                "1}}",
                &u);
        ck_assert_str_eq(c, "");
        /* Nested objects that are not "flat" are flattened: their keys are checked instead. */
        ck_assert_str_eq(u, "live_restore,also-bogus");
        dockerd_options_done(&o);
}
END_TEST

START_TEST(test_migrated_host_gateway_ip)
{
        DockerdOptions o = {};
        _cleanup_free_ char *c = NULL;

        parse_words((const char *const[]){"dockerd", "--host-gateway-ip=10.0.0.1", NULL}, &o);
        c = conflicts_of(&o, "{\"host-gateway-ip\": \"10.0.0.2\"}", NULL);
        ck_assert_str_eq(c, "host-gateway-ip");
        free(c);
        c = conflicts_of(&o, "{\"host-gateway-ips\": [\"10.0.0.2\"]}", NULL);
        ck_assert_str_eq(c, "host-gateway-ips");
        dockerd_options_done(&o);
}
END_TEST

START_TEST(test_errors)
{
        DockerdOptions o = {};

        parse_words((const char *const[]){"dockerd", "--bogus=1", "-X", "--data-root", NULL}, &o);
        ck_assert_uint_eq(strv_length(o.errors), 3);
        ck_assert_str_eq(o.errors[0], "test.service:2: unknown flag: --bogus");
        ck_assert_str_eq(o.errors[1], "test.service:3: unknown shorthand flag: 'X' in -X");
        ck_assert_str_eq(o.errors[2], "test.service:4: flag needs an argument: --data-root");
        /* Unknown flags are kept but never found by key. */
        ck_assert_ptr_null(dockerd_options_find(&o, "bogus"));
        ck_assert_str_eq(o.v[0].name, "bogus");
        ck_assert_ptr_null(o.v[0].def);
        dockerd_options_done(&o);

        parse_words((const char *const[]){"dockerd", "-H", NULL}, &o);
        ck_assert_str_eq(o.errors[0], "test.service:2: flag needs an argument: 'H' in -H");
        dockerd_options_done(&o);

        /* "--" ends the flags; "-" is an argument; "dockerd daemon" is not a subcommand. */
        parse_words((const char *const[]){"dockerd-current", "daemon", "-", "--", "--debug", NULL}, &o);
        ck_assert_uint_eq(o.n, 0);
        ck_assert_uint_eq(strv_length(o.args), 3);
        ck_assert_uint_eq(strv_length(o.errors), 2);
        dockerd_options_done(&o);

        /* A value flag takes the next word even when it looks like a flag (pflag does). */
        parse_words((const char *const[]){"dockerd", "--data-root", "--debug", NULL}, &o);
        assert_option(&o, "data-root", "--debug", NULL, 0);
        ck_assert_ptr_null(dockerd_options_find(&o, "debug"));
        dockerd_options_done(&o);
}
END_TEST

START_TEST(test_config_file)
{
        DockerdOptions o = {};

        parse_words((const char *const[]){"dockerd", "--config-file", "/a.json", "--config-file=/etc/b.json",
                            NULL},
                &o);
        ck_assert_str_eq(dockerd_options_config_file(&o), "/etc/b.json");
        dockerd_options_done(&o);
        ck_assert_ptr_nonnull(dockerd_flag_lookup("live-restore"));
        ck_assert_ptr_null(dockerd_flag_lookup("live_restore"));
        ck_assert_str_eq(dockerd_flag_lookup_short('H')->name, "host");
        ck_assert_ptr_null(dockerd_flag_lookup_short('d'));
}
END_TEST

/* dockerd 20.10.24's verdict on each daemon.json case (tests/fixtures/daemon-json/SOURCES, where
 * its message is recorded; tests/integration/test-daemon-json.sh asks the real dockerd). */
static const struct {
        const char *file;
        bool accepted;
} verdicts[] = {
        {"amazon-eks-ami-dedf096-docker-daemon.json", true},
        {"bom-empty-object.json", false},
        {"debug-null.json", true},
        {"default-ipc-mode-host.json", false},
        {"default-runtime-declared.json", true},
        {"default-runtime-missing.json", false},
        {"default-shm-size-number.json", false},
        {"default-shm-size-string.json", true},
        {"default-ulimits-string.json", false},
        {"default-ulimits.json", true},
        {"dns-hostname.json", false},
        {"dns-spaces.json", true},
        {"duplicate-key-first-wrong.json", false},
        {"duplicate-keys.json", true},
        {"empty-object.json", true},
        {"empty.json", false},
        {"features-string.json", false},
        {"graph-and-data-root.json", false},
        {"invalid-utf8-string.json", true},
        {"ip-empty.json", true},
        {"ip-invalid.json", false},
        {"labels-without-equals.json", false},
        {"live-restore-number.json", false},
        {"live-restore-string.json", false},
        {"log-level-bogus.json", false},
        {"log-level-upper.json", true},
        {"log-opts-number.json", false},
        {"max-download-attempts-zero.json", false},
        {"moby-v17.03.0-ce-docs-dockerd-full-example-linux.json", false},
        {"mtu-fraction.json", false},
        {"nested-known-key.json", true},
        {"nested-unknown-key.json", false},
        {"registry-mirrors-string.json", false},
        {"runtimes-runc.json", false},
        {"top-level-array.json", false},
        {"top-level-null.json", true},
        {"top-level-number.json", false},
        {"trailing-brace.json", true},
        {"trailing-comma.json", false},
        {"trailing-data.json", true},
        {"trailing-nul.json", true},
        {"two-values.json", true},
        {"unknown-key.json", false},
        {"whitespace-only.json", false},
        {"wrong-case-key.json", false},
};

/* Parse, then dockerd_config_check(): 0 or the error. */
static int judge(const char *path, char **ret_error)
{
        _cleanup_(daemon_json_done) DaemonJson d = {};
        int r = daemon_json_load(path, &d, ret_error);

        return r < 0 ? r : dockerd_config_check(&d, NULL, ret_error);
}

START_TEST(test_config_check_fixtures)
{
        for (size_t i = 0; i < ELEMENTSOF(verdicts); i++) {
                _cleanup_free_ char *path = strdupf("%s/daemon-json/%s", FIXTURES, verdicts[i].file),
                                    *err = NULL;
                int r = judge(path, &err);

                ck_assert_ptr_nonnull(path);
                ck_assert_msg((r == 0) == verdicts[i].accepted, "%s: dockerd %s it, we say %d %s",
                        verdicts[i].file, verdicts[i].accepted ? "accepts" : "refuses", r, strempty(err));
                ck_assert_msg(r == 0 || (r == -EINVAL && err && startswith(err, path)), "%s: %d %s",
                        verdicts[i].file, r, strempty(err));
        }
}
END_TEST

/* Every case file is in the table above (a new case cannot be left unjudged). */
START_TEST(test_config_check_all_fixtures_listed)
{
        struct dirent **l = NULL;
        int n = scandir(FIXTURES "/daemon-json", &l, NULL, alphasort);
        size_t cases = 0;

        ck_assert_int_ge(n, 0);
        for (int j = 0; j < n; j++) {
                bool found = false;

                for (size_t i = 0; i < ELEMENTSOF(verdicts); i++)
                        found = found || streq(verdicts[i].file, l[j]->d_name);
                ck_assert_msg(found || !endswith(l[j]->d_name, ".json"),
                        "%s has no verdict in test-dockerd-options.c", l[j]->d_name);
                cases += found;
                free(l[j]);
        }
        free(l);
        ck_assert_uint_eq(cases, ELEMENTSOF(verdicts));
}
END_TEST

static void check_fails(const char *text, const char *want)
{
        _cleanup_(daemon_json_done) DaemonJson d = {};
        _cleanup_free_ char *err = NULL;

        ck_assert_msg(daemon_json_parse("/etc/docker/daemon.json", text, strlen(text), &d, &err) == 0,
                "%s: %s", text, strempty(err));
        ck_assert_int_eq(dockerd_config_check(&d, NULL, &err), -EINVAL);
        ck_assert_str_eq(err, want);
}

START_TEST(test_config_check_messages)
{
        const char *p = "/etc/docker/daemon.json";
        _cleanup_free_ char *bom = strdupf(
                                    "%s:1:1: a UTF-8 byte order mark starts the file (dockerd before 23.0 "
                                    "refuses it: \"invalid character 'ï' looking for beginning of value\")",
                                    p),
                            *empty = strdupf(
                                    "%s: the file is empty (dockerd before 23.0 refuses it: \"EOF\"; "
                                    "write {} instead)",
                                    p);

        check_fails("\xef\xbb\xbf{}", bom);
        check_fails(" \n", empty);
        check_fails("{\n\"debug\": true,\n\"Debug\": true}",
                "/etc/docker/daemon.json:3: \"Debug\" is not a dockerd option (keys match exactly, case "
                "included)");
        check_fails("{\"x\": {\n\"debug\": true, \"nope\": 1}}",
                "/etc/docker/daemon.json:1: \"nope\" (inside \"x\", which dockerd reads as top-level "
                "options) is "
                "not a dockerd option");
        check_fails("{\n  \"live-restore\": \"true\"\n}",
                "/etc/docker/daemon.json:2: \"live-restore\" must be true or false, not \"true\"");
        check_fails("{\"mtu\": 1e3}",
                "/etc/docker/daemon.json:1: \"mtu\" must be an integer, not a number with a "
                "fraction or exponent");
        check_fails("{\"hosts\": [\"fd://\", 1]}", "/etc/docker/daemon.json:1: \"hosts\" must be an array "
                                                   "of strings, not an array whose item 1 is an "
                                                   "integer");
        check_fails("{\"log-opts\": {\"max-size\": \"10m\", \"max-file\": 3}}",
                "/etc/docker/daemon.json:1: \"log-opts\" must be an object of strings, not an object whose "
                "\"max-file\" is an integer");
        check_fails("{\"features\": {\"buildkit\": \"true\"}}",
                "/etc/docker/daemon.json:1: \"features\" must be an object of true/false values, not an "
                "object "
                "whose \"buildkit\" is a string");
        check_fails("{\"default-ulimits\": {\"nofile\": \"64000:64000\"}}",
                "/etc/docker/daemon.json:1: \"default-ulimits\" must be an object of objects, not an object "
                "whose "
                "\"nofile\" is a string");
        check_fails("{\"default-shm-size\": null}", "/etc/docker/daemon.json:1: \"default-shm-size\" must "
                                                    "be a size string such as \"64M\", not null");
        check_fails("{\"ip\": \"1.2.3\"}",
                "/etc/docker/daemon.json:1: \"ip\" must be an IP address, not \"1.2.3\"");
        check_fails("{\"labels\": [\"a=b\", \"com.docker.x=1\"]}",
                "/etc/docker/daemon.json:1: \"labels\": label com.docker.x=1 is not allowed: the namespace "
                "com.docker.* is reserved");
        /* Go decodes each occurrence of a key: the first one's type counts, at its line. */
        check_fails("{\n\"exec-opts\": \"x\",\n\"exec-opts\": [\"x\"]\n}",
                "/etc/docker/daemon.json:2: \"exec-opts\" must be an array of strings, not \"x\"");
        check_fails("{\"debug\": true,\n  \"live-restore\": 1\n}\n{\"debug\": 1}",
                "/etc/docker/daemon.json:2: \"live-restore\" must be true or false, not an integer");
        check_fails("{\"max-concurrent-uploads\": -1}",
                "/etc/docker/daemon.json:1: \"max-concurrent-uploads\": must not be negative");
        check_fails("{\"default-cgroupns-mode\": \"x\"}",
                "/etc/docker/daemon.json:1: \"default-cgroupns-mode\": 'x' is invalid; use \"host\" or "
                "\"private\"");
}
END_TEST

/* The keys dockerd does not know, by version (dockerd_config_unknown_keys()), joined by ",". */
static char *unknown_for(const char *text, const char *version)
{
        _cleanup_(daemon_json_done) DaemonJson d = {};
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *err = NULL;

        ck_assert_msg(daemon_json_parse("/etc/docker/daemon.json", text, strlen(text), &d, &err) == 0, "%s",
                strempty(err));
        ck_assert_int_eq(dockerd_config_unknown_keys(&d, version, &l), 0);
        return strv_join(l, ",");
}

static void assert_unknown(const char *text, const char *version, const char *want)
{
        _cleanup_free_ char *u = unknown_for(text, version);

        ck_assert_msg(streq(u, want), "%s with dockerd %s: unknown [%s], expected [%s]", text,
                version ? version : "(any)", u, want);
}

/* The public reports behind daemon-json-unknown-key, and keys added or removed across moby's
 * releases (name_versions in dockerd-options.c). */
START_TEST(test_unknown_keys_by_version)
{
        /* florianutz/DockerCE-CIS#2: dockerd 19.03.5 refuses disable-legacy-registry (removed in 19.03);
         * 18.09 still knew it; with the version unknown no key some version knows is reported. */
        assert_unknown("{\"disable-legacy-registry\": true}", "19.03.5", "disable-legacy-registry");
        assert_unknown("{\"disable-legacy-registry\": true}", "18.09.9", "");
        assert_unknown("{\"disable-legacy-registry\": true}", NULL, "");
        /* docker/docs#19398: a typo from the documentation, refused by every version. */
        assert_unknown("{\"containerd-plugin-namespace\": \"x\"}", "25.0.3", "containerd-plugin-namespace");
        assert_unknown("{\"containerd-plugin-namespace\": \"x\"}", NULL, "containerd-plugin-namespace");
        assert_unknown("{\"containerd-plugins-namespace\": \"x\"}", "25.0.3", "");
        /* dyrnq/install-docker#25: firewall-backend on 26.1.4 (added in 29.0). */
        assert_unknown("{\"firewall-backend\": \"iptables\"}", "26.1.4", "firewall-backend");
        assert_unknown("{\"firewall-backend\": \"iptables\"}", "29.0.0", "");
        /* Removed: graph in 23.0, oom-score-adjust in 26.0, api-cors-header in 29.0. */
        assert_unknown("{\"graph\": \"/d\", \"oom-score-adjust\": -500}", "20.10.24+dfsg1", "");
        assert_unknown("{\"graph\": \"/d\", \"oom-score-adjust\": -500}", "23.0.0", "graph");
        assert_unknown(
                "{\"graph\": \"/d\", \"oom-score-adjust\": -500}", "26.1.5", "graph,oom-score-adjust");
        assert_unknown("{\"api-cors-header\": \"*\"}", "28.5.2", "");
        assert_unknown("{\"api-cors-header\": \"*\"}", "29.0.0", "api-cors-header");
        /* Added: 24/25 keys on 20.10 (Debian 12's docker.io), in nested objects too. */
        assert_unknown("{\"log-format\": \"json\", \"default-network-opts\": {}}", "20.10.24+dfsg1",
                "log-format,default-network-opts");
        assert_unknown("{\"log-format\": \"json\", \"default-network-opts\": {}}", "24.0.9", "log-format");
        assert_unknown("{\"log-format\": \"json\", \"default-network-opts\": {}}", "25.0.0", "");
        assert_unknown("{\"x\": {\"validate\": true}}", "20.10.24", "validate");
        assert_unknown("{\"x\": {\"validate\": true}}", "23.0.0", "");
        /* Docker's own package versions and the old release scheme. */
        assert_unknown("{\"data-root\": \"/d\"}", "17.03.2-ce", "data-root");
        assert_unknown("{\"data-root\": \"/d\"}", "17.06.2-ce", "");
        assert_unknown("{\"data-root\": \"/d\", \"debug\": true}", "1.13.1", "data-root");
        /* A flag's name is a key (findConfigurationConflicts() accepts it); json-only keys too. */
        assert_unknown("{\"log-opts\": {}, \"hosts\": [], \"host\": [], \"features\": {}}", "20.10.24", "");
        assert_unknown("{\"features\": {}, \"builder\": {}}", "18.06.3-ce", "features,builder");
}
END_TEST

/* dockerd_config_check() with a version: the unknown key's message says which release changed it. */
START_TEST(test_config_check_by_version)
{
        _cleanup_(daemon_json_done) DaemonJson d = {}, d2 = {};
        _cleanup_free_ char *err = NULL, *err2 = NULL;
        const char *text = "{\n  \"log-level\": \"info\",\n  \"disable-legacy-registry\": true\n}\n",
                   *text2 = "{\"log-format\": \"json\"}";

        ck_assert_int_eq(daemon_json_parse("/etc/docker/daemon.json", text, strlen(text), &d, &err), 0);
        ck_assert_int_eq(dockerd_config_check(&d, "18.09.9", &err), 0);
        ck_assert_int_eq(dockerd_config_check(&d, "19.03.5", &err), -EINVAL);
        ck_assert_str_eq(err,
                "/etc/docker/daemon.json:3: \"disable-legacy-registry\" is not an option of dockerd 19.03.5 "
                "(dockerd 19.03 removed it)");
        ck_assert_int_eq(daemon_json_parse("/etc/docker/daemon.json", text2, strlen(text2), &d2, &err2), 0);
        ck_assert_int_eq(dockerd_config_check(&d2, "20.10.24+dfsg1", &err2), -EINVAL);
        ck_assert_str_eq(err2,
                "/etc/docker/daemon.json:1: \"log-format\" is not an option of dockerd 20.10.24+dfsg1 "
                "(dockerd 25.0 added it)");
}
END_TEST

/* option-set-twice is not about hosts only: every option with a daemon.json name, given both
 * ways, is a conflict (findConfigurationConflicts() step 3), as the public reports show
 * (docker/for-linux#327: insecure-registries; moby#41725: debug). */
START_TEST(test_conflicts_every_kind_of_option)
{
        static const struct {
                const char *flag, *config, *want;
        } cases[] = {
                {"--insecure-registry=192.168.0.2:5000", "{\"insecure-registries\": [\"192.168.0.2:5000\"]}",
                        "insecure-registries"},
                {"-D", "{\"debug\": true}", "debug"},
                {"--log-level=debug", "{\"log-level\": \"info\"}", "log-level"},
                {"--log-opt=max-size=1m", "{\"log-opts\": {\"max-file\": \"2\"}}", "log-opts"},
                {"--log-driver=journald", "{\"log-driver\": \"json-file\"}", "log-driver"},
                {"--exec-opt=native.cgroupdriver=systemd", "{\"exec-opts\": []}", "exec-opts"},
                {"--storage-driver=overlay2", "{\"storage-driver\": \"overlay2\"}", "storage-driver"},
                {"--live-restore", "{\"live-restore\": false}", "live-restore"},
                {"--data-root=/d", "{\"data-root\": \"/d\"}", "data-root"},
                {"--default-ulimit=nofile=1024:2048", "{\"default-ulimits\": {}}", "default-ulimits"},
                {"--label=a=b", "{\"labels\": [\"c=d\"]}", "labels"},
                {"--registry-mirror=https://m", "{\"registry-mirrors\": []}", "registry-mirrors"},
                {"--containerd=/run/c.sock", "{\"containerd\": \"/run/c.sock\"}", "containerd"},
                {"--bip=10.0.0.1/24", "{\"bip\": \"10.0.0.1/24\"}", "bip"},
                {"--mtu=1400", "{\"mtu\": 1400}", "mtu"},
                {"--add-runtime=x=/bin/x", "{\"runtimes\": {\"y\": {\"path\": \"/bin/y\"}}}", ""},
                {"--log-level=debug", "{\"debug\": true}", ""},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                const char *w[] = {"/usr/bin/dockerd", cases[i].flag, NULL};
                _cleanup_(dockerd_options_done) DockerdOptions o = {};
                _cleanup_free_ char *c = NULL;

                parse_words(w, &o);
                c = conflicts_of(&o, cases[i].config, NULL);
                ck_assert_msg(streq(c, cases[i].want), "%s with %s: [%s], expected [%s]", cases[i].flag,
                        cases[i].config, c, cases[i].want);
        }
}
END_TEST

static Suite *suite(void)
{
        Suite *s = suite_create("dockerd_options");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_centos_dockerd_current);
        tcase_add_test(tc, test_upstream_units);
        tcase_add_test(tc, test_live_restore);
        tcase_add_test(tc, test_short_flags);
        tcase_add_test(tc, test_named_and_flattened);
        tcase_add_test(tc, test_unknown_keys);
        tcase_add_test(tc, test_migrated_host_gateway_ip);
        tcase_add_test(tc, test_errors);
        tcase_add_test(tc, test_config_file);
        tcase_add_test(tc, test_config_check_fixtures);
        tcase_add_test(tc, test_config_check_all_fixtures_listed);
        tcase_add_test(tc, test_config_check_messages);
        tcase_add_test(tc, test_unknown_keys_by_version);
        tcase_add_test(tc, test_config_check_by_version);
        tcase_add_test(tc, test_conflicts_every_kind_of_option);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return check_run(suite());
}
