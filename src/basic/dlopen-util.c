/* SPDX-License-Identifier: MIT */
#include "basic/dlopen-util.h"

#include <dlfcn.h>

#include "basic/error-util.h"
#include "basic/util.h"

static void dlclosep(void **dl)
{
        if (*dl)
                (void) dlclose(*dl);
}

int dlopen_symbols(
        const char *soname, const DlopenSymbol *syms, size_t n, void **ret_handle, char **ret_error)
{
        _cleanup_(dlclosep) void *dl = NULL;
        const char *e;

        (void) dlerror(); /* a stale message of an earlier call */
        if (!(dl = dlopen(soname, RTLD_NOW | RTLD_LOCAL))) {
                e = dlerror();
                return error_setf(
                        ret_error, -ELIBACC, "cannot load %s: %s", soname, e ? e : "unknown error");
        }
        for (size_t i = 0; i < n; i++) {
                /* NULL is an error here: none of the symbols asked for is a NULL object. */
                if (!(*syms[i].slot = dlsym(dl, syms[i].name))) {
                        e = dlerror();
                        for (size_t j = 0; j < i; j++)
                                *syms[j].slot = NULL; /* nothing points into what is unloaded */
                        return error_setf(ret_error, -ELIBBAD, "%s has no symbol %s: %s", soname,
                                syms[i].name, e ? e : "unknown error");
                }
        }
        *ret_handle = TAKE_PTR(dl);
        return 0;
}
