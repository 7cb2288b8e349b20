/* SPDX-License-Identifier: MIT */
/* Parses arbitrary condition text; what parses is evaluated on an empty fact set. */
#include "rules/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *text = NULL, *error = NULL, *reason = NULL;
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_expr_ Expr *e = NULL;
        Facts facts = {};
        Tri t;

        if (size > 64 * 1024)
                return 0;
        text = strndup((const char *) data, size);
        if (!text)
                return 0;
        if (expr_parse(text, &e, &error) < 0) {
                /* Every failure explains itself with a column. */
                if (error && strncmp(error, "column ", 7) != 0)
                        abort();
                return 0;
        }
        if (expr_eval(e, &facts, &t, &reason) < 0)
                return 0;
        if (t != TRI_TRUE && t != TRI_FALSE && t != TRI_UNKNOWN)
                abort();
        /* With no facts, an unknown result must name a fact that was not collected. */
        if (t == TRI_UNKNOWN && (!reason || !strstr(reason, "unknown: not collected")))
                abort();
        (void) expr_fact_names(e, &names);
        return 0;
}
