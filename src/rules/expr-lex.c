/* SPDX-License-Identifier: MIT */
/* The condition language's tokenizer: strings with their escapes, numbers, names and
 * operators, each with its column for error messages. */
#include "rules/expr-internal.h"

int expr_lex_error(ExprParser *p, size_t pos, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0) {
                msg = NULL;
                return -ENOMEM;
        }
        return error_setf(p->error, -EINVAL, "column %zu: %s", pos + 1, msg);
}

static bool is_ident_start(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(char c)
{
        return is_ident_start(c) || (c >= '0' && c <= '9') || c == '.';
}

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

static int lex_string(ExprParser *p, size_t start)
{
        _cleanup_sb_ StrBuf b = {};
        size_t i = start + 1;

        for (;;) {
                char c = p->text[i];

                if (c == '\0')
                        return expr_lex_error(p, start, "unterminated string");
                if (c == '"')
                        break;
                if (c == '\\') {
                        char e = p->text[i + 1];

                        switch (e) {
                        case '"':
                        case '\\':
                                c = e;
                                break;
                        case 'n':
                                c = '\n';
                                break;
                        case 't':
                                c = '\t';
                                break;
                        case '\0':
                                return expr_lex_error(p, start, "unterminated string");
                        default:
                                return expr_lex_error(
                                        p, i, "invalid escape in string (only \\\" \\\\ \\n \\t)");
                        }
                        i++;
                }
                if (sb_putc(&b, c) < 0)
                        return -ENOMEM;
                i++;
        }
        p->tok.str = sb_steal(&b);
        if (!p->tok.str)
                return -ENOMEM;
        p->tok.type = TOK_STRING;
        p->tok.len = i + 1 - start;
        return 0;
}

static int lex_number(ExprParser *p, size_t start)
{
        size_t i = start;
        _cleanup_free_ char *digits = NULL;
        int r;

        if (p->text[i] == '-')
                i++;
        while (is_digit(p->text[i]))
                i++;
        if (is_ident_char(p->text[i])) {
                size_t end = i;

                while (is_ident_char(p->text[end]) || p->text[end] == '-')
                        end++;
                return expr_lex_error(p, start,
                        "'%.*s' is not a number; write versions and other text in quotes",
                        (int) (end - start), p->text + start);
        }
        digits = strndup(p->text + start, i - start);
        if (!digits)
                return -ENOMEM;
        r = safe_atoi64(digits, &p->tok.num);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return expr_lex_error(p, start, "number '%s' out of range", digits);
        p->tok.type = TOK_NUMBER;
        p->tok.len = i - start;
        return 0;
}

/* Punctuation and operators at t[i] into p->tok. Returns 1 when t[i] starts one, 0 when it
 * does not, or a parser error ("=" alone, "&" alone ...). */
static int lex_operator(ExprParser *p, size_t i)
{
        static const struct {
                char c;
                TokenType type;
        } single[] = {
                {'(', TOK_LPAREN},
                {')', TOK_RPAREN},
                {'[', TOK_LBRACKET},
                {']', TOK_RBRACKET},
                {',', TOK_COMMA},
        };
        const char *t = p->text;

        for (size_t k = 0; k < ELEMENTSOF(single); k++)
                if (t[i] == single[k].c) {
                        p->tok.type = single[k].type;
                        return 1;
                }
        switch (t[i]) {
        case '!':
                if (t[i + 1] == '=') {
                        p->tok.type = TOK_NE;
                        p->tok.len = 2;
                } else
                        p->tok.type = TOK_NOT;
                return 1;
        case '<':
        case '>':
                if (t[i + 1] == '=') {
                        p->tok.type = t[i] == '<' ? TOK_LE : TOK_GE;
                        p->tok.len = 2;
                } else
                        p->tok.type = t[i] == '<' ? TOK_LT : TOK_GT;
                return 1;
        case '=':
                if (t[i + 1] == '=')
                        p->tok.type = TOK_EQ;
                else if (t[i + 1] == '~')
                        p->tok.type = TOK_MATCH;
                else
                        return expr_lex_error(p, i, "unexpected '=' (use '==' to compare)");
                p->tok.len = 2;
                return 1;
        case '&':
        case '|':
                if (t[i + 1] != t[i])
                        return expr_lex_error(p, i, "unexpected '%c' (use '%c%c')", t[i], t[i], t[i]);
                p->tok.type = t[i] == '&' ? TOK_AND : TOK_OR;
                p->tok.len = 2;
                return 1;
        default:
                return 0;
        }
}

static int lex_ident(ExprParser *p, size_t i)
{
        size_t end = i;

        while (is_ident_char(p->text[end]))
                end++;
        p->tok.type = TOK_IDENT;
        p->tok.len = end - i;
        p->tok.str = strndup(p->text + i, end - i);
        return p->tok.str ? 0 : -ENOMEM;
}

int expr_lex_next(ExprParser *p)
{
        const char *t = p->text;
        size_t i = p->pos;
        int r;

        free(p->tok.str);
        p->tok = (Token){};

        while (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')
                i++;
        p->tok.pos = i;
        p->tok.len = 1;

        if (t[i] == '\0') {
                p->tok.type = TOK_END;
                p->tok.len = 0;
                r = 0;
        } else if (t[i] == '"')
                r = lex_string(p, i);
        else if (is_digit(t[i]) || (t[i] == '-' && is_digit(t[i + 1])))
                r = lex_number(p, i);
        else if (is_ident_start(t[i]))
                r = lex_ident(p, i);
        else {
                r = lex_operator(p, i);
                if (r == 0 && (unsigned char) t[i] >= 0x20 && (unsigned char) t[i] < 0x7f)
                        return expr_lex_error(p, i, "unexpected '%c'", t[i]);
                if (r == 0)
                        return expr_lex_error(
                                p, i, "unexpected byte 0x%02x", (unsigned) (unsigned char) t[i]);
        }
        if (r < 0)
                return r;
        p->pos = i + p->tok.len;
        return 0;
}
