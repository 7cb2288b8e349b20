/* SPDX-License-Identifier: MIT */
#include <strings.h>

#include "cli/prompt.h"

typedef enum LineResult {
        LINE_EOF,
        LINE_OK,
        LINE_TOO_LONG, /* read to its end and dropped */
} LineResult;

static void strip_in_place(char *buf)
{
        char *s = strstrip(buf);
        memmove(buf, s, strlen(s) + 1);
}

/* One line of in into buf (size PROMPT_LINE_MAX), without its newline and surrounding blanks.
 * A longer line is consumed to its newline (or the end of input) so that none of it is read as
 * the next answer. A last line without a newline counts. */
static LineResult read_answer(FILE *in, char *buf)
{
        size_t n;
        int c;

        if (!fgets(buf, PROMPT_LINE_MAX, in))
                return LINE_EOF;
        n = strlen(buf);
        if (n > 0 && buf[n - 1] == '\n') {
                buf[n - 1] = 0;
                strip_in_place(buf);
                return LINE_OK;
        }
        if (feof(in)) {
                strip_in_place(buf);
                return LINE_OK;
        }
        while ((c = fgetc(in)) != EOF && c != '\n')
                ;
        return LINE_TOO_LONG;
}

/* The index in words (NULL-terminated) of the answer, case-insensitive; -1 when none. */
static int answer_index(const char *line, const char *const *words)
{
        for (int i = 0; words[i]; i++)
                if (strcasecmp(line, words[i]) == 0)
                        return i;
        return -1;
}

Answer prompt_ask_in(FILE *in, FILE *out, const char *question, const char *yes_means, const char *no_means)
{
        static const char *const words[] = {"y", "yes", "n", "no", "a", "all", "q", "quit", NULL};
        static const Answer answers[] = {ANSWER_YES, ANSWER_YES, ANSWER_NO, ANSWER_NO, ANSWER_ALL,
                ANSWER_ALL, ANSWER_QUIT, ANSWER_QUIT};
        char line[PROMPT_LINE_MAX];

        for (;;) {
                LineResult lr;
                int i;

                fprintf(out, "%s [y]es/[n]o/[a]ll/[q]uit/[?] ", question);
                fflush(out);
                lr = read_answer(in, line);
                if (lr == LINE_EOF) {
                        fputc('\n', out);
                        return ANSWER_QUIT;
                }
                i = lr == LINE_OK ? answer_index(line, words) : -1;
                if (i >= 0)
                        return answers[i];
                if (lr == LINE_OK && streq(line, "?"))
                        fprintf(out,
                                "y - %s\n"
                                "n - %s\n"
                                "a - yes to this one and all the following ones\n"
                                "q - stop here: only what was already accepted is done\n"
                                "? - this help\n",
                                yes_means, no_means);
                else
                        fprintf(out, "Please answer y, n, a, q (or ? for help).\n");
        }
}

Answer prompt_ask(const char *question, const char *yes_means, const char *no_means)
{
        return prompt_ask_in(stdin, stdout, question, yes_means, no_means);
}

bool prompt_yes_no_in(FILE *in, FILE *out, const char *question)
{
        static const char *const words[] = {"y", "yes", "n", "no", "", NULL};
        char line[PROMPT_LINE_MAX];

        for (;;) {
                LineResult lr;
                int i;

                fprintf(out, "%s [y/N] ", question);
                fflush(out);
                lr = read_answer(in, line);
                if (lr == LINE_EOF) {
                        fputc('\n', out);
                        return false;
                }
                i = lr == LINE_OK ? answer_index(line, words) : -1;
                if (i >= 0)
                        return i < 2;
                fprintf(out, "Please answer y or n (empty: n).\n");
        }
}

bool prompt_yes_no(const char *question)
{
        return prompt_yes_no_in(stdin, stdout, question);
}
