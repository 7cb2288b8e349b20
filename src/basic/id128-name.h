/* SPDX-License-Identifier: MIT */
/* Name-based 128-bit ids, for the journal's MESSAGE_ID=: RFC 9562 UUIDv8 by its SHA-256
 * recipe (appendix B.2): SHA-256 over the namespace's 16 bytes followed by the name, the first
 * 16 bytes kept, version 8, variant 10. The same name gives the same id on every host and in
 * every version, so `journalctl MESSAGE_ID=...` finds a rule's findings anywhere without a
 * table to keep.
 *
 * dockaudit's ids: id128_for_rule(ID) is id128_from_name(DOCKAUDIT_ID128_NAMESPACE, "rule/" ID)
 * (a failing finding of rule ID, printed by `dockaudit rules show ID`); id128_for_event(NAME)
 * the same with "event/" NAME (ID128_EVENT_FIX_APPLIED: a change `fix` made). In Python:
 *   d = bytearray(hashlib.sha256(uuid.UUID(NS).bytes + b"rule/" + ID).digest()[:16])
 *   d[6] = d[6] & 0x0f | 0x80; d[8] = d[8] & 0x3f | 0x80; d.hex() */
#pragma once

#include <stdint.h>

/* 64d32bb3-0448-4fcd-95ae-72b3a20d7992: made once (uuid4) for dockaudit; never change it. */
#define DOCKAUDIT_ID128_NAMESPACE                                                                          \
        ((const uint8_t[16]){0x64, 0xd3, 0x2b, 0xb3, 0x04, 0x48, 0x4f, 0xcd, 0x95, 0xae, 0x72, 0xb3, 0xa2, \
                0x0d, 0x79, 0x92})

#define ID128_EVENT_FIX_APPLIED "fix-applied"

/* 32 lower-case hex digits and NUL: the journal's (and sd_id128_to_string()'s) form. */
#define ID128_STRING_MAX 33

/* 0, or -ENOMEM when the hash could not be computed (basic/sha256.h). */
int id128_from_name(const uint8_t ns[static 16], const char *name, uint8_t ret[static 16]);
/* Formats id into buf and returns buf. */
char *id128_to_string(const uint8_t id[static 16], char buf[static ID128_STRING_MAX]);

/* The MESSAGE_ID of rule_id's failing findings / of an event, as a string in buf; NULL when
 * the hash could not be computed (out of memory). */
char *id128_for_rule(const char *rule_id, char buf[static ID128_STRING_MAX]);
char *id128_for_event(const char *event, char buf[static ID128_STRING_MAX]);
