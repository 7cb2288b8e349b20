/* SPDX-License-Identifier: MIT */
#include "cli/sos-archive.h"

#include <dlfcn.h>

#include "basic/dlopen-util.h"
#include "basic/util.h"

/* The dependency DT_NEEDED no longer shows, as an ELF note for packaging tools (the ELF dlopen
 * metadata of https://systemd.io/ELF_DLOPEN_METADATA/: note type 0x407c0c0a of "FDO" in a
 * .note.dlopen section, a JSON array; `readelf -n dockaudit` prints it). "required": the
 * Debian package Depends on libarchive13. */
#define SOS_ARCHIVE_NOTE_JSON                                                                         \
        "[{\"feature\":\"sos\",\"description\":\"unpacks --sos archives\",\"priority\":\"required\"," \
        "\"soname\":[\"" SOS_ARCHIVE_SONAME "\"]}]"
__attribute__((used, section(".note.dlopen"))) _Alignas(4) static const struct {
        uint32_t n_namesz, n_descsz, n_type;
        char name[4];
        _Alignas(4) char desc[sizeof(SOS_ARCHIVE_NOTE_JSON)];
} sos_archive_note = {
        .n_namesz = 4,
        .n_descsz = sizeof(SOS_ARCHIVE_NOTE_JSON),
        .n_type = 0x407c0c0a,
        .name = "FDO",
        .desc = SOS_ARCHIVE_NOTE_JSON,
};

int sos_archive_load(SosArchive *ret, char **ret_error)
{
        SosArchive a = {};
        const DlopenSymbol syms[] = {
                DLOPEN_SYMBOL(&a, archive_read_new),
                DLOPEN_SYMBOL(&a, archive_read_free),
                DLOPEN_SYMBOL(&a, archive_read_support_filter_all),
                DLOPEN_SYMBOL(&a, archive_read_support_format_tar),
                DLOPEN_SYMBOL(&a, archive_read_open_filename),
                DLOPEN_SYMBOL(&a, archive_read_next_header),
                DLOPEN_SYMBOL(&a, archive_read_data_block),
                DLOPEN_SYMBOL(&a, archive_write_disk_new),
                DLOPEN_SYMBOL(&a, archive_write_disk_set_options),
                DLOPEN_SYMBOL(&a, archive_write_header),
                DLOPEN_SYMBOL(&a, archive_write_data_block),
                DLOPEN_SYMBOL(&a, archive_write_finish_entry),
                DLOPEN_SYMBOL(&a, archive_write_free),
                DLOPEN_SYMBOL(&a, archive_error_string),
                DLOPEN_SYMBOL(&a, archive_entry_pathname),
                DLOPEN_SYMBOL(&a, archive_entry_set_pathname),
                DLOPEN_SYMBOL(&a, archive_entry_filetype),
                DLOPEN_SYMBOL(&a, archive_entry_hardlink),
                DLOPEN_SYMBOL(&a, archive_entry_set_perm),
                DLOPEN_SYMBOL(&a, archive_entry_size),
        };
        _cleanup_free_ char *e = NULL;
        int r;

        /* One entry per member but dl: a member added without its entry fails here. */
        _Static_assert(sizeof(SosArchive) == sizeof(void *) * (1 + ELEMENTSOF(syms)),
                "every SosArchive member has its symbol");
        r = dlopen_symbols(SOS_ARCHIVE_SONAME, syms, ELEMENTSOF(syms), &a.dl, &e);
        if (r < 0 && !e)
                return r; /* out of memory for the message */
        if (r < 0)
                return error_setf(ret_error, r, "%s (Debian: install libarchive13)", e);
        *ret = a;
        return 0;
}

void sos_archive_unload(SosArchive *a)
{
        if (a->dl)
                (void) dlclose(a->dl);
        *a = (SosArchive){};
}
