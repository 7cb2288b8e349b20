/* SPDX-License-Identifier: MIT */
#include "basic/id128-name.h"

#include <string.h>

#include "basic/sha256.h"

/* The id from a hash over the namespace and the name. */
static void id128_finish(Sha256 *s, uint8_t ret[static 16])
{
        uint8_t digest[SHA256_DIGEST_SIZE];

        sha256_finish(s, digest);
        memcpy(ret, digest, 16);
        ret[6] = (ret[6] & 0x0f) | 0x80; /* version 8 */
        ret[8] = (ret[8] & 0x3f) | 0x80; /* variant 10 */
}

void id128_from_name(const uint8_t ns[static 16], const char *name, uint8_t ret[static 16])
{
        Sha256 s;

        sha256_init(&s);
        sha256_update(&s, ns, 16);
        sha256_update(&s, name, strlen(name));
        id128_finish(&s, ret);
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
        uint8_t id[16];
        Sha256 s;

        sha256_init(&s);
        sha256_update(&s, DOCKAUDIT_ID128_NAMESPACE, 16);
        sha256_update(&s, prefix, strlen(prefix));
        sha256_update(&s, "/", 1);
        sha256_update(&s, name, strlen(name));
        id128_finish(&s, id);
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
