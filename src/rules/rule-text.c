/* SPDX-License-Identifier: MIT */
/* Values of rule files that go on over continuation lines: the joined text, and for each
 * line's piece where it starts, so an error at an offset of the value can name its line. */
#include "rules/rule-parser.h"

void rule_text_done(RuleText *t)
{
        sb_free(&t->buf);
        free(t->pieces);
        *t = (RuleText){};
}

int rule_text_append(RuleText *t, const char *s, unsigned line)
{
        RuleTextPiece *p;
        int r;

        if (!t->line)
                t->line = line;
        if (!*s && t->buf.len > 0)
                return 0;
        if (t->buf.len > 0) {
                r = sb_putc(&t->buf, ' ');
                if (r < 0)
                        return r;
        }
        p = realloc(t->pieces, (t->n_pieces + 1) * sizeof(RuleTextPiece));
        if (!p)
                return -ENOMEM;
        t->pieces = p;
        t->pieces[t->n_pieces++] = (RuleTextPiece){.off = t->buf.len, .line = line};
        return sb_append(&t->buf, s);
}

const char *rule_text_str(const RuleText *t)
{
        return t->buf.buf ? t->buf.buf : "";
}
void rule_text_locate(const RuleText *t, size_t off, unsigned *ret_line, size_t *ret_col)
{
        size_t i = 0;

        while (i + 1 < t->n_pieces && t->pieces[i + 1].off <= off)
                i++;
        if (t->n_pieces == 0) {
                *ret_line = t->line;
                *ret_col = off + 1;
                return;
        }
        *ret_line = t->pieces[i].line;
        *ret_col = off >= t->pieces[i].off ? off - t->pieces[i].off + 1 : 1;
}

char *rule_text_steal(RuleText *t)
{
        return t->line ? sb_steal(&t->buf) : NULL;
}
