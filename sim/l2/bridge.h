/* bridge.h - the port set shared by hubs and learning switches: ports,
 * their labels and counters, flooding, and storm detection.
 *
 * Design: ports are the device's interfaces "1".."N" (index i is port
 * "i+1", labelled "p<i+1>" in trace details), all promiscuous, so a port is
 * addressed by its interface index in O(1). Labels are formatted once at
 * creation, so forwarding never formats unless a trace sink listens; the
 * flood port list is built in one reused GString for the same reason.
 * Flooding shares the one packet: a reference per output port.
 *
 * Ownership: the bridge is owned by the device's private state; the ports
 * are owned by the node.
 */
#pragma once

#include "sim/core/simtime.h"
#include "sim/l2/storm.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _SimBridge SimBridge;
typedef struct _SimNode SimNode;
typedef struct _SimIface SimIface;
typedef struct _SimPacket SimPacket;

typedef struct {
    uint64_t rx_frames, rx_bytes; /* received on this port */
    uint64_t tx_frames, tx_bytes; /* handed to this port's link, flood copies included */
    uint64_t flooded;             /* received here and flooded */
    uint64_t flood_out;           /* flood copies sent out of this port */
    uint64_t forwarded;           /* received here and sent out of one known port */
    uint64_t filtered;            /* received here; destination on this same port */
    uint64_t dropped;             /* received here and discarded by the device */
    uint64_t learn_full;          /* sources seen here not learned: table full */
} SimBridgePortStats;

/* Adds ports "1".."n_ports" to node (promiscuous, MAC 00:00:00:00:00:00).
 * storm_threshold 0 disables storm detection. */
SimBridge *sim_bridge_new(SimNode *node, guint n_ports, guint storm_threshold,
                          SimTime storm_window);
void sim_bridge_free(SimBridge *b); /* NULL is a no-op */

SimNode *sim_bridge_node(const SimBridge *b);
guint sim_bridge_n_ports(const SimBridge *b);
SimIface *sim_bridge_port(const SimBridge *b, guint port);
const char *sim_bridge_label(const SimBridge *b, guint port); /* "p3" */
SimBridgePortStats *sim_bridge_port_stats(SimBridge *b, guint port);
SimStorm *sim_bridge_storm(const SimBridge *b);

/* A blocked port (spanning tree: not forwarding) gets no flood copies.
 * Ports start unblocked. */
void sim_bridge_set_blocked(SimBridge *b, guint port, bool blocked);
bool sim_bridge_blocked(const SimBridge *b, guint port);

/* Counts a received frame. */
void sim_bridge_count_rx(SimBridge *b, guint port, const SimPacket *pkt);
/* Sends pkt out of `port`, counting it. Consumes pkt. */
void sim_bridge_send(SimBridge *b, guint port, SimPacket *pkt);
/* Sends pkt out of every up, unblocked port except `in_port`, traces `flood` with the
 * port list, and feeds the storm detector (tracing `storm` once when it
 * trips). Consumes pkt. Returns the number of copies sent. */
guint sim_bridge_flood(SimBridge *b, guint in_port, SimPacket *pkt);

/* A VLAN-aware flood: each port's copy is chosen by the switch. */
typedef struct {
    bool (*member)(void *ctx, guint port);      /* may the frame leave by port? */
    SimPacket *(*frame)(void *ctx, guint port); /* the bytes for port: a new reference */
    void *ctx;
} SimBridgeEgress;
/* Like sim_bridge_flood, to the up, unblocked ports other than in_port that eg admits.
 * in_port >= the port count: the frame comes from the device itself (an
 * SVI), is not counted as received and not shown to the storm detector.
 * `from` names the ingress in the flood record. pkt is borrowed. */
guint sim_bridge_flood_egress(SimBridge *b, guint in_port, SimIface *from, const SimPacket *pkt,
                              const SimBridgeEgress *eg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimBridge, sim_bridge_free)
