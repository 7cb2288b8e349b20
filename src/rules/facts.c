/* SPDX-License-Identifier: MIT */
#include "rules/facts.h"

#include "rules/fact-catalog.h"

static const char *const type_names[_FACT_TYPE_MAX] = {
        [FACT_STRING] = "string",
        [FACT_NUMBER] = "number",
        [FACT_BOOL] = "bool",
        [FACT_VERSION] = "version",
        [FACT_LIST] = "list",
};

const char *fact_type_to_string(FactType t)
{
        return t < _FACT_TYPE_MAX ? type_names[t] : NULL;
}

int fact_type_from_string(const char *s)
{
        for (int i = 0; i < _FACT_TYPE_MAX; i++)
                if (streq(type_names[i], s))
                        return i;
        return -EINVAL;
}

static void fact_clear_value(Fact *x)
{
        free(x->str);
        strv_free(x->list);
        free(x->source);
        free(x->reason);
        x->str = x->source = x->reason = NULL;
        x->list = NULL;
        x->num = 0;
        x->b = false;
        x->known = false;
}

void facts_done(Facts *f)
{
        for (size_t i = 0; i < f->n; i++) {
                fact_clear_value(&f->v[i]);
                free(f->v[i].name);
        }
        free(f->v);
        f->v = NULL;
        f->n = f->cap = 0;
}

const Fact *facts_get(const Facts *f, const char *name)
{
        for (size_t i = 0; i < f->n; i++)
                if (streq(f->v[i].name, name))
                        return &f->v[i];
        return NULL;
}

/* Finds or appends the slot for name, checked against the catalog, and clears its value. */
static int facts_slot(Facts *f, const char *name, FactType type, Fact **ret)
{
        const FactDef *def = fact_catalog_lookup(name);
        Fact *x = (Fact *) facts_get(f, name);

        if (def && def->type != type)
                return -EINVAL;
        if (!x) {
                if (f->n == f->cap) {
                        size_t cap = f->cap ? f->cap * 2 : 32;
                        Fact *t = realloc(f->v, cap * sizeof(Fact));
                        if (!t)
                                return -ENOMEM;
                        f->v = t;
                        f->cap = cap;
                }
                x = &f->v[f->n];
                *x = (Fact){.name = strdup(name)};
                if (!x->name)
                        return -ENOMEM;
                f->n++;
        } else
                fact_clear_value(x);
        x->type = type;
        *ret = x;
        return 0;
}

static int fact_set_source(Fact *x, const char *source)
{
        x->known = true;
        if (!source)
                return 0;
        x->source = strdup(source);
        return x->source ? 0 : -ENOMEM;
}

static int set_str(Facts *f, const char *name, FactType type, const char *value, const char *source)
{
        Fact *x;
        int r = facts_slot(f, name, type, &x);

        if (r < 0)
                return r;
        x->str = strdup(value);
        if (!x->str)
                return -ENOMEM;
        return fact_set_source(x, source);
}

int facts_set_string(Facts *f, const char *name, const char *value, const char *source)
{
        return set_str(f, name, FACT_STRING, value, source);
}

int facts_set_version(Facts *f, const char *name, const char *value, const char *source)
{
        return set_str(f, name, FACT_VERSION, value, source);
}

int facts_set_number(Facts *f, const char *name, long long value, const char *source)
{
        Fact *x;
        int r = facts_slot(f, name, FACT_NUMBER, &x);

        if (r < 0)
                return r;
        x->num = value;
        return fact_set_source(x, source);
}

int facts_set_bool(Facts *f, const char *name, bool value, const char *source)
{
        Fact *x;
        int r = facts_slot(f, name, FACT_BOOL, &x);

        if (r < 0)
                return r;
        x->b = value;
        return fact_set_source(x, source);
}

int facts_set_list(Facts *f, const char *name, char *const *value, const char *source)
{
        Fact *x;
        int r = facts_slot(f, name, FACT_LIST, &x);

        if (r < 0)
                return r;
        x->list = strv_copy(value);
        if (!x->list)
                return -ENOMEM;
        return fact_set_source(x, source);
}

int facts_add_problem(Facts *f, const char *fmt, ...)
{
        const Fact *old = facts_get(f, "audit.problems");
        _cleanup_strv_free_ char **l = strv_copy(old && old->known ? old->list : NULL);
        _cleanup_free_ char *line = NULL;
        va_list ap;
        int r;

        if (!l)
                return -ENOMEM;
        va_start(ap, fmt);
        r = vasprintf(&line, fmt, ap);
        va_end(ap);
        if (r < 0) {
                line = NULL;
                return -ENOMEM;
        }
        if (strv_consume(&l, TAKE_PTR(line)) < 0)
                return -ENOMEM;
        return facts_set_list(f, "audit.problems", l, NULL);
}

int facts_set_unknown(Facts *f, const char *name, const char *reason_fmt, ...)
{
        const FactDef *def = fact_catalog_lookup(name);
        Fact *x;
        va_list ap;
        int r;

        /* Unknown facts outside the catalog keep whatever type they had, or string. */
        r = facts_slot(f, name, def ? def->type : FACT_STRING, &x);
        if (r < 0)
                return r;
        va_start(ap, reason_fmt);
        r = vasprintf(&x->reason, reason_fmt, ap);
        va_end(ap);
        if (r < 0) {
                x->reason = NULL;
                return -ENOMEM;
        }
        return 0;
}

int facts_set_unknown_all(Facts *f, const char *const *names, size_t n, const char *reason)
{
        for (size_t i = 0; i < n; i++) {
                int r = facts_set_unknown(f, names[i], "%s", reason);
                if (r < 0)
                        return r;
        }
        return 0;
}

int facts_copy(const Facts *src, Facts *dst)
{
        _cleanup_facts_ Facts copy = {};

        *dst = (Facts){};
        for (size_t i = 0; i < src->n; i++) {
                const Fact *s = &src->v[i];
                Fact *d;

                if (facts_slot(&copy, s->name, s->type, &d) < 0)
                        return -ENOMEM;
                d->known = s->known;
                d->num = s->num;
                d->b = s->b;
                if ((s->str && !(d->str = strdup(s->str))) || (s->list && !(d->list = strv_copy(s->list))) ||
                        (s->source && !(d->source = strdup(s->source))) ||
                        (s->reason && !(d->reason = strdup(s->reason))))
                        return -ENOMEM;
        }
        *dst = TAKE_STRUCT(copy);
        return 0;
}

char *fact_value_to_string(const Fact *x)
{
        if (!x->known)
                return strdupf("unknown (%s)", x->reason ? x->reason : "no reason given");
        switch (x->type) {
        case FACT_STRING:
        case FACT_VERSION:
                return strdup(x->str ? x->str : "");
        case FACT_NUMBER:
                return strdupf("%lld", x->num);
        case FACT_BOOL:
                return strdup(x->b ? "true" : "false");
        case FACT_LIST:
                return strv_join(x->list, ", ");
        default:
                return NULL;
        }
}

const char *facts_get_string(const Facts *f, const char *name)
{
        const Fact *x = facts_get(f, name);

        return x && x->known && (x->type == FACT_STRING || x->type == FACT_VERSION) ? x->str : NULL;
}

int facts_get_bool(const Facts *f, const char *name)
{
        const Fact *x = facts_get(f, name);

        return x && x->known && x->type == FACT_BOOL ? x->b : -ENODATA;
}
