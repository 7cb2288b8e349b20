/* SPDX-License-Identifier: MIT */
/* The rule condition language: a recursive-descent parser that validates against the
 * fact catalog, and a three-valued (Kleene) evaluator. See expr.h for the grammar. */
#include "rules/expr.h"

#include <fnmatch.h>

#include "basic/vercmp.h"
#include "rules/fact-catalog.h"

/* Bounds the parser's (and so the evaluator's) recursion on hostile input. */
#define EXPR_DEPTH_MAX 64

typedef enum ExprKind {
        EXPR_OR,
        EXPR_AND,
        EXPR_NOT,
        EXPR_CMP,
        EXPR_IN,
        EXPR_STRING,
        EXPR_NUMBER,
        EXPR_BOOL,
        EXPR_FACT,
        EXPR_DEFINED,
        EXPR_EMPTY,
        EXPR_LIST,
} ExprKind;

typedef enum CmpOp {
        CMP_EQ,
        CMP_NE,
        CMP_LT,
        CMP_LE,
        CMP_GT,
        CMP_GE,
        CMP_MATCH,
} CmpOp;

/* How two values are compared, fixed by their static types. */
typedef enum CmpMode {
        MODE_STRING,
        MODE_NUMBER,
        MODE_VERSION,
        MODE_BOOL,
        MODE_GLOB,
} CmpMode;

struct Expr {
        ExprKind kind;
        FactType type; /* static type of the value: FACT_BOOL for conditions */
        CmpOp op;
        CmpMode mode;
        char *str; /* string literal, or fact name */
        long long num;
        bool b;
        Expr **children; /* and/or operands, list items; cmp/in: left, right; not: operand */
        size_t n_children, n_allocated;
};

Expr *expr_free(Expr *e)
{
        if (!e)
                return NULL;
        for (size_t i = 0; i < e->n_children; i++)
                expr_free(e->children[i]);
        free(e->children);
        free(e->str);
        free(e);
        return NULL;
}

static Expr *expr_new(ExprKind kind, FactType type)
{
        Expr *e = calloc(1, sizeof(Expr));

        if (!e)
                return NULL;
        e->kind = kind;
        e->type = type;
        return e;
}

/* Takes ownership of child, also on failure. */
static int expr_add_child(Expr *e, Expr *child)
{
        /* Grow geometrically: long && / || chains are flat lists of children. */
        if (e->n_children == e->n_allocated) {
                size_t n = e->n_allocated ? e->n_allocated * 2 : 2;
                Expr **t = realloc(e->children, n * sizeof(Expr *));

                if (!t) {
                        expr_free(child);
                        return -ENOMEM;
                }
                e->children = t;
                e->n_allocated = n;
        }
        e->children[e->n_children++] = child;
        return 0;
}

/* ------------------------------------------------------------------ lexer */

typedef enum TokenType {
        TOK_END,
        TOK_LPAREN,
        TOK_RPAREN,
        TOK_LBRACKET,
        TOK_RBRACKET,
        TOK_COMMA,
        TOK_NOT,
        TOK_AND,
        TOK_OR,
        TOK_EQ,
        TOK_NE,
        TOK_LT,
        TOK_LE,
        TOK_GT,
        TOK_GE,
        TOK_MATCH,
        TOK_STRING,
        TOK_NUMBER,
        TOK_IDENT,
} TokenType;

typedef struct Token {
        TokenType type;
        size_t pos, len; /* in the text */
        char *str; /* TOK_STRING (unescaped), TOK_IDENT */
        long long num;
} Token;

typedef struct Parser {
        const char *text;
        size_t pos; /* start of the next token */
        Token tok; /* current token */
        unsigned depth;
        char **error;
} Parser;

static int parser_error(Parser *p, size_t pos, const char *fmt, ...) _printf_(3, 4);
static int parser_error(Parser *p, size_t pos, const char *fmt, ...)
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

static int lex_string(Parser *p, size_t start)
{
        _cleanup_sb_ StrBuf b = {};
        size_t i = start + 1;

        for (;;) {
                char c = p->text[i];

                if (c == '\0')
                        return parser_error(p, start, "unterminated string");
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
                                return parser_error(p, start, "unterminated string");
                        default:
                                return parser_error(
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

static int lex_number(Parser *p, size_t start)
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
                return parser_error(p, start,
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
                return parser_error(p, start, "number '%s' out of range", digits);
        p->tok.type = TOK_NUMBER;
        p->tok.len = i - start;
        return 0;
}

/* Punctuation and operators at t[i] into p->tok. Returns 1 when t[i] starts one, 0 when it
 * does not, or a parser error ("=" alone, "&" alone ...). */
static int lex_operator(Parser *p, size_t i)
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
                        return parser_error(p, i, "unexpected '=' (use '==' to compare)");
                p->tok.len = 2;
                return 1;
        case '&':
        case '|':
                if (t[i + 1] != t[i])
                        return parser_error(p, i, "unexpected '%c' (use '%c%c')", t[i], t[i], t[i]);
                p->tok.type = t[i] == '&' ? TOK_AND : TOK_OR;
                p->tok.len = 2;
                return 1;
        default:
                return 0;
        }
}

static int lex_ident(Parser *p, size_t i)
{
        size_t end = i;

        while (is_ident_char(p->text[end]))
                end++;
        p->tok.type = TOK_IDENT;
        p->tok.len = end - i;
        p->tok.str = strndup(p->text + i, end - i);
        return p->tok.str ? 0 : -ENOMEM;
}

/* Reads the token at p->pos into p->tok and moves p->pos past it. */
static int next_token(Parser *p)
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
                        return parser_error(p, i, "unexpected '%c'", t[i]);
                if (r == 0)
                        return parser_error(p, i, "unexpected byte 0x%02x", (unsigned) (unsigned char) t[i]);
        }
        if (r < 0)
                return r;
        p->pos = i + p->tok.len;
        return 0;
}

static bool tok_is_keyword(const Token *tok, const char *kw)
{
        return tok->type == TOK_IDENT && streq(tok->str, kw);
}

static int unexpected(Parser *p, const char *expected)
{
        if (p->tok.type == TOK_END)
                return parser_error(p, p->tok.pos, "unexpected end of expression, expected %s", expected);
        return parser_error(p, p->tok.pos, "unexpected '%.*s', expected %s",
                (int) (p->tok.len > 32 ? 32 : p->tok.len), p->text + p->tok.pos, expected);
}

static int enter(Parser *p)
{
        if (++p->depth > EXPR_DEPTH_MAX)
                return parser_error(
                        p, p->tok.pos, "expression nested too deeply (more than %d levels)", EXPR_DEPTH_MAX);
        return 0;
}

/* ---------------------------------------------------------------- parser */

static int parse_or(Parser *p, Expr **ret);

static int parse_fact_name(Parser *p, Expr **ret)
{
        const FactDef *def;
        Expr *e;
        int r;

        if (p->tok.type != TOK_IDENT)
                return unexpected(p, "a fact name");
        def = fact_catalog_lookup(p->tok.str);
        if (!def)
                return parser_error(p, p->tok.pos, "unknown fact '%s'", p->tok.str);
        e = expr_new(EXPR_FACT, def->type);
        if (!e)
                return -ENOMEM;
        e->str = TAKE_PTR(p->tok.str);
        r = next_token(p);
        if (r < 0) {
                expr_free(e);
                return r;
        }
        *ret = e;
        return 0;
}

/* defined(FACT) and empty(FACT). */
static int parse_fact_function(Parser *p, ExprKind kind, Expr **ret)
{
        _cleanup_expr_ Expr *e = NULL, *fact = NULL;
        const char *fname = kind == EXPR_DEFINED ? "defined" : "empty";
        int r;

        r = next_token(p);
        if (r < 0)
                return r;
        if (p->tok.type != TOK_LPAREN)
                return unexpected(p, "'(' after the function name");
        r = next_token(p);
        if (r < 0)
                return r;
        size_t fact_pos = p->tok.pos;
        r = parse_fact_name(p, &fact);
        if (r < 0)
                return r;
        if (kind == EXPR_EMPTY && (fact->type == FACT_BOOL || fact->type == FACT_NUMBER))
                return parser_error(p, fact_pos, "%s() needs a string, version or list fact; '%s' is a %s",
                        fname, fact->str, fact_type_to_string(fact->type));
        if (p->tok.type != TOK_RPAREN)
                return unexpected(p, "')'");
        e = expr_new(kind, FACT_BOOL);
        if (!e)
                return -ENOMEM;
        r = expr_add_child(e, TAKE_PTR(fact));
        if (r < 0)
                return r;
        /* Only hand out the node on success: callers do not free *ret on failure. */
        r = next_token(p);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(e);
        return 0;
}

static int parse_term(Parser *p, Expr **ret)
{
        _cleanup_expr_ Expr *e = NULL;
        int r;

        switch (p->tok.type) {
        case TOK_LPAREN:
                r = enter(p);
                if (r < 0)
                        return r;
                r = next_token(p);
                if (r < 0)
                        return r;
                r = parse_or(p, &e);
                if (r < 0)
                        return r;
                if (p->tok.type != TOK_RPAREN)
                        return unexpected(p, "')'");
                p->depth--;
                break;
        case TOK_STRING:
                e = expr_new(EXPR_STRING, FACT_STRING);
                if (!e)
                        return -ENOMEM;
                e->str = TAKE_PTR(p->tok.str);
                break;
        case TOK_NUMBER:
                e = expr_new(EXPR_NUMBER, FACT_NUMBER);
                if (!e)
                        return -ENOMEM;
                e->num = p->tok.num;
                break;
        case TOK_IDENT:
                if (tok_is_keyword(&p->tok, "true") || tok_is_keyword(&p->tok, "false")) {
                        e = expr_new(EXPR_BOOL, FACT_BOOL);
                        if (!e)
                                return -ENOMEM;
                        e->b = tok_is_keyword(&p->tok, "true");
                        break;
                }
                if (tok_is_keyword(&p->tok, "defined"))
                        return parse_fact_function(p, EXPR_DEFINED, ret);
                if (tok_is_keyword(&p->tok, "empty"))
                        return parse_fact_function(p, EXPR_EMPTY, ret);
                if (tok_is_keyword(&p->tok, "in"))
                        return unexpected(p, "a value before 'in'");
                return parse_fact_name(p, ret);
        default:
                return unexpected(p, "a value");
        }
        r = next_token(p);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(e);
        return 0;
}

/* Decides how values of static types a and b compare with op, or explains why they cannot. */
static CmpMode cmp_mode(FactType a, FactType b, CmpOp op, const char **ret_why)
{
        *ret_why = NULL;
        if (a == FACT_LIST || b == FACT_LIST) {
                *ret_why = "a list cannot be compared; use 'in' or empty()";
                return MODE_STRING;
        }
        if (op == CMP_MATCH) {
                if (a == FACT_BOOL || b == FACT_BOOL)
                        *ret_why = "'=~' needs text on both sides, not a bool";
                return MODE_GLOB;
        }
        if (a == FACT_BOOL || b == FACT_BOOL) {
                if (a != b)
                        *ret_why = "a bool can only be compared with a bool";
                else if (op != CMP_EQ && op != CMP_NE)
                        *ret_why = "a bool has no order; use '==' or '!='";
                return MODE_BOOL;
        }
        if (a == FACT_VERSION || b == FACT_VERSION)
                return MODE_VERSION;
        if (a == FACT_NUMBER && b == FACT_NUMBER)
                return MODE_NUMBER;
        return MODE_STRING;
}

static int parse_list(Parser *p, Expr *left, Expr **ret)
{
        _cleanup_expr_ Expr *list = NULL;
        int r;

        r = enter(p);
        if (r < 0)
                return r;
        list = expr_new(EXPR_LIST, FACT_LIST);
        if (!list)
                return -ENOMEM;
        r = next_token(p);
        if (r < 0)
                return r;
        if (p->tok.type != TOK_RBRACKET)
                for (;;) {
                        Expr *item = NULL;
                        size_t pos = p->tok.pos;
                        const char *why;

                        r = parse_term(p, &item);
                        if (r < 0)
                                return r;
                        r = expr_add_child(list, item);
                        if (r < 0)
                                return r;
                        (void) cmp_mode(left->type, item->type, CMP_EQ, &why);
                        if (why)
                                return parser_error(p, pos, "%s", why);
                        if (p->tok.type == TOK_RBRACKET)
                                break;
                        if (p->tok.type != TOK_COMMA)
                                return unexpected(p, "',' or ']'");
                        r = next_token(p);
                        if (r < 0)
                                return r;
                }
        p->depth--;
        r = next_token(p);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(list);
        return 0;
}

/* e with the two operands as its children, taken from *left and *right. */
static int expr_add_pair(Expr *e, Expr **left, Expr **right)
{
        int r = expr_add_child(e, TAKE_PTR(*left));

        return r < 0 ? r : expr_add_child(e, TAKE_PTR(*right));
}

/* The right side of "LEFT in" (p->tok is "in"): a [ ... ] list or a list fact. */
static int parse_in(Parser *p, Expr **left, size_t left_pos, Expr **ret)
{
        _cleanup_expr_ Expr *right = NULL, *e = NULL;
        size_t right_pos;
        const char *why;
        int r;

        if ((*left)->type == FACT_LIST)
                return parser_error(p, left_pos, "the left side of 'in' cannot be a list");
        r = next_token(p);
        if (r < 0)
                return r;
        right_pos = p->tok.pos;
        if (p->tok.type == TOK_LBRACKET)
                r = parse_list(p, *left, &right);
        else {
                r = parse_term(p, &right);
                if (r >= 0 && (right->kind != EXPR_FACT || right->type != FACT_LIST)) {
                        if (right->kind == EXPR_FACT)
                                return parser_error(p, right_pos,
                                        "the right side of 'in' must be a list; '%s' is a %s", right->str,
                                        fact_type_to_string(right->type));
                        return parser_error(
                                p, right_pos, "the right side of 'in' must be a list fact or [ ... ]");
                }
                if (r >= 0)
                        (void) cmp_mode((*left)->type, FACT_STRING, CMP_EQ, &why);
                if (r >= 0 && why)
                        return parser_error(p, left_pos, "%s", why);
        }
        if (r < 0)
                return r;
        e = expr_new(EXPR_IN, FACT_BOOL);
        if (!e)
                return -ENOMEM;
        r = expr_add_pair(e, left, &right);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(e);
        return 0;
}

/* The right side of "LEFT OP" (p->tok is the operator), checked against the left one. */
static int parse_comparison(Parser *p, Expr **left, CmpOp op, Expr **ret)
{
        _cleanup_expr_ Expr *right = NULL, *e = NULL;
        size_t op_pos = p->tok.pos;
        const char *why;
        int r;

        r = next_token(p);
        if (r < 0)
                return r;
        r = parse_term(p, &right);
        if (r < 0)
                return r;
        e = expr_new(EXPR_CMP, FACT_BOOL);
        if (!e)
                return -ENOMEM;
        e->op = op;
        e->mode = cmp_mode((*left)->type, right->type, e->op, &why);
        if (why)
                return parser_error(p, op_pos, "%s", why);
        r = expr_add_pair(e, left, &right);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(e);
        return 0;
}

static int parse_cmp(Parser *p, Expr **ret)
{
        static const struct {
                TokenType tok;
                CmpOp op;
        } ops[] = {
                {TOK_EQ, CMP_EQ},
                {TOK_NE, CMP_NE},
                {TOK_LT, CMP_LT},
                {TOK_LE, CMP_LE},
                {TOK_GT, CMP_GT},
                {TOK_GE, CMP_GE},
                {TOK_MATCH, CMP_MATCH},
        };
        _cleanup_expr_ Expr *left = NULL;
        size_t left_pos = p->tok.pos;
        int r;

        r = parse_term(p, &left);
        if (r < 0)
                return r;
        if (tok_is_keyword(&p->tok, "in"))
                return parse_in(p, &left, left_pos, ret);
        for (size_t i = 0; i < ELEMENTSOF(ops); i++)
                if (p->tok.type == ops[i].tok)
                        return parse_comparison(p, &left, ops[i].op, ret);
        *ret = TAKE_PTR(left);
        return 0;
}

static int parse_unary(Parser *p, Expr **ret)
{
        _cleanup_expr_ Expr *e = NULL, *operand = NULL;
        int r;

        if (p->tok.type != TOK_NOT)
                return parse_cmp(p, ret);

        r = enter(p);
        if (r < 0)
                return r;
        r = next_token(p);
        if (r < 0)
                return r;
        r = parse_unary(p, &operand);
        if (r < 0)
                return r;
        p->depth--;
        e = expr_new(EXPR_NOT, FACT_BOOL);
        if (!e)
                return -ENOMEM;
        r = expr_add_child(e, TAKE_PTR(operand));
        if (r < 0)
                return r;
        *ret = TAKE_PTR(e);
        return 0;
}

/* and := unary ( "&&" unary )*, or := and ( "||" and )*: one n-ary node, so that long
 * chains do not make deep trees. */
static int parse_chain(Parser *p, TokenType sep, ExprKind kind, Expr **ret)
{
        _cleanup_expr_ Expr *first = NULL, *e = NULL;
        int r;

        r = sep == TOK_OR ? parse_chain(p, TOK_AND, EXPR_AND, &first) : parse_unary(p, &first);
        if (r < 0)
                return r;
        if (p->tok.type != sep) {
                *ret = TAKE_PTR(first);
                return 0;
        }
        e = expr_new(kind, FACT_BOOL);
        if (!e)
                return -ENOMEM;
        r = expr_add_child(e, TAKE_PTR(first));
        if (r < 0)
                return r;
        while (p->tok.type == sep) {
                Expr *next = NULL;

                r = next_token(p);
                if (r < 0)
                        return r;
                r = sep == TOK_OR ? parse_chain(p, TOK_AND, EXPR_AND, &next) : parse_unary(p, &next);
                if (r < 0)
                        return r;
                r = expr_add_child(e, next);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(e);
        return 0;
}

static int parse_or(Parser *p, Expr **ret)
{
        return parse_chain(p, TOK_OR, EXPR_OR, ret);
}

int expr_parse(const char *text, Expr **ret, char **ret_error)
{
        _cleanup_expr_ Expr *e = NULL;
        Parser p = {.text = text, .error = ret_error};
        int r;

        r = next_token(&p);
        if (r >= 0)
                r = parse_or(&p, &e);
        if (r >= 0 && p.tok.type != TOK_END)
                r = unexpected(&p, "'&&', '||' or the end");
        free(p.tok.str);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(e);
        return 0;
}

/* ------------------------------------------------------------- evaluation */

typedef struct EvalContext {
        const Facts *facts;
        char **reasons; /* "NAME unknown: REASON" for the unknowns the result depends on */
        size_t n_reasons;
} EvalContext;

/* A term's value. Strings point into the expression or the facts, never owned. */
typedef struct Value {
        FactType type;
        bool unknown;
        const char *str;
        long long num;
        bool b;
        char *const *list;
} Value;

static int add_reason(EvalContext *c, const char *name, const char *reason)
{
        _cleanup_free_ char *s = strdupf("%s unknown: %s", name, reason);

        if (!s)
                return -ENOMEM;
        for (size_t i = 0; i < c->n_reasons; i++)
                if (streq(c->reasons[i], s))
                        return 0;
        if (strv_consume(&c->reasons, TAKE_PTR(s)) < 0)
                return -ENOMEM;
        c->n_reasons++;
        return 0;
}

/* Drops reasons collected since n: a known result does not depend on them. */
static void truncate_reasons(EvalContext *c, size_t n)
{
        while (c->n_reasons > n) {
                c->n_reasons--;
                free(c->reasons[c->n_reasons]);
                c->reasons[c->n_reasons] = NULL;
        }
}

/* The fact called name; NULL (with the reason recorded) when unknown or not collected. */
static int lookup_fact(EvalContext *c, const char *name, FactType type, const Fact **ret)
{
        const Fact *f = facts_get(c->facts, name);

        *ret = NULL;
        if (!f)
                return add_reason(c, name, "not collected");
        if (!f->known)
                return add_reason(c, name, f->reason ? f->reason : "no reason given");
        if (f->type != type) {
                _cleanup_free_ char *why = strdupf("collected as a %s, expected a %s",
                        fact_type_to_string(f->type), fact_type_to_string(type));
                if (!why)
                        return -ENOMEM;
                return add_reason(c, name, why);
        }
        *ret = f;
        return 0;
}

static int eval_tri(EvalContext *c, const Expr *e, Tri *ret);

static int eval_value(EvalContext *c, const Expr *e, Value *ret)
{
        const Fact *f;
        Tri t;
        int r;

        *ret = (Value){.type = e->type};
        switch (e->kind) {
        case EXPR_STRING:
                ret->str = e->str;
                return 0;
        case EXPR_NUMBER:
                ret->num = e->num;
                return 0;
        case EXPR_BOOL:
                ret->b = e->b;
                return 0;
        case EXPR_FACT:
                r = lookup_fact(c, e->str, e->type, &f);
                if (r < 0)
                        return r;
                if (!f) {
                        ret->unknown = true;
                        return 0;
                }
                ret->str = f->str ? f->str : "";
                ret->num = f->num;
                ret->b = f->b;
                ret->list = f->list;
                return 0;
        default:
                r = eval_tri(c, e, &t);
                if (r < 0)
                        return r;
                ret->unknown = t == TRI_UNKNOWN;
                ret->b = t == TRI_TRUE;
                return 0;
        }
}

/* Text form of a string, version or number value; buf holds the digits of a number. */
static const char *value_text(const Value *v, char buf[static 24])
{
        if (v->type == FACT_NUMBER) {
                snprintf(buf, 24, "%lld", v->num);
                return buf;
        }
        return v->str ? v->str : "";
}

static int cmp_ll(long long a, long long b)
{
        return a < b ? -1 : a > b ? 1 : 0;
}

/* Compares two known values; for MODE_GLOB true/false in the sign (0 is a match). */
static int compare_values(const Value *a, const Value *b, CmpMode mode)
{
        char abuf[24], bbuf[24];
        int r;

        switch (mode) {
        case MODE_NUMBER:
                return cmp_ll(a->num, b->num);
        case MODE_BOOL:
                return a->b == b->b ? 0 : 1;
        case MODE_VERSION:
                return rpmvercmp(value_text(a, abuf), value_text(b, bbuf));
        case MODE_GLOB:
                return fnmatch(value_text(b, bbuf), value_text(a, abuf), 0) == 0 ? 0 : 1;
        case MODE_STRING:
        default:
                r = strcmp(value_text(a, abuf), value_text(b, bbuf));
                return r < 0 ? -1 : r > 0 ? 1 : 0;
        }
}

static bool op_holds(CmpOp op, int cmp)
{
        switch (op) {
        case CMP_EQ:
        case CMP_MATCH:
                return cmp == 0;
        case CMP_NE:
                return cmp != 0;
        case CMP_LT:
                return cmp < 0;
        case CMP_LE:
                return cmp <= 0;
        case CMP_GT:
                return cmp > 0;
        case CMP_GE:
        default:
                return cmp >= 0;
        }
}

static int eval_cmp(EvalContext *c, const Expr *e, Tri *ret)
{
        Value a, b;
        int r;

        r = eval_value(c, e->children[0], &a);
        if (r < 0)
                return r;
        r = eval_value(c, e->children[1], &b);
        if (r < 0)
                return r;
        if (a.unknown || b.unknown)
                *ret = TRI_UNKNOWN;
        else
                *ret = op_holds(e->op, compare_values(&a, &b, e->mode)) ? TRI_TRUE : TRI_FALSE;
        return 0;
}

static int eval_in(EvalContext *c, const Expr *e, Tri *ret)
{
        const Expr *right = e->children[1];
        size_t n0 = c->n_reasons;
        const char *why;
        Value x, y;
        Tri t = TRI_FALSE;
        int r;

        r = eval_value(c, e->children[0], &x);
        if (r < 0)
                return r;
        if (x.unknown) {
                *ret = TRI_UNKNOWN;
                return 0;
        }

        if (right->kind == EXPR_FACT) {
                r = eval_value(c, right, &y);
                if (r < 0)
                        return r;
                if (y.unknown) {
                        *ret = TRI_UNKNOWN;
                        return 0;
                }
                CmpMode mode = cmp_mode(x.type, FACT_STRING, CMP_EQ, &why);
                for (char *const *i = y.list; i && *i; i++) {
                        Value m = {.type = FACT_STRING, .str = *i};
                        if (compare_values(&x, &m, mode) == 0) {
                                *ret = TRI_TRUE;
                                return 0;
                        }
                }
                *ret = TRI_FALSE;
                return 0;
        }

        /* A literal list: true if any member matches, even when others are unknown. */
        for (size_t i = 0; i < right->n_children; i++) {
                const Expr *item = right->children[i];

                r = eval_value(c, item, &y);
                if (r < 0)
                        return r;
                if (y.unknown) {
                        t = TRI_UNKNOWN;
                        continue;
                }
                if (compare_values(&x, &y, cmp_mode(x.type, item->type, CMP_EQ, &why)) == 0) {
                        t = TRI_TRUE;
                        break;
                }
        }
        if (t != TRI_UNKNOWN)
                truncate_reasons(c, n0);
        *ret = t;
        return 0;
}

static Tri truthiness(const Value *v)
{
        if (v->unknown)
                return TRI_UNKNOWN;
        switch (v->type) {
        case FACT_BOOL:
                return v->b ? TRI_TRUE : TRI_FALSE;
        case FACT_NUMBER:
                return v->num != 0 ? TRI_TRUE : TRI_FALSE;
        case FACT_LIST:
                return strv_isempty(v->list) ? TRI_FALSE : TRI_TRUE;
        default:
                return v->str && v->str[0] ? TRI_TRUE : TRI_FALSE;
        }
}

static int eval_tri(EvalContext *c, const Expr *e, Tri *ret)
{
        size_t n0 = c->n_reasons;
        const Fact *f;
        Value v;
        Tri t;
        int r;

        switch (e->kind) {
        case EXPR_AND:
        case EXPR_OR: {
                /* Kleene: the absorbing value (false for &&, true for ||) wins over unknown. */
                Tri absorbing = e->kind == EXPR_AND ? TRI_FALSE : TRI_TRUE;
                Tri result = e->kind == EXPR_AND ? TRI_TRUE : TRI_FALSE;

                for (size_t i = 0; i < e->n_children; i++) {
                        r = eval_tri(c, e->children[i], &t);
                        if (r < 0)
                                return r;
                        if (t == absorbing) {
                                result = absorbing;
                                break;
                        }
                        if (t == TRI_UNKNOWN)
                                result = TRI_UNKNOWN;
                }
                if (result != TRI_UNKNOWN)
                        truncate_reasons(c, n0);
                *ret = result;
                return 0;
        }
        case EXPR_NOT:
                r = eval_tri(c, e->children[0], &t);
                if (r < 0)
                        return r;
                *ret = t == TRI_UNKNOWN ? TRI_UNKNOWN : t == TRI_TRUE ? TRI_FALSE : TRI_TRUE;
                return 0;
        case EXPR_CMP:
                return eval_cmp(c, e, ret);
        case EXPR_IN:
                return eval_in(c, e, ret);
        case EXPR_DEFINED:
                /* Never unknown: asks exactly whether the value is known. */
                f = facts_get(c->facts, e->children[0]->str);
                *ret = f && f->known && f->type == e->children[0]->type ? TRI_TRUE : TRI_FALSE;
                return 0;
        case EXPR_EMPTY:
                r = eval_value(c, e->children[0], &v);
                if (r < 0)
                        return r;
                t = truthiness(&v);
                *ret = t == TRI_UNKNOWN ? TRI_UNKNOWN : t == TRI_TRUE ? TRI_FALSE : TRI_TRUE;
                return 0;
        default:
                r = eval_value(c, e, &v);
                if (r < 0)
                        return r;
                *ret = truthiness(&v);
                return 0;
        }
}

int expr_eval(const Expr *e, const Facts *facts, Tri *ret, char **ret_reason)
{
        EvalContext c = {.facts = facts};
        Tri t;
        int r;

        if (ret_reason)
                *ret_reason = NULL;
        r = eval_tri(&c, e, &t);
        if (r >= 0 && t == TRI_UNKNOWN && ret_reason) {
                char *s = strv_join(c.reasons, "; ");
                if (!s)
                        r = -ENOMEM;
                else
                        *ret_reason = s;
        }
        strv_free(c.reasons);
        if (r < 0)
                return r;
        *ret = t;
        return 0;
}

static int collect_names(const Expr *e, char ***names)
{
        int r;

        if (e->kind == EXPR_FACT && !strv_contains(*names, e->str)) {
                r = strv_extend(names, e->str);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < e->n_children; i++) {
                r = collect_names(e->children[i], names);
                if (r < 0)
                        return r;
        }
        return 0;
}

int expr_fact_names(const Expr *e, char ***ret)
{
        _cleanup_strv_free_ char **names = NULL;
        int r;

        names = calloc(1, sizeof(char *));
        if (!names)
                return -ENOMEM;
        r = collect_names(e, &names);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(names);
        return 0;
}
