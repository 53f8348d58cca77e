/* dns_zone.c - master-file loader and authoritative answers; see
 * dns_zone.h. */
#include "sim/apps/dns_zone.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CNAME_HOPS 8

typedef struct {
    guint line, col;
} Pos;

struct _SimDnsZone {
    char *origin;
    GArray *rrs;  /* SimDnsRr, file order; rrs[0] is the SOA */
    GArray *poss; /* Pos of each record's first token */
};

// clang-format off
G_DEFINE_QUARK(sim-dns-zone-error-quark, zone_error)
// clang-format on

/* ---- names ---------------------------------------------------------------- */

gboolean sim_dns_name_under(const char *name, const char *sub)
{
    size_t n = strlen(name), s = strlen(sub);
    if (s == 0)
        return TRUE;
    if (n < s || g_ascii_strcasecmp(name + n - s, sub) != 0)
        return FALSE;
    return n == s || name[n - s - 1] == '.';
}

static bool same(const char *a, const char *b)
{
    return g_ascii_strcasecmp(a, b) == 0;
}

static void put_name(GString *out, const char *name)
{
    g_string_append(out, name);
    g_string_append_c(out, '.'); /* the root is "." */
}

void sim_dns_rr_format(const SimDnsRr *rr, GString *out)
{
    char t[12];
    put_name(out, rr->name);
    g_string_append_printf(out, " %u IN %s ", rr->ttl, sim_dns_type_name(rr->type, t));
    switch (rr->type) {
    case SIM_DNS_T_A: {
        char ip[SIM_IPV4_STRLEN];
        g_string_append(out, sim_ipv4_format(rr->a, ip));
        break;
    }
    case SIM_DNS_T_NS:
    case SIM_DNS_T_CNAME:
        put_name(out, rr->target);
        break;
    case SIM_DNS_T_MX:
        g_string_append_printf(out, "%u ", rr->pref);
        put_name(out, rr->target);
        break;
    case SIM_DNS_T_SOA:
        put_name(out, rr->target);
        g_string_append_c(out, ' ');
        put_name(out, rr->rname);
        g_string_append_printf(out, " %u %u %u %u %u", rr->serial, rr->refresh, rr->retry,
                               rr->expire, rr->minimum);
        break;
    case SIM_DNS_T_TXT:
        g_string_append_printf(out, "\"%s\"", (const char *)rr->data);
        break;
    default:
        g_string_append_printf(out, "\\# %u", rr->data_len);
        break;
    }
}

/* ---- master-file tokens --------------------------------------------------- */

typedef struct {
    char *text;
    Pos pos;
    bool quoted;
} Tok;

typedef struct {
    const char *path;
    GError **error;
    char origin[SIM_DNS_NAME_BUF];
    bool has_origin;
    uint32_t default_ttl;
    bool has_ttl;
    char prev_owner[SIM_DNS_NAME_BUF];
    bool has_prev;
    SimDnsZone *z;
} Loader;

static gboolean fail(Loader *l, Pos pos, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static gboolean fail(Loader *l, Pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(l->error, zone_error_quark(), 0, "%s:%u:%u: error: %s", l->path, pos.line, pos.col,
                msg);
    return FALSE;
}

static void tok_clear(void *p)
{
    g_free(((Tok *)p)->text);
}

/* Splits text into entries: each is an array of tokens of one record
 * (parentheses join lines). *blank_owner tells whether it began with
 * white space. Returns the index after the entry, or 0 at the end; -1 on
 * error. */
static gssize next_entry(Loader *l, const char *s, gsize at, guint *line, GArray *toks,
                         bool *blank_owner)
{
    g_array_set_size(toks, 0);
    int depth = 0;
    Pos open = {0, 0};
    gsize line_start = at;
    *blank_owner = false;
    bool first = true;
    for (gsize i = at;;) {
        char c = s[i];
        if (c == '\0' || c == '\n') {
            if (depth == 0 && toks->len) {
                if (c)
                    (*line)++;
                return (gssize)(c ? i + 1 : i);
            }
            if (c == '\0')
                return depth ? (fail(l, open, "'(' is never closed"), -1) : 0;
            (*line)++;
            line_start = ++i;
            first = depth == 0;
            if (depth == 0 && toks->len == 0)
                *blank_owner = false; /* a blank or comment line */
            continue;
        }
        Pos pos = {*line, (guint)(i - line_start + 1)};
        if (c == ' ' || c == '\t' || c == '\r') {
            if (first && i == line_start && depth == 0)
                *blank_owner = true;
            i++;
            continue;
        }
        first = false;
        if (c == ';') {
            while (s[i] && s[i] != '\n')
                i++;
            continue;
        }
        if (c == '(' || c == ')') {
            if (c == '(' && depth++ == 0)
                open = pos;
            if (c == ')' && --depth < 0)
                return fail(l, pos, "')' without '('"), -1;
            i++;
            continue;
        }
        Tok t = {.pos = pos};
        if (c == '"') {
            GString *q = g_string_new(NULL);
            for (i++; s[i] != '"'; i++) {
                if (s[i] == '\0' || s[i] == '\n') {
                    g_string_free(q, TRUE);
                    return fail(l, pos, "unterminated string"), -1;
                }
                if (s[i] == '\\' && s[i + 1] && s[i + 1] != '\n')
                    i++;
                g_string_append_c(q, s[i]);
            }
            i++;
            t.text = g_string_free(q, FALSE);
            t.quoted = true;
        } else {
            gsize j = i;
            while (s[j] && !strchr(" \t\r\n;()\"", s[j]))
                j++;
            t.text = g_strndup(s + i, j - i);
            i = j;
        }
        if (toks->len == 0 && *blank_owner && t.text[0] == '$')
            *blank_owner = false;
        g_array_append_val(toks, t);
    }
}

/* ---- values --------------------------------------------------------------- */

static bool label_ok(const char *l, size_t n)
{
    if (n == 0 || n > 63)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!g_ascii_isalnum(l[i]) && l[i] != '-' && l[i] != '_' && !(l[i] == '*' && n == 1))
            return false;
    return true;
}

/* text (relative to the origin unless it ends in '.') into out. */
static gboolean name_value(Loader *l, const Tok *t, char *out)
{
    const char *s = t->text;
    g_autofree char *full = NULL;
    if (t->quoted)
        return fail(l, t->pos, "expected a domain name, got a string");
    if (strcmp(s, "@") == 0) {
        if (!l->has_origin)
            return fail(l, t->pos, "'@' with no $ORIGIN");
        g_strlcpy(out, l->origin, SIM_DNS_NAME_BUF);
        return TRUE;
    }
    size_t n = strlen(s);
    if (strcmp(s, ".") == 0) {
        out[0] = '\0';
        return TRUE;
    }
    if (s[n - 1] == '.') {
        full = g_strndup(s, n - 1);
    } else {
        if (!l->has_origin)
            return fail(l, t->pos,
                        "relative name '%s' with no $ORIGIN (write '%s.' or add $ORIGIN)", s, s);
        full = *l->origin ? g_strdup_printf("%s.%s", s, l->origin) : g_strdup(s);
    }
    if (strlen(full) > 253)
        return fail(l, t->pos, "bad name '%s': longer than 253 characters", s);
    for (const char *p = full;;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (!label_ok(p, len))
            return fail(l, t->pos, "bad name '%s': labels are 1 to 63 letters, digits, '-' or '_'",
                        s);
        if (!dot)
            break;
        p = dot + 1;
    }
    g_strlcpy(out, full, SIM_DNS_NAME_BUF);
    return TRUE;
}

/* A TTL or SOA time: seconds, or digits with s/m/h/d/w units (BIND). */
static bool time_parse(const char *s, uint32_t *out)
{
    uint64_t total = 0;
    if (!g_ascii_isdigit(*s))
        return false;
    while (*s) {
        char *end;
        errno = 0;
        guint64 v = g_ascii_strtoull(s, &end, 10);
        if (end == s || errno)
            return false;
        static const char units[] = "smhdw";
        static const uint32_t mult[] = {1, 60, 3600, 86400, 604800};
        const char *u = *end ? strchr(units, g_ascii_tolower(*end)) : NULL;
        if (*end && !u)
            return false;
        total += v * (u ? mult[u - units] : 1);
        if (total > G_MAXINT32) /* RFC 2181 §8: TTLs fit 31 bits */
            return false;
        s = *end ? end + 1 : end;
    }
    *out = (uint32_t)total;
    return true;
}

static gboolean time_value(Loader *l, const Tok *t, const char *what, uint32_t *out)
{
    if (t->quoted || !time_parse(t->text, out))
        return fail(l, t->pos, "bad %s '%s': expected seconds or a time such as 1h or 2d", what,
                    t->text);
    return TRUE;
}

/* ---- records -------------------------------------------------------------- */

static const Tok *arg(Loader *l, const GArray *toks, guint i, const Tok *after, const char *what)
{
    if (i < toks->len)
        return &g_array_index(toks, Tok, i);
    Pos p = {after->pos.line,
             after->pos.col + (guint)strlen(after->text) + (after->quoted ? 2 : 0)};
    fail(l, p, "expected %s after '%s'", what, after->text);
    return NULL;
}

/* RDATA from toks[i...]; returns the index after it or 0 on error. */
static guint rdata(Loader *l, const GArray *toks, guint i, const Tok *type, SimDnsRr *rr)
{
    const Tok *t;
    switch (rr->type) {
    case SIM_DNS_T_A:
        if (!(t = arg(l, toks, i, type, "an IPv4 address")))
            return 0;
        if (t->quoted || !sim_ipv4_parse(t->text, &rr->a, NULL))
            return fail(l, t->pos, "bad address '%s': expected an IPv4 address", t->text), 0;
        return i + 1;
    case SIM_DNS_T_NS:
    case SIM_DNS_T_CNAME:
        if (!(t = arg(l, toks, i, type, "a domain name")) || !name_value(l, t, rr->target))
            return 0;
        return i + 1;
    case SIM_DNS_T_MX: {
        uint32_t pref;
        if (!(t = arg(l, toks, i, type, "a preference")))
            return 0;
        if (t->quoted || !time_parse(t->text, &pref) || pref > 65535 ||
            !g_ascii_isdigit(t->text[strlen(t->text) - 1]))
            return fail(l, t->pos, "bad preference '%s': expected 0 to 65535", t->text), 0;
        rr->pref = (uint16_t)pref;
        if (!(t = arg(l, toks, i + 1, t, "a mail exchange")) || !name_value(l, t, rr->target))
            return 0;
        return i + 2;
    }
    case SIM_DNS_T_TXT: {
        if (!arg(l, toks, i, type, "text"))
            return 0;
        GString *s = g_string_new(NULL);
        for (; i < toks->len; i++)
            g_string_append(s, g_array_index(toks, Tok, i).text);
        if (s->len > SIM_DNS_MAX_TXT) {
            fail(l, type->pos, "TXT text longer than %d bytes", SIM_DNS_MAX_TXT);
            g_string_free(s, TRUE);
            return 0;
        }
        memcpy(rr->data, s->str, s->len + 1);
        rr->data_len = (uint16_t)s->len;
        g_string_free(s, TRUE);
        return i;
    }
    case SIM_DNS_T_SOA: {
        static const char *const what[] = {"a serial", "a refresh time", "a retry time",
                                           "an expire time", "a minimum TTL"};
        uint32_t *v[] = {&rr->serial, &rr->refresh, &rr->retry, &rr->expire, &rr->minimum};
        if (!(t = arg(l, toks, i, type, "the primary server")) || !name_value(l, t, rr->target))
            return 0;
        if (!(t = arg(l, toks, i + 1, t, "the mailbox")) || !name_value(l, t, rr->rname))
            return 0;
        for (guint k = 0; k < 5; k++)
            if (!(t = arg(l, toks, i + 2 + k, t, what[k])) ||
                !time_value(l, t, what[k] + (k == 3 ? 3 : 2), v[k]))
                return 0;
        return i + 7;
    }
    }
    return 0;
}

static uint16_t type_of(const char *s)
{
    static const struct {
        const char *name;
        uint16_t type;
    } types[] = {{"A", SIM_DNS_T_A},     {"NS", SIM_DNS_T_NS}, {"CNAME", SIM_DNS_T_CNAME},
                 {"SOA", SIM_DNS_T_SOA}, {"MX", SIM_DNS_T_MX}, {"TXT", SIM_DNS_T_TXT}};
    for (gsize i = 0; i < G_N_ELEMENTS(types); i++)
        if (g_ascii_strcasecmp(s, types[i].name) == 0)
            return types[i].type;
    return 0;
}

static gboolean directive(Loader *l, const GArray *toks)
{
    const Tok *kw = &g_array_index(toks, Tok, 0);
    bool is_origin = g_ascii_strcasecmp(kw->text, "$ORIGIN") == 0;
    /* An unknown directive is the error, not its missing argument: asking
     * for the argument first set the error twice (found by fuzz_zone). */
    if (!is_origin && g_ascii_strcasecmp(kw->text, "$TTL") != 0)
        return fail(l, kw->pos, "unsupported directive '%s' (netsim reads $ORIGIN and $TTL)",
                    kw->text);
    const Tok *v = arg(l, toks, 1, kw, is_origin ? "a name" : "a TTL");
    if (is_origin) {
        if (!v)
            return FALSE;
        char name[SIM_DNS_NAME_BUF];
        if (!v->quoted && v->text[strlen(v->text) - 1] != '.' && !l->has_origin)
            return fail(l, v->pos, "$ORIGIN '%s' must be absolute (end with '.')", v->text);
        if (!name_value(l, v, name))
            return FALSE;
        g_strlcpy(l->origin, name, sizeof l->origin);
        l->has_origin = true;
    } else {
        if (!v || !time_value(l, v, "TTL", &l->default_ttl))
            return FALSE;
        l->has_ttl = true;
    }
    if (toks->len > 2)
        return fail(l, g_array_index(toks, Tok, 2).pos, "unexpected '%s' after %s",
                    g_array_index(toks, Tok, 2).text, kw->text);
    return TRUE;
}

static gboolean check_record(Loader *l, const SimDnsRr *rr, Pos pos)
{
    SimDnsZone *z = l->z;
    if (z->rrs->len == 0) {
        if (rr->type != SIM_DNS_T_SOA)
            return fail(l, pos, "the first record must be the zone's SOA");
        z->origin = g_strdup(rr->name);
        return TRUE;
    }
    if (rr->type == SIM_DNS_T_SOA)
        return fail(l, pos, "a second SOA (a zone has one, at its apex)");
    if (!sim_dns_name_under(rr->name, z->origin))
        return fail(l, pos, "'%s.' is outside the zone '%s.'", rr->name, z->origin);
    for (guint i = 0; i < z->rrs->len; i++) {
        const SimDnsRr *o = &g_array_index(z->rrs, SimDnsRr, i);
        if (same(o->name, rr->name) &&
            (o->type == SIM_DNS_T_CNAME) != (rr->type == SIM_DNS_T_CNAME))
            return fail(l, pos, "'%s.' has a CNAME and other data (RFC 1034 3.6.2)", rr->name);
        if (same(o->name, rr->name) && o->type == SIM_DNS_T_CNAME && rr->type == SIM_DNS_T_CNAME)
            return fail(l, pos, "'%s.' has two CNAMEs", rr->name);
    }
    return TRUE;
}

static gboolean record(Loader *l, const GArray *toks, bool blank_owner)
{
    SimDnsRr rr = {.klass = SIM_DNS_CLASS_IN};
    guint i = 0;
    const Tok *first = &g_array_index(toks, Tok, 0);
    if (blank_owner) {
        if (!l->has_prev)
            return fail(l, first->pos, "the first record needs an owner name");
        g_strlcpy(rr.name, l->prev_owner, sizeof rr.name);
    } else {
        if (!name_value(l, first, rr.name))
            return FALSE;
        i = 1;
    }
    bool has_ttl = false, has_class = false;
    for (; i < toks->len && i < 3u + !blank_owner; i++) {
        const Tok *t = &g_array_index(toks, Tok, i);
        if (!t->quoted && g_ascii_isdigit(t->text[0]) && !has_ttl) {
            if (!time_value(l, t, "TTL", &rr.ttl))
                return FALSE;
            has_ttl = true;
        } else if (!t->quoted && !has_class && g_ascii_strcasecmp(t->text, "IN") == 0) {
            has_class = true;
        } else if (!t->quoted &&
                   (!g_ascii_strcasecmp(t->text, "CH") || !g_ascii_strcasecmp(t->text, "HS"))) {
            return fail(l, t->pos, "class %s is not supported (netsim serves IN)", t->text);
        } else {
            break;
        }
    }
    const Tok *last = &g_array_index(toks, Tok, i ? i - 1 : 0);
    const Tok *type = arg(l, toks, i, last, "a record type");
    if (!type)
        return FALSE;
    rr.type = type->quoted ? 0 : type_of(type->text);
    if (!rr.type)
        return fail(l, type->pos,
                    "unsupported record type '%s' (netsim reads SOA, NS, A, CNAME, "
                    "MX and TXT)",
                    type->text);
    guint end = rdata(l, toks, i + 1, type, &rr);
    if (!end)
        return FALSE;
    if (end < toks->len)
        return fail(l, g_array_index(toks, Tok, end).pos, "unexpected '%s' after the %s record",
                    g_array_index(toks, Tok, end).text, type->text);
    if (!has_ttl) {
        if (l->has_ttl)
            rr.ttl = l->default_ttl;
        else if (rr.type == SIM_DNS_T_SOA)
            rr.ttl = rr.minimum; /* RFC 1035's rule before RFC 2308's $TTL */
        else if (l->z->rrs->len)
            rr.ttl = g_array_index(l->z->rrs, SimDnsRr, 0).minimum;
    }
    if (!check_record(l, &rr, first->pos))
        return FALSE;
    g_strlcpy(l->prev_owner, rr.name, sizeof l->prev_owner);
    l->has_prev = true;
    g_array_append_val(l->z->rrs, rr);
    g_array_append_val(l->z->poss, first->pos);
    return TRUE;
}

SimDnsZone *sim_dns_zone_load(const char *path, GError **error)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    g_autoptr(GError) err = NULL;
    if (!g_file_get_contents(path, &text, &len, &err)) {
        g_set_error(error, zone_error_quark(), 0, "%s: error: %s", path, err->message);
        return NULL;
    }
    return sim_dns_zone_parse(path, text, len, error);
}

SimDnsZone *sim_dns_zone_parse(const char *path, const char *text, gsize len, GError **error)
{
    SimDnsZone *z = g_new0(SimDnsZone, 1);
    z->rrs = g_array_new(FALSE, FALSE, sizeof(SimDnsRr));
    z->poss = g_array_new(FALSE, FALSE, sizeof(Pos));
    Loader l = {.path = path, .error = error, .z = z};
    guint line = 1;
    bool ok = true;
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        for (const char *p = text; p < nul; p++)
            line += *p == '\n';
        fail(&l, (Pos){line, 1}, "a NUL byte: a zone file is text");
        ok = false;
    }
    GArray *toks = g_array_new(FALSE, FALSE, sizeof(Tok));
    g_array_set_clear_func(toks, tok_clear);
    gssize at = 0;
    bool blank;
    while (ok && (at = next_entry(&l, text, (gsize)at, &line, toks, &blank)) > 0) {
        const Tok *t0 = &g_array_index(toks, Tok, 0);
        ok = (!blank && t0->text[0] == '$' && !t0->quoted) ? directive(&l, toks)
                                                           : record(&l, toks, blank);
    }
    ok = ok && at == 0;
    g_array_free(toks, TRUE);
    if (ok && z->rrs->len == 0) {
        fail(&l, (Pos){line, 1}, "no SOA record: a zone starts with its SOA");
        ok = false;
    }
    if (!ok) {
        sim_dns_zone_free(z);
        return NULL;
    }
    return z;
}

void sim_dns_zone_free(SimDnsZone *z)
{
    if (!z)
        return;
    g_free(z->origin);
    g_array_free(z->rrs, TRUE);
    g_array_free(z->poss, TRUE);
    g_free(z);
}

const char *sim_dns_zone_origin(const SimDnsZone *z)
{
    return z->origin;
}

gboolean sim_dns_zone_contains(const SimDnsZone *z, const char *name)
{
    return sim_dns_name_under(name, z->origin);
}

/* ---- answers -------------------------------------------------------------- */

static bool has(const SimDnsZone *z, const char *name, uint16_t type)
{
    for (guint i = 0; i < z->rrs->len; i++) {
        const SimDnsRr *r = &g_array_index(z->rrs, SimDnsRr, i);
        if (r->type == type && same(r->name, name))
            return true;
    }
    return false;
}

/* Copies the records of name/type (type 255: all) into section. */
static guint add(const SimDnsZone *z, const char *name, uint16_t type, SimDnsMsg *m, int section)
{
    guint n = 0;
    for (guint i = 0; i < z->rrs->len; i++) {
        const SimDnsRr *r = &g_array_index(z->rrs, SimDnsRr, i);
        if ((r->type == type || type == 255) && same(r->name, name)) {
            SimDnsRr *d = sim_dns_msg_add_rr(m, section, r->name, r->type, r->ttl);
            if (d)
                *d = *r;
            n++;
        }
    }
    return n;
}

/* The highest delegation point at or above name and below the apex, or
 * NULL: the first cut on the way down from the apex (RFC 1034 §4.3.2). */
static const char *cut_of(const SimDnsZone *z, const char *name)
{
    const char *sfx[128];
    guint n = 0;
    for (const char *p = name; p && n < G_N_ELEMENTS(sfx);) {
        sfx[n++] = p;
        p = strchr(p, '.');
        p = p ? p + 1 : NULL;
    }
    for (guint i = n; i-- > 0;)
        if (sim_dns_name_under(sfx[i], z->origin) && !same(sfx[i], z->origin) &&
            has(z, sfx[i], SIM_DNS_T_NS))
            return sfx[i];
    return NULL;
}

static bool exists(const SimDnsZone *z, const char *name)
{
    for (guint i = 0; i < z->rrs->len; i++)
        if (sim_dns_name_under(g_array_index(z->rrs, SimDnsRr, i).name, name))
            return true; /* the name itself or an empty non-terminal above one */
    return false;
}

/* The A records of the targets of NS/MX records from index `from` on. */
static void add_glue(const SimDnsZone *z, SimDnsMsg *m, guint from, guint to)
{
    for (guint i = from; i < to; i++)
        if (m->rr[i].type == SIM_DNS_T_NS || m->rr[i].type == SIM_DNS_T_MX)
            add(z, m->rr[i].target, SIM_DNS_T_A, m, 2);
}

static void set_rcode(SimDnsMsg *m, unsigned rcode, bool aa)
{
    m->flags = (uint16_t)((m->flags & ~0x040fu) | rcode | (aa ? SIM_DNS_AA : 0));
}

static void add_soa(const SimDnsZone *z, SimDnsMsg *m)
{
    const SimDnsRr *soa = &g_array_index(z->rrs, SimDnsRr, 0);
    SimDnsRr *d = sim_dns_msg_add_rr(m, 1, soa->name, SIM_DNS_T_SOA, 0);
    if (d) {
        *d = *soa;
        d->ttl = MIN(soa->ttl, soa->minimum); /* RFC 2308 §3 */
    }
}

void sim_dns_zone_answer(const SimDnsZone *z, const SimDnsQuestion *q, SimDnsMsg *resp)
{
    char cur[SIM_DNS_NAME_BUF];
    g_strlcpy(cur, q->name, sizeof cur);
    if (!sim_dns_name_under(cur, z->origin)) {
        set_rcode(resp, SIM_DNS_REFUSED, false);
        return;
    }
    for (int hop = 0; hop <= CNAME_HOPS; hop++) {
        const char *cut = cut_of(z, cur);
        if (cut) {
            if (hop == 0) { /* a referral: the child's NS set and its glue */
                set_rcode(resp, SIM_DNS_NOERROR, false);
                guint from = (guint)resp->n_an + resp->n_ns;
                add(z, cut, SIM_DNS_T_NS, resp, 1);
                add_glue(z, resp, from, (guint)resp->n_an + resp->n_ns);
            }
            return; /* after a CNAME: the resolver follows the target */
        }
        set_rcode(resp, SIM_DNS_NOERROR, true);
        guint from = resp->n_an;
        if (add(z, cur, q->type, resp, 0)) {
            add_glue(z, resp, from, resp->n_an);
            return;
        }
        if (q->type != SIM_DNS_T_CNAME && has(z, cur, SIM_DNS_T_CNAME)) {
            add(z, cur, SIM_DNS_T_CNAME, resp, 0);
            g_strlcpy(cur, resp->rr[resp->n_an - 1].target, sizeof cur);
            if (!sim_dns_name_under(cur, z->origin))
                return;
            continue;
        }
        if (!exists(z, cur))
            set_rcode(resp, SIM_DNS_NXDOMAIN, true);
        add_soa(z, resp);
        return;
    }
    set_rcode(resp, SIM_DNS_SERVFAIL, false); /* a CNAME loop inside the zone */
}

void sim_dns_zone_show(const SimDnsZone *z, GString *out)
{
    g_string_append_printf(out, "zone %s. (%u records)\n", z->origin, z->rrs->len);
    for (guint i = 0; i < z->rrs->len; i++) {
        sim_dns_rr_format(&g_array_index(z->rrs, SimDnsRr, i), out);
        g_string_append_c(out, '\n');
    }
}
