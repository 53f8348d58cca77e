/* diag.h - diagnostics (errors, warnings, notes) for the topology language.
 *
 * Design: messages are appended to an array in report order and rendered on
 * demand, so no parser or validator prints and tests can inspect every
 * message. The diag keeps its own copy of each source text
 * (sim_diag_add_source) so a caret line can be shown after the parser and the
 * AST are gone; line starts are indexed once per file (O(n)) and looked up by
 * binary search. Rejected: printing straight to stderr (untestable) and
 * copying the source line into every message (wasteful when a 10 000-line
 * file has many warnings).
 *
 * Columns are 1-based and count display columns, as GCC does by default: a
 * CJK (East Asian Wide) character is two, a combining mark none, anything
 * else (a tab too) one; line 0 means "no position" (e.g. an unreadable
 * file).
 */
#pragma once

#include <glib.h>
#include <stdio.h>

typedef enum { SIM_DIAG_ERROR, SIM_DIAG_WARNING, SIM_DIAG_NOTE } SimDiagKind;

typedef struct {
    SimDiagKind kind;
    const char *file; /* owned by the diag; NULL when not tied to a file */
    guint line;       /* 1-based; 0 = no position */
    guint col;        /* 1-based; 0 = no column */
    const char *message;
} SimDiagMsg;

typedef struct _SimDiag SimDiag;

#define SIM_DIAG_DEFAULT_MAX_ERRORS 20

SimDiag *sim_diag_new(void);
void sim_diag_free(SimDiag *diag); /* NULL is a no-op */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimDiag, sim_diag_free)

/* After max errors, further errors (and their notes) are counted but not
 * stored. 0 = unlimited. The default is SIM_DIAG_DEFAULT_MAX_ERRORS. */
void sim_diag_set_max_errors(SimDiag *diag, guint max);
/* Copies text[0..len) so that messages on `file` can quote their line. A
 * second call for the same file name replaces the text. */
void sim_diag_add_source(SimDiag *diag, const char *file, const char *text, gsize len);

/* fmt is an English message, translated here (gettext); xgettext extracts it
 * from the callers listed in po/update.sh. */
void sim_diag_report(SimDiag *diag, SimDiagKind kind, const char *file, guint line, guint col,
                     const char *fmt, ...) G_GNUC_PRINTF(6, 7);
void sim_diag_reportv(SimDiag *diag, SimDiagKind kind, const char *file, guint line, guint col,
                      const char *fmt, va_list ap) G_GNUC_PRINTF(6, 0);

guint sim_diag_errors(const SimDiag *diag); /* all errors, including those past the cap */
guint sim_diag_warnings(const SimDiag *diag);
gboolean sim_diag_has_errors(const SimDiag *diag);
/* TRUE once an error was dropped for being past the cap: callers may stop,
 * since nothing more they find would be shown. */
gboolean sim_diag_full(const SimDiag *diag);

/* Orders stored messages by (file, line, column), keeping each note right
 * after the message it belongs to and equal positions in report order, so
 * output reads top to bottom even when checks ran in several passes. */
void sim_diag_sort(SimDiag *diag);

guint sim_diag_count(const SimDiag *diag); /* stored messages */
const SimDiagMsg *sim_diag_get(const SimDiag *diag, guint i);
/* Index of the first stored message of `kind`, or -1. */
int sim_diag_find(const SimDiag *diag, SimDiagKind kind);
/* "file:line:col: error: message" for message i, without the source line.
 * Caller frees. */
char *sim_diag_format(const SimDiag *diag, guint i);
/* Every stored message with its source line and a caret under the column,
 * then a note when errors were left out past the cap. Caller frees. */
char *sim_diag_render(const SimDiag *diag);
void sim_diag_print(const SimDiag *diag, FILE *out);

/* Edit distance (insert, delete, substitute, each 1), byte-wise. */
guint sim_diag_levenshtein(const char *a, const char *b);
/* The candidate nearest to `word` if it is near enough to be a plausible
 * typo (distance <= max(1, strlen(word) / 3), or equal ignoring case), else
 * NULL. Ties go to the earliest candidate, so the answer is deterministic.
 * Returns a pointer into `cands` (not a copy). */
const char *sim_diag_suggest(const char *word, const char *const *cands, gsize n);
/* Same, over a GPtrArray of char*. */
const char *sim_diag_suggest_array(const char *word, const GPtrArray *cands);
