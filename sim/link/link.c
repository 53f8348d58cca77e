/* link.c - see link.h for the model.
 *
 * Each direction keeps its waiting frames in a ring buffer that grows by
 * doubling up to queue_limit, so an idle link costs a few bytes and a busy
 * one never allocates per frame. Frames in flight arrive in the order they
 * were sent (constant propagation delay, one transmitter), which lets a
 * link that goes down discard exactly the frames that were in flight by
 * counting them, without remembering their event ids.
 */
#include "sim/link/link.h"

#include "sim/link/iface.h"
#include "sim/link/node.h"
#include "sim/net/packet.h"

typedef struct {
    SimLink *link;
    SimIface *from, *to;
    SimPacket **ring; /* waiting frames, owned */
    uint32_t cap, head;
    bool busy;          /* a frame is being serialized */
    uint32_t inflight;  /* arrival events pending */
    uint32_t discard;   /* of those, how many the link lost by going down */
    SimLinkDirStats stats;
} Dir;

struct _SimLink {
    SimWorld *world;
    SimLinkParams p;
    bool up;
    char *name;
    Dir dir[2];
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
    SimLink *l = g_new0(SimLink, 1);
    l->world = w;
    l->p = *p;
    l->up = true;
    l->name = g_strdup_printf("%s.%s-%s.%s", sim_node_name(sim_iface_node(a)), sim_iface_name(a),
                              sim_node_name(sim_iface_node(b)), sim_iface_name(b));
    l->dir[0] = (Dir){.link = l, .from = a, .to = b};
    l->dir[1] = (Dir){.link = l, .from = b, .to = a};
    sim_iface_attach(a, l);
    sim_iface_attach(b, l);
    sim_world_add_link(w, l);
    return l;
}

static uint32_t ring_len(const Dir *d)
{
    return d->stats.queue_len;
}

static void ring_push(Dir *d, SimPacket *pkt)
{
    if (ring_len(d) == d->cap) {
        uint32_t ncap = d->cap ? d->cap * 2 : 16;
        SimPacket **n = g_new(SimPacket *, ncap);
        for (uint32_t k = 0; k < d->stats.queue_len; k++)
            n[k] = d->ring[(d->head + k) % d->cap];
        g_free(d->ring);
        d->ring = n;
        d->cap = ncap;
        d->head = 0;
    }
    d->ring[(d->head + d->stats.queue_len) % d->cap] = pkt;
    d->stats.queue_len++;
    if (d->stats.queue_len > d->stats.queue_max)
        d->stats.queue_max = d->stats.queue_len;
}

static SimPacket *ring_pop(Dir *d)
{
    if (d->stats.queue_len == 0)
        return NULL;
    SimPacket *p = d->ring[d->head];
    d->head = (d->head + 1) % d->cap;
    d->stats.queue_len--;
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
    g_free(link);
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
    SIM_TRACE(d->link->world, SIM_TR_DROP, why, sim_node_name(sim_iface_node(d->from)),
              sim_iface_name(d->from), pkt, "%s", sim_trace_reason_name(why));
}

static void arrive(void *ctx, void *arg)
{
    Dir *d = ctx;
    SimPacket *pkt = arg;
    d->inflight--;
    if (d->discard > 0) {
        d->discard--;
        d->stats.down_drops++;
        trace_drop(d, pkt, SIM_DROP_LINK_DOWN);
        sim_packet_unref(pkt);
        return;
    }
    sim_iface_deliver(d->to, pkt);
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
    SimPacket *next = d->link->up ? ring_pop(d) : NULL;
    if (next)
        start_tx(d, next);
}

/* Serialization time, rounded up to whole nanoseconds. */
static SimTime serialization(const SimLink *l, size_t len)
{
    unsigned __int128 bits_ns = (unsigned __int128)len * 8u * 1000000000u;
    return (SimTime)((bits_ns + l->p.rate_bps - 1) / l->p.rate_bps);
}

static void start_tx(Dir *d, SimPacket *pkt)
{
    SimLink *l = d->link;
    SimWorld *w = l->world;
    size_t len = sim_packet_len(pkt);
    d->busy = true;
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
    d->inflight++;
    sim_world_schedule_full(w, ser + l->p.delay, arrive, arrive_destroy, d, pkt);
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
        if (ops && ops->link_changed)
            ops->link_changed(sim_iface_node(i), i, up);
    }
}
