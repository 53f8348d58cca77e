/* test_link.c - links: exact serialization and propagation delays, no
 * overlapping frames, drop-tail queues, seeded loss, link down. */
#include "sim/core/world.h"
#include "sim/l2/switch.h"
#include "sim/link/iface.h"
#include "sim/link/link.h"
#include "sim/link/node.h"
#include "sim/net/eth.h"
#include "sim/net/packet.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

/* ---- probe host: records arrival time and sequence number ---------------- */

typedef struct {
    SimNode *node;
    SimIface *nic;
    GArray *times; /* SimTime of each arrival */
    GArray *seqs;  /* uint32_t sequence number carried in the payload */
} Probe;

static void probe_input(SimNode *node, SimIface *in, SimPacket *pkt)
{
    Probe *p = sim_node_priv(node);
    SimTime now = sim_world_now(sim_node_world(node));
    uint32_t seq = 0;
    if (sim_packet_len(pkt) >= SIM_ETH_HLEN + 4)
        memcpy(&seq, sim_packet_cdata(pkt) + SIM_ETH_HLEN, 4);
    g_array_append_val(p->times, now);
    g_array_append_val(p->seqs, seq);
    sim_packet_unref(pkt);
}

static void probe_free(void *priv)
{
    Probe *p = priv;
    g_array_unref(p->times);
    g_array_unref(p->seqs);
    g_free(p);
}

static const SimNodeOps probe_ops = {.input = probe_input, .free_priv = probe_free};

static Probe *probe_new(SimWorld *w, const char *name, uint32_t mac_index)
{
    Probe *p = g_new0(Probe, 1);
    p->times = g_array_new(FALSE, FALSE, sizeof(SimTime));
    p->seqs = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    p->node = sim_node_new(w, name, SIM_NODE_HOST, &probe_ops, p);
    SimMac mac = sim_mac_local(mac_index);
    p->nic = sim_node_add_iface(p->node, "eth0", &mac);
    return p;
}

/* Sends a frame of exactly `len` bytes (>= 60) to dst carrying seq. */
static void probe_send(SimWorld *w, Probe *p, const SimMac *dst, size_t len, uint32_t seq)
{
    SimPacket *pkt = sim_packet_new(sim_world_pool(w), SIM_PACKET_HEADROOM, len - SIM_ETH_HLEN);
    memcpy(sim_packet_data(pkt), &seq, 4);
    SimEthHdr h = {.dst = *dst, .src = *sim_iface_mac(p->nic), .ethertype = 0x88b5};
    sim_eth_encode(pkt, &h);
    sim_iface_send(p->nic, pkt);
}

static SimTime at(const Probe *p, guint i)
{
    return g_array_index(p->times, SimTime, i);
}

/* ---- trace recorder ------------------------------------------------------ */

typedef struct {
    SimTraceKind kind;
    SimDropReason reason;
    SimTime time;
    char *node;
} Rec;

static void record(const SimTraceRecord *tr, void *user)
{
    Rec r = {tr->kind, tr->reason, tr->time, g_strdup(tr->node)};
    g_array_append_val((GArray *)user, r);
}

static void rec_clear(gpointer data)
{
    g_free(((Rec *)data)->node);
}

static GArray *recorder(SimWorld *w)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(Rec));
    g_array_set_clear_func(a, rec_clear);
    sim_trace_subscribe(sim_world_trace(w), SIM_TRACE_ALL, record, a);
    return a;
}

static guint count(GArray *recs, SimTraceKind kind, SimDropReason reason)
{
    guint n = 0;
    for (guint i = 0; i < recs->len; i++) {
        Rec *r = &g_array_index(recs, Rec, i);
        n += r->kind == kind && (kind != SIM_TR_DROP || r->reason == reason);
    }
    return n;
}

static SimLink *wire_up(SimWorld *w, SimIface *a, SimIface *b, uint64_t rate, SimTime delay,
                        uint32_t qlimit, double loss)
{
    SimLinkParams lp;
    sim_link_params_default(&lp);
    lp.rate_bps = rate;
    lp.delay = delay;
    lp.queue_limit = qlimit;
    lp.loss = loss;
    return sim_link_new(w, a, b, &lp);
}

/* ---- tests ----------------------------------------------------------------- */

Test(link, defaults)
{
    SimLinkParams lp;
    sim_link_params_default(&lp);
    cr_assert_eq(lp.rate_bps, 100000000u);
    cr_assert_eq(lp.delay, SIM_US);
    cr_assert_eq(lp.queue_limit, 1000);
    cr_assert_eq(lp.loss, 0.0);
    cr_assert_eq(lp.mtu, 1500);
}

Test(link, serialization_and_propagation_are_exact)
{
    g_autoptr(SimWorld) w = sim_world_new(1);
    Probe *a = probe_new(w, "a", 1), *b = probe_new(w, "b", 2);
    SimLink *l = wire_up(w, a->nic, b->nic, 10000000, 5 * SIM_US, 100, 0);
    cr_assert_str_eq(sim_link_name(l), "a.eth0-b.eth0");
    SimMac mb = *sim_iface_mac(b->nic);
    probe_send(w, a, &mb, 1000, 0);
    sim_world_run(w, SIM_SEC, 0);
    cr_assert_eq(b->times->len, 1);
    /* 8 * 1000 bits at 10 Mbps = 800 us, plus 5 us on the wire. */
    cr_assert_eq(at(b, 0), 800 * SIM_US + 5 * SIM_US);

    /* A minimum frame at 1 Gbps: 480 bits = 480 ns. */
    Probe *c = probe_new(w, "c", 3), *d = probe_new(w, "d", 4);
    wire_up(w, c->nic, d->nic, 1000000000, 250 * SIM_NS, 100, 0);
    SimMac md = *sim_iface_mac(d->nic);
    SimTime t0 = sim_world_now(w);
    probe_send(w, c, &md, 60, 0);
    sim_world_run(w, 2 * SIM_SEC, 0);
    cr_assert_eq(at(d, 0) - t0, 480 + 250);

    /* 800 bits at 3 Mbps is 266666.67 ns: never early, at most 1 ns late. */
    Probe *e = probe_new(w, "e", 5), *f = probe_new(w, "f", 6);
    wire_up(w, e->nic, f->nic, 3000000, 0, 100, 0);
    SimMac mf = *sim_iface_mac(f->nic);
    t0 = sim_world_now(w);
    probe_send(w, e, &mf, 100, 0);
    sim_world_run(w, 3 * SIM_SEC, 0);
    cr_assert(at(f, 0) - t0 == 266667, "%" G_GUINT64_FORMAT, at(f, 0) - t0);

    const SimLinkDirStats *st = sim_link_stats(l, a->nic);
    cr_assert_eq(st->frames, 1);
    cr_assert_eq(st->bytes, 1000);
    cr_assert_eq(sim_link_stats(l, b->nic)->frames, 0, "directions are independent");
}

Test(link, short_frames_are_padded_to_60_bytes)
{
    g_autoptr(SimWorld) w = sim_world_new(1);
    Probe *a = probe_new(w, "a", 1), *b = probe_new(w, "b", 2);
    SimLink *l = wire_up(w, a->nic, b->nic, 10000000, 0, 100, 0);
    SimPacket *pkt = sim_packet_new(sim_world_pool(w), SIM_PACKET_HEADROOM, 4);
    SimEthHdr h = {
        .dst = *sim_iface_mac(b->nic), .src = *sim_iface_mac(a->nic), .ethertype = 0x88b5};
    sim_eth_encode(pkt, &h);
    sim_iface_send(a->nic, pkt);
    sim_world_run(w, SIM_SEC, 0);
    cr_assert_eq(sim_link_stats(l, a->nic)->bytes, 60);
    cr_assert_eq(at(b, 0), 48 * SIM_US); /* 480 bits at 10 Mbps */
}

Test(link, frames_never_overlap)
{
    g_autoptr(SimWorld) w = sim_world_new(1);
    g_autoptr(GArray) recs = recorder(w);
    Probe *a = probe_new(w, "a", 1), *b = probe_new(w, "b", 2);
    wire_up(w, a->nic, b->nic, 10000000, 3 * SIM_US, 100, 0);
    SimMac mb = *sim_iface_mac(b->nic);
    const size_t lens[5] = {1000, 60, 1514, 500, 60};
    for (uint32_t k = 0; k < 5; k++)
        probe_send(w, a, &mb, lens[k], k);
    /* A frame sent later, while the queue is draining. */
    sim_world_run(w, 100 * SIM_US, 0);
    probe_send(w, a, &mb, 200, 5);
    sim_world_run(w, SIM_SEC, 0);
    cr_assert_eq(b->times->len, 6);
    SimTime end = 0; /* when the previous frame's last bit left */
    for (guint k = 0; k < 6; k++) {
        size_t len = k < 5 ? lens[k] : 200;
        SimTime ser = len * 8 * 100; /* ns per bit at 10 Mbps = 100 */
        cr_assert_eq(g_array_index(b->seqs, uint32_t, k), k, "in order");
        end += ser; /* back to back: each starts when the previous ends */
        cr_assert_eq(at(b, k), end + 3 * SIM_US, "frame %u", k);
    }
    /* Transmission starts are traced at the exact instants too. */
    SimTime starts[6], t = 0;
    guint n = 0;
    for (guint i = 0; i < recs->len; i++) {
        Rec *r = &g_array_index(recs, Rec, i);
        if (r->kind == SIM_TR_TX && g_strcmp0(r->node, "a") == 0)
            starts[n++] = r->time;
    }
    cr_assert_eq(n, 6);
    for (guint k = 0; k < 6; k++) {
        cr_assert_eq(starts[k], t);
        t += (k < 5 ? lens[k] : 200) * 800;
    }
}

/* 100 Mbps into a switch, 10 Mbps out of it: the egress queue fills up and
 * drops. Frame k reaches the switch 80 us after frame k-1 (1000 bytes at
 * 100 Mbps) and the 9 Mbps egress needs 888889 ns per frame (rounded up).
 * No arrival coincides with a departure (80000 and 888889 are coprime and
 * k < 80000), so: after the last arrival the queue is full, and
 *   accepted = Q + frames started by then = Q + floor(80000 (N-1) / 888889) + 1,
 *   drops = N - accepted. */
Test(link, slow_egress_fills_queue_and_drops_exactly)
{
    const uint32_t N = 200, Q = 20;
    g_autoptr(SimWorld) w = sim_world_new(1);
    g_autoptr(GArray) recs = recorder(w);
    SimNode *sw = sim_switch_new(w, "sw", 2, NULL);
    Probe *a = probe_new(w, "a", 1), *b = probe_new(w, "b", 2);
    wire_up(w, a->nic, sim_node_iface(sw, 0), 100000000, SIM_US, 1000, 0);
    SimLink *slow = wire_up(w, sim_node_iface(sw, 1), b->nic, 9000000, SIM_US, Q, 0);
    SimMac mb = *sim_iface_mac(b->nic);
    probe_send(w, b, &SIM_MAC_BROADCAST, 60, 9999); /* the switch learns b */
    sim_world_run(w, SIM_SEC, 0);
    for (uint32_t k = 0; k < N; k++)
        probe_send(w, a, &mb, 1000, k);
    sim_world_run(w, 10 * SIM_SEC, 0);

    uint64_t started = 80000ull * (N - 1) / 888889 + 1;
    uint64_t drops = N - (Q + started);
    cr_assert_eq(drops, 162);
    const SimLinkDirStats *st = sim_link_stats(slow, sim_node_iface(sw, 1));
    cr_assert_eq(st->queue_drops, drops);
    cr_assert_eq(st->queue_max, Q);
    cr_assert_eq(st->frames, N - drops);
    cr_assert_eq(b->times->len, N - drops);
    cr_assert_eq(count(recs, SIM_TR_DROP, SIM_DROP_QUEUE_FULL), drops, "each drop traced");
    cr_assert_eq(sim_iface_counters(sim_node_iface(sw, 1))->drops[SIM_DROP_QUEUE_FULL], drops);
    cr_assert_eq(sim_link_stats(slow, b->nic)->queue_drops, 0);
    /* Survivors come out back to back, one every 888889 ns. */
    for (guint k = 1; k < b->times->len; k++)
        cr_assert_eq(at(b, k) - at(b, k - 1), 888889);
}

/* The model's buffer budget (packet.h): with room for 10 buffers, a burst
 * of 100 frames into a slow link's 1000-frame queue keeps exactly 10 (one
 * on the wire, nine queued) and drops 90 as 'buffer memory limit'; every
 * buffer is back when the run ends. Without a budget the queue takes all. */
Test(link, buffer_budget_drops_frames_the_queue_would_hold)
{
    const uint32_t N = 100, BUFS = 10;
    for (int limited = 0; limited < 2; limited++) {
        g_autoptr(SimWorld) w = sim_world_new(1);
        g_autoptr(GArray) recs = recorder(w);
        SimPacketPool *pool = sim_world_pool(w);
        sim_packet_pool_set_limit(pool, limited ? BUFS * SIM_PACKET_FRAME : 0);
        Probe *a = probe_new(w, "a", 1), *b = probe_new(w, "b", 2);
        SimLink *l = wire_up(w, a->nic, b->nic, 1000000, SIM_US, 1000, 0);
        SimMac mb = *sim_iface_mac(b->nic);
        for (uint32_t k = 0; k < N; k++)
            probe_send(w, a, &mb, 1000, k);
        cr_assert_eq(sim_packet_pool_bytes_in_use(pool),
                     (uint64_t)(limited ? BUFS : N) * SIM_PACKET_FRAME);
        sim_world_run(w, 10 * SIM_SEC, 0);
        uint32_t kept = limited ? BUFS : N;
        const SimLinkDirStats *st = sim_link_stats(l, a->nic);
        cr_assert_eq(st->buffer_drops, N - kept);
        cr_assert_eq(st->queue_drops, 0);
        cr_assert_eq(st->queue_max, kept - 1);
        cr_assert_eq(b->times->len, kept);
        for (guint k = 0; k < b->times->len; k++)
            cr_assert_eq(g_array_index(b->seqs, uint32_t, k), k, "the first %u went through", kept);
        cr_assert_eq(count(recs, SIM_TR_DROP, SIM_DROP_BUFFER_LIMIT), N - kept);
        cr_assert_eq(sim_iface_counters(a->nic)->drops[SIM_DROP_BUFFER_LIMIT], N - kept);
        cr_assert_eq(sim_packet_pool_bytes_in_use(pool), 0);
    }
}

static GArray *lossy_run(uint64_t seed, uint32_t n)
{
    g_autoptr(SimWorld) w = sim_world_new(seed);
    Probe *a = probe_new(w, "a", 1), *b = probe_new(w, "b", 2);
    SimLink *l = wire_up(w, a->nic, b->nic, 1000000000, SIM_US, n, 0.10);
    SimMac mb = *sim_iface_mac(b->nic);
    for (uint32_t k = 0; k < n; k++)
        probe_send(w, a, &mb, 60, k);
    sim_world_run(w, 10 * SIM_SEC, 0);
    const SimLinkDirStats *st = sim_link_stats(l, a->nic);
    cr_assert_eq(st->loss_drops + b->seqs->len, n);
    cr_assert_eq(st->frames, n, "a lost frame still occupied the wire");
    return g_array_ref(b->seqs);
}

Test(link, loss_is_binomial_and_seeded)
{
    const uint32_t n = 10000;
    const double p = 0.10;
    g_autoptr(GArray) r1 = lossy_run(42, n);
    double lost = n - r1->len;
    double sigma = sqrt(n * p * (1 - p)); /* 30 */
    cr_assert(fabs(lost - n * p) <= 4 * sigma, "lost %.0f of %u", lost, n);
    /* Same seed: the very same frames are lost. */
    g_autoptr(GArray) r2 = lossy_run(42, n);
    cr_assert_eq(r1->len, r2->len);
    cr_assert_eq(memcmp(r1->data, r2->data, r1->len * sizeof(uint32_t)), 0);
    /* Another seed: a different pattern. */
    g_autoptr(GArray) r3 = lossy_run(43, n);
    cr_assert(r3->len != r1->len || memcmp(r1->data, r3->data, r1->len * sizeof(uint32_t)) != 0);
    double lost3 = n - r3->len;
    cr_assert(fabs(lost3 - n * p) <= 4 * sigma);
}

static void take_down(void *ctx, void *arg)
{
    sim_link_set_up(ctx, false);
}

Test(link, down_drops_queued_and_in_flight_frames_each_traced)
{
    g_autoptr(SimWorld) w = sim_world_new(1);
    g_autoptr(GArray) recs = recorder(w);
    Probe *a = probe_new(w, "a", 1), *b = probe_new(w, "b", 2);
    SimLink *l = wire_up(w, a->nic, b->nic, 10000000, SIM_US, 100, 0);
    SimMac mb = *sim_iface_mac(b->nic);
    for (uint32_t k = 0; k < 10; k++)
        probe_send(w, a, &mb, 1000, k);
    /* Frame k leaves at 800(k+1) us and arrives 1 us later. At 2000 us,
     * frames 0-1 have arrived, frame 2 is on the wire, 3-9 are queued. */
    sim_world_schedule_at(w, 2000 * SIM_US, take_down, l, NULL);
    sim_world_run(w, SIM_SEC, 0);
    cr_assert_not(sim_link_is_up(l));
    cr_assert_eq(b->times->len, 2);
    const SimLinkDirStats *st = sim_link_stats(l, a->nic);
    cr_assert_eq(st->down_drops, 8);
    cr_assert_eq(st->queue_len, 0);
    cr_assert_eq(count(recs, SIM_TR_DROP, SIM_DROP_LINK_DOWN), 8);
    cr_assert_eq(count(recs, SIM_TR_LINK_DOWN, SIM_DROP_NONE), 1);
    guint at_down = 0;
    for (guint i = 0; i < recs->len; i++) {
        Rec *r = &g_array_index(recs, Rec, i);
        if (r->kind == SIM_TR_DROP && r->time == 2000 * SIM_US)
            at_down++;
    }
    cr_assert_eq(at_down, 7, "the queued frames are dropped when the link goes down");
    /* Sending on a down link drops (and traces) too; so does bringing it
     * back up and sending again succeed. */
    probe_send(w, a, &mb, 100, 10);
    cr_assert_eq(count(recs, SIM_TR_DROP, SIM_DROP_LINK_DOWN), 9);
    sim_link_set_up(l, true);
    probe_send(w, a, &mb, 100, 11);
    sim_world_run(w, 2 * SIM_SEC, 0);
    cr_assert_eq(b->times->len, 3);
    cr_assert_eq(g_array_index(b->seqs, uint32_t, 2), 11);
}
