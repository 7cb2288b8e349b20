/* SPDX-License-Identifier: MIT */
#include "basic/fileio.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "basic/strbuf.h"

int read_full_file(const char *path, char **ret, size_t *ret_size)
{
        _cleanup_close_ int fd = -1;
        _cleanup_sb_ StrBuf b = {};
        char chunk[65536];
        struct stat st;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        for (;;) {
                ssize_t k = read(fd, chunk, sizeof chunk);
                int r;

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (k == 0)
                        break;
                if (b.len + (size_t) k > READ_FULL_MAX)
                        return -EFBIG;
                r = sb_append_len(&b, chunk, (size_t) k);
                if (r < 0)
                        return r;
        }
        if (ret_size)
                *ret_size = b.len;
        *ret = sb_steal(&b);
        return *ret ? 0 : -ENOMEM;
}

int read_one_line_file(const char *path, char **ret)
{
        char *s;
        size_t n;
        int r = read_full_file(path, &s, &n);

        if (r < 0)
                return r;
        s[strcspn(s, "\n")] = 0;
        *ret = s;
        return 0;
}
