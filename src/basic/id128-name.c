/* SPDX-License-Identifier: MIT */
#include "basic/id128-name.h"

#include <assert.h>

#include "basic/sha256.h"
#include "basic/util.h"

/* The id from a hash over the namespace and the pieces of the name. */
static int id128_hash(const uint8_t ns[static 16], const char *const *name, size_t n, uint8_t ret[static 16])
{
        const void *data[4] = {ns};
        size_t size[4] = {16};
        uint8_t digest[SHA256_DIGEST_SIZE];
        int r;

        assert(n < ELEMENTSOF(data));
        for (size_t i = 0; i < n; i++) {
                data[i + 1] = name[i];
                size[i + 1] = strlen(name[i]);
        }
        if ((r = sha256_digestv(data, size, n + 1, digest)) < 0)
                return r;
        memcpy(ret, digest, 16);
        ret[6] = (ret[6] & 0x0f) | 0x80; /* version 8 */
        ret[8] = (ret[8] & 0x3f) | 0x80; /* variant 10 */
        return 0;
}

int id128_from_name(const uint8_t ns[static 16], const char *name, uint8_t ret[static 16])
{
        return id128_hash(ns, &name, 1, ret);
}

char *id128_to_string(const uint8_t id[static 16], char buf[static ID128_STRING_MAX])
{
        static const char hex[] = "0123456789abcdef";

        for (unsigned i = 0; i < 16; i++) {
                buf[2 * i] = hex[id[i] >> 4];
                buf[2 * i + 1] = hex[id[i] & 15];
        }
        buf[32] = '\0';
        return buf;
}

/* "PREFIX/NAME" in the dockaudit namespace. */
static char *id128_dockaudit(const char *prefix, const char *name, char buf[static ID128_STRING_MAX])
{
        const char *pieces[] = {prefix, "/", name};
        uint8_t id[16];

        if (id128_hash(DOCKAUDIT_ID128_NAMESPACE, pieces, ELEMENTSOF(pieces), id) < 0)
                return NULL;
        return id128_to_string(id, buf);
}

char *id128_for_rule(const char *rule_id, char buf[static ID128_STRING_MAX])
{
        return id128_dockaudit("rule", rule_id, buf);
}

char *id128_for_event(const char *event, char buf[static ID128_STRING_MAX])
{
        return id128_dockaudit("event", event, buf);
}
