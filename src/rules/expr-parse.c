/* SPDX-License-Identifier: MIT */
/* The condition language's recursive-descent parser: builds the tree from the tokens of
 * expr-lex.c and validates it against the fact catalog (unknown names, type misuse), so a
 * tree that parsed always evaluates. See expr.h for the grammar. */
#include "rules/expr-internal.h"

#include "rules/fact-catalog.h"

static bool tok_is_keyword(const Token *tok, const char *kw)
{
        return tok->type == TOK_IDENT && streq(tok->str, kw);
}

static int unexpected(ExprParser *p, const char *expected)
{
        if (p->tok.type == TOK_END)
                return expr_lex_error(p, p->tok.pos, "unexpected end of expression, expected %s", expected);
        return expr_lex_error(p, p->tok.pos, "unexpected '%.*s', expected %s",
                (int) (p->tok.len > 32 ? 32 : p->tok.len), p->text + p->tok.pos, expected);
}

static int enter(ExprParser *p)
{
        if (++p->depth > EXPR_DEPTH_MAX)
                return expr_lex_error(
                        p, p->tok.pos, "expression nested too deeply (more than %d levels)", EXPR_DEPTH_MAX);
        return 0;
}

static int parse_or(ExprParser *p, Expr **ret);

static int parse_fact_name(ExprParser *p, Expr **ret)
{
        const FactDef *def;
        Expr *e;
        int r;

        if (p->tok.type != TOK_IDENT)
                return unexpected(p, "a fact name");
        def = fact_catalog_lookup(p->tok.str);
        if (!def)
                return expr_lex_error(p, p->tok.pos, "unknown fact '%s'", p->tok.str);
        e = expr_new(EXPR_FACT, def->type);
        if (!e)
                return -ENOMEM;
        e->str = TAKE_PTR(p->tok.str);
        r = expr_lex_next(p);
        if (r < 0) {
                expr_free(e);
                return r;
        }
        *ret = e;
        return 0;
}

/* defined(FACT) and empty(FACT). */
static int parse_fact_function(ExprParser *p, ExprKind kind, Expr **ret)
{
        _cleanup_expr_ Expr *e = NULL, *fact = NULL;
        const char *fname = kind == EXPR_DEFINED ? "defined" : "empty";
        int r;

        r = expr_lex_next(p);
        if (r < 0)
                return r;
        if (p->tok.type != TOK_LPAREN)
                return unexpected(p, "'(' after the function name");
        r = expr_lex_next(p);
        if (r < 0)
                return r;
        size_t fact_pos = p->tok.pos;
        r = parse_fact_name(p, &fact);
        if (r < 0)
                return r;
        if (kind == EXPR_EMPTY && (fact->type == FACT_BOOL || fact->type == FACT_NUMBER))
                return expr_lex_error(p, fact_pos, "%s() needs a string, version or list fact; '%s' is a %s",
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
        r = expr_lex_next(p);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(e);
        return 0;
}

static int parse_term(ExprParser *p, Expr **ret)
{
        _cleanup_expr_ Expr *e = NULL;
        int r;

        switch (p->tok.type) {
        case TOK_LPAREN:
                r = enter(p);
                if (r < 0)
                        return r;
                r = expr_lex_next(p);
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
        r = expr_lex_next(p);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(e);
        return 0;
}

static int parse_list(ExprParser *p, Expr *left, Expr **ret)
{
        _cleanup_expr_ Expr *list = NULL;
        int r;

        r = enter(p);
        if (r < 0)
                return r;
        list = expr_new(EXPR_LIST, FACT_LIST);
        if (!list)
                return -ENOMEM;
        r = expr_lex_next(p);
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
                        (void) expr_cmp_mode(left->type, item->type, CMP_EQ, &why);
                        if (why)
                                return expr_lex_error(p, pos, "%s", why);
                        if (p->tok.type == TOK_RBRACKET)
                                break;
                        if (p->tok.type != TOK_COMMA)
                                return unexpected(p, "',' or ']'");
                        r = expr_lex_next(p);
                        if (r < 0)
                                return r;
                }
        p->depth--;
        r = expr_lex_next(p);
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
static int parse_in(ExprParser *p, Expr **left, size_t left_pos, Expr **ret)
{
        _cleanup_expr_ Expr *right = NULL, *e = NULL;
        size_t right_pos;
        const char *why;
        int r;

        if ((*left)->type == FACT_LIST)
                return expr_lex_error(p, left_pos, "the left side of 'in' cannot be a list");
        r = expr_lex_next(p);
        if (r < 0)
                return r;
        right_pos = p->tok.pos;
        if (p->tok.type == TOK_LBRACKET)
                r = parse_list(p, *left, &right);
        else {
                r = parse_term(p, &right);
                if (r >= 0 && (right->kind != EXPR_FACT || right->type != FACT_LIST)) {
                        if (right->kind == EXPR_FACT)
                                return expr_lex_error(p, right_pos,
                                        "the right side of 'in' must be a list; '%s' is a %s", right->str,
                                        fact_type_to_string(right->type));
                        return expr_lex_error(
                                p, right_pos, "the right side of 'in' must be a list fact or [ ... ]");
                }
                if (r >= 0)
                        (void) expr_cmp_mode((*left)->type, FACT_STRING, CMP_EQ, &why);
                if (r >= 0 && why)
                        return expr_lex_error(p, left_pos, "%s", why);
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
static int parse_comparison(ExprParser *p, Expr **left, CmpOp op, Expr **ret)
{
        _cleanup_expr_ Expr *right = NULL, *e = NULL;
        size_t op_pos = p->tok.pos;
        const char *why;
        int r;

        r = expr_lex_next(p);
        if (r < 0)
                return r;
        r = parse_term(p, &right);
        if (r < 0)
                return r;
        e = expr_new(EXPR_CMP, FACT_BOOL);
        if (!e)
                return -ENOMEM;
        e->op = op;
        e->mode = expr_cmp_mode((*left)->type, right->type, e->op, &why);
        if (why)
                return expr_lex_error(p, op_pos, "%s", why);
        r = expr_add_pair(e, left, &right);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(e);
        return 0;
}

static int parse_cmp(ExprParser *p, Expr **ret)
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

static int parse_unary(ExprParser *p, Expr **ret)
{
        _cleanup_expr_ Expr *e = NULL, *operand = NULL;
        int r;

        if (p->tok.type != TOK_NOT)
                return parse_cmp(p, ret);

        r = enter(p);
        if (r < 0)
                return r;
        r = expr_lex_next(p);
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
static int parse_chain(ExprParser *p, TokenType sep, ExprKind kind, Expr **ret)
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

                r = expr_lex_next(p);
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

static int parse_or(ExprParser *p, Expr **ret)
{
        return parse_chain(p, TOK_OR, EXPR_OR, ret);
}

int expr_parse(const char *text, Expr **ret, char **ret_error)
{
        _cleanup_expr_ Expr *e = NULL;
        ExprParser p = {.text = text, .error = ret_error};
        int r;

        r = expr_lex_next(&p);
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
