/* SPDX-License-Identifier: MIT */
/* The questions that fix and leaks --release ask on a terminal: the one place that reads
 * a person's answers. */
#pragma once

#include "basic/util.h"

typedef enum Answer {
        ANSWER_YES,
        ANSWER_NO,
        ANSWER_ALL,
        ANSWER_QUIT,
} Answer;

/* Asks "QUESTION [y]es/[n]o/[a]ll/[q]uit/[?] " on stdout, reads a line from stdin. "?" (or
 * anything else) prints help, which names what yes and no do here, and asks again; end of
 * input is quit. */
Answer prompt_ask(const char *question, const char *yes_means, const char *no_means);

/* Asks "QUESTION [y/N] " on stdout, reads a whole line from stdin: true when it starts with y
 * or Y; anything else, and end of input, is no. */
bool prompt_yes_no(const char *question);
