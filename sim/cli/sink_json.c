/* sink_json.c - see sink_json.h. */
#include "sim/cli/sink_json.h"

#include "sim/cli/json.h"
#include "sim/link/node.h"
#include "sim/net/dissect.h"
#include "sim/net/packet.h"

#include <string.h>

#define FRAME_CACHE 8
#define OUT_BLOCK (64 * 1024)

typedef struct {
    uint8_t *bytes; /* NULL: empty slot */
    size_t len;
    uint64_t uid;
    GString *summary; /* the quoted summary */
    GString *packet;  /* the "packet" object */
} FrameEntry;

struct _SimJsonSink {
    SimWorld *world;
    GHashTable *labels; /* sim_node_label_table; NULL: no labels */
    FILE *out;
    guint sub;
    GString *line; /* lines not yet written */
    SimJson *json;
    uint64_t count;
    FrameEntry cache[FRAME_CACHE];
    guint next_slot;
};

/* The walk reports a layer, then its fields; a layer object stays open
 * until the next layer (or the end of the walk) closes it. */
typedef struct {
    SimJson *j;
    bool in_layer;
} LayerWriter;

static void close_layer(LayerWriter *lw)
{
    if (!lw->in_layer)
        return;
    sim_json_end_object(lw->j); /* fields */
    sim_json_end_object(lw->j); /* layer */
    lw->in_layer = false;
}

static void on_layer(void *user, const char *name, size_t offset, size_t length)
{
    LayerWriter *lw = user;
    close_layer(lw);
    sim_json_begin_object(lw->j);
    sim_json_member_string(lw->j, "name", name);
    sim_json_member_uint(lw->j, "offset", offset);
    sim_json_member_uint(lw->j, "length", length);
    sim_json_key(lw->j, "fields");
    sim_json_begin_object(lw->j);
    lw->in_layer = true;
}

static void on_field(void *user, const char *abbrev, const char *value, size_t offset,
                     size_t length)
{
    LayerWriter *lw = user;
    if (!lw->in_layer) /* the walk always opens a layer first */
        return;
    sim_json_member_string(lw->j, abbrev, value);
}

static void write_packet(SimJson *j, const SimPacket *p)
{
    static const SimDissectVisitor visitor = {on_layer, on_field, NULL};
    LayerWriter lw = {j, false};
    sim_json_begin_object(j);
    sim_json_member_uint(j, "uid", sim_packet_uid(p));
    sim_json_member_uint(j, "len", sim_packet_len(p));
    sim_json_key(j, "layers");
    sim_json_begin_array(j);
    sim_dissect_walk(sim_packet_cdata(p), sim_packet_len(p), &visitor, &lw);
    close_layer(&lw);
    sim_json_end_array(j);
    sim_json_end_object(j);
}

/* ---- the frame cache ---------------------------------------------------
 *
 * One frame shows up in several records in a row (tx, then rx, learn,
 * forward at the next hop), so its quoted summary and its "packet" object
 * are formatted once and reused while the bytes and uid stay the same.
 * Keyed by uid and the bytes themselves (compared in full: a router
 * rewrites TTL and MACs in place, under the same uid and pointer).
 * Rejected: keying by pointer (in-place rewrites) or by uid alone (a
 * rewritten frame keeps its uid). Cost of a hit: one memcmp of the frame. */

static FrameEntry *cache_lookup(SimJsonSink *s, const SimPacket *p)
{
    const uint8_t *d = sim_packet_cdata(p);
    size_t len = sim_packet_len(p);
    uint64_t uid = sim_packet_uid(p);
    for (guint i = 0; i < FRAME_CACHE; i++) {
        FrameEntry *e = &s->cache[i];
        if (e->bytes && e->uid == uid && e->len == len && memcmp(e->bytes, d, len) == 0)
            return e;
    }
    FrameEntry *e = &s->cache[s->next_slot];
    s->next_slot = (s->next_slot + 1) % FRAME_CACHE;
    g_free(e->bytes);
    e->bytes = g_memdup2(d, len);
    e->len = len;
    e->uid = uid;
    char summary[SIM_DISSECT_SUMMARY_LEN];
    sim_dissect_summary(d, len, summary, sizeof summary);
    g_string_truncate(e->summary, 0);
    sim_json_append_quoted(e->summary, summary, -1);
    g_string_truncate(e->packet, 0);
    sim_json_reset(s->json, e->packet);
    write_packet(s->json, p);
    return e;
}

/* ---- records ------------------------------------------------------------
 *
 * The record's keys are fixed, so they are appended as literal text and
 * only the values are formatted: numbers by hand, strings through
 * sim_json_append_quoted. The output is byte for byte what the SimJson
 * writer produced before (test_json checks it against that writer). */

#define LIT(out, s) sim_json_put((out), (s), sizeof(s) - 1)

static void append_u64(GString *out, uint64_t v)
{
    char buf[24];
    char *p = buf + sizeof buf;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    sim_json_put(out, p, (size_t)(buf + sizeof buf - p));
}

static void write_record(GString *out, const SimTraceRecord *rec, GHashTable *labels,
                         const GString *summary, const GString *packet)
{
    LIT(out, "{\"id\":");
    append_u64(out, rec->id);
    LIT(out, ",\"event\":");
    append_u64(out, rec->event);
    LIT(out, ",\"time_ns\":");
    append_u64(out, rec->time);
    LIT(out, ",\"node\":");
    sim_json_append_quoted(out, rec->node ? rec->node : "", -1);
    const char *label = labels && rec->node ? g_hash_table_lookup(labels, rec->node) : NULL;
    if (label) {
        LIT(out, ",\"label\":");
        sim_json_append_quoted(out, label, -1);
    }
    LIT(out, ",\"iface\":");
    sim_json_append_quoted(out, rec->iface ? rec->iface : "", -1);
    LIT(out, ",\"kind\":");
    sim_json_append_quoted(out, sim_trace_kind_name(rec->kind), -1);
    LIT(out, ",\"reason\":");
    sim_json_append_quoted(out, sim_trace_reason_name(rec->reason), -1);
    LIT(out, ",\"summary\":");
    if (summary)
        sim_json_put(out, summary->str, summary->len);
    else
        sim_json_append_quoted(out, rec->detail, -1);
    LIT(out, ",\"detail\":");
    sim_json_append_quoted(out, rec->detail ? rec->detail : "", -1);
    if (packet) {
        LIT(out, ",\"packet\":");
        sim_json_put(out, packet->str, packet->len);
    }
    LIT(out, "}");
}

void sim_json_sink_format(const SimTraceRecord *rec, GString *out)
{
    if (!rec->packet) {
        write_record(out, rec, NULL, NULL, NULL);
        return;
    }
    char buf[SIM_DISSECT_SUMMARY_LEN];
    const SimPacket *p = rec->packet;
    sim_dissect_summary(sim_packet_cdata(p), sim_packet_len(p), buf, sizeof buf);
    g_autoptr(GString) summary = g_string_new(NULL);
    g_autoptr(GString) packet = g_string_new(NULL);
    sim_json_append_quoted(summary, buf, -1);
    g_autoptr(SimJson) j = sim_json_new(packet);
    write_packet(j, p);
    write_record(out, rec, NULL, summary, packet);
}

/* Output goes out in blocks of about OUT_BLOCK bytes: one fwrite per block
 * rather than per line (stdio would copy each line into its own buffer). */
static void on_record(const SimTraceRecord *rec, void *user)
{
    SimJsonSink *s = user;
    const FrameEntry *e = rec->packet ? cache_lookup(s, rec->packet) : NULL;
    write_record(s->line, rec, s->labels, e ? e->summary : NULL, e ? e->packet : NULL);
    LIT(s->line, "\n");
    if (s->line->len >= OUT_BLOCK) {
        fwrite(s->line->str, 1, s->line->len, s->out);
        g_string_truncate(s->line, 0);
    }
    s->count++;
}

SimJsonSink *sim_json_sink_new(SimWorld *w, FILE *out, SimTraceMask mask)
{
    SimJsonSink *s = g_new0(SimJsonSink, 1);
    s->world = w;
    s->out = out;
    s->line = g_string_sized_new(OUT_BLOCK + 4096);
    s->json = sim_json_new(s->line);
    for (guint i = 0; i < FRAME_CACHE; i++) {
        s->cache[i].summary = g_string_new(NULL);
        s->cache[i].packet = g_string_new(NULL);
    }
    s->labels = sim_node_label_table(w);
    s->sub = sim_trace_subscribe(sim_world_trace(w), mask, on_record, s);
    return s;
}

void sim_json_sink_set_labels(SimJsonSink *s, GHashTable *labels)
{
    if (s->labels)
        g_hash_table_unref(s->labels);
    s->labels = labels ? g_hash_table_ref(labels) : NULL;
}

void sim_json_sink_free(SimJsonSink *s)
{
    if (!s)
        return;
    sim_trace_unsubscribe(sim_world_trace(s->world), s->sub);
    fwrite(s->line->str, 1, s->line->len, s->out);
    fflush(s->out);
    for (guint i = 0; i < FRAME_CACHE; i++) {
        g_free(s->cache[i].bytes);
        g_string_free(s->cache[i].summary, TRUE);
        g_string_free(s->cache[i].packet, TRUE);
    }
    sim_json_free(s->json);
    if (s->labels)
        g_hash_table_unref(s->labels);
    g_string_free(s->line, TRUE);
    g_free(s);
}

uint64_t sim_json_sink_count(const SimJsonSink *s)
{
    return s->count;
}
