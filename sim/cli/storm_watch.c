/* storm_watch.c - hides a storming LAN's per-frame trace and summarises
 * it; see storm_watch.h.
 *
 * The LAN is computed once, when its first storm is reported, by a BFS over
 * links from the reporting device (down links included: a scenario may
 * bring them up). Rejected: hiding only records of the looping frame
 * (matched by its bytes) - the hosts' answers to every copy (an ARP reply
 * per lap) flood the trace just as badly. */
#include "sim/cli/storm_watch.h"

#include "sim/link/iface.h"
#include "sim/link/link.h"
#include "sim/link/node.h"
#include "sim/link/network.h"

#include <string.h>

typedef struct {
    SimTime start;
    GString *devices;   /* "swA, swB, swC" in BFS order */
    GString *reporters; /* "swB, swC, swA" in report order */
    char *loop;         /* from the first report; "" when not found */
    GPtrArray *links;   /* SimLink *, borrowed from the world */
    GArray *base;       /* SimLinkDirStats per link end 0 and 1, at start */
} Storm;

struct _SimStormWatch {
    SimWorld *w;
    GPtrArray *storms;   /* Storm *, owned */
    GHashTable *devices; /* L2 node name -> Storm * */
    GHashTable *ends;    /* host/router name -> GHashTable of iface names */
    uint64_t hidden;
};

static void storm_free(gpointer p)
{
    Storm *s = p;
    g_string_free(s->devices, TRUE);
    g_string_free(s->reporters, TRUE);
    g_free(s->loop);
    g_ptr_array_free(s->links, TRUE);
    g_array_free(s->base, TRUE);
    g_free(s);
}

SimStormWatch *sim_storm_watch_new(SimWorld *w)
{
    SimStormWatch *sw = g_new0(SimStormWatch, 1);
    sw->w = w;
    sw->storms = g_ptr_array_new_with_free_func(storm_free);
    /* Keys are node and interface names, which the world owns. */
    sw->devices = g_hash_table_new(g_str_hash, g_str_equal);
    sw->ends =
        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_hash_table_unref);
    return sw;
}

void sim_storm_watch_free(SimStormWatch *sw)
{
    if (!sw)
        return;
    g_hash_table_destroy(sw->ends);
    g_hash_table_destroy(sw->devices);
    g_ptr_array_free(sw->storms, TRUE);
    g_free(sw);
}

static bool is_l2(const SimNode *n)
{
    SimNodeKind k = sim_node_kind(n);
    return k == SIM_NODE_SWITCH || k == SIM_NODE_HUB || k == SIM_NODE_L3SWITCH;
}

static void mark_end(SimStormWatch *sw, SimIface *x)
{
    const char *node = sim_node_name(sim_iface_node(x));
    GHashTable *ifaces = g_hash_table_lookup(sw->ends, node);
    if (!ifaces) {
        ifaces = g_hash_table_new(g_str_hash, g_str_equal);
        g_hash_table_insert(sw->ends, (gpointer)node, ifaces);
    }
    g_hash_table_add(ifaces, (gpointer)sim_iface_name(x));
}

static void add_link(Storm *s, SimLink *l)
{
    for (guint i = 0; i < s->links->len; i++)
        if (g_ptr_array_index(s->links, i) == l)
            return;
    g_ptr_array_add(s->links, l);
    for (int side = 0; side < 2; side++)
        g_array_append_vals(s->base, sim_link_stats(l, sim_link_end(l, side)), 1);
}

/* BFS over the L2 devices reachable from `from`, marking them and the
 * interfaces of end nodes attached to them. */
static void mark_lan(SimStormWatch *sw, Storm *s, SimNode *from)
{
    GQueue q = G_QUEUE_INIT;
    g_hash_table_insert(sw->devices, (gpointer)sim_node_name(from), s);
    g_queue_push_tail(&q, from);
    while (!g_queue_is_empty(&q)) {
        SimNode *n = g_queue_pop_head(&q);
        if (s->devices->len)
            g_string_append(s->devices, ", ");
        g_string_append(s->devices, sim_node_name(n));
        for (guint i = 0; i < sim_node_n_ifaces(n); i++) {
            SimIface *x = sim_node_iface(n, i);
            SimLink *l = sim_iface_link(x);
            SimIface *y = l ? sim_link_peer(l, x) : NULL;
            if (!y)
                continue;
            add_link(s, l);
            SimNode *m = sim_iface_node(y);
            if (!is_l2(m))
                mark_end(sw, y);
            else if (!g_hash_table_contains(sw->devices, sim_node_name(m))) {
                g_hash_table_insert(sw->devices, (gpointer)sim_node_name(m), s);
                g_queue_push_tail(&q, m);
            }
        }
    }
}

bool sim_storm_watch_note(SimStormWatch *sw, const SimTraceRecord *rec)
{
    if (rec->kind != SIM_TR_STORM || !rec->node)
        return false;
    Storm *known = g_hash_table_lookup(sw->devices, rec->node);
    if (known) {
        g_string_append_printf(known->reporters, ", %s", rec->node);
        return false;
    }
    SimNode *node = sim_network_find_node(sim_network_of(sw->w), rec->node);
    if (!node || !is_l2(node))
        return false;
    Storm *s = g_new0(Storm, 1);
    s->start = rec->time;
    s->devices = g_string_new(NULL);
    s->reporters = g_string_new(rec->node);
    const char *loop = strstr(rec->detail, "loop: ");
    s->loop = g_strdup(loop ? loop + strlen("loop: ") : "");
    s->links = g_ptr_array_new();
    s->base = g_array_new(FALSE, FALSE, sizeof(SimLinkDirStats));
    g_ptr_array_add(sw->storms, s);
    mark_lan(sw, s, node);
    return true;
}

bool sim_storm_watch_hides(SimStormWatch *sw, const SimTraceRecord *rec)
{
    if (sw->storms->len == 0 || !rec->node)
        return false;
    switch (rec->kind) {
    case SIM_TR_STORM:
    case SIM_TR_LINK_DOWN:
    case SIM_TR_LINK_UP:
    case SIM_TR_APP:
    case SIM_TR_SHOW:
    case SIM_TR_INFO:
    case SIM_TR_AGE:
        return false;
    default:
        break;
    }
    bool hide = g_hash_table_contains(sw->devices, rec->node);
    if (!hide && rec->iface) {
        GHashTable *ifaces = g_hash_table_lookup(sw->ends, rec->node);
        hide = ifaces && g_hash_table_contains(ifaces, rec->iface);
    }
    sw->hidden += hide;
    return hide;
}

guint sim_storm_watch_n_storms(const SimStormWatch *sw)
{
    return sw->storms->len;
}

uint64_t sim_storm_watch_hidden(const SimStormWatch *sw)
{
    return sw->hidden;
}

void sim_storm_watch_notice(const SimStormWatch *sw, GString *out)
{
    const Storm *s = g_ptr_array_index(sw->storms, sw->storms->len - 1);
    g_string_append_printf(out,
                           "  (broadcast storm: frames in the LAN of %s are no longer traced one "
                           "by one; a summary follows at the end of the run)",
                           s->devices->str);
}

static double per_sec(uint64_t n, SimTime span)
{
    return span ? (double)n * (double)SIM_SEC / (double)span : 0.0;
}

static void summarise(const Storm *s, SimTime now, GString *out)
{
    char t0[SIM_TIME_STRLEN], t1[SIM_TIME_STRLEN];
    SimTime dt = now > s->start ? now - s->start : 0;
    g_string_append_printf(out, "Broadcast storm in the LAN of %s\n", s->devices->str);
    g_string_append_printf(out, "  reported by %s at t=%s\n", s->reporters->str,
                           sim_time_format_sec(s->start, t0));
    g_string_append_printf(out, "  loop: %s\n", *s->loop ? s->loop : "(not found)");
    g_string_append_printf(out, "  from t=%s to t=%s (%.3f s):\n", t0, sim_time_format_sec(now, t1),
                           (double)dt / (double)SIM_SEC);
    int w = (int)strlen("link A-B");
    for (guint i = 0; i < s->links->len; i++)
        w = MAX(w, (int)strlen(sim_link_name(g_ptr_array_index(s->links, i))));
    g_string_append_printf(out, "  %-*s %11s %11s %9s %8s %9s\n", w, "link A-B", "frames A>B",
                           "frames B>A", "frames/s", "dropped", "max queue");
    uint64_t total = 0, drops = 0;
    for (guint i = 0; i < s->links->len; i++) {
        const SimLink *l = g_ptr_array_index(s->links, i);
        uint64_t n[2], d = 0;
        uint32_t qmax = 0;
        for (int side = 0; side < 2; side++) {
            const SimLinkDirStats *now_st = sim_link_stats(l, sim_link_end(l, side));
            const SimLinkDirStats *b = &g_array_index(s->base, SimLinkDirStats, 2 * i + side);
            n[side] = now_st->frames - b->frames;
            d += (now_st->queue_drops - b->queue_drops) + (now_st->buffer_drops - b->buffer_drops);
            qmax = MAX(qmax, now_st->queue_max);
        }
        total += n[0] + n[1];
        drops += d;
        g_string_append_printf(out,
                               "  %-*s %11" G_GUINT64_FORMAT " %11" G_GUINT64_FORMAT
                               " %9.0f %8" G_GUINT64_FORMAT " %9u\n",
                               w, sim_link_name(l), n[0], n[1], per_sec(n[0] + n[1], dt), d, qmax);
    }
    g_string_append_printf(out,
                           "  in all: %" G_GUINT64_FORMAT
                           " frames (%.0f frames/s), %" G_GUINT64_FORMAT
                           " dropped at full queues\n",
                           total, per_sec(total, dt), drops);
}

void sim_storm_watch_summary(const SimStormWatch *sw, SimTime now, GString *out)
{
    for (guint i = 0; i < sw->storms->len; i++)
        summarise(g_ptr_array_index(sw->storms, i), now, out);
    if (sw->hidden)
        g_string_append_printf(
            out, "  %" G_GUINT64_FORMAT " trace lines of the storm were not printed\n", sw->hidden);
}
