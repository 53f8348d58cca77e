/* hub.c - the repeater hub; see hub.h. */
#include "sim/l2/hub.h"

#include "sim/link/iface.h"
#include "sim/link/node.h"
#include "sim/net/packet.h"

typedef struct {
    SimBridge *bridge;
} Hub;

static void hub_input(SimNode *node, SimIface *in, SimPacket *pkt)
{
    Hub *h = sim_node_priv(node);
    guint port = sim_iface_index(in);
    sim_bridge_count_rx(h->bridge, port, pkt);
    sim_bridge_flood(h->bridge, port, pkt);
}

static void hub_free(void *priv)
{
    Hub *h = priv;
    sim_bridge_free(h->bridge);
    g_free(h);
}

static const SimNodeOps hub_ops = {
    .input = hub_input,
    .link_changed = NULL,
    .free_priv = hub_free,
};

SimNode *sim_hub_new(SimWorld *w, const char *name, guint ports)
{
    Hub *h = g_new0(Hub, 1);
    SimNode *node = sim_node_new(w, name, SIM_NODE_HUB, &hub_ops, h);
    h->bridge = sim_bridge_new(node, ports, SIM_STORM_DEFAULT_THRESHOLD, SIM_STORM_DEFAULT_WINDOW);
    return node;
}

SimBridge *sim_hub_bridge(const SimNode *node)
{
    if (sim_node_kind(node) != SIM_NODE_HUB)
        return NULL;
    return ((Hub *)sim_node_priv(node))->bridge;
}

const SimBridgePortStats *sim_hub_port_stats(const SimNode *node, guint port)
{
    SimBridge *b = sim_hub_bridge(node);
    g_return_val_if_fail(b, NULL);
    return sim_bridge_port_stats(b, port);
}

bool sim_hub_storm_detected(const SimNode *node)
{
    SimBridge *b = sim_hub_bridge(node);
    return b && sim_storm_detected(sim_bridge_storm(b));
}

const char *sim_hub_storm_loop(const SimNode *node)
{
    SimBridge *b = sim_hub_bridge(node);
    return b ? sim_storm_loop(sim_bridge_storm(b)) : NULL;
}
