/* sink_text.c - see sink_text.h. Padding is appended by hand rather than
 * with "%-*s": g_string_append_printf allocates a temporary per call. */
#include "sim/cli/sink_text.h"

#include "sim/cli/storm_watch.h"

#include "sim/core/simtime.h"
#include "sim/net/dissect.h"
#include "sim/net/packet.h"

#include <string.h>

struct _SimTextSink {
    SimWorld *world;
    FILE *out;
    guint sub;
    GString *line; /* reused for every record */
    uint64_t count;
    SimStormWatch *storms; /* NULL unless sim_text_sink_summarise_storms */
};

static void append_spaces(GString *out, size_t n)
{
    static const char spaces[] = "                ";
    while (n > 0) {
        size_t k = MIN(n, sizeof spaces - 1);
        g_string_append_len(out, spaces, (gssize)k);
        n -= k;
    }
}

/* s left-aligned in at least width columns, then one separating space. */
static void append_column(GString *out, const char *s, size_t width)
{
    if (!s || !*s)
        s = "-";
    g_string_append(out, s);
    size_t cols = (size_t)g_utf8_strlen(s, -1);
    append_spaces(out, (cols < width ? width - cols : 0) + 1);
}

/* Application output is printed verbatim; a trailing newline is dropped
 * because the sink ends every record with one. */
static void append_verbatim(GString *out, const char *detail)
{
    size_t n = strlen(detail);
    while (n > 0 && detail[n - 1] == '\n')
        n--;
    g_string_append_len(out, detail, (gssize)n);
}

/* "<reason>" or "<reason> (<detail>)" when the detail says more. */
static void append_drop(GString *out, const SimTraceRecord *rec)
{
    const char *why = sim_trace_reason_name(rec->reason);
    if (!*why) {
        g_string_append(out, rec->detail);
        return;
    }
    g_string_append(out, why);
    if (*rec->detail && strcmp(rec->detail, why) != 0) {
        g_string_append(out, " (");
        g_string_append(out, rec->detail);
        g_string_append_c(out, ')');
    }
}

static void append_text(GString *out, const SimTraceRecord *rec)
{
    if (!rec->packet) {
        if (rec->kind == SIM_TR_DROP)
            append_drop(out, rec);
        else
            g_string_append(out, rec->detail);
        return;
    }
    char summary[SIM_DISSECT_SUMMARY_LEN];
    sim_dissect_summary(sim_packet_cdata(rec->packet), sim_packet_len(rec->packet), summary,
                        sizeof summary);
    g_string_append(out, summary);
    switch (rec->kind) {
    case SIM_TR_DROP:
        g_string_append(out, " \xe2\x80\x94 " /* em dash */);
        append_drop(out, rec);
        break;
    case SIM_TR_TX:
    case SIM_TR_RX:
        if (*rec->detail) {
            g_string_append(out, " (");
            g_string_append(out, rec->detail);
            g_string_append_c(out, ')');
        }
        break;
    default:
        if (*rec->detail) {
            g_string_append_c(out, ' ');
            g_string_append(out, rec->detail);
        }
    }
}

void sim_text_sink_format(const SimTraceRecord *rec, GString *out)
{
    if (rec->kind == SIM_TR_APP || rec->kind == SIM_TR_SHOW) {
        append_verbatim(out, rec->detail);
        return;
    }
    size_t start = out->len;
    char t[SIM_TIME_STRLEN];
    sim_time_format_sec(rec->time, t);
    size_t tlen = strlen(t);
    /* Two spaces of margin; times up to 9.999999999 s fill 11 columns. */
    append_spaces(out, 2 + (tlen < 11 ? 11 - tlen : 0));
    g_string_append_len(out, t, (gssize)tlen);
    append_spaces(out, 2);
    append_column(out, rec->node, SIM_TEXT_NODE_WIDTH);
    /* Switch and hub ports are named by number; show them as the detail
     * text and `show mac` do, "p3", so a port never reads like a count. */
    char port[16];
    const char *iface = rec->iface;
    if (iface && g_ascii_isdigit(iface[0]) && strspn(iface, "0123456789") == strlen(iface) &&
        strlen(iface) < sizeof port - 1) {
        g_snprintf(port, sizeof port, "p%s", iface);
        iface = port;
    }
    append_column(out, iface, SIM_TEXT_IFACE_WIDTH);
    append_column(out, sim_trace_kind_name(rec->kind), SIM_TEXT_KIND_WIDTH);
    append_text(out, rec);
    /* No trailing blanks when the text is empty. */
    size_t end = out->len;
    while (end > start && out->str[end - 1] == ' ')
        end--;
    g_string_truncate(out, end);
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
    g_string_truncate(s->line, 0);
    sim_text_sink_format(rec, s->line);
    g_string_append_c(s->line, '\n');
    if (new_storm) {
        sim_storm_watch_notice(s->storms, s->line);
        g_string_append_c(s->line, '\n');
        s->count++;
    }
    fwrite(s->line->str, 1, s->line->len, s->out);
    s->count++;
}

void sim_text_sink_summarise_storms(SimTextSink *s)
{
    if (!s->storms)
        s->storms = sim_storm_watch_new(s->world);
}

void sim_text_sink_finish(SimTextSink *s)
{
    if (!s->storms || !sim_storm_watch_n_storms(s->storms))
        return;
    g_string_truncate(s->line, 0);
    sim_storm_watch_summary(s->storms, sim_world_now(s->world), s->line);
    fwrite(s->line->str, 1, s->line->len, s->out);
    for (const char *p = s->line->str; *p; p++)
        s->count += *p == '\n';
}

SimTextSink *sim_text_sink_new(SimWorld *w, FILE *out, SimTraceMask mask)
{
    SimTextSink *s = g_new0(SimTextSink, 1);
    s->world = w;
    s->out = out;
    s->line = g_string_sized_new(256);
    s->sub = sim_trace_subscribe(sim_world_trace(w), mask, on_record, s);
    return s;
}

void sim_text_sink_free(SimTextSink *s)
{
    if (!s)
        return;
    sim_trace_unsubscribe(sim_world_trace(s->world), s->sub);
    fflush(s->out);
    sim_storm_watch_free(s->storms);
    g_string_free(s->line, TRUE);
    g_free(s);
}

uint64_t sim_text_sink_count(const SimTextSink *s)
{
    return s->count;
}
