/* SPDX-License-Identifier: MIT */
/* Scratch directories for the unit tests: make one, write files and links into it, remove it.
 * Every helper asserts, so a broken fixture fails the test where it is built. */
#pragma once

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "basic/util.h"

/* Makes /tmp/check-NAME-XXXXXX into dir. The template is written afresh each time: with
 * CK_FORK=no one process runs every setup with the same buffer. */
static inline void tmpdir_make(char *dir, size_t size, const char *name)
{
        int n = snprintf(dir, size, "/tmp/check-%s-XXXXXX", name);

        ck_assert(n > 0 && (size_t) n < size);
        ck_assert_ptr_nonnull(mkdtemp(dir));
}

static inline int rm_rf_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
        (void) st, (void) flag, (void) ftw;
        return remove(p);
}

/* rm -rf path, never following symlinks (a test may link out of its dir). 0 when all is gone. */
static inline int rm_rf(const char *path)
{
        return nftw(path, rm_rf_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* root/rel (rel may start with '/'); the caller frees it. */
static inline char *path_in(const char *root, const char *rel)
{
        char *p = strdupf("%s%s%s", root, rel[0] == '/' ? "" : "/", rel);

        ck_assert_ptr_nonnull(p);
        return p;
}

/* mkdir -p of the directory that holds path. */
static inline void mkparents(const char *path)
{
        _cleanup_free_ char *p = strdup(path);

        ck_assert_ptr_nonnull(p);
        for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
                *s = 0;
                (void) mkdir(p, 0755);
                *s = '/';
        }
}

/* Writes text as the whole of path. */
static inline void write_text(const char *path, const char *text)
{
        FILE *f = fopen(path, "we");

        ck_assert_msg(f, "%s: %m", path);
        ck_assert_int_ge(fputs(text, f), 0);
        ck_assert_int_eq(fclose(f), 0);
}

/* Writes text to root/path, creating the directories above it. */
static inline void put(const char *root, const char *path, const char *text)
{
        _cleanup_free_ char *full = path_in(root, path);

        mkparents(full);
        write_text(full, text);
}

/* Copies the file src (a fixture) to root/path. */
static inline void put_file(const char *root, const char *path, const char *src)
{
        _cleanup_free_ char *data = NULL;
        size_t n;

        ck_assert_int_eq(read_full_file(src, &data, &n), 0);
        put(root, path, data);
}

/* Makes root/path a symlink to target, creating the directories above it. */
static inline void put_link(const char *root, const char *target, const char *path)
{
        _cleanup_free_ char *full = path_in(root, path);

        mkparents(full);
        ck_assert_int_eq(symlink(target, full), 0);
}
