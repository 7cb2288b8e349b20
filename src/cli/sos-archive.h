/* SPDX-License-Identifier: MIT */
/* libarchive, loaded only when --sos names an archive (basic/dlopen-util.h): every other run
 * is spared loading it and what it pulls in (libxml2, ICU, nettle...). The functions
 * sos-extract.c calls, typed from <archive.h>'s own prototypes, named as in libarchive. */
#pragma once

#include <archive.h>
#include <archive_entry.h>

/* The soname of libarchive 3.x (Debian's libarchive13). */
#define SOS_ARCHIVE_SONAME "libarchive.so.13"

typedef struct SosArchive {
        void *dl;
        __typeof__(archive_read_new) *archive_read_new;
        __typeof__(archive_read_free) *archive_read_free;
        __typeof__(archive_read_support_filter_all) *archive_read_support_filter_all;
        __typeof__(archive_read_support_format_tar) *archive_read_support_format_tar;
        __typeof__(archive_read_open_filename) *archive_read_open_filename;
        __typeof__(archive_read_next_header) *archive_read_next_header;
        __typeof__(archive_read_data_block) *archive_read_data_block;
        __typeof__(archive_write_disk_new) *archive_write_disk_new;
        __typeof__(archive_write_disk_set_options) *archive_write_disk_set_options;
        __typeof__(archive_write_header) *archive_write_header;
        __typeof__(archive_write_data_block) *archive_write_data_block;
        __typeof__(archive_write_finish_entry) *archive_write_finish_entry;
        __typeof__(archive_write_free) *archive_write_free;
        __typeof__(archive_error_string) *archive_error_string;
        __typeof__(archive_entry_pathname) *archive_entry_pathname;
        __typeof__(archive_entry_set_pathname) *archive_entry_set_pathname;
        __typeof__(archive_entry_filetype) *archive_entry_filetype;
        __typeof__(archive_entry_hardlink) *archive_entry_hardlink;
        __typeof__(archive_entry_set_perm) *archive_entry_set_perm;
        __typeof__(archive_entry_size) *archive_entry_size;
} SosArchive;

/* Loads SOS_ARCHIVE_SONAME into *ret. 0, or negative errno with *ret_error saying which
 * library or symbol is missing and that the libarchive13 package provides it (dlopen-util.h:
 * -ELIBACC, -ELIBBAD, -ENOMEM). */
int sos_archive_load(SosArchive *ret, char **ret_error);

/* Unloads (a zeroed SosArchive too). */
void sos_archive_unload(SosArchive *a);
