/* SPDX-License-Identifier: MIT */
/* Text for XML and HTML (JUnit reports, the fleet summary's JUnit and HTML): control bytes and
 * bytes that are not UTF-8 as \xNN (XML cannot carry them), then the five markup characters
 * as entities (&#39; for the quote, which HTML 4 lacks as &apos;). */
#pragma once

#include <stdio.h>

/* str (NULL: nothing) escaped into out, as element text or an attribute value. 0 or -ENOMEM. */
int xml_escaped(FILE *out, const char *str);
