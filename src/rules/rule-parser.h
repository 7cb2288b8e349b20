/* SPDX-License-Identifier: MIT */
/* Private to the rule file parser (rule-file.c and the files it drives): the state of one
 * parse and what its steps share. Everything outside src/rules includes rules/rules.h only.
 *
 * Debian's inih is built with INI_MAX_LINE 200 (longer lines are silently split into
 * garbage), multi-line values (indented lines continue the previous key), inline ";"
 * comments and no line numbers for the handler. So lines reach inih through our own
 * reader, one at a time (rule-reader.c): it rejects what inih would mangle (long lines,
 * NUL, bad UTF-8), knows the number of the line inih is working on and classifies it the
 * way inih will (key line or continuation), so every error can name its line. inih then
 * calls the key handler (rule-keys.c), which checks each key and keeps its text; once the
 * whole file is read, rule-file.c builds the Rule, parsing conditions and fix actions
 * (rule-action.c). */
#pragma once

#include "rules/rules.h"

/* inih reads at most INI_MAX_LINE - 1 bytes per line, newline included. */
#define RULE_LINE_MAX 198

/* ------------------------------------------------------------------ text values (rule-text.c) */

/* A value assembled from a key line and its continuation lines, joined with one space.
 * Each piece remembers its line, so an error at an offset can name the line. */
typedef struct RuleTextPiece {
        size_t off;
        unsigned line;
} RuleTextPiece;

typedef struct RuleText {
        StrBuf buf;
        unsigned line; /* the key line; 0: not set */
        RuleTextPiece *pieces;
        size_t n_pieces;
} RuleText;

void rule_text_done(RuleText *t);
/* Adds the value s of line (the first call sets t->line). Returns 0 or -ENOMEM. */
int rule_text_append(RuleText *t, const char *s, unsigned line);
/* The joined value so far; "" when empty. Owned by t. */
const char *rule_text_str(const RuleText *t);
/* Maps a byte offset of the joined value to its line and the 1-based column within that
 * line's piece of the value. */
void rule_text_locate(const RuleText *t, size_t off, unsigned *ret_line, size_t *ret_col);
/* Hands the joined value over (the caller frees it); NULL when the key was never set, or
 * on ENOMEM. */
char *rule_text_steal(RuleText *t);

/* ------------------------------------------------------------------ parser state (rule-parser.c) */

typedef enum LineKind {
        LINE_NONE,
        LINE_KEY, /* "name = value": inih calls the handler with a new key */
        LINE_CONT, /* indented: inih calls the handler again with the previous name */
} LineKind;

typedef enum SectionKind {
        SECTION_NONE,
        SECTION_RULE,
        SECTION_FIX,
} SectionKind;

typedef enum RuleField {
        FIELD_ID,
        FIELD_TITLE,
        FIELD_SEVERITY,
        FIELD_RATIONALE,
        FIELD_REFERENCES,
        FIELD_WHEN,
        FIELD_MESSAGE,
        FIELD_APPLIES, /* optional */
        _FIELD_MAX,
} RuleField;

/* A fix action's key and its text, parsed once the file is read. */
typedef struct RawAction {
        FixActionType type;
        RuleText text;
} RawAction;

/* One [fix] or [fix "NAME"] section as read so far. */
typedef struct FixState {
        char *name;
        unsigned line;
        RuleText when, note;
        unsigned restart_line;
        bool restart_needed;
        unsigned choose_only_line;
        bool choose_only;
        RawAction *actions;
        size_t n_actions;
} FixState;

typedef struct RuleParser RuleParser;

/* Another INI format read through the same reader (waiver files, waiver-file.c): its
 * section headers go to this hook instead of [rule] and [fix]; a..b is the name between
 * the brackets, blanks cut. Returns 0, or the failure recorded with rule_parser_fail(). */
typedef int (*RuleParserSectionHook)(RuleParser *p, const char *a, const char *b);

struct RuleParser {
        const char *path;
        const char *text;
        size_t size, pos;

        unsigned lineno; /* the line inih is working on */
        LineKind kind; /* what that line is to inih */
        bool have_prev; /* inih has a previous key name for continuation lines */

        SectionKind section;
        unsigned rule_line; /* line of [rule], 0 if none yet */
        RuleText fields[_FIELD_MAX];
        char **references;
        Severity severity;
        FixState *fixes;
        size_t n_fixes;

        int r; /* first failure, negative errno */
        char *error; /* its message */

        RuleParserSectionHook section_hook; /* NULL: a rule file */
        void *userdata; /* the other format's own state */
};

void rule_parser_done(RuleParser *p);
/* Records the first failure as "PATH:LINE: message" (-EINVAL) and returns it; later
 * failures keep the first one. */
int rule_parser_fail(RuleParser *p, unsigned line, const char *fmt, ...) _printf_(3, 4);
/* Records -ENOMEM (unless a failure is recorded already) and returns the failure. */
int rule_parser_oom(RuleParser *p);

/* Which of a section's keys name is (its index in names[0..n), whose text is fields[index]),
 * checked as in every section of our INI files: a name not among names, an indented line
 * continuing a key that takes one line (bit i of multiline: key i may go on), a key set
 * twice are failures naming the line; the first says "in [SECTION] (expected KEYS)". Returns
 * the index, or the failure recorded. */
int rule_parser_key(RuleParser *p, const char *section, const char *const *names, size_t n,
        unsigned multiline, const RuleText *fields, const char *name);

/* inih's handler callback (userdata is the RuleParser): 1 to go on, 0 to stop. */
typedef int (*RuleParserKeyHandler)(
        void *userdata, const char *section, const char *name, const char *value);
/* Runs inih over p's text (rule_reader_next_line()) with handler; inih's own failures are
 * recorded like the others. Returns p->r. */
int rule_parser_run(RuleParser *p, RuleParserKeyHandler handler);
/* Ends a parse: hands the failure's message to *ret_error (or "PATH: out of memory"), releases
 * p (rule_parser_done()) and returns the failure, or 0. */
int rule_parser_finish(RuleParser *p, char **ret_error);

/* ------------------------------------------------------------------ the steps */

/* rule-reader.c: inih's reader callback (userdata is the RuleParser). Hands out one
 * checked line, or NULL to stop: at the end of the text, or after the first error. Section
 * headers are parsed here, since inih truncates them. */
char *rule_reader_next_line(char *buf, int size, void *userdata);

/* rule-keys.c: inih's handler callback (userdata is the RuleParser): checks one key of
 * [rule] or [fix] and keeps its text. Returns 1 to go on, 0 after the first error. */
int rule_keys_handler(void *userdata, const char *section, const char *name, const char *value);
/* rule-keys.c: the key name of a [rule] field ("id", "title", ...). */
const char *rule_keys_field_name(RuleField f);

/* rule-action.c: parses the text of one fix action into ret (which the caller releases
 * with the Rule, also on failure). Returns 0 or the failure recorded in p. */
int rule_action_parse(RuleParser *p, const RawAction *raw, FixAction *ret);
