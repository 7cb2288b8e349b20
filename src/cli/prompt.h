/* SPDX-License-Identifier: MIT */
/* The [y]es/[n]o/[a]ll/[q]uit question that fix and leaks --release ask on a terminal. */
#pragma once

#include "basic/util.h"

typedef enum Answer {
        ANSWER_YES,
        ANSWER_NO,
        ANSWER_ALL,
        ANSWER_QUIT,
} Answer;

/* Asks on stdout, reads a line from stdin. "?" (or anything else) prints help, which names
 * what yes and no do here, and asks again; end of input is quit. */
Answer prompt_ask(const char *question, const char *yes_means, const char *no_means);
