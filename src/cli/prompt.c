/* SPDX-License-Identifier: MIT */
#include "cli/prompt.h"

Answer prompt_ask(const char *question, const char *yes_means, const char *no_means)
{
        char line[64];

        for (;;) {
                printf("%s [y]es/[n]o/[a]ll/[q]uit/[?] ", question);
                fflush(stdout);
                if (!fgets(line, sizeof line, stdin)) {
                        putchar('\n');
                        return ANSWER_QUIT;
                }
                switch (line[0]) {
                case 'y':
                case 'Y':
                        return ANSWER_YES;
                case 'n':
                case 'N':
                        return ANSWER_NO;
                case 'a':
                case 'A':
                        return ANSWER_ALL;
                case 'q':
                case 'Q':
                        return ANSWER_QUIT;
                default:
                        printf("y - %s\n"
                               "n - %s\n"
                               "a - yes to this one and all the following ones\n"
                               "q - stop here: only what was already accepted is done\n"
                               "? - this help\n",
                                yes_means, no_means);
                }
        }
}

bool prompt_yes_no(const char *question)
{
        _cleanup_free_ char *line = NULL;
        size_t size = 0;

        printf("%s [y/N] ", question);
        fflush(stdout);
        /* the whole line is the answer: nothing of it is left for the next question */
        if (getline(&line, &size, stdin) < 0)
                return false;
        return line[0] == 'y' || line[0] == 'Y';
}
