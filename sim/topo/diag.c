/* diag.c - store and render diagnostics; did-you-mean suggestions.
 *
 * Strings (file names, messages) live in one GStringChunk owned by the diag,
 * so SimDiagMsg can hand out const pointers that stay valid until
 * sim_diag_free. Rendering sanitises the quoted source line (control bytes
 * and invalid UTF-8 become '?') so hostile input cannot garble a terminal,
 * and shows a window around the column when a line is very long.
 */
#include "sim/topo/diag.h"

#include "sim/util/textwidth.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#define WINDOW_COLS 160 /* lines wider than this are shown as a window */

typedef struct {
    char *file;
    char *text;
    gsize len;
    GArray *starts; /* gsize offset of each line start */
} Source;

struct _SimDiag {
    GArray *msgs; /* SimDiagMsg */
    GStringChunk *strings;
    GPtrArray *sources; /* Source*, owned */
    guint max_errors;
    guint errors;
    guint warnings;
    guint dropped_errors;
    gboolean dropping; /* the last error was dropped: drop its notes too */
};

static void source_free(gpointer data)
{
    Source *s = data;
    g_free(s->file);
    g_free(s->text);
    g_array_unref(s->starts);
    g_free(s);
}

SimDiag *sim_diag_new(void)
{
    SimDiag *d = g_new0(SimDiag, 1);
    d->msgs = g_array_new(FALSE, TRUE, sizeof(SimDiagMsg));
    d->strings = g_string_chunk_new(1024);
    d->sources = g_ptr_array_new_with_free_func(source_free);
    d->max_errors = SIM_DIAG_DEFAULT_MAX_ERRORS;
    return d;
}

void sim_diag_free(SimDiag *diag)
{
    if (diag == NULL)
        return;
    g_array_unref(diag->msgs);
    g_string_chunk_free(diag->strings);
    g_ptr_array_unref(diag->sources);
    g_free(diag);
}

void sim_diag_set_max_errors(SimDiag *diag, guint max)
{
    diag->max_errors = max;
}

static Source *find_source(const SimDiag *diag, const char *file)
{
    if (file == NULL)
        return NULL;
    for (guint i = 0; i < diag->sources->len; i++) {
        Source *s = g_ptr_array_index(diag->sources, i);
        if (strcmp(s->file, file) == 0)
            return s;
    }
    return NULL;
}

void sim_diag_add_source(SimDiag *diag, const char *file, const char *text, gsize len)
{
    Source *old = find_source(diag, file);
    if (old != NULL)
        g_ptr_array_remove(diag->sources, old);
    Source *s = g_new0(Source, 1);
    s->file = g_strdup(file);
    s->text = g_malloc(len + 1); /* text need not be NUL-terminated */
    memcpy(s->text, text, len);
    s->text[len] = '\0';
    s->len = len;
    s->starts = g_array_new(FALSE, FALSE, sizeof(gsize));
    gsize zero = 0;
    g_array_append_val(s->starts, zero);
    for (gsize i = 0; i < len; i++) {
        if (text[i] == '\n') {
            gsize next = i + 1;
            g_array_append_val(s->starts, next);
        }
    }
    g_ptr_array_add(diag->sources, s);
}

void sim_diag_reportv(SimDiag *diag, SimDiagKind kind, const char *file, guint line, guint col,
                      const char *fmt, va_list ap)
{
    if (kind == SIM_DIAG_ERROR) {
        diag->errors++;
        diag->dropping = diag->max_errors != 0 && diag->errors > diag->max_errors;
        if (diag->dropping) {
            diag->dropped_errors++;
            return;
        }
    } else if (kind == SIM_DIAG_WARNING) {
        diag->warnings++;
        diag->dropping = FALSE;
    } else if (diag->dropping) {
        return;
    }
    SimDiagMsg m = {
        .kind = kind,
        .file = file ? g_string_chunk_insert_const(diag->strings, file) : NULL,
        .line = line,
        .col = line ? col : 0,
    };
    /* Messages are translated here, where they are formatted, as GCC's
     * diagnostic core does: call sites pass English literals, and xgettext
     * finds them by the reporting functions' names (po/update.sh's
     * --keyword list), so a new diagnostic needs no _() to be caught. */
    g_autofree char *text = g_strdup_vprintf(_(fmt), ap);
    m.message = g_string_chunk_insert(diag->strings, text);
    g_array_append_val(diag->msgs, m);
}

void sim_diag_report(SimDiag *diag, SimDiagKind kind, const char *file, guint line, guint col,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sim_diag_reportv(diag, kind, file, line, col, fmt, ap);
    va_end(ap);
}

guint sim_diag_errors(const SimDiag *diag)
{
    return diag->errors;
}

guint sim_diag_warnings(const SimDiag *diag)
{
    return diag->warnings;
}

gboolean sim_diag_has_errors(const SimDiag *diag)
{
    return diag->errors > 0;
}

gboolean sim_diag_full(const SimDiag *diag)
{
    return diag->dropped_errors > 0;
}

guint sim_diag_count(const SimDiag *diag)
{
    return diag->msgs->len;
}

const SimDiagMsg *sim_diag_get(const SimDiag *diag, guint i)
{
    g_return_val_if_fail(i < diag->msgs->len, NULL);
    return &g_array_index(diag->msgs, SimDiagMsg, i);
}

int sim_diag_find(const SimDiag *diag, SimDiagKind kind)
{
    for (guint i = 0; i < diag->msgs->len; i++) {
        if (g_array_index(diag->msgs, SimDiagMsg, i).kind == kind)
            return (int)i;
    }
    return -1;
}

typedef struct {
    guint start, end; /* a message and its notes: [start, end) */
} Group;

static int cmp_group(gconstpointer pa, gconstpointer pb, gpointer data)
{
    const Group *ga = pa, *gb = pb;
    const SimDiagMsg *a = &g_array_index((GArray *)data, SimDiagMsg, ga->start);
    const SimDiagMsg *b = &g_array_index((GArray *)data, SimDiagMsg, gb->start);
    int c = g_strcmp0(a->file, b->file);
    if (c == 0)
        c = (a->line > b->line) - (a->line < b->line);
    if (c == 0)
        c = (a->col > b->col) - (a->col < b->col);
    if (c == 0)
        c = (ga->start > gb->start) - (ga->start < gb->start);
    return c;
}

void sim_diag_sort(SimDiag *diag)
{
    GArray *msgs = diag->msgs;
    g_autoptr(GArray) groups = g_array_new(FALSE, FALSE, sizeof(Group));
    for (guint i = 0; i < msgs->len; i++) {
        if (i == 0 || g_array_index(msgs, SimDiagMsg, i).kind != SIM_DIAG_NOTE) {
            Group g = {i, i + 1};
            g_array_append_val(groups, g);
        } else {
            g_array_index(groups, Group, groups->len - 1).end = i + 1;
        }
    }
    g_array_sort_with_data(groups, cmp_group, msgs);
    GArray *sorted = g_array_sized_new(FALSE, TRUE, sizeof(SimDiagMsg), msgs->len);
    for (guint k = 0; k < groups->len; k++) {
        Group *g = &g_array_index(groups, Group, k);
        g_array_append_vals(sorted, &g_array_index(msgs, SimDiagMsg, g->start), g->end - g->start);
    }
    g_array_unref(msgs);
    diag->msgs = sorted;
}

/* "error: " and its kin, translated as GCC's catalogues do (zh_CN: 错误：);
 * "file:line:col: " in front stays, so editors still find the place. */
static const char *kind_name(SimDiagKind kind)
{
    switch (kind) {
    case SIM_DIAG_ERROR:
        return _("error: ");
    case SIM_DIAG_WARNING:
        return _("warning: ");
    case SIM_DIAG_NOTE:
        return _("note: ");
    }
    return _("error: ");
}

static void append_head(GString *out, const SimDiagMsg *m)
{
    if (m->file != NULL) {
        g_string_append(out, m->file);
        if (m->line > 0)
            g_string_append_printf(out, ":%u", m->line);
        if (m->line > 0 && m->col > 0)
            g_string_append_printf(out, ":%u", m->col);
        g_string_append(out, ": ");
    }
    g_string_append_printf(out, "%s%s", kind_name(m->kind), m->message);
}

char *sim_diag_format(const SimDiag *diag, guint i)
{
    GString *out = g_string_new(NULL);
    append_head(out, sim_diag_get(diag, i));
    return g_string_free(out, FALSE);
}

/* Length in bytes of the character at p (lead byte plus continuation bytes,
 * as the lexer counts columns), and whether it is safe to print as is. A
 * stray run of continuation bytes is one unprintable character. */
static gsize char_len(const char *p, const char *end, gboolean *printable)
{
    gsize n = 1;
    while (p + n < end && ((guchar)p[n] & 0xc0) == 0x80)
        n++;
    guchar c = (guchar)*p;
    if (c < 0x80) {
        *printable = n == 1 && (c == '\t' || (c >= 0x20 && c < 0x7f));
        return n;
    }
    gunichar u = g_utf8_get_char_validated(p, (gssize)n);
    *printable = u != (gunichar)-1 && u != (gunichar)-2 && g_unichar_isprint(u) &&
                 (gsize)g_unichar_to_utf8(u, NULL) == n;
    return n;
}

/* Display columns of the printable character p[0..n) (lexer.c counts the
 * same): 2 for East Asian Wide, 0 for zero-width, else 1. */
static guint char_cols(const char *p, gsize n)
{
    if ((guchar)*p < 0x80)
        return 1;
    return sim_unichar_width(g_utf8_get_char_validated(p, (gssize)n));
}

/* Appends the sanitised line and the caret line, both in display columns:
 * a character takes its width (two spaces under a CJK character), a bad
 * byte run one '?'. */
static void append_source(GString *out, const char *p, const char *end, guint col)
{
    GString *disp = g_string_new(NULL);
    GString *caret = g_string_new(NULL);
    guint c = 1;
    guint first = 1;
    if (col > WINDOW_COLS)
        first = col - WINDOW_COLS / 2;
    if (first > 1)
        g_string_append(disp, "...");
    while (p < end) {
        gboolean ok;
        gsize n = char_len(p, end, &ok);
        guint w = ok ? char_cols(p, n) : 1;
        if (c >= first && c < first + WINDOW_COLS) {
            if (ok)
                g_string_append_len(disp, p, (gssize)n);
            else
                g_string_append_c(disp, '?');
            for (guint k = 0; k < w && c + k < col; k++)
                g_string_append_c(caret, *p == '\t' ? '\t' : ' ');
        } else if (c >= first + WINDOW_COLS) {
            g_string_append(disp, "...");
            break;
        }
        c += w;
        p += n;
    }
    if (first > 1)
        g_string_prepend(caret, "   ");
    for (; c < col && c < first + WINDOW_COLS; c++)
        g_string_append_c(caret, ' ');
    g_string_append_printf(out, "%s\n%s^\n", disp->str, caret->str);
    g_string_free(disp, TRUE);
    g_string_free(caret, TRUE);
}

static void append_message(const SimDiag *diag, GString *out, const SimDiagMsg *m)
{
    append_head(out, m);
    g_string_append_c(out, '\n');
    Source *s = find_source(diag, m->file);
    if (s == NULL || m->line == 0 || m->line > s->starts->len)
        return;
    gsize start = g_array_index(s->starts, gsize, m->line - 1);
    const char *p = s->text + start;
    const char *nl = memchr(p, '\n', s->len - start);
    const char *end = nl ? nl : s->text + s->len;
    if (end > p && end[-1] == '\r')
        end--;
    append_source(out, p, end, m->col ? m->col : 1);
}

char *sim_diag_render(const SimDiag *diag)
{
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < diag->msgs->len; i++)
        append_message(diag, out, &g_array_index(diag->msgs, SimDiagMsg, i));
    if (diag->dropped_errors > 0)
        g_string_append_printf(out, _("note: too many errors; only the first %u are shown\n"),
                               diag->max_errors);
    return g_string_free(out, FALSE);
}

void sim_diag_print(const SimDiag *diag, FILE *out)
{
    g_autofree char *text = sim_diag_render(diag);
    fputs(text, out);
}

/* Optimal string alignment distance: Levenshtein plus adjacent
 * transposition at cost 1, because "prots" for "ports" is the most common
 * typo and plain Levenshtein would call it 2. O(|a|*|b|) time, O(|b|) x 3
 * memory. */
guint sim_diag_levenshtein(const char *a, const char *b)
{
    gsize la = strlen(a), lb = strlen(b);
    if (la == 0 || lb == 0)
        return (guint)MAX(la, lb);
    guint *prev2 = g_new0(guint, lb + 1);
    guint *prev = g_new0(guint, lb + 1);
    guint *cur = g_new0(guint, lb + 1);
    for (gsize j = 0; j <= lb; j++)
        prev[j] = (guint)j;
    for (gsize i = 1; i <= la; i++) {
        cur[0] = (guint)i;
        for (gsize j = 1; j <= lb; j++) {
            guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
            guint v = MIN(MIN(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                v = MIN(v, prev2[j - 2] + 1);
            cur[j] = v;
        }
        guint *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    guint d = prev[lb];
    g_free(prev2);
    g_free(prev);
    g_free(cur);
    return d;
}

const char *sim_diag_suggest(const char *word, const char *const *cands, gsize n)
{
    gsize len = strlen(word);
    guint limit = MAX(1, (guint)MIN(len, 64) / 3);
    const char *best = NULL;
    guint best_d = G_MAXUINT;
    for (gsize i = 0; i < n; i++) {
        const char *c = cands[i];
        if (c == NULL)
            continue;
        gsize lc = strlen(c);
        guint d;
        if (g_ascii_strcasecmp(word, c) == 0)
            d = 0;
        else if ((lc > len ? lc - len : len - lc) > limit)
            continue; /* also keeps huge garbage tokens cheap */
        else
            d = sim_diag_levenshtein(word, c);
        if (d <= limit && d < best_d) {
            best = c;
            best_d = d;
        }
    }
    return best;
}

const char *sim_diag_suggest_array(const char *word, const GPtrArray *cands)
{
    if (cands == NULL)
        return NULL;
    return sim_diag_suggest(word, (const char *const *)cands->pdata, cands->len);
}
