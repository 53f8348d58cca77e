/* iface.h - a network interface (NIC or switch port).
 *
 * An interface belongs to one node and is attached to at most one link end.
 * Sending pads the frame to the 60-byte Ethernet minimum (as a NIC does
 * before adding the FCS, which we never model) and hands it to the link.
 * Receiving applies the NIC's address filter (unless promiscuous: switch
 * and hub ports are) and calls the node's input function.
 *
 * Layer-3 state (addresses) lives in the IP stack, not here; `l3` is a slot
 * the stack may use to find its per-interface data in O(1).
 */
#pragma once

#include "sim/core/trace.h"
#include "sim/net/addr.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _SimIface SimIface;
typedef struct _SimNode SimNode;
typedef struct _SimLink SimLink;
typedef struct _SimPacket SimPacket;

#define SIM_ETH_MIN_FRAME 60 /* without FCS */

typedef struct {
    uint64_t rx_frames, rx_bytes;
    uint64_t tx_frames, tx_bytes;
    uint64_t drops[SIM_DROP_N_REASONS];
} SimIfaceCounters;

SimNode *sim_iface_node(const SimIface *i);
const char *sim_iface_name(const SimIface *i);
guint sim_iface_index(const SimIface *i); /* position in its node */
const SimMac *sim_iface_mac(const SimIface *i);
void sim_iface_set_mac(SimIface *i, const SimMac *mac);
SimLink *sim_iface_link(const SimIface *i); /* NULL when unconnected */
/* The interface at the other end of the link, or NULL. */
SimIface *sim_iface_peer(const SimIface *i);
/* True when connected and the link is up. */
bool sim_iface_is_up(const SimIface *i);
bool sim_iface_promisc(const SimIface *i);
void sim_iface_set_promisc(SimIface *i, bool on);
/* IP MTU of the attached link (1500 when unconnected). */
uint32_t sim_iface_mtu(const SimIface *i);
const SimIfaceCounters *sim_iface_counters(const SimIface *i);
/* Counts a drop that happened at this interface (callers trace it). */
void sim_iface_count_drop(SimIface *i, SimDropReason reason);
void *sim_iface_l3(const SimIface *i);
void sim_iface_set_l3(SimIface *i, void *l3);

/* ---- virtual interfaces ------------------------------------------------
 * A VLAN sub-interface (eth0.10) or a switch's SVI (vlan10) has no link:
 * frames sent on it go to an xmit function instead, after the interface's
 * tx counters. Receiving is the owner's business (the IP stack demuxes a
 * tagged frame to the sub-interface of its VID; a switch hands a frame for
 * an SVI to the stack directly). */
typedef void (*SimIfaceXmitFn)(SimIface *i, SimPacket *pkt, void *ctx); /* consumes pkt */
/* Makes i virtual; it is always up. i must not be attached to a link. */
void sim_iface_set_xmit(SimIface *i, SimIfaceXmitFn xmit, void *ctx);
/* Makes i an 802.1Q sub-interface of lower in VLAN vid (1..4094): frames
 * sent on it leave lower with that tag (PCP 0), as Linux's VLAN device. It is
 * up while lower is; its MTU is lower's. */
void sim_iface_set_vlan_lower(SimIface *i, SimIface *lower, uint16_t vid);
SimIface *sim_iface_lower(const SimIface *i); /* NULL unless a sub-interface */
uint16_t sim_iface_vid(const SimIface *i);    /* 0 unless a sub-interface */
bool sim_iface_is_virtual(const SimIface *i);

/* Sends a frame out of the interface. Consumes pkt. An unconnected
 * interface, or a down link, drops it (counted and traced). */
void sim_iface_send(SimIface *i, SimPacket *pkt);
/* A hint, no effect on the model: start loading what sending on i reads.
 * depth 0 loads the interface, 1 also its link (call it with 0 a few ports
 * earlier, so that the interface is there when 1 reads its link pointer). */
void sim_iface_prefetch_tx(const SimIface *i, int depth);
/* A hint, no effect on the model: start loading what a delivery to i reads
 * (its hot line and the line of its drop counters). */
void sim_iface_prefetch_rx(const SimIface *i);

/* Internal to the link layer: attach, and deliver an arrived frame
 * (consumes pkt). */
void sim_iface_attach(SimIface *i, SimLink *link);
void sim_iface_deliver(SimIface *i, SimPacket *pkt);
void sim_iface_count_tx(SimIface *i, size_t len);
/* Internal to node.c. */
SimIface *sim_iface_new(SimNode *node, guint index, const char *name, const SimMac *mac);
void sim_iface_free(SimIface *i);
