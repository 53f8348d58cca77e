/* player.c - records a scenario's run and writes the player page (see
 * player.h). The run is driven one event at a time so that, after each
 * event, its records can be explained in words and the tables of the
 * devices it touched snapshotted; the trace bus delivers the records
 * themselves while the event runs. Cost per event: O(its records); per
 * snapshot: the `show` text of one device's tables.
 */
#include "viz/player.h"

#include "sim/cli/json.h"
#include "sim/cli/step_explain.h"
#include "sim/link/iface.h"
#include "sim/link/link.h"
#include "sim/link/node.h"
#include "sim/net/dissect.h"
#include "sim/net/packet.h"
#include "viz/diagram.h"

#include <string.h>

typedef struct {
    SimScenario *sc;
    SimWorld *w;
    GHashTable *node_index; /* name -> index + 1 */
    GHashTable *frames;     /* GBytes (frame bytes) -> index + 1 */
    GString *frames_s, *records_s, *decisions_s, *tables_s;
    SimJson *fj, *rj, *dj, *tj;
    GArray *pending; /* SimTraceRecord copies of the current event (owned) */
    bool *dirty;     /* per node: a table may have changed this event */
    char **last;     /* per node: its last snapshot's JSON */
    uint64_t n_records, n_events;
    int *link_tail;      /* per link: node index of the edge's tail in the SVG */
    SimPacketPool *pool; /* the copies of the pending records' frames */
} Recorder;

static int node_of(const Recorder *r, const char *name)
{
    return name ? GPOINTER_TO_INT(g_hash_table_lookup(r->node_index, name)) - 1 : -1;
}

/* ---- the diagram ------------------------------------------------------ */

static void node_hook(const SimTopo *topo, guint i, Agnode_t *n, GString *rows, gpointer user)
{
    g_autofree char *id = g_strdup_printf("dev-%s", sim_topo_node(topo, i)->name);
    agsafeset(n, (char *)"id", id, (char *)"");
}

static void end_text(const SimTopo *topo, const SimTopoEndpoint *ep, GString *out)
{
    const SimTopoNode *node = sim_topo_node(topo, (guint)ep->node_index);
    g_string_printf(out, "%s ", node->name);
    if (ep->iface_index >= 0)
        g_string_append(out, sim_topo_node_iface(node, (guint)ep->iface_index)->name);
    else
        g_string_append_printf(out, "p%u", ep->port);
}

/* Ids for the player; tooltips make Graphviz give each port label its own
 * element ("a_linkL-taillabel"), which the player uses to find it. */
static void edge_hook(const SimTopo *topo, guint l, Agedge_t *e, gpointer user)
{
    Recorder *r = user;
    const SimTopoLink *link = sim_topo_link(topo, l);
    g_autofree char *id = g_strdup_printf("link%u", l);
    agsafeset(e, (char *)"id", id, (char *)"");
    const char *tail = agnameof(agtail(e));
    bool a_is_tail = strcmp(tail, link->a.node) == 0;
    g_autoptr(GString) t = g_string_new(NULL);
    end_text(topo, a_is_tail ? &link->a : &link->b, t);
    agsafeset(e, (char *)"tailtooltip", t->str, (char *)"");
    end_text(topo, a_is_tail ? &link->b : &link->a, t);
    agsafeset(e, (char *)"headtooltip", t->str, (char *)"");
    r->link_tail[l] = node_of(r, tail);
}

/* ---- frames ----------------------------------------------------------- */

typedef struct {
    SimJson *j;
    bool in_layer;
} Walk;

static void close_layer(Walk *wk)
{
    if (wk->in_layer) {
        sim_json_end_array(wk->j); /* fields */
        sim_json_end_array(wk->j); /* layer */
    }
    wk->in_layer = false;
}

static void on_layer(void *user, const char *name, size_t offset, size_t length)
{
    Walk *wk = user;
    close_layer(wk);
    sim_json_begin_array(wk->j);
    sim_json_string(wk->j, name);
    sim_json_uint(wk->j, offset);
    sim_json_uint(wk->j, length);
    sim_json_begin_array(wk->j);
    wk->in_layer = true;
}

static void on_field(void *user, const char *abbrev, const char *value, size_t offset,
                     size_t length)
{
    Walk *wk = user;
    if (!wk->in_layer)
        return;
    sim_json_begin_array(wk->j);
    sim_json_string(wk->j, abbrev);
    sim_json_string(wk->j, value);
    sim_json_uint(wk->j, offset);
    sim_json_uint(wk->j, length);
    sim_json_end_array(wk->j);
}

/* The index of p's bytes among the frames seen so far, adding them. */
static int frame_index(Recorder *r, const SimPacket *p)
{
    const uint8_t *d = sim_packet_cdata(p);
    size_t len = sim_packet_len(p);
    g_autoptr(GBytes) key = g_bytes_new(d, len);
    gpointer v = g_hash_table_lookup(r->frames, key);
    if (v)
        return GPOINTER_TO_INT(v) - 1;
    int idx = (int)g_hash_table_size(r->frames);
    g_hash_table_insert(r->frames, g_bytes_ref(key), GINT_TO_POINTER(idx + 1));
    static const SimDissectVisitor visitor = {on_layer, on_field, NULL};
    static const char hex[] = "0123456789abcdef";
    char summary[SIM_DISSECT_SUMMARY_LEN];
    sim_dissect_summary(d, len, summary, sizeof summary);
    SimJson *j = r->fj;
    sim_json_begin_object(j);
    sim_json_member_uint(j, "uid", sim_packet_uid(p));
    sim_json_member_string(j, "summary", summary);
    GString *h = g_string_sized_new(len * 2);
    for (size_t i = 0; i < len; i++) {
        g_string_append_c(h, hex[d[i] >> 4]);
        g_string_append_c(h, hex[d[i] & 15]);
    }
    sim_json_member_string(j, "hex", h->str);
    g_string_free(h, TRUE);
    sim_json_key(j, "layers");
    sim_json_begin_array(j);
    Walk wk = {j, false};
    sim_dissect_walk(d, len, &visitor, &wk);
    close_layer(&wk);
    sim_json_end_array(j);
    sim_json_end_object(j);
    return idx;
}

/* ---- records, decisions, tables --------------------------------------- */

static void on_record(const SimTraceRecord *rec, void *user)
{
    Recorder *r = user;
    SimTraceRecord c = *rec;
    c.node = g_strdup(rec->node);
    c.iface = g_strdup(rec->iface);
    c.detail = g_strdup(rec->detail);
    c.packet = NULL;
    if (rec->packet) {
        /* A copy, not a reference: a router rewrites a frame in place later
         * in the same event (TTL, MACs), and a reference would also make
         * its sim_packet_make_writable copy. */
        size_t len = sim_packet_len(rec->packet);
        SimPacket *p = sim_packet_new(r->pool, 0, len);
        memcpy(sim_packet_data(p), sim_packet_cdata(rec->packet), len);
        sim_packet_set_uid(p, sim_packet_uid(rec->packet));
        c.packet = p;
    }
    g_array_append_val(r->pending, c);
}

static bool changes_tables(SimTraceKind k)
{
    return k == SIM_TR_LEARN || k == SIM_TR_AGE || k == SIM_TR_ARP_LEARN || k == SIM_TR_LINK_DOWN ||
           k == SIM_TR_LINK_UP || k == SIM_TR_INFO;
}

static void write_record(Recorder *r, const SimTraceRecord *c)
{
    SimJson *j = r->rj;
    sim_json_begin_array(j);
    sim_json_uint(j, c->id);
    sim_json_uint(j, c->event);
    sim_json_uint(j, c->time);
    sim_json_int(j, node_of(r, c->node));
    sim_json_string(j, c->iface ? c->iface : "");
    sim_json_string(j, sim_trace_kind_name(c->kind));
    sim_json_string(j, sim_trace_reason_name(c->reason));
    sim_json_string(j, c->detail);
    sim_json_int(j, c->packet ? frame_index(r, c->packet) : -1);
    sim_json_end_array(j);
}

/* One device's tables as `show` prints them: {"mac": ..., "arp": ...}. */
static char *snapshot(Recorder *r, guint i)
{
    static const struct {
        SimTopoTable t;
        const char *key;
    } tables[] = {
        {SIM_TOPO_TABLE_MAC, "mac"}, {SIM_TOPO_TABLE_ARP, "arp"}, {SIM_TOPO_TABLE_ROUTE, "route"}};
    SimNode *node = sim_world_node(r->w, i);
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(GString) text = g_string_new(NULL);
    g_autoptr(SimJson) j = sim_json_new(out);
    sim_json_begin_object(j);
    for (gsize k = 0; k < G_N_ELEMENTS(tables); k++) {
        g_string_truncate(text, 0);
        if (sim_scenario_show(r->sc, node, tables[k].t, text))
            sim_json_member_string(j, tables[k].key, text->str);
    }
    sim_json_end_object(j);
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static void snapshot_dirty(Recorder *r, uint64_t after_record)
{
    for (guint i = 0; i < sim_world_n_nodes(r->w); i++) {
        if (!r->dirty[i])
            continue;
        r->dirty[i] = false;
        char *s = snapshot(r, i);
        if (r->last[i] && strcmp(r->last[i], s) == 0) {
            g_free(s);
            continue;
        }
        g_free(r->last[i]);
        r->last[i] = s;
        /* [after record id, node, tables]: the raw object is spliced in. */
        GString *t = r->tables_s;
        g_string_append_printf(t, "%s[%" G_GUINT64_FORMAT ",%u,%s]", t->len > 1 ? "," : "",
                               after_record, i, s);
    }
}

static void clear_pending(Recorder *r)
{
    for (guint i = 0; i < r->pending->len; i++) {
        SimTraceRecord *c = &g_array_index(r->pending, SimTraceRecord, i);
        g_free((char *)c->node);
        g_free((char *)c->iface);
        g_free((char *)c->detail);
        sim_packet_unref((SimPacket *)c->packet);
    }
    g_array_set_size(r->pending, 0);
}

/* Writes what the last event recorded, its decision line and snapshots. */
static void flush_event(Recorder *r)
{
    GArray *p = r->pending;
    if (p->len == 0)
        return;
    bool frames = false;
    for (guint i = 0; i < p->len; i++) {
        const SimTraceRecord *c = &g_array_index(p, SimTraceRecord, i);
        write_record(r, c);
        frames |= c->packet != NULL;
        int n = node_of(r, c->node);
        if (n >= 0 && changes_tables(c->kind))
            r->dirty[n] = true;
    }
    r->n_records += p->len;
    const SimTraceRecord *first = &g_array_index(p, SimTraceRecord, 0);
    if (frames) {
        g_autoptr(GString) line = g_string_new(NULL);
        sim_step_explain(&g_array_index(p, SimTraceRecord, 0), p->len, r->w, "", line);
        if (line->len && line->str[line->len - 1] == '\n')
            g_string_truncate(line, line->len - 1);
        if (line->len) {
            sim_json_begin_array(r->dj);
            sim_json_uint(r->dj, first->event);
            sim_json_string(r->dj, line->str);
            sim_json_end_array(r->dj);
        }
    }
    snapshot_dirty(r, g_array_index(p, SimTraceRecord, p->len - 1).id);
    clear_pending(r);
}

/* ---- the run ---------------------------------------------------------- */

static SimRunStatus record_run(Recorder *r, const SimPlayerOptions *o, SimPlayerResult *res)
{
    SimTraceBus *bus = sim_world_trace(r->w);
    guint sub = sim_trace_subscribe(bus, SIM_TRACE_ALL, on_record, r);
    uint64_t limit = o->limit ? o->limit : SIM_PLAYER_DEFAULT_LIMIT;
    for (guint i = 0; i < sim_world_n_nodes(r->w); i++)
        r->dirty[i] = true;
    flush_event(r); /* anything emitted while building */
    snapshot_dirty(r, 0);
    SimRunStatus st = SIM_RUN_IDLE;
    for (;;) {
        if (o->max_events && r->n_events >= o->max_events)
            break; /* --max-events, as `netsim run` stops */
        if (r->n_events >= limit) {
            /* st is SIM_RUN_MAX_EVENTS: another event is due before until. */
            res->capped = true;
            break;
        }
        uint64_t before = sim_world_events(r->w);
        st = sim_world_run(r->w, o->until, 1);
        if (sim_world_events(r->w) > before) {
            r->n_events++;
            flush_event(r);
        }
        if (st != SIM_RUN_MAX_EVENTS)
            break;
    }
    sim_trace_unsubscribe(bus, sub);
    flush_event(r); /* records emitted outside an event, if any */
    return st;
}

static const char *status_name(SimRunStatus st, bool capped)
{
    if (capped)
        return "limit";
    switch (st) {
    case SIM_RUN_IDLE:
        return "idle";
    case SIM_RUN_UNTIL:
        return "until";
    case SIM_RUN_MAX_EVENTS:
        return "max-events";
    case SIM_RUN_STOPPED:
        return "stopped";
    }
    return "?";
}

static void write_world(Recorder *r, SimJson *j)
{
    sim_json_key(j, "nodes");
    sim_json_begin_array(j);
    for (guint i = 0; i < sim_world_n_nodes(r->w); i++) {
        SimNode *n = sim_world_node(r->w, i);
        sim_json_begin_array(j);
        sim_json_string(j, sim_node_name(n));
        sim_json_string(j, sim_node_kind_name(sim_node_kind(n)));
        sim_json_end_array(j);
    }
    sim_json_end_array(j);
    /* [a node, a iface, b node, b iface, tail node]; the edge is "linkL". */
    sim_json_key(j, "links");
    sim_json_begin_array(j);
    for (guint l = 0; l < sim_world_n_links(r->w); l++) {
        SimLink *link = sim_world_link(r->w, l);
        sim_json_begin_array(j);
        for (int side = 0; side < 2; side++) {
            SimIface *f = sim_link_end(link, side);
            sim_json_int(j, node_of(r, sim_node_name(sim_iface_node(f))));
            sim_json_string(j, sim_iface_name(f));
        }
        sim_json_int(j, r->link_tail[l]);
        sim_json_end_array(j);
    }
    sim_json_end_array(j);
}

/* Appends s with every '<' written as \u003c: inside a JSON string that is
 * the same character, and outside strings JSON has no '<'. */
static void append_script_safe(GString *out, const GString *s)
{
    const char *p = s->str, *end = s->str + s->len;
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt) {
            g_string_append_len(out, p, end - p);
            break;
        }
        g_string_append_len(out, p, lt - p);
        g_string_append(out, "\\u003c");
        p = lt + 1;
    }
}

static void splice(GString *data, const char *key, GString *array)
{
    g_string_append_printf(data, ",\"%s\":", key);
    g_string_append_len(data, array->str, array->len);
}

static void write_page(Recorder *r, const SimPlayerOptions *o, const SimPlayerResult *res,
                       const GString *svg, GString *out)
{
    const SimTopo *topo = sim_scenario_topo(r->sc);
    g_autoptr(GString) data = g_string_new(NULL);
    g_autoptr(SimJson) j = sim_json_new(data);
    sim_json_begin_object(j);
    sim_json_member_uint(j, "version", 1);
    sim_json_member_string(j, "title", topo->title ? topo->title : "");
    sim_json_member_string(j, "source", o->source ? o->source : "");
    sim_json_member_uint(j, "seed", o->seed);
    sim_json_member_string(j, "status", status_name(res->status, res->capped));
    sim_json_member_uint(j, "limit", o->limit ? o->limit : SIM_PLAYER_DEFAULT_LIMIT);
    sim_json_member_uint(j, "events", res->events);
    write_world(r, j);
    sim_json_end_object(j);
    g_string_truncate(data, data->len - 1); /* reopen the object to splice */
    splice(data, "frames", r->frames_s);
    splice(data, "records", r->records_s);
    splice(data, "decisions", r->decisions_s);
    splice(data, "tables", r->tables_s);
    g_string_append_c(data, '}');

    g_autofree char *title = g_markup_escape_text(topo->title ? topo->title : "netsim", -1);
    g_string_append_printf(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"netsim " NETSIM_VERSION "\">\n"
        "<title>%s · netsim</title>\n<style>\n%s</style>\n</head>\n<body>\n"
        "<template id=\"netsim-svg\">",
        title, sim_player_css);
    const char *s = strstr(svg->str, "<svg");
    g_string_append(out, s ? s : "");
    g_string_append(out, "</template>\n<script type=\"application/json\" id=\"netsim-data\">");
    append_script_safe(out, data);
    g_string_append_printf(out, "</script>\n<script>\n%s</script>\n</body>\n</html>\n",
                           sim_player_js);
}

gboolean sim_player_page(SimScenario *sc, const SimPlayerOptions *opts, GString *out,
                         SimPlayerResult *res, GError **error)
{
    SimPlayerResult local = {0};
    res = res ? res : &local;
    *res = (SimPlayerResult){0};
    SimWorld *w = sim_scenario_world(sc);
    guint nn = sim_world_n_nodes(w), nl = sim_world_n_links(w);
    Recorder r = {
        .sc = sc,
        .w = w,
        .node_index = g_hash_table_new(g_str_hash, g_str_equal),
        .frames =
            g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL),
        .frames_s = g_string_new(NULL),
        .records_s = g_string_new(NULL),
        .decisions_s = g_string_new(NULL),
        .tables_s = g_string_new("["),
        .pending = g_array_new(FALSE, FALSE, sizeof(SimTraceRecord)),
        .dirty = g_new0(bool, MAX(nn, 1)),
        .last = g_new0(char *, MAX(nn, 1)),
        .link_tail = g_new0(int, MAX(nl, 1)),
        .pool = sim_packet_pool_new(),
    };
    for (guint i = 0; i < nn; i++)
        g_hash_table_insert(r.node_index, (gpointer)sim_node_name(sim_world_node(w, i)),
                            GINT_TO_POINTER(i + 1));
    r.fj = sim_json_new(r.frames_s);
    r.rj = sim_json_new(r.records_s);
    r.dj = sim_json_new(r.decisions_s);
    sim_json_begin_array(r.fj);
    sim_json_begin_array(r.rj);
    sim_json_begin_array(r.dj);

    SimVizOptions vo = {.node_hook = node_hook, .edge_hook = edge_hook, .hook_data = &r};
    g_autoptr(GString) svg = g_string_new(NULL);
    gboolean ok = sim_viz_render_data(sim_scenario_topo(sc), &vo, "svg", svg, error);
    if (ok) {
        res->status = record_run(&r, opts, res);
        res->events = r.n_events;
        res->records = r.n_records;
        res->frames = g_hash_table_size(r.frames);
        sim_json_end_array(r.fj);
        sim_json_end_array(r.rj);
        sim_json_end_array(r.dj);
        g_string_append_c(r.tables_s, ']');
        write_page(&r, opts, res, svg, out);
    }
    clear_pending(&r);
    for (guint i = 0; i < nn; i++)
        g_free(r.last[i]);
    g_free(r.last);
    g_free(r.dirty);
    g_free(r.link_tail);
    g_array_unref(r.pending);
    sim_packet_pool_free(r.pool);
    sim_json_free(r.fj);
    sim_json_free(r.rj);
    sim_json_free(r.dj);
    g_string_free(r.frames_s, TRUE);
    g_string_free(r.records_s, TRUE);
    g_string_free(r.decisions_s, TRUE);
    g_string_free(r.tables_s, TRUE);
    g_hash_table_unref(r.frames);
    g_hash_table_unref(r.node_index);
    return ok;
}
