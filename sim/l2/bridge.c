/* bridge.c - ports, flooding and storm reporting; see bridge.h. */
#include "sim/l2/bridge.h"

#include "sim/core/world.h"
#include "sim/link/iface.h"
#include "sim/link/link.h"
#include "sim/link/node.h"
#include "sim/net/packet.h"

struct _SimBridge {
    SimNode *node;
    SimWorld *world;
    guint n_ports;
    SimIface **ports;          /* borrowed from the node */
    char **labels;             /* "p1".., owned (NULL-terminated strv) */
    SimBridgePortStats *stats; /* one per port */
    SimStorm *storm;
    GString *list; /* scratch for flood port lists */
    bool *blocked; /* per port, set by a spanning tree; NULL: none blocked */
};

SimBridge *sim_bridge_new(SimNode *node, guint n_ports, guint storm_threshold, SimTime storm_window)
{
    SimBridge *b = g_new0(SimBridge, 1);
    b->node = node;
    b->world = sim_node_world(node);
    b->n_ports = n_ports;
    b->ports = g_new0(SimIface *, MAX(n_ports, 1));
    b->labels = g_new0(char *, n_ports + 1);
    b->stats = g_new0(SimBridgePortStats, MAX(n_ports, 1));
    for (guint i = 0; i < n_ports; i++) {
        char name[16];
        g_snprintf(name, sizeof name, "%u", i + 1);
        b->ports[i] = sim_node_add_iface(node, name, &SIM_MAC_ZERO);
        g_assert(sim_iface_index(b->ports[i]) == i); /* ports are the only interfaces */
        sim_iface_set_promisc(b->ports[i], true);
        b->labels[i] = g_strdup_printf("p%u", i + 1);
    }
    b->storm = sim_storm_new(n_ports, storm_threshold, storm_window);
    b->list = g_string_sized_new(64);
    return b;
}

void sim_bridge_free(SimBridge *b)
{
    if (!b)
        return;
    g_free(b->ports);
    g_strfreev(b->labels);
    g_free(b->stats);
    g_free(b->blocked);
    sim_storm_free(b->storm);
    g_string_free(b->list, TRUE);
    g_free(b);
}

SimNode *sim_bridge_node(const SimBridge *b)
{
    return b->node;
}

guint sim_bridge_n_ports(const SimBridge *b)
{
    return b->n_ports;
}

SimIface *sim_bridge_port(const SimBridge *b, guint port)
{
    g_return_val_if_fail(port < b->n_ports, NULL);
    return b->ports[port];
}

const char *sim_bridge_label(const SimBridge *b, guint port)
{
    g_return_val_if_fail(port < b->n_ports, "p?");
    return b->labels[port];
}

SimBridgePortStats *sim_bridge_port_stats(SimBridge *b, guint port)
{
    g_return_val_if_fail(port < b->n_ports, NULL);
    return &b->stats[port];
}

SimStorm *sim_bridge_storm(const SimBridge *b)
{
    return b->storm;
}

void sim_bridge_set_blocked(SimBridge *b, guint port, bool blocked)
{
    g_return_if_fail(port < b->n_ports);
    if (!b->blocked)
        b->blocked = g_new0(bool, b->n_ports);
    b->blocked[port] = blocked;
}

bool sim_bridge_blocked(const SimBridge *b, guint port)
{
    return b->blocked && port < b->n_ports && b->blocked[port];
}

void sim_bridge_count_rx(SimBridge *b, guint port, const SimPacket *pkt)
{
    b->stats[port].rx_frames++;
    b->stats[port].rx_bytes += sim_packet_len(pkt);
}

void sim_bridge_send(SimBridge *b, guint port, SimPacket *pkt)
{
    b->stats[port].tx_frames++;
    b->stats[port].tx_bytes += sim_packet_len(pkt);
    sim_iface_send(b->ports[port], pkt);
}

static void report_storm(SimBridge *b, guint in_port, const SimPacket *pkt)
{
    g_autofree char *loop = sim_storm_find_loop(b->ports[in_port]);
    sim_storm_set_loop(b->storm, loop);
    SimTime now = sim_world_now(b->world);
    char span[SIM_TIME_STRLEN];
    sim_time_format(sim_storm_trip_span(b->storm), span);
    SIM_TRACE(b->world, SIM_TR_STORM, SIM_DROP_NONE, sim_node_name(b->node),
              sim_iface_name(b->ports[in_port]), pkt,
              "broadcast storm: the same frame arrived %u times on %s within %s "
              "(%.0f flooded frames/s on %s); loop: %s",
              sim_storm_trip_count(b->storm), b->labels[in_port], span,
              sim_storm_port_rate(b->storm, in_port, now), b->labels[in_port],
              loop ? loop : "(not found)");
}

/* The decision is traced before any copy is sent, so that a queue-full drop
 * at an output port (traced synchronously by the link) reads after it.
 * eg NULL: every other up port. */
static void trace_flood(SimBridge *b, guint in_port, SimIface *from, const SimPacket *pkt,
                        const SimBridgeEgress *eg)
{
    g_string_truncate(b->list, 0);
    for (guint i = 0; i < b->n_ports; i++) {
        if (i == in_port || !sim_iface_is_up(b->ports[i]) || (b->blocked && b->blocked[i]) ||
            (eg && !eg->member(eg->ctx, i)))
            continue;
        if (b->list->len)
            g_string_append_c(b->list, ',');
        g_string_append(b->list, b->labels[i]);
    }
    sim_world_tracef(b->world, SIM_TR_FLOOD, SIM_DROP_NONE, sim_node_name(b->node),
                     sim_iface_name(from), pkt, "→ %s",
                     b->list->len ? b->list->str : "(no other port is up)");
}

/* How far ahead of the port being sent on the flood loop prefetches: the
 * interfaces at 2*PREFETCH_AHEAD, their links at PREFETCH_AHEAD. A copy
 * costs a few hundred cycles of work, so a handful of ports in flight
 * covers a miss to memory. */
#define PREFETCH_AHEAD 4

guint sim_bridge_flood(SimBridge *b, guint in_port, SimPacket *pkt)
{
    SimWorld *w = b->world;
    if (sim_storm_observe(b->storm, sim_packet_cdata(pkt), sim_packet_len(pkt), in_port,
                          sim_world_now(w)))
        report_storm(b, in_port, pkt);
    if (sim_trace_wants(sim_world_trace(w), SIM_TR_FLOOD))
        trace_flood(b, in_port, b->ports[in_port], pkt, NULL);
    b->stats[in_port].flooded++;
    guint sent = 0;
    for (guint i = 0; i < MIN(b->n_ports, 2 * PREFETCH_AHEAD); i++)
        sim_iface_prefetch_tx(b->ports[i], 0);
    for (guint i = 0; i < MIN(b->n_ports, PREFETCH_AHEAD); i++)
        sim_iface_prefetch_tx(b->ports[i], 1);
    SimIface *prev = NULL;
    for (guint i = 0; i < b->n_ports; i++) {
        if (i + 2 * PREFETCH_AHEAD < b->n_ports)
            sim_iface_prefetch_tx(b->ports[i + 2 * PREFETCH_AHEAD], 0);
        if (i + PREFETCH_AHEAD < b->n_ports)
            sim_iface_prefetch_tx(b->ports[i + PREFETCH_AHEAD], 1);
        if (i == in_port || !sim_iface_is_up(b->ports[i]) || (b->blocked && b->blocked[i]))
            continue;
        b->stats[i].flood_out++;
        sent++;
        sim_bridge_send(b, i, sim_packet_ref(pkt));
        if (prev)
            sim_link_hint_next(prev, b->ports[i], pkt);
        prev = b->ports[i];
    }
    sim_packet_unref(pkt);
    return sent;
}

guint sim_bridge_flood_egress(SimBridge *b, guint in_port, SimIface *from, const SimPacket *pkt,
                              const SimBridgeEgress *eg)
{
    SimWorld *w = b->world;
    if (in_port < b->n_ports) {
        if (sim_storm_observe(b->storm, sim_packet_cdata(pkt), sim_packet_len(pkt), in_port,
                              sim_world_now(w)))
            report_storm(b, in_port, pkt);
        b->stats[in_port].flooded++;
    }
    if (sim_trace_wants(sim_world_trace(w), SIM_TR_FLOOD))
        trace_flood(b, in_port, from, pkt, eg);
    guint sent = 0;
    for (guint i = 0; i < b->n_ports; i++) {
        if (i == in_port || !sim_iface_is_up(b->ports[i]) || (b->blocked && b->blocked[i]) ||
            !eg->member(eg->ctx, i))
            continue;
        b->stats[i].flood_out++;
        sent++;
        sim_bridge_send(b, i, eg->frame(eg->ctx, i));
    }
    return sent;
}
