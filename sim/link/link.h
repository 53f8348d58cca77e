/* link.h - a full-duplex point-to-point cable between two interfaces.
 *
 * Design: each direction is an independent transmitter with a drop-tail
 * queue (a ring of packet pointers, bounded by queue_limit frames), a
 * serialization delay of 8*len/rate and a propagation delay. Frames on the
 * wire never overlap: a direction is busy until its current frame's last bit
 * has left, and the next frame starts then. Each direction keeps at most one
 * "transmission done" event pending; arrivals are one event per frame.
 * Loss is drawn from the world RNG when a frame starts transmission.
 *
 * Taking a link down drops every queued frame (each traced) and every frame
 * still in flight (on arrival, by comparing the link's down-count).
 *
 * Ownership: the world's network owns links (sim_link_new registers them,
 * network.h). Queued packets
 * are owned by the link; an in-flight packet is owned by its arrival event.
 */
#pragma once

#include "sim/core/simtime.h"
#include "sim/core/world.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _SimLink SimLink;
typedef struct _SimIface SimIface;
typedef struct _SimPacket SimPacket;

typedef struct {
    uint64_t rate_bps;    /* > 0; default 100 Mbps */
    SimTime delay;        /* propagation; default 1 us */
    uint32_t queue_limit; /* frames per direction; default 1000 */
    double loss;          /* probability 0..1 per frame; default 0 */
    uint32_t mtu;         /* IP MTU; default 1500 */
} SimLinkParams;

typedef struct {
    uint64_t frames, bytes; /* transmitted */
    uint64_t queue_drops, loss_drops, down_drops;
    uint64_t buffer_drops;         /* queue had room, the model's buffer memory had not */
    uint32_t queue_len, queue_max; /* now, and high-water mark */
} SimLinkDirStats;

void sim_link_params_default(SimLinkParams *p);

/* Connects a and b (both must be unconnected, on different nodes or at
 * least different interfaces). The world's network owns the link. */
SimLink *sim_link_new(SimWorld *w, SimIface *a, SimIface *b, const SimLinkParams *p);
void sim_link_free(SimLink *link); /* called when the network is freed */

const SimLinkParams *sim_link_params(const SimLink *link);
/* "swA.8-r1.eth0": node.iface of each end, as topology files write them. */
const char *sim_link_name(const SimLink *link);
SimIface *sim_link_end(const SimLink *link, int side); /* side 0 or 1 */
SimIface *sim_link_peer(const SimLink *link, const SimIface *from);
bool sim_link_is_up(const SimLink *link);
/* Brings the link up or down (traced as link-up/link-down, and queued
 * frames dropped when going down). Notifies both nodes. */
void sim_link_set_up(SimLink *link, bool up);
/* Stats of the direction that transmits from `from`. */
const SimLinkDirStats *sim_link_stats(const SimLink *link, const SimIface *from);

/* A link cut between processes (issue #20; network.h). Each process holds
 * the link with its own end real and the far end a proxy.
 * sim_link_set_remote(link, side, fn, ctx) marks `side` remote: a frame
 * sent toward it is still queued, serialized, traced as tx and lost (from
 * the sender's RNG stream) here, then, instead of a local arrival,
 * fn(ctx, link, side, pkt, arrival, key) gets it (consuming pkt) with its
 * arrival time and the event key the sender's node took for it
 * (sim_world_take_key). The process holding the other end calls
 * sim_link_deliver(link, side, pkt, arrival, key), `side` being its own
 * real end: the arrival is scheduled with that key, to run as the
 * receiving node, exactly as in one process. Lookahead: arrival >= the
 * sender's now + serialization + delay. */
typedef void (*SimLinkRemoteFn)(void *ctx, SimLink *link, int to_side, SimPacket *pkt,
                                SimTime arrival, uint64_t key);
void sim_link_set_remote(SimLink *link, int side, SimLinkRemoteFn fn, void *ctx);
/* Consumes pkt. */
void sim_link_deliver(SimLink *link, int to_side, SimPacket *pkt, SimTime arrival, uint64_t key);

/* Called by sim_iface_send: queue or start transmitting. Consumes pkt. */
void sim_link_transmit(SimLink *link, SimIface *from, SimPacket *pkt);
/* A hint, no effect on the model: start loading what transmitting from
 * `from` will read, so that a flood can overlap the cache misses of the
 * ports ahead of the one it is sending on. */
void sim_link_prefetch(const SimLink *link, const SimIface *from);
/* A hint, no effect on the model: a flood has just sent pkt out of `prev`
 * and then out of `next` (two interfaces of one device, in one world), so
 * their tx_done and arrival events will follow one another and each can
 * prefetch for the ones after it. */
void sim_link_hint_next(const SimIface *prev, const SimIface *next, const SimPacket *pkt);
