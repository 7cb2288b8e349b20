/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>

#include "cli/sos-extract.h"

#include "cli/sos-archive.h"

/* A relative name without "." or ".." components (sos archives have none). */
static bool entry_name_ok(const char *name)
{
        const char *p = name;

        if (!name || !*name || name[0] == '/')
                return false;
        while (*p) {
                size_t n = strcspn(p, "/");

                if ((n == 2 && strncmp(p, "..", 2) == 0))
                        return false;
                p += n;
                p += strspn(p, "/");
        }
        return true;
}

/* Regular files, directories and symbolic links; everything else is skipped. */
static bool entry_type_kept(const SosArchive *la, struct archive_entry *e)
{
        mode_t t = la->archive_entry_filetype(e);

        if (la->archive_entry_hardlink(e))
                return false;
        return t == AE_IFREG || t == AE_IFDIR || t == AE_IFLNK;
}

static int copy_data(const SosArchive *la, struct archive *in, struct archive *out, uint64_t *total)
{
        for (;;) {
                const void *buf;
                size_t size;
                la_int64_t off;
                int r = la->archive_read_data_block(in, &buf, &size, &off);

                if (r == ARCHIVE_EOF)
                        return 0;
                if (r < ARCHIVE_WARN)
                        return -EIO;
                *total += size;
                if (*total > SOS_EXTRACT_MAX_BYTES)
                        return -EFBIG;
                if (la->archive_write_data_block(out, buf, size, off) < ARCHIVE_WARN)
                        return -EIO;
        }
}

/* One entry, written under dir. Returns 1 written, 0 skipped, negative errno. */
static int extract_entry(const SosArchive *la, struct archive *in, struct archive *out,
        struct archive_entry *e, const char *dir, uint64_t *total)
{
        const char *name = la->archive_entry_pathname(e);
        _cleanup_free_ char *full = NULL;
        int r;

        if (!entry_name_ok(name))
                return -EPERM;
        if (!entry_type_kept(la, e))
                return 0;
        if (!(full = strdupf("%s/%s", dir, name)))
                return -ENOMEM;
        la->archive_entry_set_pathname(e, full);
        la->archive_entry_set_perm(e, la->archive_entry_filetype(e) == AE_IFDIR ? 0700 : 0600);
        if (la->archive_write_header(out, e) < ARCHIVE_WARN)
                return -EIO;
        if (la->archive_entry_filetype(e) == AE_IFREG && la->archive_entry_size(e) > 0 &&
                (r = copy_data(la, in, out, total)) < 0)
                return r;
        return la->archive_write_finish_entry(out) < ARCHIVE_WARN ? -EIO : 1;
}

/* Every entry of in, written through out under dir. */
static int extract_entries(const SosArchive *la, struct archive *in, struct archive *out, const char *path,
        const char *dir, char **ret_error)
{
        struct archive_entry *e;
        uint64_t total = 0;
        unsigned n = 0;
        int r;

        (void) la->archive_read_support_filter_all(in);
        (void) la->archive_read_support_format_tar(in);
        (void) la->archive_write_disk_set_options(
                out, ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                             ARCHIVE_EXTRACT_NO_OVERWRITE | ARCHIVE_EXTRACT_PERM);
        if (la->archive_read_open_filename(in, path, 64 * 1024) != ARCHIVE_OK)
                return error_setf(ret_error, -EINVAL, "--sos '%s': not an archive: %s", path,
                        strempty(la->archive_error_string(in)));
        while ((r = la->archive_read_next_header(in, &e)) != ARCHIVE_EOF) {
                _cleanup_free_ char *name = NULL;

                if (r < ARCHIVE_WARN)
                        return error_setf(ret_error, -EINVAL, "--sos '%s': %s", path,
                                strempty(la->archive_error_string(in)));
                if (!(name = strdup(strempty(la->archive_entry_pathname(e)))))
                        return -ENOMEM;
                if (++n > SOS_EXTRACT_MAX_ENTRIES)
                        return error_setf(ret_error, -EFBIG, "--sos '%s': more than %u entries", path,
                                SOS_EXTRACT_MAX_ENTRIES);
                r = extract_entry(la, in, out, e, dir, &total);
                if (r == -ENOMEM)
                        return r;
                if (r == -EPERM)
                        return error_setf(ret_error, r, "--sos '%s': entry '%s' leaves the archive's tree",
                                path, name);
                if (r == -EFBIG)
                        return error_setf(ret_error, r,
                                "--sos '%s': more than %llu bytes unpacked (at '%s')", path,
                                (unsigned long long) SOS_EXTRACT_MAX_BYTES, name);
                if (r < 0)
                        return error_setf(ret_error, r, "--sos '%s': entry '%s': %s", path, name,
                                strempty(la->archive_error_string(out) ? la->archive_error_string(out)
                                                                       : la->archive_error_string(in)));
        }
        return 0;
}

static int extract_all(const SosArchive *la, const char *path, const char *dir, char **ret_error)
{
        struct archive *in = la->archive_read_new();
        struct archive *out = la->archive_write_disk_new();
        int r = in && out ? extract_entries(la, in, out, path, dir, ret_error) : -ENOMEM;

        if (in)
                (void) la->archive_read_free(in);
        if (out)
                (void) la->archive_write_free(out);
        return r;
}

/* The one directory at the top of dir. */
static int top_dir(const char *path, const char *dir, char **ret, char **ret_error)
{
        _cleanup_(closedirp) DIR *d = opendir(dir);
        _cleanup_free_ char *top = NULL;
        struct dirent *de;

        if (!d)
                return -errno;
        while ((de = readdir(d))) {
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (top || de->d_type != DT_DIR)
                        return error_setf(ret_error, -EINVAL,
                                "--sos '%s': not an sos report (not one top directory)", path);
                if (!(top = strdupf("%s/%s", dir, de->d_name)))
                        return -ENOMEM;
        }
        if (!top)
                return error_setf(ret_error, -EINVAL, "--sos '%s': an empty archive", path);
        *ret = TAKE_PTR(top);
        return 0;
}

int sos_extract(const char *path, char **ret_tmp, char **ret_top, char **ret_error)
{
        const char *tmpdir = getenv("TMPDIR");
        _cleanup_free_ char *tmpl = strdupf("%s/dockaudit-sos.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
        _cleanup_free_ char *real = NULL, *e = NULL;
        /* libarchive, loaded by this run only (sos-archive.h), before anything is made. */
        _cleanup_(sos_archive_unload) SosArchive la = {};
        int r;

        *ret_tmp = NULL;
        if (!tmpl)
                return -ENOMEM;
        if ((r = sos_archive_load(&la, &e)) < 0)
                return e ? error_setf(ret_error, r, "--sos '%s': unpacking it needs libarchive: %s", path, e)
                         : r;
        if (!mkdtemp(tmpl))
                return error_setf(ret_error, -errno, "--sos '%s': cannot make a directory '%s': %s", path,
                        tmpl, strerror(errno));
        *ret_tmp = TAKE_PTR(tmpl);
        /* ARCHIVE_EXTRACT_SECURE_SYMLINKS refuses a link anywhere in the path: $TMPDIR's too. */
        if (!(real = realpath(*ret_tmp, NULL)))
                return error_setf(ret_error, -errno, "--sos: '%s': %s", *ret_tmp, strerror(errno));
        if ((r = extract_all(&la, path, real, ret_error)) < 0)
                return r;
        return top_dir(path, real, ret_top, ret_error);
}

static int remove_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
        (void) st;
        (void) ftw;
        return flag == FTW_DP ? rmdir(p) : unlink(p);
}

int sos_extract_remove(const char *dir)
{
        /* The directories were extracted 0700: our own, writable, so the walk can empty them. */
        return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 ? -errno : 0;
}
