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
 * Ownership: the world owns links (sim_link_new registers). Queued packets
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
 * least different interfaces). The world owns the link. */
SimLink *sim_link_new(SimWorld *w, SimIface *a, SimIface *b, const SimLinkParams *p);
void sim_link_free(SimLink *link); /* called by sim_world_free */

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

/* Remote link ends (a run split across processes, sim/dist/). A frame
 * that starts on the direction towards side `to_side` is handed to fn
 * instead of being scheduled to arrive here: fn gets the packet (its
 * reference), the arrival time and the ordering key the arrival would have
 * had (sim_world_take_key), and ships them to the process that owns that
 * end. The owner calls sim_link_remote_arrival with the same three, which
 * schedules the arrival as if the frame had been sent locally. Loss is
 * drawn, and tx traced, at the sending end as always. A link cut this way
 * cannot go down (partition.h keeps `link` commands off cut links). */
typedef void (*SimLinkRemoteFn)(void *user, SimLink *link, int to_side, SimPacket *pkt, SimTime at,
                                uint64_t key);
void sim_link_set_remote(SimLink *link, int to_side, SimLinkRemoteFn fn, void *user);
/* Consumes pkt; at >= now. */
void sim_link_remote_arrival(SimLink *link, int to_side, SimPacket *pkt, SimTime at, uint64_t key);

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
