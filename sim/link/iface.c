/* iface.c - see iface.h.
 *
 * Layout: a flooded broadcast is delivered to every port of a LAN, so the
 * receive path runs N times per flood and is bound by cache misses on
 * interfaces that have been idle. The struct starts on a cache line whose
 * first 64 bytes hold everything a delivery reads and writes (the node's
 * world and ops are cached here so that delivering does not touch the
 * node); a frame that is then dropped adds the line of its drop counter.
 */
#include "sim/link/iface.h"

#include "sim/core/world.h"
#include "sim/link/link.h"
#include "sim/link/node.h"
#include "sim/net/eth.h"
#include "sim/net/packet.h"

#include <string.h>

struct _SimIface {
    SimNode *node;
    SimWorld *world;       /* the node's */
    const SimNodeOps *ops; /* the node's (fixed at sim_node_new) */
    SimLink *link;
    void *l3;
    SimMac mac;
    bool promisc;
    SimIfaceCounters counters; /* rx_frames and rx_bytes end the first line */
    guint index;
    char *name;
    /* Virtual interfaces (VLAN sub-interfaces, SVIs): no link of their own. */
    SimIfaceXmitFn xmit; /* non-NULL: frames sent here go to it */
    void *xmit_ctx;
    SimIface *lower; /* a sub-interface's parent; NULL otherwise */
    uint16_t vid;    /* a sub-interface's VLAN; 0 otherwise */
};

SimIface *sim_iface_new(SimNode *node, guint index, const char *name, const SimMac *mac)
{
    SimIface *i = g_aligned_alloc0(1, sizeof(SimIface), 64);
    i->node = node;
    i->world = sim_node_world(node);
    i->ops = sim_node_ops(node);
    i->index = index;
    i->name = g_strdup(name);
    if (mac)
        i->mac = *mac;
    return i;
}

void sim_iface_free(SimIface *i)
{
    if (!i)
        return;
    g_free(i->name);
    g_aligned_free(i);
}

SimNode *sim_iface_node(const SimIface *i)
{
    return i->node;
}

const char *sim_iface_name(const SimIface *i)
{
    return i->name;
}

guint sim_iface_index(const SimIface *i)
{
    return i->index;
}

const SimMac *sim_iface_mac(const SimIface *i)
{
    return &i->mac;
}

void sim_iface_set_mac(SimIface *i, const SimMac *mac)
{
    i->mac = *mac;
}

SimLink *sim_iface_link(const SimIface *i)
{
    return i->link;
}

SimIface *sim_iface_peer(const SimIface *i)
{
    return i->link ? sim_link_peer(i->link, i) : NULL;
}

bool sim_iface_is_up(const SimIface *i)
{
    if (G_UNLIKELY(i->xmit))
        return !i->lower || sim_iface_is_up(i->lower);
    return i->link && sim_link_is_up(i->link);
}

bool sim_iface_promisc(const SimIface *i)
{
    return i->promisc;
}

void sim_iface_set_promisc(SimIface *i, bool on)
{
    i->promisc = on;
}

uint32_t sim_iface_mtu(const SimIface *i)
{
    if (i->lower)
        return sim_iface_mtu(i->lower);
    return i->link ? sim_link_params(i->link)->mtu : 1500;
}

const SimIfaceCounters *sim_iface_counters(const SimIface *i)
{
    return &i->counters;
}

void sim_iface_count_drop(SimIface *i, SimDropReason reason)
{
    if (reason < SIM_DROP_N_REASONS)
        i->counters.drops[reason]++;
}

void *sim_iface_l3(const SimIface *i)
{
    return i->l3;
}

void sim_iface_set_l3(SimIface *i, void *l3)
{
    i->l3 = l3;
}

void sim_iface_set_xmit(SimIface *i, SimIfaceXmitFn xmit, void *ctx)
{
    g_assert(i->link == NULL);
    i->xmit = xmit;
    i->xmit_ctx = ctx;
}

/* 802.1Q on the way out of a sub-interface, as Linux's vlan_dev_hard_start_xmit:
 * the tag goes in after the MACs (PCP 0), then the parent sends it. */
static void vlan_xmit(SimIface *i, SimPacket *pkt, void *ctx)
{
    sim_iface_send(i->lower, sim_eth_vlan_tag(sim_world_pool(i->world), pkt, i->vid, 0));
}

void sim_iface_set_vlan_lower(SimIface *i, SimIface *lower, uint16_t vid)
{
    g_assert(vid >= 1 && vid <= SIM_VLAN_VID_MAX && lower && !lower->lower);
    i->lower = lower;
    i->vid = vid;
    sim_iface_set_xmit(i, vlan_xmit, NULL);
}

SimIface *sim_iface_lower(const SimIface *i)
{
    return i->lower;
}

uint16_t sim_iface_vid(const SimIface *i)
{
    return i->vid;
}

bool sim_iface_is_virtual(const SimIface *i)
{
    return i->xmit != NULL;
}

void sim_iface_attach(SimIface *i, SimLink *link)
{
    g_assert(i->link == NULL);
    i->link = link;
}

void sim_iface_send(SimIface *i, SimPacket *pkt)
{
    SimWorld *w = i->world;
    if (G_UNLIKELY(i->xmit)) {
        i->counters.tx_frames++;
        i->counters.tx_bytes += sim_packet_len(pkt);
        i->xmit(i, pkt, i->xmit_ctx);
        return;
    }
    if (G_UNLIKELY(!i->link || !sim_link_is_up(i->link))) {
        SimDropReason why = i->link ? SIM_DROP_LINK_DOWN : SIM_DROP_NO_PORT;
        sim_iface_count_drop(i, why);
        SIM_TRACE(w, SIM_TR_DROP, why, sim_node_name(i->node), i->name, pkt, "%s",
                  sim_trace_reason_name(why));
        sim_packet_unref(pkt);
        return;
    }
    /* A NIC pads short frames to the Ethernet minimum before the FCS. */
    size_t len = sim_packet_len(pkt);
    if (G_UNLIKELY(len < SIM_ETH_MIN_FRAME)) {
        pkt = sim_packet_make_writable(pkt);
        sim_packet_put(pkt, SIM_ETH_MIN_FRAME - len);
    }
    sim_link_transmit(i->link, i, pkt);
}

void sim_iface_prefetch_tx(const SimIface *i, int depth)
{
    if (depth == 0) {
        __builtin_prefetch(i, 1);
        __builtin_prefetch(&i->counters.tx_bytes, 1);
    } else if (i->link)
        sim_link_prefetch(i->link, i);
}

void sim_iface_prefetch_rx(const SimIface *i)
{
    __builtin_prefetch(i, 1);
    __builtin_prefetch(&i->counters.drops[SIM_DROP_N_REASONS / 2], 1);
}

/* Unicast not addressed to this NIC is discarded by the address filter,
 * unless promiscuous (switch and hub ports). */
static bool passes_filter(const SimIface *i, const SimPacket *pkt)
{
    if (i->promisc)
        return true;
    const uint8_t *d = sim_packet_cdata(pkt);
    if (d[0] & 1) /* group address: broadcast or multicast */
        return true;
    return memcmp(d, i->mac.b, 6) == 0;
}

void sim_iface_deliver(SimIface *i, SimPacket *pkt)
{
    SimWorld *w = i->world;
    size_t len = sim_packet_len(pkt);
    i->counters.rx_frames++;
    i->counters.rx_bytes += len;
    SIM_TRACE(w, SIM_TR_RX, SIM_DROP_NONE, sim_node_name(i->node), i->name, pkt, "%zu bytes", len);
    if (G_UNLIKELY(len < 14 || !passes_filter(i, pkt))) {
        SimDropReason why = len < 14 ? SIM_DROP_MALFORMED : SIM_DROP_NOT_FOR_US;
        sim_iface_count_drop(i, why);
        SIM_TRACE(w, SIM_TR_DROP, why, sim_node_name(i->node), i->name, pkt, "%s",
                  sim_trace_reason_name(why));
        sim_packet_unref(pkt);
        return;
    }
    const SimNodeOps *ops = i->ops;
    if (ops && ops->input)
        ops->input(i->node, i, pkt);
    else
        sim_packet_unref(pkt);
}

void sim_iface_count_tx(SimIface *i, size_t len)
{
    i->counters.tx_frames++;
    i->counters.tx_bytes += len;
}
