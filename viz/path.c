/* path.c - follows one packet through the trace (see path.h). */
#include "viz/path.h"

#include "sim/net/dissect.h"
#include "sim/net/packet.h"

#include <stdlib.h>
#include <string.h>

struct _SimVizPath {
    SimWorld *world;
    const SimTopo *topo;
    uint64_t uid;
    guint sub;
    guint n_records, n_crossings, max_hop;
    GArray **hops;      /* per link: guint hop numbers, NULL until crossed */
    guint *dirs;        /* per link: SIM_VIZ_DIR_* */
    guint *marks;       /* per node: SimVizMark */
    guint *last_rx;     /* per node: hop of the link it last received on */
    guint32 *drop_bits; /* per node: 1 << SimDropReason seen */
    GString **drops;    /* per node: their names, NULL until one */
    GArray *empty;      /* returned for links never crossed */
    char summary[SIM_DISSECT_SUMMARY_LEN];
};

/* The link behind (node, iface) as the trace names them: an interface
 * name on a host or router, the port number ("3") on a switch or hub. */
static int link_of(const SimTopo *topo, int node, const char *iface, bool *is_a)
{
    if (node < 0 || !iface)
        return -1;
    const SimTopoNode *tn = sim_topo_node(topo, (guint)node);
    int link = -1, ifindex = -1;
    guint32 port = 0;
    if (sim_topo_node_has_ifaces(tn->kind)) {
        ifindex = sim_topo_node_iface_index(tn, iface);
        if (ifindex >= 0)
            link = sim_topo_node_iface(tn, (guint)ifindex)->link;
    } else {
        char *end;
        unsigned long n = strtoul(iface, &end, 10);
        if (*iface && !*end && n >= 1 && n <= tn->ports && tn->port_link) {
            port = (guint32)n;
            link = tn->port_link[port];
        }
    }
    if (link >= 0) {
        /* Compare the whole end: a link may join two ports of one device. */
        const SimTopoEndpoint *a = &sim_topo_link(topo, (guint)link)->a;
        *is_a = a->node_index == node && a->iface_index == ifindex && a->port == port;
    }
    return link;
}

static void on_tx(SimVizPath *p, int node, const SimTraceRecord *rec)
{
    bool is_a = false;
    int link = link_of(p->topo, node, rec->iface, &is_a);
    if (p->n_crossings == 0 && node >= 0) {
        p->marks[node] |= SIM_VIZ_MARK_SENT;
        if (rec->packet)
            sim_dissect_summary(sim_packet_cdata(rec->packet), sim_packet_len(rec->packet),
                                p->summary, sizeof p->summary);
    }
    p->n_crossings++;
    if (link < 0)
        return; /* an unconnected interface: the drop record follows */
    guint hop = (node >= 0 ? p->last_rx[node] : 0) + 1;
    if (!p->hops[link])
        p->hops[link] = g_array_new(FALSE, FALSE, sizeof(guint));
    g_array_append_val(p->hops[link], hop);
    p->dirs[link] |= is_a ? SIM_VIZ_DIR_A_TO_B : SIM_VIZ_DIR_B_TO_A;
    p->max_hop = MAX(p->max_hop, hop);
}

static void on_rx(SimVizPath *p, int node, const SimTraceRecord *rec)
{
    bool is_a;
    int link = link_of(p->topo, node, rec->iface, &is_a);
    if (node < 0 || link < 0 || !p->hops[link])
        return;
    GArray *h = p->hops[link];
    p->last_rx[node] = g_array_index(h, guint, h->len - 1);
}

static void on_drop(SimVizPath *p, int node, SimDropReason reason)
{
    if (node < 0)
        return;
    p->marks[node] |= SIM_VIZ_MARK_DROPPED;
    G_STATIC_ASSERT(SIM_DROP_N_REASONS <= 32);
    guint32 bit = (guint32)1 << reason;
    if (p->drop_bits[node] & bit)
        return;
    p->drop_bits[node] |= bit;
    const char *why = sim_trace_reason_name(reason);
    if (p->drops[node])
        g_string_append_printf(p->drops[node], ", %s", why);
    else
        p->drops[node] = g_string_new(why);
}

static void on_record(const SimTraceRecord *rec, void *user)
{
    SimVizPath *p = user;
    if (!rec->packet || sim_packet_uid(rec->packet) != p->uid)
        return;
    p->n_records++;
    int node = rec->node ? sim_topo_node_index(p->topo, rec->node) : -1;
    switch (rec->kind) {
    case SIM_TR_TX:
        on_tx(p, node, rec);
        break;
    case SIM_TR_RX:
        on_rx(p, node, rec);
        break;
    case SIM_TR_DROP:
        on_drop(p, node, rec->reason);
        break;
    case SIM_TR_FLOOD:
        if (node >= 0)
            p->marks[node] |= SIM_VIZ_MARK_FLOODED;
        break;
    case SIM_TR_DELIVER:
        if (node >= 0)
            p->marks[node] |= SIM_VIZ_MARK_DELIVERED;
        break;
    default:
        break;
    }
}

SimVizPath *sim_viz_path_new(SimWorld *w, const SimTopo *topo, uint64_t uid)
{
    guint nn = MAX(1, topo->nodes->len), nl = MAX(1, topo->links->len);
    SimVizPath *p = g_new0(SimVizPath, 1);
    p->world = w;
    p->topo = topo;
    p->uid = uid;
    p->hops = g_new0(GArray *, nl);
    p->dirs = g_new0(guint, nl);
    p->marks = g_new0(guint, nn);
    p->last_rx = g_new0(guint, nn);
    p->drops = g_new0(GString *, nn);
    p->drop_bits = g_new0(guint32, nn);
    p->empty = g_array_new(FALSE, FALSE, sizeof(guint));
    const SimTraceMask mask = SIM_TRACE_BIT(SIM_TR_TX) | SIM_TRACE_BIT(SIM_TR_RX) |
                              SIM_TRACE_BIT(SIM_TR_DROP) | SIM_TRACE_BIT(SIM_TR_FLOOD) |
                              SIM_TRACE_BIT(SIM_TR_DELIVER);
    p->sub = sim_trace_subscribe(sim_world_trace(w), mask, on_record, p);
    return p;
}

void sim_viz_path_free(SimVizPath *p)
{
    if (!p)
        return;
    sim_trace_unsubscribe(sim_world_trace(p->world), p->sub);
    for (guint l = 0; l < p->topo->links->len; l++)
        if (p->hops[l])
            g_array_unref(p->hops[l]);
    for (guint i = 0; i < p->topo->nodes->len; i++)
        if (p->drops[i])
            g_string_free(p->drops[i], TRUE);
    g_free(p->hops);
    g_free(p->dirs);
    g_free(p->marks);
    g_free(p->last_rx);
    g_free(p->drops);
    g_free(p->drop_bits);
    g_array_unref(p->empty);
    g_free(p);
}

uint64_t sim_viz_path_uid(const SimVizPath *p)
{
    return p->uid;
}

guint sim_viz_path_n_records(const SimVizPath *p)
{
    return p->n_records;
}

guint sim_viz_path_n_crossings(const SimVizPath *p)
{
    return p->n_crossings;
}

guint sim_viz_path_n_hops(const SimVizPath *p)
{
    return p->max_hop;
}

const GArray *sim_viz_path_link_hops(const SimVizPath *p, guint link)
{
    g_return_val_if_fail(link < p->topo->links->len, p->empty);
    return p->hops[link] ? p->hops[link] : p->empty;
}

guint sim_viz_path_link_dirs(const SimVizPath *p, guint link)
{
    g_return_val_if_fail(link < p->topo->links->len, 0);
    return p->dirs[link];
}

guint sim_viz_path_node_marks(const SimVizPath *p, guint node)
{
    g_return_val_if_fail(node < p->topo->nodes->len, 0);
    return p->marks[node];
}

const char *sim_viz_path_drop_reasons(const SimVizPath *p, guint node)
{
    g_return_val_if_fail(node < p->topo->nodes->len, NULL);
    return p->drops[node] ? p->drops[node]->str : NULL;
}

const char *sim_viz_path_summary(const SimVizPath *p)
{
    return p->summary;
}
