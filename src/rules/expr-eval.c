/* SPDX-License-Identifier: MIT */
/* The condition language's evaluator: three-valued (Kleene) logic over the facts, with the
 * reasons of the unknown facts a result depends on. See expr.h for the semantics. */
#include "rules/expr-internal.h"

#include <fnmatch.h>

#include "basic/vercmp.h"

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

/* "x in FACT": membership of the known x in a list fact. */
static int eval_in_list_fact(EvalContext *c, const Value *x, const Expr *right, Tri *ret)
{
        const char *why;
        CmpMode mode;
        Value y;
        int r;

        r = eval_value(c, right, &y);
        if (r < 0)
                return r;
        if (y.unknown) {
                *ret = TRI_UNKNOWN;
                return 0;
        }
        mode = expr_cmp_mode(x->type, FACT_STRING, CMP_EQ, &why);
        for (char *const *i = y.list; i && *i; i++) {
                Value m = {.type = FACT_STRING, .str = *i};
                if (compare_values(x, &m, mode) == 0) {
                        *ret = TRI_TRUE;
                        return 0;
                }
        }
        *ret = TRI_FALSE;
        return 0;
}

/* "x in [ ... ]": true if any member matches the known x, even when others are unknown. */
static int eval_in_literal_list(EvalContext *c, const Value *x, const Expr *right, Tri *ret)
{
        size_t n0 = c->n_reasons;
        const char *why;
        Tri t = TRI_FALSE;
        Value y;
        int r;

        for (size_t i = 0; i < right->n_children; i++) {
                const Expr *item = right->children[i];

                r = eval_value(c, item, &y);
                if (r < 0)
                        return r;
                if (y.unknown) {
                        t = TRI_UNKNOWN;
                        continue;
                }
                if (compare_values(x, &y, expr_cmp_mode(x->type, item->type, CMP_EQ, &why)) == 0) {
                        t = TRI_TRUE;
                        break;
                }
        }
        if (t != TRI_UNKNOWN)
                truncate_reasons(c, n0);
        *ret = t;
        return 0;
}

static int eval_in(EvalContext *c, const Expr *e, Tri *ret)
{
        const Expr *right = e->children[1];
        Value x;
        int r;

        r = eval_value(c, e->children[0], &x);
        if (r < 0)
                return r;
        if (x.unknown) {
                *ret = TRI_UNKNOWN;
                return 0;
        }
        if (right->kind == EXPR_FACT)
                return eval_in_list_fact(c, &x, right, ret);
        return eval_in_literal_list(c, &x, right, ret);
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

/* An && or || chain. Kleene: the absorbing value (false for &&, true for ||) wins over
 * unknown. */
static int eval_chain(EvalContext *c, const Expr *e, Tri *ret)
{
        Tri absorbing = e->kind == EXPR_AND ? TRI_FALSE : TRI_TRUE;
        Tri result = e->kind == EXPR_AND ? TRI_TRUE : TRI_FALSE, t;
        size_t n0 = c->n_reasons;
        int r;

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

static int eval_tri(EvalContext *c, const Expr *e, Tri *ret)
{
        const Fact *f;
        Value v;
        Tri t;
        int r;

        switch (e->kind) {
        case EXPR_AND:
        case EXPR_OR:
                return eval_chain(c, e, ret);
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
