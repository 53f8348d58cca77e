/* test_storm.c - switches in a loop without STP: one broadcast becomes a
 * storm that is simulated honestly, stays bounded, and is detected and
 * reported once per switch with the links of the loop. */
#include "sim/core/world.h"
#include "sim/l2/hub.h"
#include "sim/l2/storm.h"
#include "sim/l2/switch.h"
#include "sim/link/iface.h"
#include "sim/link/link.h"
#include "sim/link/node.h"
#include "sim/net/eth.h"
#include "sim/net/packet.h"
#include "sim/link/network.h"

#include <criterion/criterion.h>
#include <string.h>

/* ---- probe host: counts what it receives ---------------------------------- */

typedef struct {
    SimNode *node;
    SimIface *nic;
    uint64_t received;
} Probe;

static void probe_input(SimNode *node, SimIface *in, SimPacket *pkt)
{
    Probe *p = sim_node_priv(node);
    p->received++;
    sim_packet_unref(pkt);
}

static const SimNodeOps probe_ops = {.input = probe_input, .free_priv = g_free};

static Probe *probe_new(SimWorld *w, const char *name, uint32_t mac_index)
{
    Probe *p = g_new0(Probe, 1);
    p->node = sim_node_new(w, name, SIM_NODE_HOST, &probe_ops, p);
    SimMac mac = sim_mac_local(mac_index);
    p->nic = sim_node_add_iface(p->node, "eth0", &mac);
    return p;
}

/* An ARP request, by hand: who-has 10.0.0.2 tell 10.0.0.1. */
static void probe_arp(SimWorld *w, Probe *p)
{
    static const uint8_t arp[28] = {0,  1, 8, 0, 6, 4, 0, 1, 0, 0, 0,  0, 0, 0,
                                    10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2};
    SimPacket *pkt = sim_packet_new(sim_world_pool(w), SIM_PACKET_HEADROOM, sizeof arp);
    uint8_t *d = sim_packet_data(pkt);
    memcpy(d, arp, sizeof arp);
    memcpy(d + 8, sim_iface_mac(p->nic)->b, 6);
    SimEthHdr h = {
        .dst = SIM_MAC_BROADCAST, .src = *sim_iface_mac(p->nic), .ethertype = SIM_ETHERTYPE_ARP};
    sim_eth_encode(pkt, &h);
    sim_eth_pad(pkt);
    sim_iface_send(p->nic, pkt);
}

/* ---- trace recorder (storm records only) ---------------------------------- */

typedef struct {
    GPtrArray *node;   /* char* */
    GPtrArray *detail; /* char* */
} Storms;

static void on_storm(const SimTraceRecord *r, void *user)
{
    Storms *s = user;
    g_ptr_array_add(s->node, g_strdup(r->node));
    g_ptr_array_add(s->detail, g_strdup(r->detail));
}

static void storms_init(Storms *s, SimWorld *w)
{
    s->node = g_ptr_array_new_with_free_func(g_free);
    s->detail = g_ptr_array_new_with_free_func(g_free);
    sim_trace_subscribe(sim_world_trace(w), SIM_TRACE_BIT(SIM_TR_STORM), on_storm, s);
}

static void storms_fini(Storms *s)
{
    g_ptr_array_free(s->node, TRUE);
    g_ptr_array_free(s->detail, TRUE);
}

static guint storms_at(const Storms *s, const char *node)
{
    guint n = 0;
    for (guint i = 0; i < s->node->len; i++)
        n += g_strcmp0(g_ptr_array_index(s->node, i), node) == 0;
    return n;
}

static const char *storm_detail(const Storms *s, const char *node)
{
    for (guint i = 0; i < s->node->len; i++)
        if (g_strcmp0(g_ptr_array_index(s->node, i), node) == 0)
            return g_ptr_array_index(s->detail, i);
    return NULL;
}

/* ---- the triangle --------------------------------------------------------- */

#define QLIMIT 50

static void wire(SimWorld *w, SimIface *a, SimIface *b)
{
    SimLinkParams lp;
    sim_link_params_default(&lp);
    lp.queue_limit = QLIMIT;
    sim_link_new(w, a, b, &lp);
}

/* swA.2-swB.1, swB.2-swC.1, swC.2-swA.3; a host on port 4 of each (port 1
 * of swA). */
typedef struct {
    SimWorld *w;
    SimNode *sw[3];
    Probe *h[3];
} Triangle;

static void triangle_init(Triangle *t, bool mesh_extra)
{
    t->w = sim_world_new(7);
    const char *names[3] = {"swA", "swB", "swC"};
    for (int i = 0; i < 3; i++)
        t->sw[i] = sim_switch_new(t->w, names[i], 4, NULL);
    wire(t->w, sim_node_iface(t->sw[0], 1), sim_node_iface(t->sw[1], 0));
    wire(t->w, sim_node_iface(t->sw[1], 1), sim_node_iface(t->sw[2], 0));
    wire(t->w, sim_node_iface(t->sw[2], 1), sim_node_iface(t->sw[0], 2));
    if (mesh_extra) /* a second cable A-B: more loops, and the storm multiplies */
        wire(t->w, sim_node_iface(t->sw[0], 3), sim_node_iface(t->sw[1], 3));
    for (int i = 0; i < 3; i++) {
        char name[4] = {'h', (char)('1' + i), 0};
        t->h[i] = probe_new(t->w, name, (uint32_t)i + 1);
        wire(t->w, t->h[i]->nic, sim_node_iface(t->sw[i], i == 0 ? 0 : 2));
    }
}

/* Sum over every link direction of the queue limit. */
static uint64_t queue_capacity(SimWorld *w)
{
    uint64_t n = 0;
    for (guint i = 0; i < sim_network_n_links(sim_network_of(w)); i++)
        n += 2u * sim_link_params(sim_network_link(sim_network_of(w), i))->queue_limit;
    return n;
}

Test(storm, triangle_storm_is_detected_once_per_switch_and_named)
{
    Triangle t;
    triangle_init(&t, false);
    Storms s;
    storms_init(&s, t.w);
    probe_arp(t.w, t.h[0]);
    const uint64_t max_events = 200000;
    SimRunStatus st = sim_world_run(t.w, 10 * SIM_SEC, max_events);
    cr_assert_eq(st, SIM_RUN_MAX_EVENTS, "a storm never goes idle");
    cr_assert_eq(sim_world_events(t.w), max_events);
    cr_assert_lt(sim_world_now(t.w), 10 * SIM_SEC);

    const char *names[3] = {"swA", "swB", "swC"};
    for (int i = 0; i < 3; i++) {
        cr_assert(sim_switch_storm_detected(t.sw[i]), "%s", names[i]);
        cr_assert_eq(storms_at(&s, names[i]), 1, "%s reported %u times", names[i],
                     storms_at(&s, names[i]));
        const char *loop = sim_switch_storm_loop(t.sw[i]);
        cr_assert_not_null(loop);
        /* Each of the three loop links is named, in the topology's
         * "node.port-node.port" form (either orientation). */
        const char *links[3][2] = {{"swA.2-swB.1", "swB.1-swA.2"},
                                   {"swB.2-swC.1", "swC.1-swB.2"},
                                   {"swC.2-swA.3", "swA.3-swC.2"}};
        for (int k = 0; k < 3; k++)
            cr_assert(strstr(loop, links[k][0]) || strstr(loop, links[k][1]), "%s: loop '%s'",
                      names[i], loop);
        cr_assert_null(strstr(loop, "h1"), "hosts are not part of the loop");
        cr_assert_eq(strlen(loop), 3 * strlen("swA.2-swB.1") + 2 * strlen(", "));
        const char *detail = storm_detail(&s, names[i]);
        cr_assert(strstr(detail, "broadcast storm"));
        cr_assert(strstr(detail, loop));
    }
    /* The loop starts at the detecting switch. */
    cr_assert(g_str_has_prefix(sim_switch_storm_loop(t.sw[1]), "swB."));
    /* Honest simulation: the hosts keep receiving copies, and h1's MAC
     * flaps between ports on swB and swC. */
    cr_assert_gt(t.h[1]->received, 100);
    cr_assert_gt(sim_switch_stats(t.sw[1])->moved, 0);
    /* Memory stays flat: packets in use are bounded by what the links can
     * hold (queues plus one frame in flight per direction). */
    SimPacketPool *pool = sim_world_pool(t.w);
    cr_assert_leq(sim_packet_pool_in_use(pool), queue_capacity(t.w) + 16);
    cr_assert_leq(sim_evq_size(sim_world_evq(t.w)),
                  6 * sim_network_n_links(sim_network_of(t.w)) + 16);
    storms_fini(&s);
    sim_world_free(t.w);
}

Test(storm, multiplying_storm_stays_bounded_by_queues)
{
    Triangle t;
    triangle_init(&t, true);
    Storms s;
    storms_init(&s, t.w);
    probe_arp(t.w, t.h[0]);
    uint64_t peak_pkts = 0, peak_events = 0;
    SimRunStatus st = SIM_RUN_IDLE;
    for (int round = 0; round < 40; round++) {
        st = sim_world_run(t.w, 10 * SIM_SEC, 10000);
        peak_pkts = MAX(peak_pkts, sim_packet_pool_in_use(sim_world_pool(t.w)));
        peak_events = MAX(peak_events, sim_evq_size(sim_world_evq(t.w)));
    }
    cr_assert_eq(st, SIM_RUN_MAX_EVENTS);
    /* The queues filled up: frames were dropped at full queues. */
    uint64_t qdrops = 0;
    for (guint i = 0; i < sim_network_n_links(sim_network_of(t.w)); i++) {
        SimLink *l = sim_network_link(sim_network_of(t.w), i);
        for (int side = 0; side < 2; side++) {
            const SimLinkDirStats *ls = sim_link_stats(l, sim_link_end(l, side));
            qdrops += ls->queue_drops;
            cr_assert_leq(ls->queue_max, QLIMIT);
        }
    }
    cr_assert_gt(qdrops, 0, "the storm grew until queues overflowed");
    uint64_t bound = queue_capacity(t.w) + 2 * sim_network_n_links(sim_network_of(t.w)) + 16;
    cr_assert_leq(peak_pkts, bound, "%" G_GUINT64_FORMAT " packets in use", peak_pkts);
    cr_assert_leq(peak_events, bound);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(storms_at(&s, sim_node_name(t.sw[i])), 1);
    storms_fini(&s);
    sim_world_free(t.w);
}

Test(storm, no_loop_no_storm)
{
    /* A line of three switches: the same broadcast again and again (an ARP
     * retried every second) is not a storm. */
    g_autoptr(SimWorld) w = sim_world_new(1);
    SimNode *a = sim_switch_new(w, "a", 3, NULL), *b = sim_switch_new(w, "b", 3, NULL),
            *c = sim_switch_new(w, "c", 3, NULL);
    wire(w, sim_node_iface(a, 1), sim_node_iface(b, 0));
    wire(w, sim_node_iface(b, 1), sim_node_iface(c, 0));
    Probe *h1 = probe_new(w, "h1", 1), *h3 = probe_new(w, "h3", 3);
    wire(w, h1->nic, sim_node_iface(a, 0));
    wire(w, h3->nic, sim_node_iface(c, 2));
    Storms s;
    storms_init(&s, w);
    for (int i = 0; i < 10; i++) {
        probe_arp(w, h1);
        cr_assert_eq(sim_world_run(w, sim_world_now(w) + SIM_SEC, 0), SIM_RUN_UNTIL);
    }
    cr_assert_eq(h3->received, 10);
    cr_assert_eq(s.node->len, 0);
    cr_assert_not(sim_switch_storm_detected(b));
    cr_assert_null(sim_switch_storm_loop(b));
    storms_fini(&s);
}

Test(storm, hub_loop_storms_too)
{
    /* Two hubs joined by two cables. */
    g_autoptr(SimWorld) w = sim_world_new(1);
    SimNode *x = sim_hub_new(w, "hx", 3), *y = sim_hub_new(w, "hy", 3);
    wire(w, sim_node_iface(x, 0), sim_node_iface(y, 0));
    wire(w, sim_node_iface(x, 1), sim_node_iface(y, 1));
    Probe *h = probe_new(w, "h", 1);
    wire(w, h->nic, sim_node_iface(x, 2));
    Storms s;
    storms_init(&s, w);
    probe_arp(w, h);
    cr_assert_eq(sim_world_run(w, SIM_SEC, 20000), SIM_RUN_MAX_EVENTS);
    cr_assert(sim_hub_storm_detected(x));
    cr_assert(sim_hub_storm_detected(y));
    cr_assert_eq(storms_at(&s, "hx"), 1);
    const char *loop = sim_hub_storm_loop(x);
    cr_assert(g_str_equal(loop, "hx.1-hy.1, hy.2-hx.2") ||
                  g_str_equal(loop, "hx.2-hy.2, hy.1-hx.1"),
              "loop '%s'", loop);
    storms_fini(&s);
}

Test(storm, loop_finder)
{
    g_autoptr(SimWorld) w = sim_world_new(1);
    /* s1 - s2 - s3 - s4 - s2 (a loop not through s1), and a self-looped
     * cable on s5. */
    SimNode *s[5];
    for (int i = 0; i < 5; i++) {
        char name[4] = {'s', (char)('1' + i), 0};
        s[i] = sim_switch_new(w, name, 4, NULL);
    }
    wire(w, sim_node_iface(s[0], 0), sim_node_iface(s[1], 0));
    wire(w, sim_node_iface(s[1], 1), sim_node_iface(s[2], 0));
    wire(w, sim_node_iface(s[2], 1), sim_node_iface(s[3], 0));
    wire(w, sim_node_iface(s[3], 1), sim_node_iface(s[1], 2));
    wire(w, sim_node_iface(s[4], 0), sim_node_iface(s[4], 1));
    g_autofree char *through = sim_storm_find_loop(sim_node_iface(s[2], 0));
    cr_assert_str_eq(through, "s3.1-s2.2, s2.3-s4.2, s4.1-s3.2");
    /* s1's port is a bridge into the loop: the loop beyond it is named. */
    g_autofree char *beyond = sim_storm_find_loop(sim_node_iface(s[0], 0));
    cr_assert_not_null(beyond);
    cr_assert(strstr(beyond, "s3") && strstr(beyond, "s4"), "%s", beyond);
    cr_assert_null(strstr(beyond, "s1"));
    g_autofree char *self = sim_storm_find_loop(sim_node_iface(s[4], 0));
    cr_assert_str_eq(self, "s5.1-s5.2");
    /* Down links break loops. */
    sim_link_set_up(sim_iface_link(sim_node_iface(s[3], 1)), false);
    g_autofree char *none = sim_storm_find_loop(sim_node_iface(s[2], 0));
    cr_assert_null(none);
}

Test(storm, detector_unit)
{
    g_autoptr(SimStorm) d = sim_storm_new(2, 4, SIM_SEC);
    uint8_t f1[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2}, f2[60] = {0xff, 1};
    /* Distinct frames never trip it, however many. */
    for (int i = 0; i < 1000; i++) {
        f2[20] = (uint8_t)i;
        f2[21] = (uint8_t)(i >> 8);
        cr_assert_not(sim_storm_observe(d, f2, sizeof f2, 0, (SimTime)i));
    }
    /* The same frame on different ports is not a repeat. */
    cr_assert_not(sim_storm_observe(d, f1, sizeof f1, 0, 0));
    cr_assert_not(sim_storm_observe(d, f1, sizeof f1, 1, 0));
    /* Repeats spread over more than the window are not a storm. */
    cr_assert_not(sim_storm_observe(d, f1, sizeof f1, 0, SIM_SEC));
    cr_assert_not(sim_storm_observe(d, f1, sizeof f1, 0, 2 * SIM_SEC));
    cr_assert_not(sim_storm_observe(d, f1, sizeof f1, 0, 3 * SIM_SEC));
    cr_assert_not(sim_storm_detected(d));
    /* Four sightings within the window are; it trips once. */
    cr_assert_not(sim_storm_observe(d, f1, sizeof f1, 0, 3 * SIM_SEC + 10));
    cr_assert_not(sim_storm_observe(d, f1, sizeof f1, 0, 3 * SIM_SEC + 20));
    cr_assert(sim_storm_observe(d, f1, sizeof f1, 0, 3 * SIM_SEC + 30));
    cr_assert(sim_storm_detected(d));
    cr_assert_eq(sim_storm_trip_count(d), 4);
    cr_assert_eq(sim_storm_trip_span(d), 30);
    cr_assert_not(sim_storm_observe(d, f1, sizeof f1, 0, 3 * SIM_SEC + 40));
    cr_assert_geq(sim_storm_repeats(d), 4);
}
