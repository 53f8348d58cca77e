/* lexer.c - line and token scanner for *.topo files.
 *
 * Columns count display columns, as GCC's diagnostics do by default
 * (-fdiagnostics-column-unit=display): every byte except UTF-8 continuation
 * bytes (0x80-0xbf) starts a new character, which takes two columns when it
 * is East Asian Wide (于), none when it is zero-width (a combining mark) and
 * one otherwise (a tab, a bad byte). diag.c counts the same way when it puts
 * the caret under a column, so the caret lands under the character after
 * Chinese text in a terminal. Rejected: code points (what this counted
 * before): after "于超的电脑" a caret sat five columns too far left.
 */
#include "sim/topo/lexer.h"

#include "sim/util/textwidth.h"

#include <string.h>

struct _SimLexer {
    const char *file;
    const char *text;
    gsize len;
    gsize pos; /* start of the next physical line */
    guint lineno;
    SimDiag *diag;
    GArray *toks; /* SimTok */
    SimTokLine line;
};

SimLexer *sim_lexer_new(const char *file, const char *text, gsize len, SimDiag *diag)
{
    SimLexer *lx = g_new0(SimLexer, 1);
    lx->file = file;
    lx->text = text;
    lx->len = len;
    lx->diag = diag;
    lx->toks = g_array_new(FALSE, TRUE, sizeof(SimTok));
    return lx;
}

static void clear_toks(SimLexer *lx)
{
    for (guint i = 0; i < lx->toks->len; i++)
        g_free(g_array_index(lx->toks, SimTok, i).text);
    g_array_set_size(lx->toks, 0);
}

void sim_lexer_free(SimLexer *lx)
{
    if (lx == NULL)
        return;
    clear_toks(lx);
    g_array_unref(lx->toks);
    g_free(lx);
}

/* A cursor over one physical line, tracking the character column. */
typedef struct {
    const char *p;
    const char *end;
    guint col;
} Cursor;

static void advance(Cursor *c)
{
    const char *start = c->p;
    c->p++;
    while (c->p < c->end && ((guchar)*c->p & 0xc0) == 0x80)
        c->p++;
    gunichar u =
        (guchar)*start < 0x80 ? (guchar)*start : g_utf8_get_char_validated(start, c->p - start);
    c->col += u == (gunichar)-1 || u == (gunichar)-2 || u < 0x80 ? 1 : sim_unichar_width(u);
}

static gboolean is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

static gboolean is_word_char(char ch)
{
    return ch > ' ' && ch < 0x7f && ch != '#' && ch != '"';
}

static void lex_error(SimLexer *lx, guint col, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void lex_error(SimLexer *lx, guint col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sim_diag_reportv(lx->diag, SIM_DIAG_ERROR, lx->file, lx->lineno, col, fmt, ap);
    va_end(ap);
    lx->line.bad = TRUE;
}

static void bad_char(SimLexer *lx, const Cursor *c)
{
    guchar ch = (guchar)*c->p;
    if (ch == 0)
        lex_error(lx, c->col, "NUL byte in input");
    else if (ch >= 0x80)
        lex_error(lx, c->col,
                  "non-ASCII character outside a quoted string: names are ASCII "
                  "identifiers; give the device an ASCII name and a label, as in '%s'",
                  "host yuchao label \"于超的电脑\"");
    else
        lex_error(lx, c->col, "unexpected control character 0x%02x", ch);
}

static void push(SimLexer *lx, SimTokKind kind, char *text, guint col, guint endcol)
{
    SimTok t = {.kind = kind, .text = text, .col = col, .endcol = endcol};
    g_array_append_val(lx->toks, t);
}

/* The value of hex digit ch, or -1. */
static int hex_val(char ch)
{
    return g_ascii_isxdigit(ch) ? g_ascii_xdigit_value(ch) : -1;
}

/* One escape after a backslash (c at the character after it): appends its
 * byte to s. C's escapes \r \n \t \\ \" and \xNN (exactly two hex digits,
 * not 00: a token is a NUL-terminated string). Rejected: octal and \u, which
 * no scenario needs; UTF-8 text is written as itself. */
static gboolean lex_escape(SimLexer *lx, Cursor *c, GString *s)
{
    guint bcol = c->col - 1;
    char ch = c->p < c->end ? *c->p : '\0';
    static const char from[] = "rnt\\\"", to[] = "\r\n\t\\\"";
    const char *k = ch ? strchr(from, ch) : NULL;
    if (k) {
        g_string_append_c(s, to[k - from]);
        advance(c);
        return TRUE;
    }
    if (ch == 'x') {
        int hi = c->p + 1 < c->end ? hex_val(c->p[1]) : -1;
        int lo = c->p + 2 < c->end ? hex_val(c->p[2]) : -1;
        if (hi < 0 || lo < 0) {
            lex_error(lx, bcol, "bad escape in string: \\x needs two hex digits (e.g. \\x41)");
            return FALSE;
        }
        if (hi == 0 && lo == 0) {
            lex_error(lx, bcol, "bad escape in string: \\x00 (a NUL byte) is not allowed");
            return FALSE;
        }
        g_string_append_c(s, (char)(hi * 16 + lo));
        for (int i = 0; i < 3; i++)
            advance(c);
        return TRUE;
    }
    lex_error(lx, bcol, "unknown escape in string (use \\r \\n \\t \\\\ \\\" or \\xNN)");
    return FALSE;
}

/* Scans a quoted string starting at the opening quote; escapes as
 * lex_escape. The unescaped text must be valid UTF-8. */
static gboolean lex_string(SimLexer *lx, Cursor *c)
{
    guint col = c->col;
    GString *s = g_string_new(NULL);
    advance(c);
    while (c->p < c->end && *c->p != '"') {
        const char *start = c->p;
        guchar ch = (guchar)*c->p;
        if (ch < 0x20 && ch != '\t') {
            bad_char(lx, c);
            g_string_free(s, TRUE);
            return FALSE;
        }
        if (ch == '\\') {
            advance(c);
            if (!lex_escape(lx, c, s)) {
                g_string_free(s, TRUE);
                return FALSE;
            }
            continue;
        }
        advance(c);
        g_string_append_len(s, start, c->p - start);
    }
    if (c->p >= c->end) {
        lex_error(lx, col, "unterminated string");
        g_string_free(s, TRUE);
        return FALSE;
    }
    if (!g_utf8_validate(s->str, (gssize)s->len, NULL)) {
        lex_error(lx, col, "string is not valid UTF-8");
        g_string_free(s, TRUE);
        return FALSE;
    }
    advance(c);
    push(lx, SIM_TOK_STRING, g_string_free(s, FALSE), col, c->col);
    return TRUE;
}

/* Tokenises [p, end); stops at the first lexical error. */
static void lex_line(SimLexer *lx, const char *p, const char *end)
{
    Cursor c = {.p = p, .end = end, .col = 1};
    lx->line.indented = c.p < c.end && is_blank(*c.p);
    while (c.p < c.end) {
        char ch = *c.p;
        if (is_blank(ch)) {
            advance(&c);
        } else if (ch == '#') {
            return;
        } else if (ch == '"') {
            if (!lex_string(lx, &c))
                return;
        } else if (is_word_char(ch)) {
            const char *start = c.p;
            guint col = c.col;
            while (c.p < c.end && is_word_char(*c.p))
                advance(&c);
            push(lx, SIM_TOK_WORD, g_strndup(start, c.p - start), col, c.col);
        } else {
            bad_char(lx, &c);
            return;
        }
    }
}

const SimTokLine *sim_lexer_next(SimLexer *lx)
{
    for (;;) {
        clear_toks(lx);
        if (lx->pos >= lx->len)
            return NULL;
        const char *p = lx->text + lx->pos;
        const char *nl = memchr(p, '\n', lx->len - lx->pos);
        const char *end = nl ? nl : lx->text + lx->len;
        lx->pos = (gsize)(end - lx->text) + 1;
        lx->lineno++;
        if (end > p && end[-1] == '\r') /* CRLF files */
            end--;
        lx->line.line = lx->lineno;
        lx->line.bad = FALSE;
        lex_line(lx, p, end);
        if (lx->toks->len == 0 && !lx->line.bad)
            continue;
        lx->line.ntoks = lx->toks->len;
        lx->line.toks = (SimTok *)(void *)lx->toks->data;
        return &lx->line;
    }
}
