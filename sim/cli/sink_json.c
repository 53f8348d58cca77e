/* sink_json.c - see sink_json.h. */
#include "sim/cli/sink_json.h"

#include "sim/cli/json.h"
#include "sim/net/dissect.h"
#include "sim/net/packet.h"

struct _SimJsonSink {
    SimWorld *world;
    FILE *out;
    guint sub;
    GString *line;
    SimJson *json;
    uint64_t count;
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
    static const SimDissectVisitor visitor = {on_layer, on_field};
    LayerWriter lw = {j, false};
    sim_json_key(j, "packet");
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

static void write_record(SimJson *j, const SimTraceRecord *rec)
{
    char summary[SIM_DISSECT_SUMMARY_LEN];
    if (rec->packet)
        sim_dissect_summary(sim_packet_cdata(rec->packet), sim_packet_len(rec->packet), summary,
                            sizeof summary);
    sim_json_begin_object(j);
    sim_json_member_uint(j, "id", rec->id);
    sim_json_member_uint(j, "event", rec->event);
    sim_json_member_uint(j, "time_ns", rec->time);
    sim_json_member_string(j, "node", rec->node ? rec->node : "");
    sim_json_member_string(j, "iface", rec->iface ? rec->iface : "");
    sim_json_member_string(j, "kind", sim_trace_kind_name(rec->kind));
    sim_json_member_string(j, "reason", sim_trace_reason_name(rec->reason));
    sim_json_member_string(j, "summary", rec->packet ? summary : rec->detail);
    sim_json_member_string(j, "detail", rec->detail ? rec->detail : "");
    if (rec->packet)
        write_packet(j, rec->packet);
    sim_json_end_object(j);
    g_assert(sim_json_complete(j));
}

void sim_json_sink_format(const SimTraceRecord *rec, GString *out)
{
    g_autoptr(SimJson) j = sim_json_new(out);
    write_record(j, rec);
}

static void on_record(const SimTraceRecord *rec, void *user)
{
    SimJsonSink *s = user;
    g_string_truncate(s->line, 0);
    sim_json_reset(s->json, s->line);
    write_record(s->json, rec);
    g_string_append_c(s->line, '\n');
    fwrite(s->line->str, 1, s->line->len, s->out);
    s->count++;
}

SimJsonSink *sim_json_sink_new(SimWorld *w, FILE *out, SimTraceMask mask)
{
    SimJsonSink *s = g_new0(SimJsonSink, 1);
    s->world = w;
    s->out = out;
    s->line = g_string_sized_new(1024);
    s->json = sim_json_new(s->line);
    s->sub = sim_trace_subscribe(sim_world_trace(w), mask, on_record, s);
    return s;
}

void sim_json_sink_free(SimJsonSink *s)
{
    if (!s)
        return;
    sim_trace_unsubscribe(sim_world_trace(s->world), s->sub);
    fflush(s->out);
    sim_json_free(s->json);
    g_string_free(s->line, TRUE);
    g_free(s);
}

uint64_t sim_json_sink_count(const SimJsonSink *s)
{
    return s->count;
}
