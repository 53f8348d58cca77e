/* sink_text.c - see sink_text.h.
 *
 * Speed: the text trace of a large run is millions of lines, most of them
 * the tx and rx of the same few frames (a flood to 1,000 ports is 1,000 tx
 * and 1,000 rx of one frame). So:
 * - a frame's one-line summary is decoded once and kept in a small cache
 *   keyed by the frame's bytes (a flood's copies are separate packets with
 *   equal bytes, so the key is the bytes, compared with memcmp, not the
 *   packet pointer);
 * - the time column is converted once per distinct time, by hand;
 * - columns are copied, not printed: no printf on the way;
 * - lines are appended to one batch buffer written with one fwrite per
 *   64 KB, instead of one stdio call per line.
 * Rejected: caching the summary in the packet (it would put a CLI concern
 * into sim/net and cost every packet, traced or not).
 */
#include "sim/cli/sink_text.h"

#include "sim/cli/storm_watch.h"
#include "sim/core/simtime.h"
#include "sim/net/dissect.h"
#include "sim/link/node.h"
#include "sim/net/packet.h"
#include "sim/util/textwidth.h"

#include <string.h>

#define BATCH_BYTES 65536
#define N_CACHED 8 /* summaries; a flood interleaves a frame with its answers */

typedef struct {
    uint8_t *bytes; /* copy of the frame, NULL when the slot is empty */
    size_t len, cap;
    size_t slen;
    char summary[SIM_DISSECT_SUMMARY_LEN];
} Cached;

typedef struct {
    guint width;        /* 0: full layout, no cut; else compact, lines cut to width columns */
    bool app_prefix;    /* "alex: " before each line of application output */
    Cached *sums;       /* NULL: decode every time (sim_text_sink_format) */
    guint next;         /* round-robin victim */
    GHashTable *labels; /* node name -> label, borrowed; NULL when no node has one */
    size_t node_width;  /* node column: the widest display name when labels exist */
    SimTime t;          /* the time in tbuf, when tlen > 0 */
    size_t tlen;
    char tbuf[SIM_TIME_STRLEN];
} Fmt;

struct _SimTextSink {
    SimWorld *world;
    FILE *out;
    guint sub;
    GString *batch; /* lines not yet written */
    uint64_t count;
    SimStormWatch *storms; /* NULL unless sim_text_sink_summarise_storms */
    Fmt fmt;
    Cached sums[N_CACHED];
};

/* ---- appending ----------------------------------------------------------- */

static inline void put(GString *out, const char *s, size_t n)
{
    size_t old = out->len;
    g_string_set_size(out, old + n);
    memcpy(out->str + old, s, n);
}

static inline void put_spaces(GString *out, size_t n)
{
    size_t old = out->len;
    g_string_set_size(out, old + n);
    memset(out->str + old, ' ', n);
}

/* Display columns of s: bytes, unless it holds UTF-8 beyond ASCII (a CJK
 * label's characters are two columns each). */
static size_t columns(const char *s, size_t n)
{
    return sim_text_width(s, (gssize)n);
}

/* s left-aligned in at least width columns, then `gap` separating spaces. */
static void put_column(GString *out, const char *s, size_t width, size_t gap)
{
    if (!s || !*s)
        s = "-";
    size_t n = strlen(s);
    put(out, s, n);
    size_t cols = columns(s, n);
    put_spaces(out, (cols < width ? width - cols : 0) + gap);
}

/* "12.000000005" (full) or "12.000000" (compact: microseconds, truncated
 * so that the order of lines is kept), without printf. */
static size_t format_time(SimTime t, bool compact, char *buf)
{
    char tmp[SIM_TIME_STRLEN];
    size_t n = 0;
    uint64_t frac = t % SIM_SEC, whole = t / SIM_SEC;
    int digits = 9;
    if (compact) {
        frac /= 1000;
        digits = 6;
    }
    for (int i = 0; i < digits; i++, frac /= 10)
        tmp[n++] = (char)('0' + frac % 10);
    tmp[n++] = '.';
    do {
        tmp[n++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    return n;
}

static void put_time(Fmt *f, GString *out, SimTime t)
{
    if (f->tlen == 0 || f->t != t) {
        f->t = t;
        f->tlen = format_time(t, f->width != 0, f->tbuf);
    }
    /* Right-aligned so that times up to 999 s line up: full "999.000000000"
     * after a two-space margin, compact "999.000000" without one. */
    size_t col = f->width ? SIM_TEXT_COMPACT_TIME_WIDTH : SIM_TEXT_TIME_WIDTH;
    put_spaces(out, (f->tlen < col ? col - f->tlen : 0) + (f->width ? 0 : 2));
    put(out, f->tbuf, f->tlen);
}

/* ---- the text column ------------------------------------------------------ */

static const char *summary(Fmt *f, const SimPacket *p, size_t *len, char *scratch)
{
    const uint8_t *b = sim_packet_cdata(p);
    size_t n = sim_packet_len(p);
    if (!f->sums) {
        sim_dissect_summary(b, n, scratch, SIM_DISSECT_SUMMARY_LEN);
        *len = strlen(scratch);
        return scratch;
    }
    for (guint i = 0; i < N_CACHED; i++) {
        Cached *c = &f->sums[i];
        if (c->bytes && c->len == n && memcmp(c->bytes, b, n) == 0) {
            *len = c->slen;
            return c->summary;
        }
    }
    Cached *c = &f->sums[f->next];
    f->next = (f->next + 1) % N_CACHED;
    if (c->cap < n) {
        c->cap = MAX(n, 128);
        c->bytes = g_realloc(c->bytes, c->cap);
    } else if (!c->bytes) {
        c->cap = 128;
        c->bytes = g_malloc(c->cap);
    }
    memcpy(c->bytes, b, n);
    c->len = n;
    sim_dissect_summary(b, n, c->summary, sizeof c->summary);
    c->slen = strlen(c->summary);
    *len = c->slen;
    return c->summary;
}

static void put_str(GString *out, const char *s)
{
    put(out, s, strlen(s));
}

/* "<reason>" or "<reason> (<detail>)" when the detail says more. */
static void put_drop(GString *out, const SimTraceRecord *rec)
{
    const char *why = sim_trace_reason_name(rec->reason);
    if (!*why) {
        put_str(out, rec->detail);
        return;
    }
    put_str(out, why);
    if (*rec->detail && strcmp(rec->detail, why) != 0) {
        put(out, " (", 2);
        put_str(out, rec->detail);
        put(out, ")", 1);
    }
}

/* A port number "pN" at s: N, and the end of the token in *end. */
static bool port_token(const char *s, guint *n, const char **end)
{
    if (s[0] != 'p' || !g_ascii_isdigit(s[1]))
        return false;
    guint v = 0;
    const char *p = s + 1;
    for (; g_ascii_isdigit(*p) && v < 100000000; p++)
        v = v * 10 + (guint)(*p - '0');
    if (*p && *p != ',')
        return false;
    *n = v;
    *end = p;
    return true;
}

/* A flood's "→ p2,p3,p4,p8" as "→ p2-p4,p8": a switch of 1,000 ports
 * would otherwise print a line of 6,000 characters. */
static void put_flood_detail(GString *out, const char *d)
{
    static const char arrow[] = "\xe2\x86\x92 "; /* → */
    if (strncmp(d, arrow, sizeof arrow - 1) != 0) {
        put_str(out, d);
        return;
    }
    put(out, arrow, sizeof arrow - 1);
    const char *p = d + sizeof arrow - 1;
    bool first = true;
    while (*p) {
        guint a, b;
        const char *e;
        if (!port_token(p, &a, &e)) { /* not a list of ports: as it is */
            put_str(out, p);
            return;
        }
        const char *run_end = e;
        b = a;
        guint next;
        const char *e2;
        while (*run_end == ',' && port_token(run_end + 1, &next, &e2) && next == b + 1) {
            b = next;
            run_end = e2;
        }
        if (!first)
            put(out, ",", 1);
        first = false;
        put(out, p, (size_t)(e - p));
        if (b > a) {
            put(out, b == a + 1 ? "," : "-", 1);
            const char *last = run_end;
            while (last > p && last[-1] != 'p')
                last--;
            put(out, last - 1, (size_t)(run_end - (last - 1)));
        }
        p = *run_end == ',' ? run_end + 1 : run_end;
    }
}

static void put_text(Fmt *f, GString *out, const SimTraceRecord *rec)
{
    if (!rec->packet || rec->kind == SIM_TR_DELIVER) {
        /* A delivery's detail names what was delivered ("ICMP echo request
         * id=0x8d65 seq=1 from 10.0.0.1"); the frame's summary would say it
         * twice. */
        if (rec->kind == SIM_TR_DROP)
            put_drop(out, rec);
        else
            put_str(out, rec->detail);
        return;
    }
    char scratch[SIM_DISSECT_SUMMARY_LEN];
    size_t slen;
    const char *sum = summary(f, rec->packet, &slen, scratch);
    put(out, sum, slen);
    switch (rec->kind) {
    case SIM_TR_DROP:
        put_str(out, " \xe2\x80\x94 " /* em dash */);
        put_drop(out, rec);
        break;
    case SIM_TR_TX:
    case SIM_TR_RX:
        if (*rec->detail) {
            put(out, " (", 2);
            put_str(out, rec->detail);
            put(out, ")", 1);
        }
        break;
    case SIM_TR_FLOOD:
        put(out, " ", 1);
        put_flood_detail(out, rec->detail);
        break;
    default:
        if (*rec->detail) {
            put(out, " ", 1);
            put_str(out, rec->detail);
        }
    }
}

/* Cuts the line that starts at `start` to `width` columns, ending in "…". */
static void cut(GString *out, size_t start, guint width)
{
    const char *s = out->str + start;
    size_t n = out->len - start;
    if (columns(s, n) <= width)
        return;
    const char *p = s;
    for (guint col = 0; *p;) {
        guint w = sim_unichar_width(g_utf8_get_char(p));
        if (col + w + 1 > width)
            break;
        col += w;
        p = g_utf8_next_char(p);
    }
    g_string_truncate(out, (size_t)(p - out->str));
    while (out->len > start && out->str[out->len - 1] == ' ')
        g_string_truncate(out, out->len - 1);
    put_str(out, "\xe2\x80\xa6"); /* … */
}

/* Each line of text (n bytes) as "node: line". */
static void put_prefixed(GString *out, const char *node, const char *text, size_t n)
{
    size_t nlen = strlen(node);
    for (size_t i = 0; i <= n;) {
        const char *nl = memchr(text + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - text) : n;
        put(out, node, nlen);
        put(out, ": ", 2);
        put(out, text + i, end - i);
        if (!nl)
            break;
        put(out, "\n", 1);
        i = end + 1;
    }
}

static void format_rec(Fmt *f, const SimTraceRecord *rec, GString *out)
{
    if (rec->kind == SIM_TR_APP || rec->kind == SIM_TR_SHOW) {
        /* Printed as is; the sink ends every record with a newline. */
        size_t n = strlen(rec->detail);
        while (n > 0 && rec->detail[n - 1] == '\n')
            n--;
        if (rec->kind == SIM_TR_APP && f->app_prefix && rec->node)
            put_prefixed(out, rec->node, rec->detail, n);
        else
            put(out, rec->detail, n);
        return;
    }
    size_t start = out->len;
    bool compact = f->width != 0;
    size_t gap = compact ? 1 : 2;
    put_time(f, out, rec->time);
    put_spaces(out, gap);
    const char *label = f->labels && rec->node ? g_hash_table_lookup(f->labels, rec->node) : NULL;
    size_t node_width = compact ? SIM_TEXT_COMPACT_NODE_WIDTH : SIM_TEXT_NODE_WIDTH;
    put_column(out, label ? label : rec->node, MAX(node_width, f->node_width), 1);
    /* Switch and hub ports are named by number; show them as the detail
     * text and `show mac` do, "p3", so a port never reads like a count. */
    char port[16];
    const char *iface = rec->iface;
    if (iface && g_ascii_isdigit(iface[0]) && strspn(iface, "0123456789") == strlen(iface) &&
        strlen(iface) < sizeof port - 1) {
        port[0] = 'p';
        strcpy(port + 1, iface);
        iface = port;
    }
    put_column(out, iface, compact ? SIM_TEXT_COMPACT_IFACE_WIDTH : SIM_TEXT_IFACE_WIDTH, 1);
    put_column(out, sim_trace_kind_name(rec->kind), SIM_TEXT_KIND_WIDTH, 1);
    put_text(f, out, rec);
    /* No trailing blanks when the text is empty. */
    size_t end = out->len;
    while (end > start && out->str[end - 1] == ' ')
        end--;
    g_string_truncate(out, end);
    if (f->width)
        cut(out, start, f->width);
}

void sim_text_sink_format(const SimTraceRecord *rec, GString *out)
{
    Fmt f = {0};
    format_rec(&f, rec, out);
}

/* Display columns of the widest label (0 without labels). Names longer
 * than the column still push their line right, as they always have. */
static size_t labels_width(GHashTable *labels)
{
    size_t w = 0;
    GHashTableIter it;
    gpointer label;
    if (labels) {
        g_hash_table_iter_init(&it, labels);
        while (g_hash_table_iter_next(&it, NULL, &label))
            w = MAX(w, sim_text_width(label, -1));
    }
    return w;
}

void sim_text_sink_format_labelled(const SimTraceRecord *rec, GHashTable *labels, GString *out)
{
    Fmt f = {.labels = labels, .node_width = labels_width(labels)};
    format_rec(&f, rec, out);
}

/* ---- the sink ------------------------------------------------------------ */

static void flush_batch(SimTextSink *s)
{
    if (s->batch->len)
        fwrite(s->batch->str, 1, s->batch->len, s->out);
    g_string_truncate(s->batch, 0);
}

static void on_record(const SimTraceRecord *rec, void *user)
{
    SimTextSink *s = user;
    bool new_storm = false;
    if (s->storms) {
        if (rec->kind == SIM_TR_STORM)
            new_storm = sim_storm_watch_note(s->storms, rec);
        else if (sim_storm_watch_hides(s->storms, rec))
            return;
    }
    format_rec(&s->fmt, rec, s->batch);
    put(s->batch, "\n", 1);
    s->count++;
    if (new_storm) {
        size_t start = s->batch->len;
        sim_storm_watch_notice(s->storms, s->batch);
        if (s->fmt.width)
            cut(s->batch, start, s->fmt.width);
        put(s->batch, "\n", 1);
        s->count++;
    }
    if (s->batch->len >= BATCH_BYTES)
        flush_batch(s);
}

SimTextSink *sim_text_sink_new(SimWorld *w, FILE *out, SimTraceMask mask)
{
    SimTextSink *s = g_new0(SimTextSink, 1);
    s->world = w;
    s->out = out;
    s->batch = g_string_sized_new(BATCH_BYTES + 4096);
    s->fmt.sums = s->sums;
    /* Labelled nodes show their label in the node column, and the column
     * is at least as wide as the widest label so that lines stay aligned;
     * a world without labels formats exactly as before. */
    s->fmt.labels = sim_node_label_table(w);
    s->fmt.node_width = labels_width(s->fmt.labels);
    s->sub = sim_trace_subscribe(sim_world_trace(w), mask, on_record, s);
    return s;
}

void sim_text_sink_set_labels(SimTextSink *s, GHashTable *labels)
{
    if (s->fmt.labels)
        g_hash_table_unref(s->fmt.labels);
    s->fmt.labels = labels ? g_hash_table_ref(labels) : NULL;
    s->fmt.node_width = labels_width(s->fmt.labels);
}

void sim_text_sink_set_width(SimTextSink *s, guint width)
{
    s->fmt.width = width;
    s->fmt.tlen = 0;
}

void sim_text_sink_set_app_prefix(SimTextSink *s, bool on)
{
    s->fmt.app_prefix = on;
}

void sim_text_sink_summarise_storms(SimTextSink *s)
{
    if (!s->storms)
        s->storms = sim_storm_watch_new(s->world);
}

void sim_text_sink_finish(SimTextSink *s)
{
    if (s->storms && sim_storm_watch_n_storms(s->storms)) {
        size_t start = s->batch->len;
        sim_storm_watch_summary(s->storms, sim_world_now(s->world), s->batch);
        for (const char *p = s->batch->str + start; *p; p++)
            s->count += *p == '\n';
    }
    flush_batch(s);
    fflush(s->out);
}

void sim_text_sink_free(SimTextSink *s)
{
    if (!s)
        return;
    sim_trace_unsubscribe(sim_world_trace(s->world), s->sub);
    flush_batch(s);
    fflush(s->out);
    sim_storm_watch_free(s->storms);
    if (s->fmt.labels)
        g_hash_table_unref(s->fmt.labels);
    for (guint i = 0; i < N_CACHED; i++)
        g_free(s->sums[i].bytes);
    g_string_free(s->batch, TRUE);
    g_free(s);
}

uint64_t sim_text_sink_count(const SimTextSink *s)
{
    return s->count;
}
