/* SPDX-License-Identifier: MIT */
/* The condition language of rule files ("when ="): three-valued logic over facts.
 *
 *   expr   := or
 *   or     := and ( "||" and )*
 *   and    := unary ( "&&" unary )*
 *   unary  := "!" unary | cmp
 *   cmp    := term [ ( "==" | "!=" | "<" | "<=" | ">" | ">=" | "=~" ) term | "in" list-or-term ]
 *   term   := "(" expr ")" | STRING | NUMBER | "true" | "false" | FACT
 *           | "defined" "(" FACT ")" | "empty" "(" FACT ")"
 *   list   := "[" [ term ( "," term )* ] "]"
 *
 * STRING is "..." with \" \\ \n \t escapes. NUMBER is a decimal integer (may be negative).
 * FACT is a dotted name from the fact catalog (fact-catalog.h).
 * Ordering comparisons use rpmvercmp when either side is a FACT_VERSION fact (a literal
 * beside it is compared as a version), numeric order for two numbers, else byte order.
 * "=~" matches the left side against a glob (fnmatch) on the right.
 * "x in [..]" is true if x equals any member; "x in FACT" where FACT is a list: membership.
 * A bare FACT of type bool is its value; of another type it is true when non-empty/non-zero.
 * Unknown facts make the sub-expression unknown; && and || follow Kleene logic
 * (false && unknown = false, true || unknown = true). defined(f) is never unknown. */
#pragma once

#include "rules/facts.h"

typedef enum Tri {
        TRI_FALSE = 0,
        TRI_TRUE = 1,
        TRI_UNKNOWN = 2,
} Tri;

typedef struct Expr Expr;

/* Parses and validates (unknown fact names, type misuse such as ordering a bool, bad syntax).
 * On failure returns -EINVAL and sets *ret_error to "column N: message" (1-based column). */
int expr_parse(const char *text, Expr **ret, char **ret_error);
Expr *expr_free(Expr *e);
static inline void expr_freep(Expr **e)
{
        expr_free(*e);
}
#define _cleanup_expr_ _cleanup_(expr_freep)

/* Evaluates e. When *ret is TRI_UNKNOWN, *ret_reason (if not NULL) gets a text naming the
 * unknown fact(s) and their reasons: "unit.mount_flags unknown: docker.service not found".
 * Returns 0, or -ENOMEM. */
int expr_eval(const Expr *e, const Facts *facts, Tri *ret, char **ret_reason);

/* The distinct fact names e references, in order of first appearance. */
int expr_fact_names(const Expr *e, char ***ret);
