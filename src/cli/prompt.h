/* SPDX-License-Identifier: MIT */
/* The questions that fix and leaks --release ask on a terminal: the one place that reads
 * a person's answers.
 *
 * An answer is the whole line, without surrounding blanks, compared case-insensitively with
 * the exact answers a question takes: "yes" answers [y]es, "abort" answers nothing (it is
 * not "a"). Anything else asks again. A line longer than PROMPT_LINE_MAX is read to its end
 * and asked again: nothing of it is left for the next question. */
#pragma once

#include "basic/util.h"

#define PROMPT_LINE_MAX 64

typedef enum Answer {
        ANSWER_YES,
        ANSWER_NO,
        ANSWER_ALL,
        ANSWER_QUIT,
} Answer;

/* Asks "QUESTION [y]es/[n]o/[a]ll/[q]uit/[?] " on out, reads lines from in until one is an
 * answer: y or yes, n or no, a or all, q or quit. "?" prints help, which names what yes and
 * no do here; any other line prints a hint; both ask again. End of input is quit. */
Answer prompt_ask_in(FILE *in, FILE *out, const char *question, const char *yes_means, const char *no_means);

/* prompt_ask_in() on stdin and stdout. */
Answer prompt_ask(const char *question, const char *yes_means, const char *no_means);

/* Asks "QUESTION [y/N] " on out, reads lines from in: true for y or yes; false for n, no or
 * an empty line (the default) and at end of input; anything else asks again. */
bool prompt_yes_no_in(FILE *in, FILE *out, const char *question);

/* prompt_yes_no_in() on stdin and stdout. */
bool prompt_yes_no(const char *question);
