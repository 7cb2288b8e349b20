/* SPDX-License-Identifier: MIT */
/* A library loaded with dlopen() only by the run that needs it (as systemd loads its optional
 * libraries, src/shared/dlfcn-util.h): no DT_NEEDED entry, so no other run pays for loading it
 * and what it pulls in. The caller holds the function pointers, declared from the library's
 * own header so that their types are the prototypes':
 *
 *     struct { void *dl; __typeof__(archive_read_new) *archive_read_new; } a;
 *     const DlopenSymbol syms[] = { DLOPEN_SYMBOL(&a, archive_read_new) };
 *     r = dlopen_symbols("libarchive.so.13", syms, ELEMENTSOF(syms), &a.dl, &error);
 *
 * libc only (dlopen is libc's since glibc 2.34; configure adds -ldl where it is not). */
#pragma once

#include <stddef.h>

typedef struct DlopenSymbol {
        const char *name; /* the symbol, as dlsym() looks it up */
        void **slot; /* where its address goes */
} DlopenSymbol;

/* The entry for the member of *obj named as the symbol it holds. */
#define DLOPEN_SYMBOL(obj, sym)             \
        {                                   \
#sym, (void **) &(obj)->sym \
        }

/* Loads soname (RTLD_NOW: every dependency now, not at a first call) and resolves each of the
 * n symbols into its slot. Returns 0 with *ret_handle for dlclose(); or, with nothing left
 * loaded, no slot pointing into it, and *ret_error set (when not NULL):
 *   -ELIBACC  the library cannot be loaded: "cannot load SONAME: <dlerror()>"
 *   -ELIBBAD  a symbol is missing: "SONAME has no symbol NAME: <dlerror()>"
 *   -ENOMEM */
int dlopen_symbols(
        const char *soname, const DlopenSymbol *syms, size_t n, void **ret_handle, char **ret_error);
