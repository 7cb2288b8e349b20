/* SPDX-License-Identifier: MIT */
/* Private to the condition language (expr.c, expr-lex.c, expr-parse.c, expr-eval.c): the
 * tree the parser builds and the evaluator walks, the tokens, and the state the lexer and
 * the parser share. Everything outside these files includes rules/expr.h only. */
#pragma once

#include "rules/expr.h"

/* Bounds the parser's (and so the evaluator's) recursion on hostile input. */
#define EXPR_DEPTH_MAX 64

/* ------------------------------------------------------------------ the tree (expr.c) */

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

Expr *expr_new(ExprKind kind, FactType type); /* NULL on ENOMEM */
/* Appends child to e's children. Takes ownership of child, also on failure (-ENOMEM). */
int expr_add_child(Expr *e, Expr *child);
/* Decides how values of static types a and b compare with op. When they cannot,
 * *ret_why says why (for a parse error); otherwise it is NULL. */
CmpMode expr_cmp_mode(FactType a, FactType b, CmpOp op, const char **ret_why);

/* ------------------------------------------------------------------ tokens (expr-lex.c) */

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

/* One expr_parse(): the lexer's position and current token, the parser's nesting depth. */
typedef struct ExprParser {
        const char *text;
        size_t pos; /* start of the next token */
        Token tok; /* current token; tok.str is owned */
        unsigned depth;
        char **error; /* the caller's ret_error; may be NULL */
} ExprParser;

/* Sets *p->error to "column N: message" (N = pos + 1) and returns -EINVAL, or -ENOMEM. */
int expr_lex_error(ExprParser *p, size_t pos, const char *fmt, ...) _printf_(3, 4);
/* Reads the token at p->pos into p->tok (freeing the previous one) and moves p->pos past
 * it. Returns 0, or a negative errno after expr_lex_error(). */
int expr_lex_next(ExprParser *p);
