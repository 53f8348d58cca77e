/* link.c - see link.h for the model.
 *
 * Each direction keeps its waiting frames in a ring buffer that grows by
 * doubling up to queue_limit, so an idle link costs a few bytes and a busy
 * one never allocates per frame. Frames in flight arrive in the order they
 * were sent (constant propagation delay, one transmitter), which lets a
 * link that goes down discard exactly the frames that were in flight by
 * counting them, without remembering their event ids.
 *
 * Memory layout. A flood of one frame to the N ports of a switch is N
 * transmissions, then N tx_done events, then N arrivals, each on a link
 * (and to an interface) that has been idle, so at large N the cost is cache
 * misses, not instructions. A direction's first cache line holds all that
 * tx_done and arrive read. The flood tells each direction which one it sent
 * on next (sim_link_hint_next); as arrivals of one flood pop in that order,
 * each arrival prefetches the direction TRAIN_AHEAD ahead and the receiving
 * interface and its protocol state one less ahead (tx_done, which has no
 * packet to check a hint against, looks two ahead), so the misses overlap
 * instead of stalling one after another. Hints never change what happens:
 * they are only followed to prefetch, and only for the frame they were set
 * for.
 */
#include "sim/link/link.h"

#include "sim/link/iface.h"
#include "sim/link/node.h"
#include "sim/net/packet.h"
#include "sim/link/network.h"

typedef struct _Dir Dir;

/* One direction: 128 bytes, the first line holding everything tx_done and
 * arrive read. */
struct _Dir {
    _Alignas(64) SimIface *from;
    SimIface *to;
    /* The receiving interface's l3 slot as of the last arrival, only ever
     * prefetched (which cannot fault): a stale value wastes a prefetch. */
    const void *to_l3_hint;
    Dir *next;         /* hint: where the flood of frame next_uid went next */
    uint32_t next_uid; /* low bits of the uid: a false match wastes a prefetch */
    uint32_t tx_uid;   /* low bits of the uid of the frame last started */
    uint32_t qlen;     /* waiting frames (mirrored in stats.queue_len) */
    uint32_t inflight; /* arrival events pending */
    uint32_t discard;  /* of those, how many the link lost by going down */
    uint32_t cap, head;
    bool busy;    /* a frame is being serialized */
    uint8_t side; /* this is link->dir[side] */
    bool remote;  /* `to` is a proxy: frames leave through link->remote_fn */
    /* Second line, read with stats by start_tx. */
    SimEntity to_entity; /* the receiving node: arrivals run as it */
    SimLinkDirStats stats;
    SimPacket **ring; /* waiting frames, owned */
};

/* Cache-line aligned (Dir is); what a transmission reads fills the first
 * line. */
struct _SimLink {
    SimWorld *world;
    /* 8e9 / rate when that is a whole number of ns per byte (any rate that
     * divides 8 Gbit/s: 1 Gbps is 8, 100 Mbps 80), else 0 and serialization
     * divides per frame. */
    uint64_t ns_per_byte;
    SimLinkParams p;
    bool up;
    Dir dir[2];
    char *name;
    SimLinkRemoteFn remote_fn; /* for a direction toward a remote end */
    void *remote_ctx;
};

void sim_link_params_default(SimLinkParams *p)
{
    p->rate_bps = 100000000ULL;
    p->delay = 1 * SIM_US;
    p->queue_limit = 1000;
    p->loss = 0.0;
    p->mtu = 1500;
}

SimLink *sim_link_new(SimWorld *w, SimIface *a, SimIface *b, const SimLinkParams *p)
{
    g_assert(a != b && !sim_iface_link(a) && !sim_iface_link(b));
    g_assert(p->rate_bps > 0);
    SimLink *l = g_aligned_alloc0(1, sizeof(SimLink), 64);
    l->world = w;
    l->p = *p;
    l->up = true;
    l->ns_per_byte = 8000000000ULL % p->rate_bps == 0 ? 8000000000ULL / p->rate_bps : 0;
    l->name = g_strdup_printf("%s.%s-%s.%s", sim_node_name(sim_iface_node(a)), sim_iface_name(a),
                              sim_node_name(sim_iface_node(b)), sim_iface_name(b));
    l->dir[0] = (Dir){.from = a, .to = b, .side = 0};
    l->dir[1] = (Dir){.from = b, .to = a, .side = 1};
    l->dir[0].to_entity = sim_node_entity(sim_iface_node(b));
    l->dir[1].to_entity = sim_node_entity(sim_iface_node(a));
    sim_iface_attach(a, l);
    sim_iface_attach(b, l);
    sim_network_add_link(sim_network_ensure(w), l);
    return l;
}

static inline SimLink *link_of(const Dir *d)
{
    return (SimLink *)((const char *)(d - d->side) - offsetof(SimLink, dir));
}

static uint32_t ring_len(const Dir *d)
{
    return d->qlen;
}

static void ring_push(Dir *d, SimPacket *pkt)
{
    if (ring_len(d) == d->cap) {
        uint32_t ncap = d->cap ? d->cap * 2 : 16;
        SimPacket **n = g_new(SimPacket *, ncap);
        for (uint32_t k = 0; k < d->qlen; k++)
            n[k] = d->ring[(d->head + k) % d->cap];
        g_free(d->ring);
        d->ring = n;
        d->cap = ncap;
        d->head = 0;
    }
    d->ring[(d->head + d->qlen) % d->cap] = pkt;
    d->stats.queue_len = ++d->qlen;
    if (d->stats.queue_len > d->stats.queue_max)
        d->stats.queue_max = d->stats.queue_len;
}

static SimPacket *ring_pop(Dir *d)
{
    if (d->qlen == 0)
        return NULL;
    SimPacket *p = d->ring[d->head];
    d->head = (d->head + 1) % d->cap;
    d->stats.queue_len = --d->qlen;
    return p;
}

void sim_link_free(SimLink *link)
{
    if (!link)
        return;
    for (int s = 0; s < 2; s++) {
        SimPacket *p;
        while ((p = ring_pop(&link->dir[s])))
            sim_packet_unref(p);
        g_free(link->dir[s].ring);
    }
    g_free(link->name);
    g_aligned_free(link);
}

const SimLinkParams *sim_link_params(const SimLink *link)
{
    return &link->p;
}

const char *sim_link_name(const SimLink *link)
{
    return link->name;
}

SimIface *sim_link_end(const SimLink *link, int side)
{
    return link->dir[side ? 1 : 0].from;
}

SimIface *sim_link_peer(const SimLink *link, const SimIface *from)
{
    return link->dir[0].from == from ? link->dir[0].to : link->dir[1].to;
}

bool sim_link_is_up(const SimLink *link)
{
    return link->up;
}

static Dir *dir_from(SimLink *link, const SimIface *from)
{
    return link->dir[0].from == from ? &link->dir[0] : &link->dir[1];
}

const SimLinkDirStats *sim_link_stats(const SimLink *link, const SimIface *from)
{
    return &dir_from((SimLink *)link, from)->stats;
}

static void trace_drop(Dir *d, SimPacket *pkt, SimDropReason why)
{
    sim_iface_count_drop(d->from, why);
    SIM_TRACE(link_of(d)->world, SIM_TR_DROP, why, sim_node_name(sim_iface_node(d->from)),
              sim_iface_name(d->from), pkt, "%s", sim_trace_reason_name(why));
}

#define TRAIN_AHEAD 4

/* Arrival k of a flood: prefetch the receiving side of arrival
 * k+TRAIN_AHEAD-1 (its interface and the first two lines of its protocol
 * state) and the direction of arrival k+TRAIN_AHEAD; the directions in
 * between were prefetched by the arrivals before. */
static inline void prefetch_train(const Dir *d, uint32_t uid)
{
    for (int k = 1; k < TRAIN_AHEAD; k++) {
        if (d->next_uid != uid || !d->next)
            return;
        d = d->next;
    }
    sim_iface_prefetch_rx(d->to);
    if (d->to_l3_hint) {
        __builtin_prefetch(d->to_l3_hint);
        __builtin_prefetch((const char *)d->to_l3_hint + 64);
    }
    if (d->next_uid == uid && d->next)
        __builtin_prefetch(d->next);
}

static void arrive(void *ctx, void *arg)
{
    Dir *d = ctx;
    SimPacket *pkt = arg;
    prefetch_train(d, (uint32_t)sim_packet_uid(pkt));
    d->inflight--;
    if (d->discard > 0) {
        d->discard--;
        d->stats.down_drops++;
        trace_drop(d, pkt, SIM_DROP_LINK_DOWN);
        sim_packet_unref(pkt);
        return;
    }
    sim_iface_deliver(d->to, pkt);
    d->to_l3_hint = sim_iface_l3(d->to);
}

static void arrive_destroy(void *ctx, void *arg)
{
    sim_packet_unref(arg);
}

static void start_tx(Dir *d, SimPacket *pkt);

static void tx_done(void *ctx, void *arg)
{
    Dir *d = ctx;
    d->busy = false;
    if (d->next_uid == d->tx_uid && d->next) { /* the tx_done after next, in a flood */
        const Dir *n = d->next;
        if (n->next_uid == d->tx_uid && n->next)
            __builtin_prefetch(n->next, 1);
    }
    if (d->qlen == 0) /* the common case, decided without reading the link */
        return;
    SimPacket *next = link_of(d)->up ? ring_pop(d) : NULL;
    if (next)
        start_tx(d, next);
}

/* Serialization time, rounded up to whole nanoseconds. */
static SimTime serialization(const SimLink *l, size_t len)
{
    if (G_LIKELY(l->ns_per_byte))
        return (SimTime)len * l->ns_per_byte; /* exact: no rounding to do */
    unsigned __int128 bits_ns = (unsigned __int128)len * 8u * 1000000000u;
    return (SimTime)((bits_ns + l->p.rate_bps - 1) / l->p.rate_bps);
}

static void start_tx(Dir *d, SimPacket *pkt)
{
    SimLink *l = link_of(d);
    SimWorld *w = l->world;
    size_t len = sim_packet_len(pkt);
    d->busy = true;
    d->tx_uid = (uint32_t)sim_packet_uid(pkt);
    d->stats.frames++;
    d->stats.bytes += len;
    sim_iface_count_tx(d->from, len);
    SIM_TRACE(w, SIM_TR_TX, SIM_DROP_NONE, sim_node_name(sim_iface_node(d->from)),
              sim_iface_name(d->from), pkt, "%zu bytes", len);
    SimTime ser = serialization(l, len);
    sim_world_schedule(w, ser, tx_done, d, NULL);
    /* The frame occupies the wire either way; loss means it never arrives
     * intact, and a receiving NIC discards a frame with a bad FCS. */
    if (l->p.loss > 0 && sim_rng_chance(sim_world_rng(w), l->p.loss)) {
        d->stats.loss_drops++;
        trace_drop(d, pkt, SIM_DROP_LOSS);
        sim_packet_unref(pkt);
        return;
    }
    if (G_UNLIKELY(d->remote)) { /* to another process, with its key */
        SimTime when = sim_world_now(w) + ser + l->p.delay;
        l->remote_fn(l->remote_ctx, l, 1 - d->side, pkt, when, sim_world_take_key(w));
        return;
    }
    d->inflight++;
    sim_world_schedule_for(w, d->to_entity, ser + l->p.delay, arrive, arrive_destroy, d, pkt);
}

void sim_link_set_remote(SimLink *link, int side, SimLinkRemoteFn fn, void *ctx)
{
    g_assert((side == 0 || side == 1) && fn);
    g_assert(!link->remote_fn || (link->remote_fn == fn && link->remote_ctx == ctx));
    link->remote_fn = fn;
    link->remote_ctx = ctx;
    link->dir[1 - side].remote = true;
}

void sim_link_deliver(SimLink *link, int to_side, SimPacket *pkt, SimTime arrival, uint64_t key)
{
    Dir *d = &link->dir[1 - to_side];
    g_assert(link->dir[to_side].remote || !d->remote);
    d->inflight++;
    sim_world_schedule_keyed(link->world, arrival, key, d->to_entity, arrive, arrive_destroy, d,
                             pkt);
}

void sim_link_prefetch(const SimLink *link, const SimIface *from)
{
    __builtin_prefetch(link, 1);
    const Dir *d = dir_from((SimLink *)link, from);
    __builtin_prefetch(d, 1);
    __builtin_prefetch(&d->stats.bytes, 1);
}

void sim_link_hint_next(const SimIface *prev, const SimIface *next, const SimPacket *pkt)
{
    SimLink *pl = sim_iface_link(prev), *nl = sim_iface_link(next);
    if (!pl || !nl)
        return;
    Dir *d = dir_from(pl, prev);
    d->next = dir_from(nl, next);
    d->next_uid = (uint32_t)sim_packet_uid(pkt);
}

void sim_link_transmit(SimLink *link, SimIface *from, SimPacket *pkt)
{
    Dir *d = dir_from(link, from);
    if (!link->up) {
        d->stats.down_drops++;
        trace_drop(d, pkt, SIM_DROP_LINK_DOWN);
        sim_packet_unref(pkt);
        return;
    }
    if (!d->busy) {
        start_tx(d, pkt);
        return;
    }
    if (ring_len(d) >= link->p.queue_limit) {
        d->stats.queue_drops++;
        trace_drop(d, pkt, SIM_DROP_QUEUE_FULL);
        sim_packet_unref(pkt);
        return;
    }
    /* Only a queued frame is held for long, so only here is the budget
     * checked (packet.h): a frame sent at once, or in flight, is not. */
    if (G_UNLIKELY(sim_packet_pool_over_limit(sim_world_pool(link->world)))) {
        d->stats.buffer_drops++;
        trace_drop(d, pkt, SIM_DROP_BUFFER_LIMIT);
        sim_packet_unref(pkt);
        return;
    }
    ring_push(d, pkt);
}

void sim_link_set_up(SimLink *link, bool up)
{
    if (link->up == up)
        return;
    link->up = up;
    SimWorld *w = link->world;
    SIM_TRACE(w, up ? SIM_TR_LINK_UP : SIM_TR_LINK_DOWN, SIM_DROP_NONE,
              sim_node_name(sim_iface_node(link->dir[0].from)), sim_iface_name(link->dir[0].from),
              NULL, "link %s %s", link->name, up ? "up" : "down");
    if (!up) {
        for (int s = 0; s < 2; s++) {
            Dir *d = &link->dir[s];
            SimPacket *p;
            while ((p = ring_pop(d))) {
                d->stats.down_drops++;
                trace_drop(d, p, SIM_DROP_LINK_DOWN);
                sim_packet_unref(p);
            }
            d->discard = d->inflight;
        }
    }
    for (int s = 0; s < 2; s++) {
        SimIface *i = link->dir[s].from;
        const SimNodeOps *ops = sim_node_ops(sim_iface_node(i));
        if (ops && ops->link_changed) { /* as that node: its timers are its own */
            SimEntity prev = sim_world_enter(w, sim_node_entity(sim_iface_node(i)));
            ops->link_changed(sim_iface_node(i), i, up);
            sim_world_enter(w, prev);
        }
    }
}
