/* SPDX-License-Identifier: MIT */
/* Message templates: "${fact}", "${fact@source}" and "$$" in a rule's message. Checked line
 * by line when a rule file is read (rule-keys.c), rendered against the facts for a finding. */
#include "rules/rules.h"

#include "rules/fact-catalog.h"

/* Blanks, as inih strips them (isspace() in the C locale): a run of them, from continuation
 * lines, renders as one space. */
#define TEMPLATE_SPACE " \t\n\v\f\r"

/* The reference "${...}" at c (which starts with "${"): *ret_name the fact name (owned),
 * *ret_source whether it is NAME@source, *ret_close its closing '}'. Returns 0, -ENOMEM, or
 * -EINVAL with *ret_error (may be NULL) saying why. */
static int template_ref(
        const char *c, char **ret_name, bool *ret_source, const char **ret_close, char **ret_error)
{
        const char *close = strchr(c + 2, '}');
        _cleanup_free_ char *name = NULL;
        char *at;

        if (!close)
                return error_setf(ret_error, -EINVAL, "message: '${' without a closing '}'");
        name = strndup(c + 2, (size_t) (close - c - 2));
        if (!name)
                return -ENOMEM;
        at = strchr(name, '@');
        if (at && !streq(at + 1, "source"))
                return error_setf(ret_error, -EINVAL,
                        "message: unknown suffix '@%s' in ${%s} (only @source exists)", at + 1, name);
        if (at)
                *at = 0;
        *ret_source = at;
        *ret_close = close;
        *ret_name = TAKE_PTR(name);
        return 0;
}

int rule_template_check(const char *s, char **ret_error)
{
        for (const char *c = s; *c; c++) {
                _cleanup_free_ char *name = NULL;
                bool source;
                int r;

                if (*c != '$')
                        continue;
                if (c[1] == '$') {
                        c++;
                        continue;
                }
                if (c[1] != '{')
                        return error_setf(ret_error, -EINVAL,
                                "message: '$' must start ${fact} or ${fact@source} (write $$ for a '$')");
                r = template_ref(c, &name, &source, &c, ret_error);
                if (r < 0)
                        return r;
                if (!fact_catalog_lookup(name))
                        return error_setf(ret_error, -EINVAL, "message: unknown fact '%s'", name);
        }
        return 0;
}

/* Appends the text that the reference to fact name (or its source) stands for. */
static int template_append_ref(StrBuf *b, const Facts *facts, const char *name, bool source)
{
        _cleanup_free_ char *value = NULL;
        const Fact *fact = facts_get(facts, name);

        if (source)
                return sb_append(b, fact && fact->source ? fact->source : "unknown source");
        if (!fact)
                return sb_append(b, "unknown (not collected)");
        value = fact_value_to_string(fact);
        return value ? sb_append(b, value) : -ENOMEM;
}

int rule_render_template(const char *tmpl, const Facts *facts, char **ret)
{
        _cleanup_sb_ StrBuf b = {};
        int r = 0;

        for (const char *c = tmpl; *c && r >= 0;) {
                if (strchr(TEMPLATE_SPACE, *c)) {
                        c += strspn(c, TEMPLATE_SPACE);
                        r = sb_putc(&b, ' ');
                } else if (*c != '$') {
                        size_t n = strcspn(c, "$" TEMPLATE_SPACE);
                        r = sb_append_len(&b, c, n);
                        c += n;
                } else if (c[1] == '$') {
                        r = sb_putc(&b, '$');
                        c += 2;
                } else if (c[1] == '{') {
                        _cleanup_free_ char *name = NULL;
                        const char *close;
                        bool source;

                        r = template_ref(c, &name, &source, &close, NULL);
                        if (r < 0)
                                return r;
                        r = template_append_ref(&b, facts, name, source);
                        c = close + 1;
                } else
                        return -EINVAL;
        }
        if (r < 0)
                return r;
        *ret = sb_steal(&b);
        return *ret ? 0 : -ENOMEM;
}
