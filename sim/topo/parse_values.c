/* parse_values.c - values, names, endpoints and keyword/value lists.
 *
 * Every value error reads "bad <keyword> '<text>': <reason>", with the reason
 * from the value parser (addr.c, simtime.c or the rate/percent parsers
 * below), so users see one consistent shape whatever the value type.
 * Rates are parsed as exact integers (like simtime.c), never through a
 * double: "1.1Mbps" must be 1100000 bps, not 1099999.
 */
#include "sim/topo/parser.h"
#include "sim/topo/parser_priv.h"

#include <string.h>

/* ---- diagnostics helpers ------------------------------------------------ */

void sim_parser_error(SimParser *p, guint line, guint col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sim_diag_reportv(p->diag, SIM_DIAG_ERROR, p->file, line, col, fmt, ap);
    va_end(ap);
}

void sim_parser_note(SimParser *p, SimTopoPos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sim_diag_reportv(p->diag, SIM_DIAG_NOTE, p->file, pos.line, pos.col, fmt, ap);
    va_end(ap);
}

SimTopoPos sim_parser_pos(const SimParser *p, guint line, guint col)
{
    return (SimTopoPos){.file = p->file, .line = line, .col = col};
}

SimTopoPos sim_parser_tok_pos(const SimParser *p, const SimTokLine *ln, const SimTok *t)
{
    return sim_parser_pos(p, ln->line, t->col);
}

void sim_parser_expected(SimParser *p, const SimTokLine *ln, const SimTok *prev, const char *what)
{
    sim_parser_error(p, ln->line, prev->endcol, "expected %s after '%s'", what, prev->text);
}

gboolean sim_parser_end(SimParser *p, const SimTokLine *ln, guint i)
{
    if (i >= ln->ntoks)
        return TRUE;
    const SimTok *t = &ln->toks[i];
    if (t->kind == SIM_TOK_STRING)
        sim_parser_error(p, ln->line, t->col, "unexpected string at end of line");
    else
        sim_parser_error(p, ln->line, t->col, "unexpected '%s' at end of line", t->text);
    return FALSE;
}

/* ---- tables --------------------------------------------------------------- */

const SimAttrSpec *sim_parser_lookup(const SimAttrSpec *specs, gsize n, const char *word)
{
    for (gsize i = 0; i < n; i++) {
        if (strcmp(specs[i].kw, word) == 0)
            return &specs[i];
    }
    return NULL;
}

/* Keywords of planned capabilities (docs/topology-language.md §6) that
 * netsim does not model yet: a clear "not supported yet" rather than an
 * "unknown" with a misleading suggestion. A row goes when its feature
 * lands. */
static const struct {
    const char *kw, *why;
} planned[] = {
    {NULL, NULL}, /* none at the moment (dns landed with #16) */
};

void sim_parser_unknown_word(SimParser *p, const SimTokLine *ln, const SimTok *t, const char *what,
                             const char *const *kws, gsize n)
{
    if (t->kind == SIM_TOK_STRING) {
        sim_parser_error(p, ln->line, t->col, "expected a %s, got a string", what);
        return;
    }
    for (gsize i = 0; planned[i].kw; i++) {
        if (strcmp(t->text, planned[i].kw) == 0) {
            sim_parser_error(p, ln->line, t->col, "'%s' is not supported yet: %s", t->text,
                             planned[i].why);
            return;
        }
    }
    const char *s = sim_diag_suggest(t->text, kws, n);
    if (s != NULL)
        sim_parser_error(p, ln->line, t->col, "unknown %s '%s' (did you mean '%s'?)", what, t->text,
                         s);
    else
        sim_parser_error(p, ln->line, t->col, "unknown %s '%s'", what, t->text);
}

void sim_parser_unknown(SimParser *p, const SimTokLine *ln, const SimTok *t, const char *what,
                        const SimAttrSpec *specs, gsize n)
{
    const char **kws = g_new0(const char *, n + 1);
    for (gsize i = 0; i < n; i++)
        kws[i] = specs[i].kw;
    sim_parser_unknown_word(p, ln, t, what, kws, n);
    g_free(kws);
}

void sim_parser_poison(SimParser *p, const SimTok *t)
{
    if (t->kind == SIM_TOK_WORD)
        g_hash_table_add(p->topo->poisoned, g_strdup(t->text));
}

/* ---- names ------------------------------------------------------------------- */

gboolean sim_parser_is_name(const char *s)
{
    if (!g_ascii_isalpha(*s) && *s != '_')
        return FALSE;
    gsize n = 1;
    for (s++; *s; s++, n++) {
        if (!g_ascii_isalnum(*s) && *s != '_' && *s != '-')
            return FALSE;
    }
    return n <= SIM_NAME_MAX;
}

gboolean sim_parser_name(SimParser *p, const SimTokLine *ln, const SimTok *t, const char *what)
{
    if (t->kind == SIM_TOK_STRING) {
        sim_parser_error(p, ln->line, t->col, "expected a %s, got a string", what);
        return FALSE;
    }
    if (sim_parser_is_name(t->text))
        return TRUE;
    /* A device declared with this bad name was reported there: one
     * mistake, one error (docs/topology-language.md §5). */
    if (g_hash_table_contains(p->topo->poisoned, t->text))
        return FALSE;
    if (strlen(t->text) > SIM_NAME_MAX)
        sim_parser_error(p, ln->line, t->col, "bad %s '%.20s...': longer than %d characters", what,
                         t->text, SIM_NAME_MAX);
    else
        sim_parser_error(p, ln->line, t->col,
                         "bad %s '%s': a name starts with a letter or '_' and goes on with "
                         "letters, digits, '_' or '-'",
                         what, t->text);
    return FALSE;
}

gboolean sim_parser_endpoint(SimParser *p, const SimTokLine *ln, const SimTok *t,
                             SimTopoEndpoint *ep)
{
    if (t->kind == SIM_TOK_STRING) {
        sim_parser_error(p, ln->line, t->col,
                         "expected an endpoint (NODE or NODE.IFACE), got a "
                         "string");
        return FALSE;
    }
    const char *dot = strchr(t->text, '.');
    g_autofree char *node = dot ? g_strndup(t->text, dot - t->text) : g_strdup(t->text);
    if (*node == '\0') { /* "../etc", ".eth0": no node at all */
        sim_parser_error(p, ln->line, t->col, "bad endpoint '%s': expected NODE or NODE.IFACE",
                         t->text);
        return FALSE;
    }
    SimTok nt = *t;
    nt.text = node;
    if (!sim_parser_name(p, ln, &nt, "node name"))
        return FALSE;
    const char *sub = dot ? dot + 1 : NULL;
    guint subcol = t->col + (guint)strlen(node) + 1;
    if (sub != NULL && *sub == '\0') {
        sim_parser_error(p, ln->line, subcol, "expected an interface or port after '%s.'", node);
        return FALSE;
    }
    if (sub != NULL && !sim_parser_is_name(sub) && strspn(sub, "0123456789") != strlen(sub)) {
        sim_parser_error(p, ln->line, subcol, "bad interface or port '%s' in '%s'", sub, t->text);
        return FALSE;
    }
    ep->node = g_steal_pointer(&node);
    ep->pos = sim_parser_tok_pos(p, ln, t);
    ep->sub = g_strdup(sub);
    ep->sub_pos = sim_parser_pos(p, ln->line, sub ? subcol : t->col);
    return TRUE;
}

/* ---- rate and percent ------------------------------------------------------- */

G_GNUC_PRINTF(3, 4)
static void set_error(GError **error, const char *input, const char *fmt, ...)
{
    if (error == NULL)
        return;
    g_autofree char *quoted = g_strescape(input, NULL);
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *reason = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, SIM_TOPO_ERROR, SIM_TOPO_ERROR_INVALID, "'%s': %s", quoted, reason);
}

/* clang-format would put spaces into the quark's name. */
// clang-format off
G_DEFINE_QUARK(sim-topo-error-quark, sim_topo_error)
// clang-format on

#define RATE_UNITS "bps, kbps, Mbps or Gbps"

gboolean sim_topo_parse_rate(const char *s, guint64 *bps, GError **error)
{
    static const struct {
        const char *name;
        guint exp; /* power of ten */
    } units[] = {{"bps", 0}, {"kbps", 3}, {"Mbps", 6}, {"Gbps", 9}};
    const char *p = s;
    guint64 ipart = 0;
    if (!g_ascii_isdigit(*p)) {
        set_error(error, s, "expected a number before the unit");
        return FALSE;
    }
    for (; g_ascii_isdigit(*p); p++) {
        if (!g_uint64_checked_mul(&ipart, ipart, 10) ||
            !g_uint64_checked_add(&ipart, ipart, (guint64)(*p - '0'))) {
            set_error(error, s, "too large");
            return FALSE;
        }
    }
    const char *frac = p, *frac_end = p;
    if (*p == '.') {
        frac = ++p;
        while (g_ascii_isdigit(*p))
            p++;
        frac_end = p;
        if (frac == frac_end) {
            set_error(error, s, "expected a digit after '.'");
            return FALSE;
        }
    }
    while (frac_end > frac && frac_end[-1] == '0') /* "1.50Mbps" == "1.5Mbps" */
        frac_end--;
    if (*p == '\0') {
        set_error(error, s, "missing unit (" RATE_UNITS ")");
        return FALSE;
    }
    if (sim_time_is_exponent(p)) {
        set_error(error, s,
                  "exponents are not accepted: write the digits with a unit (" RATE_UNITS ")");
        return FALSE;
    }
    gint u = -1;
    for (guint i = 0; i < G_N_ELEMENTS(units); i++) {
        if (strcmp(p, units[i].name) == 0)
            u = (gint)i;
    }
    if (u < 0) {
        set_error(error, s, "unknown unit '%s' (use " RATE_UNITS ")", p);
        return FALSE;
    }
    guint nfrac = (guint)(frac_end - frac);
    if (nfrac > units[u].exp) {
        set_error(error, s, "finer than 1 bps");
        return FALSE;
    }
    guint64 scale = 1, fval = 0;
    for (guint i = 0; i < units[u].exp; i++)
        scale *= 10;
    for (const char *f = frac; f < frac_end; f++)
        fval = fval * 10 + (guint64)(*f - '0');
    for (guint i = nfrac; i < units[u].exp; i++)
        fval *= 10;
    guint64 v;
    if (!g_uint64_checked_mul(&v, ipart, scale) || !g_uint64_checked_add(&v, v, fval)) {
        set_error(error, s, "too large");
        return FALSE;
    }
    if (v == 0) {
        set_error(error, s, "must be greater than 0");
        return FALSE;
    }
    *bps = v;
    return TRUE;
}

gboolean sim_topo_parse_percent(const char *s, double *frac, GError **error)
{
    const char *p = s;
    if (!g_ascii_isdigit(*p)) {
        set_error(error, s, "expected a percentage such as 1%% or 0.5%%");
        return FALSE;
    }
    while (g_ascii_isdigit(*p))
        p++;
    if (*p == '.') {
        p++;
        if (!g_ascii_isdigit(*p)) {
            set_error(error, s, "expected a digit after '.'");
            return FALSE;
        }
        while (g_ascii_isdigit(*p))
            p++;
    }
    if (*p == '\0') {
        set_error(error, s, "missing '%%' (loss is a percentage such as 1%%)");
        return FALSE;
    }
    if (strcmp(p, "%") != 0) {
        set_error(error, s, "expected '%%' after the number");
        return FALSE;
    }
    double v = g_ascii_strtod(s, NULL);
    if (!(v >= 0.0 && v <= 100.0)) {
        set_error(error, s, "must be 0%% to 100%%");
        return FALSE;
    }
    *frac = v / 100.0;
    return TRUE;
}

/* ---- values ---------------------------------------------------------------------- */

static const char *value_desc(SimValKind kind)
{
    switch (kind) {
    case SIM_VAL_UINT:
        return "a number";
    case SIM_VAL_TIME:
        return "a time";
    case SIM_VAL_RATE:
        return "a rate";
    case SIM_VAL_PERCENT:
        return "a percentage";
    case SIM_VAL_IPV4:
        return "an IPv4 address";
    case SIM_VAL_PREFIX:
        return "an IPv4 prefix";
    case SIM_VAL_MAC:
        return "a MAC address";
    case SIM_VAL_NAME:
        return "a name";
    case SIM_VAL_SIZE:
        return "a size";
    case SIM_VAL_FLAG:
        break;
    }
    return "a value";
}

static gboolean parse_uint(const char *s, const SimAttrSpec *spec, guint64 *out, GError **error)
{
    guint64 v = 0;
    if (*s == '\0' || strspn(s, "0123456789") != strlen(s)) {
        set_error(error, s, "not a number");
        return FALSE;
    }
    for (; *s; s++) {
        if (!g_uint64_checked_mul(&v, v, 10) || !g_uint64_checked_add(&v, v, (guint64)(*s - '0')))
            v = G_MAXUINT64;
    }
    *out = v;
    return TRUE;
}

static gboolean check_range(const char *s, const SimAttrSpec *spec, guint64 v, GError **error)
{
    if (v >= spec->min && (spec->max == 0 || v <= spec->max))
        return TRUE;
    if (spec->kind == SIM_VAL_TIME)
        set_error(error, s, "must be greater than 0");
    else
        set_error(error, s, "must be %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT, spec->min,
                  spec->max);
    return FALSE;
}

#define SIZE_UNITS "B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB (of 1024)"

/* A byte count with a unit, as ss(8) and iperf write them. */
static gboolean parse_size(const char *s, const SimAttrSpec *spec, guint64 *out, GError **error)
{
    static const struct {
        const char *name;
        guint64 mul;
    } units[] = {
        {"B", 1},           {"KB", 1000},  {"kB", 1000},         {"MB", 1000000},
        {"GB", 1000000000}, {"KiB", 1024}, {"MiB", 1024 * 1024}, {"GiB", 1024 * 1024 * 1024}};
    const char *p = s;
    guint64 n = 0;
    if (!g_ascii_isdigit(*p)) {
        set_error(error, s, "expected a number before the unit");
        return FALSE;
    }
    for (; g_ascii_isdigit(*p); p++) {
        if (!g_uint64_checked_mul(&n, n, 10) || !g_uint64_checked_add(&n, n, (guint64)(*p - '0'))) {
            set_error(error, s, "too large");
            return FALSE;
        }
    }
    if (*p == '\0') {
        set_error(error, s, "missing unit (" SIZE_UNITS ")");
        return FALSE;
    }
    for (guint i = 0; i < G_N_ELEMENTS(units); i++) {
        if (strcmp(p, units[i].name) == 0) {
            if (!g_uint64_checked_mul(out, n, units[i].mul)) {
                set_error(error, s, "too large");
                return FALSE;
            }
            return check_range(s, spec, *out, error);
        }
    }
    set_error(error, s, "unknown unit '%s' (use " SIZE_UNITS ")", p);
    return FALSE;
}

static gboolean parse_typed(const char *s, const SimAttrSpec *spec, SimAttrVal *v, GError **err)
{
    switch (spec->kind) {
    case SIM_VAL_UINT:
        return parse_uint(s, spec, &v->u, err) && check_range(s, spec, v->u, err);
    case SIM_VAL_TIME:
        return sim_time_parse(s, &v->t, err) && check_range(s, spec, v->t, err);
    case SIM_VAL_RATE:
        return sim_topo_parse_rate(s, &v->u, err);
    case SIM_VAL_SIZE:
        return parse_size(s, spec, &v->u, err);
    case SIM_VAL_PERCENT:
        return sim_topo_parse_percent(s, &v->d, err);
    case SIM_VAL_IPV4:
        return sim_ipv4_parse(s, &v->ip, err);
    case SIM_VAL_PREFIX:
        if (strchr(s, '/') == NULL && sim_ipv4_parse(s, &v->ip, NULL)) {
            set_error(err, s, "missing prefix length (write e.g. %s/24)", s);
            return FALSE;
        }
        return sim_prefix_parse(s, &v->pfx, NULL, err);
    case SIM_VAL_MAC:
        return sim_mac_parse(s, &v->mac, err);
    case SIM_VAL_NAME:
        if (!sim_parser_is_name(s)) {
            set_error(err, s, "not a valid name");
            return FALSE;
        }
        return TRUE;
    case SIM_VAL_FLAG:
        break;
    }
    return TRUE;
}

gboolean sim_parser_value(SimParser *p, const SimTokLine *ln, const SimAttrSpec *spec,
                          SimAttrVal *v)
{
    const SimTok *t = v->tok;
    if (t->kind == SIM_TOK_STRING) {
        sim_parser_error(p, ln->line, t->col, "expected %s after '%s', got a string",
                         value_desc(spec->kind), v->kw->text);
        return FALSE;
    }
    g_autoptr(GError) err = NULL;
    if (parse_typed(t->text, spec, v, &err))
        return TRUE;
    sim_parser_error(p, ln->line, t->col, "bad %s %s", spec->kw, err->message);
    return FALSE;
}

gboolean sim_parser_attrs(SimParser *p, const SimTokLine *ln, guint start, const SimAttrSpec *specs,
                          gsize n, const char *what, SimAttrStore store, void *ctx)
{
    guint64 seen = 0;
    gboolean ok = TRUE;
    for (guint i = start; i < ln->ntoks;) {
        const SimTok *kw = &ln->toks[i++];
        const SimAttrSpec *spec =
            kw->kind == SIM_TOK_WORD ? sim_parser_lookup(specs, n, kw->text) : NULL;
        if (spec == NULL) {
            sim_parser_unknown(p, ln, kw, what, specs, n);
            return FALSE;
        }
        guint64 bit = G_GUINT64_CONSTANT(1) << (spec - specs);
        gboolean dup = (seen & bit) != 0;
        if (dup) {
            sim_parser_error(p, ln->line, kw->col, "'%s' given twice", kw->text);
            ok = FALSE;
        }
        seen |= bit;
        SimAttrVal v = {.kw = kw};
        v.kwpos = v.pos = sim_parser_tok_pos(p, ln, kw);
        if (spec->kind != SIM_VAL_FLAG) {
            if (i >= ln->ntoks) {
                sim_parser_expected(p, ln, kw, value_desc(spec->kind));
                return FALSE;
            }
            v.tok = &ln->toks[i++];
            v.pos = sim_parser_tok_pos(p, ln, v.tok);
            if (!sim_parser_value(p, ln, spec, &v)) {
                ok = FALSE;
                continue;
            }
        }
        if (!dup)
            store(p, ctx, spec, &v);
    }
    return ok;
}

gboolean sim_parser_port(SimParser *p, guint line, guint col, const char *s, uint16_t *out)
{
    guint64 v = 0;
    const char *q = s;
    for (; g_ascii_isdigit(*q) && v <= 65535; q++)
        v = v * 10 + (guint64)(*q - '0');
    if (q == s || *q != '\0' || v == 0 || v > 65535) {
        sim_parser_error(p, line, col, "bad port '%s': expected a number from 1 to 65535", s);
        return FALSE;
    }
    *out = (uint16_t)v;
    return TRUE;
}

gboolean sim_parser_blk_ipv4(SimParser *p, const SimTokLine *ln, const char *what, SimAttrVal *v)
{
    const SimTok *kw = &ln->toks[0];
    const SimAttrSpec spec = {kw->text, SIM_VAL_IPV4, 0, 0, 0};
    if (ln->ntoks < 2) {
        sim_parser_expected(p, ln, kw, what);
        p->block->bad = true;
        return FALSE;
    }
    *v = (SimAttrVal){.kw = kw, .tok = &ln->toks[1]};
    if (!sim_parser_value(p, ln, &spec, v)) {
        p->block->bad = true;
        return FALSE;
    }
    return TRUE;
}
