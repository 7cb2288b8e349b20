/* SPDX-License-Identifier: MIT */
/* The condition language's tree: its nodes, the type rules of comparisons (shared by the
 * parser, which refuses what cannot compare, and the evaluator), and the facts a tree
 * names. See expr.h for the grammar; expr-lex.c, expr-parse.c and expr-eval.c do the rest. */
#include "rules/expr-internal.h"

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

Expr *expr_new(ExprKind kind, FactType type)
{
        Expr *e = calloc(1, sizeof(Expr));

        if (!e)
                return NULL;
        e->kind = kind;
        e->type = type;
        return e;
}

int expr_add_child(Expr *e, Expr *child)
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

CmpMode expr_cmp_mode(FactType a, FactType b, CmpOp op, const char **ret_why)
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
