/* lexer.h - splits topology text into lines of tokens.
 *
 * Design: the language is line-oriented, so the lexer hands the parser one
 * logical line at a time: its tokens, and whether it is indented (which
 * makes it part of the block of the device above). Blank and comment-only
 * lines are skipped. There are two token kinds: a word (any run of printable
 * ASCII without blanks, '#' or '"') and a quoted string. Words are not split
 * further here: "swA.3", "192.168.1.0/24" and "1.5Mbps" are each one word
 * whose meaning depends on where it stands, which the parser knows.
 * A string's escapes are C's \r \n \t \\ \" and \xNN (not \x00: tokens are
 * NUL-terminated), so scenario payloads such as "GET / HTTP/1.0\r\n\r\n"
 * can be written; the unescaped text must be valid UTF-8.
 * Rejected: a character-level grammar with punctuation tokens ('.', '/',
 * ':'), which would make every value parser reassemble its text.
 *
 * A line with a lexical error (control byte, non-ASCII outside a string,
 * unterminated string) is reported once and flagged `bad`; the parser skips
 * it. Work is O(n) in the input; a line's tokens live until the next call.
 */
#pragma once

#include <glib.h>

#include "sim/topo/diag.h"

typedef enum { SIM_TOK_WORD, SIM_TOK_STRING } SimTokKind;

typedef struct {
    SimTokKind kind;
    char *text;   /* NUL-terminated; a string's content without quotes, unescaped */
    guint col;    /* first character (the opening quote for a string) */
    guint endcol; /* column just past the token */
} SimTok;

typedef struct {
    guint line;
    gboolean indented;
    gboolean bad; /* a lexical error was reported on this line */
    guint ntoks;
    SimTok *toks; /* owned by the lexer */
} SimTokLine;

typedef struct _SimLexer SimLexer;

/* Lexes text[0..len) (which may contain NUL bytes). `file` names the input
 * in diagnostics and must outlive the lexer; `diag` receives lexical errors. */
SimLexer *sim_lexer_new(const char *file, const char *text, gsize len, SimDiag *diag);
void sim_lexer_free(SimLexer *lx); /* NULL is a no-op */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimLexer, sim_lexer_free)

/* The next non-blank line, or NULL at the end of input. The line and its
 * tokens are valid until the next call. */
const SimTokLine *sim_lexer_next(SimLexer *lx);
