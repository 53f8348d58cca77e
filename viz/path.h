/* path.h - where one traced packet went: the links it crossed, hop by hop,
 * and the devices that flooded, dropped or delivered it. The data behind
 * `netsim dot --path N`.
 *
 * Design: a trace subscriber (tx, rx, drop, flood, deliver) that keeps the
 * records whose packet uid is N. sim_packet_uid() follows a frame across
 * hops (a router's writable copy keeps it), so one uid is one journey, and
 * a switch's flooded copies share it too. A tx on (node, iface) is resolved
 * through the validated topology to the link of that interface or port.
 *
 * Hop numbers count links from the sender: a tx gets 1 + the hop of the
 * link the sending device last received the packet on (1 at the origin).
 * On a straight path that is the order of the tx records; a flood gives
 * every copy the same number, which is what a student counts on the
 * drawing. Rejected: numbering tx records 1, 2, 3... globally, which would
 * give a flood's simultaneous copies different numbers and make the
 * numbering depend on port order. A link crossed more than once (a loop,
 * or out and back) keeps every number, in order.
 *
 * Cost: O(1) per record of other packets (one uid compare); per record of
 * this packet O(ifaces of the node) to find the link. Memory: one array of
 * hop numbers per link crossed, a few words per device.
 *
 * Ownership: the path borrows the world (it stays subscribed to its trace
 * bus) and the topology; free it before either. Records are only read
 * during the callback; the path keeps no packet reference.
 */
#pragma once

#include "sim/core/world.h"
#include "sim/topo/ast.h"

#include <glib.h>
#include <stdint.h>

typedef struct _SimVizPath SimVizPath;

/* What happened to the packet at a device; bits. */
typedef enum {
    SIM_VIZ_MARK_NONE = 0,
    SIM_VIZ_MARK_SENT = 1 << 0,      /* transmitted it first (the origin) */
    SIM_VIZ_MARK_FLOODED = 1 << 1,   /* a switch or hub flooded it */
    SIM_VIZ_MARK_DROPPED = 1 << 2,   /* discarded it (see drop_reasons) */
    SIM_VIZ_MARK_DELIVERED = 1 << 3, /* handed it to a local protocol */
} SimVizMark;

/* Link direction bits: which way the packet crossed a link. */
#define SIM_VIZ_DIR_A_TO_B 1u /* from the link's `a` end (as written) */
#define SIM_VIZ_DIR_B_TO_A 2u

/* Starts following packet uid in w, whose nodes are those of the validated
 * topo (a scenario's world). Only records emitted from now on count. */
SimVizPath *sim_viz_path_new(SimWorld *w, const SimTopo *topo, uint64_t uid);
/* Unsubscribes and frees; NULL is a no-op. */
void sim_viz_path_free(SimVizPath *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimVizPath, sim_viz_path_free)

uint64_t sim_viz_path_uid(const SimVizPath *p);
/* Records about the packet seen so far; 0: it was never traced. */
guint sim_viz_path_n_records(const SimVizPath *p);
/* Transmissions so far (one per link crossing). */
guint sim_viz_path_n_crossings(const SimVizPath *p);
/* The highest hop number given so far. */
guint sim_viz_path_n_hops(const SimVizPath *p);
/* Hop numbers of a link (guint), in the order crossed; empty if never
 * crossed. Owned by the path. */
const GArray *sim_viz_path_link_hops(const SimVizPath *p, guint link);
/* SIM_VIZ_DIR_* bits of a link; 0 if never crossed. */
guint sim_viz_path_link_dirs(const SimVizPath *p, guint link);
/* SimVizMark bits of a topology node. */
guint sim_viz_path_node_marks(const SimVizPath *p, guint node);
/* The node's distinct drop reasons, joined with ", " in order of first
 * occurrence ("not for us"); NULL if it dropped nothing. Owned by the path. */
const char *sim_viz_path_drop_reasons(const SimVizPath *p, guint node);
/* One-line summary of the frame as first transmitted ("ICMP echo request
 * 192.168.10.1 > 192.168.20.1 id=0x8d65 seq=1 ttl=64"), "" before. */
const char *sim_viz_path_summary(const SimVizPath *p);
