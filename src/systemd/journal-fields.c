/* SPDX-License-Identifier: MIT */
#include "systemd/journal-fields.h"

#include <sys/uio.h>
#include <systemd/sd-journal.h>

int journal_field_add(char ***fields, const char *name, const char *value)
{
        _cleanup_free_ char *e = NULL;

        if (!value)
                return 0;
        e = utf8_escape_non_printable(value);
        return e ? strv_consume(fields, strdupf("%s=%s", name, e)) : -ENOMEM;
}

int journal_send_strv(char **fields)
{
        size_t n = strv_length(fields);
        _cleanup_free_ struct iovec *iov = calloc(n ? n : 1, sizeof(struct iovec));

        if (!iov)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                iov[i] = (struct iovec){.iov_base = fields[i], .iov_len = strlen(fields[i])};
        return sd_journal_sendv(iov, (int) n);
}
